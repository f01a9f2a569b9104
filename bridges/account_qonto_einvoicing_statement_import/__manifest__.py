{
    "name": "Qonto E-Invoicing: bank statements from Qonto",
    "summary": "OCA's online Qonto statement import reads the transactions through the "
    "company's Qonto connection (and the simulator in Simulator mode)",
    "version": "19.0.1.0.0",
    "category": "Accounting/Accounting",
    "website": "https://github.com/qonto-einvoicing/account_qonto_einvoicing",
    "author": "Qonto e-invoicing for Odoo contributors",
    # OCA's account_statement_import_online_qonto is AGPL-3: so is what extends it.
    "license": "AGPL-3",
    "depends": ["account_qonto_einvoicing", "account_statement_import_online_qonto"],
    "auto_install": True,
}
