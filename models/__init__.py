from . import (
    account_move,
    account_move_qonto_send,
    account_move_send,
    qonto_bank_account,
    qonto_einvoice,
    qonto_einvoice_mirror,
    qonto_einvoice_refresh,
    qonto_lifecycle_event,
    res_company,
    res_config_settings,
    res_partner,
)
