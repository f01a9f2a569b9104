from . import account_move_send_wizard, qonto_send_fallback
