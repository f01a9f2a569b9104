from odoo import models
from odoo.exceptions import UserError

from ..qonto_einvoicing.identifiers import compact


class AccountMove(models.Model):
    """One account and one reference the buyer pays to: the invoice Odoo prints and
    e-mails names the Qonto account the e-invoice names (Recipient Bank) and the number
    Qonto matches incoming transfers by (Payment Reference); one seller on both."""

    _inherit = "account.move"

    def _qonto_payment_reference(self):
        """The payment reference of a Qonto company's invoice: its number.

        Qonto links an incoming transfer to a client invoice when the transfer's
        reference holds the invoice number (or Qonto's own reference, which its API does
        not expose); the Qonto invoice carries Odoo's number. Odoo's structured
        references (European RF…, numbers only, per customer) hold neither, so on a
        Qonto company they are not used: whatever the journal's Communication Standard,
        the buyer is asked to quote the number. Bank reconciliation may rely on this.
        """
        self.ensure_one()
        return self.name

    def _get_invoice_computed_reference(self):
        if self.company_id.qonto_enabled and self.move_type == "out_invoice":
            return self._qonto_payment_reference()
        return super()._get_invoice_computed_reference()

    def _qonto_payee_account(self):
        """The Qonto account of the company that the invoice's Recipient Bank is."""
        self.ensure_one()
        iban = self.partner_bank_id.sanitized_acc_number
        if not iban:
            return self.env["qonto.bank.account"]
        return self.company_id.qonto_bank_account_ids.filtered(
            lambda account: compact(account.iban) == iban)[:1]

    def _compute_partner_bank_id(self):
        # A new invoice of a Qonto company names the Qonto account chosen in Settings,
        # unless Odoo already picked another Qonto account of the company (a journal's).
        result = super()._compute_partner_bank_id()
        for move in self:
            if move.move_type != "out_invoice" or not move.company_id.qonto_enabled \
                    or move._qonto_payee_account():
                continue
            chosen = move.company_id.qonto_bank_account_id.partner_bank_id
            if chosen:
                move.partner_bank_id = chosen
        return result

    def _qonto_check_sendable(self):
        """The company must be the seller Qonto names: same SIREN (Qonto fills the seller
        of its e-invoice from the organization, Odoo prints the company's)."""
        result = super()._qonto_check_sendable()
        for move in self:
            problems = move.company_id._qonto_identity_problems()
            if problems:
                raise UserError(self.env._(
                    "%(move)s: the company %(company)s is not the seller its Qonto "
                    "organization is (SIREN %(siren)s), so the e-invoice would name another "
                    "seller than the invoice Odoo prints. Correct the company (Settings > "
                    "Companies), or connect its own Qonto organization:\n%(problems)s",
                    move=move.display_name, company=move.company_id.display_name,
                    siren=move.company_id.qonto_organization_siren,
                    problems="\n".join(problems)))
        return result
