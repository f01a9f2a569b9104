{
    "name": "Qonto E-Invoicing",
    "summary": "Send customer invoices as French e-invoices through Qonto, "
    "and follow their lifecycle inside Odoo",
    "version": "19.0.2.0.0",
    "category": "Accounting/Accounting",
    "website": "https://github.com/qonto-einvoicing/account_qonto_einvoicing",
    "author": "Qonto e-invoicing for Odoo contributors",
    "license": "LGPL-3",
    "depends": ["account", "account_edi_ubl_cii"],
    # The same requirements as requirements.txt (tests_core/test_packaging.py checks it).
    "external_dependencies": {
        "python": ["pydantic>=2.5,<3", "requests>=2.25", "werkzeug>=2.0", "factur-x>=3.1",
                   "saxonche>=12.5"],
    },
    "data": [
        "security/ir.model.access.csv",
        "security/qonto_security.xml",
        "data/ir_cron.xml",
        "data/ir_cron_receive.xml",
        "data/mail_activity_type.xml",
        "data/res_partner_data.xml",
        "views/qonto_lifecycle_event_views.xml",
        "views/account_move_views.xml",
        "views/account_move_receive_views.xml",
        "views/account_move_qonto_flow2_views.xml",
        "views/res_partner_views.xml",
        "views/res_config_settings_views.xml",
        "views/res_config_settings_readiness_views.xml",
        "views/res_config_settings_identity_views.xml",
        "views/res_config_settings_pdf_views.xml",
        "views/res_config_settings_collect_views.xml",
        "wizard/qonto_send_fallback_views.xml",
        "wizard/qonto_refuse_views.xml",
    ],
    "assets": {
        "web.assets_tests": [
            "account_qonto_einvoicing/static/tests/tours/**/*",
        ],
    },
}
