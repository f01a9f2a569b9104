from . import account_move_send_wizard, qonto_refuse, qonto_send_fallback
