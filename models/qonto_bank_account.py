from odoo import fields, models

from ..qonto_einvoicing.identifiers import compact


class QontoBankAccount(models.Model):
    """A Qonto account of the company's organization, as Qonto lists it.

    Fetched by *Test connection*; the one chosen in the settings gives the IBAN that
    Qonto prints on every invoice (Qonto refuses an IBAN that is not one of these).
    Each is also a bank account of the company in Odoo (``partner_bank_id``), the one
    Odoo's invoice PDF and e-mail name, so the buyer reads one IBAN everywhere.
    """

    _name = "qonto.bank.account"
    _description = "Qonto bank account"
    _order = "is_main desc, name"

    company_id = fields.Many2one("res.company", required=True, ondelete="cascade", index=True)
    name = fields.Char(required=True)
    iban = fields.Char(string="IBAN", required=True)
    bic = fields.Char(string="BIC")
    is_main = fields.Boolean(string="Main account")
    partner_bank_id = fields.Many2one(
        "res.partner.bank", string="Bank account in Odoo", ondelete="set null",
        help="The company's bank account with this IBAN: what invoices name as Recipient "
        "Bank.")

    _iban_company_uniq = models.Constraint(
        "unique (company_id, iban)", "A Qonto account is listed once per company.",
    )

    def _compute_display_name(self):
        for account in self:
            account.display_name = f"{account.name} ({account.iban})"

    def _qonto_link_partner_bank(self):
        """Give each account its bank account of the company in Odoo: the existing one
        with the same IBAN, else a new one, trusted (Send Money) when the user who tests
        the connection may trust accounts: the IBAN comes from Qonto's API for this
        organization, not from someone's typing, and Odoo confirms no invoice naming an
        untrusted account of the company. Odoo never lets an automated flow (superuser)
        trust one: such an account stays for a person to trust in the bank settings."""
        banks = self.env["res.partner.bank"].sudo().with_context(active_test=False)
        for account in self.sudo():
            partner = account.company_id.partner_id
            iban = compact(account.iban)
            bank = account.partner_bank_id
            if not (bank and bank.active and bank.partner_id == partner
                    and bank.sanitized_acc_number == iban):
                bank = banks.search([("partner_id", "=", partner.id),
                                     ("sanitized_acc_number", "=", iban)], limit=1)
                if bank and not bank.active:
                    bank.active = True
                bank = bank or banks.create({
                    "acc_number": account.iban,
                    "partner_id": partner.id,
                    "company_id": account.company_id.id,
                    "allow_out_payment": True,
                })
                account.partner_bank_id = bank
            if not bank.allow_out_payment and bank._user_can_trust():
                bank.allow_out_payment = True
