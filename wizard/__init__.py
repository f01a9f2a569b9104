from . import qonto_send_fallback
