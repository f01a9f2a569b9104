from odoo import fields, models


class QontoBankAccount(models.Model):
    """A Qonto account of the company's organization, as Qonto lists it.

    Fetched by *Test connection*; the one chosen in the settings gives the IBAN that
    Qonto prints on every invoice (Qonto refuses an IBAN that is not one of these).
    """

    _name = "qonto.bank.account"
    _description = "Qonto bank account"
    _order = "is_main desc, name"

    company_id = fields.Many2one("res.company", required=True, ondelete="cascade", index=True)
    name = fields.Char(required=True)
    iban = fields.Char(string="IBAN", required=True)
    bic = fields.Char(string="BIC")
    is_main = fields.Boolean(string="Main account")

    _iban_company_uniq = models.Constraint(
        "unique (company_id, iban)", "A Qonto account is listed once per company.",
    )

    def _compute_display_name(self):
        for account in self:
            account.display_name = f"{account.name} ({account.iban})"
