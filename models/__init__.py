from . import (
    account_move,
    account_move_send,
    qonto_bank_account,
    qonto_lifecycle_event,
    res_company,
    res_config_settings,
    res_partner,
)
