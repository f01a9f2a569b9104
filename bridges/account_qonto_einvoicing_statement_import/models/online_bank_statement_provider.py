from odoo import models
from odoo.addons.account_qonto_einvoicing.qonto_einvoicing import QontoError
from odoo.addons.account_qonto_einvoicing.qonto_einvoicing.transactions import transactions_page
from odoo.addons.account_qonto_einvoicing.tools.errors import qonto_error_message
from odoo.addons.base.models.res_bank import sanitize_account_number
from odoo.exceptions import UserError


class OnlineBankStatementProvider(models.Model):
    """OCA's Qonto provider, through the company's Qonto connection.

    A Qonto provider left without a login and key of its own reads the organization and
    its transactions with the company's connection (API key or OAuth, the simulator in
    Simulator mode): the same client, retries and rate limits as the e-invoices. OCA's
    own code still turns each transaction into a statement line; the lines then pay the
    invoices they name (account_qonto_einvoicing).
    """

    _inherit = "online.bank.statement.provider"

    def _qonto_company_connection(self):
        self.ensure_one()
        return (self.service == "qonto" and not (self.username and self.password)
                and self.company_id.sudo().qonto_enabled)

    def _qonto_call(self, read):
        try:
            with self.company_id._qonto_client() as qonto:
                return read(qonto)
        except QontoError as error:
            raise UserError(qonto_error_message(self.env, error, self.journal_id,
                                                company=self.company_id)) from None

    def _qonto_get_bank_account_ids(self):
        if not self._qonto_company_connection():
            return super()._qonto_get_bank_account_ids()
        organization = self._qonto_call(lambda qonto: qonto.get_organization())
        return {sanitize_account_number(account.iban): account.id
                for account in organization.bank_accounts}

    def _qonto_get_transactions(self, url, params):
        if not self._qonto_company_connection():
            return super()._qonto_get_transactions(url, params)
        return self._qonto_call(lambda qonto: transactions_page(qonto, params))
