from odoo import api, fields, models
from odoo.fields import Domain

from ..tools.access import SETTINGS, check_qonto_access
from .res_config_settings_readiness import READINESS


class ResConfigSettings(models.TransientModel):
    """Two lines of the readiness checklist: the invoices Odoo prints name the Qonto
    account and the number as payment reference, and the company is the seller its
    Qonto organization is (same SIREN). Like the other lines, nothing here calls Qonto."""

    _inherit = "res.config.settings"

    qonto_ready_bank = fields.Selection(READINESS, compute="_compute_qonto_readiness_identity")
    qonto_ready_bank_text = fields.Char(compute="_compute_qonto_readiness_identity")
    qonto_invoices_other_bank = fields.Integer(compute="_compute_qonto_readiness_identity")
    qonto_ready_siren = fields.Selection(READINESS, compute="_compute_qonto_readiness_identity")
    qonto_ready_siren_text = fields.Char(compute="_compute_qonto_readiness_identity")

    @api.depends("company_id", "qonto_bank_account_id")
    def _compute_qonto_readiness_identity(self):
        for settings in self:
            company = settings.company_id
            others = settings._qonto_invoices_other_bank()
            bank_state, bank_text = settings._qonto_readiness_bank(company, len(others))
            siren_state, siren_text = settings._qonto_readiness_siren(company)
            settings.update({
                "qonto_ready_bank": bank_state,
                "qonto_ready_bank_text": bank_text,
                "qonto_invoices_other_bank": len(others),
                "qonto_ready_siren": siren_state,
                "qonto_ready_siren_text": siren_text,
            })

    def _qonto_readiness_bank(self, company, count):
        """``count``: the invoices that name another account (to be fixed)."""
        account = self.qonto_bank_account_id or company.qonto_bank_account_id
        if not account.partner_bank_id:
            return "todo", self.env._(
                "Unknown until the Qonto account on invoices is chosen and the connection "
                "tested.")
        if not account.partner_bank_id.allow_out_payment:
            return "todo", self.env._(
                "%(iban)s is not trusted in Odoo, which confirms no invoice naming it: "
                "trust it (Send Money) in the company's bank accounts, or test the "
                "connection again.", iban=account.iban)
        if count:
            return "todo", self.env._(
                "%(count)s confirmed invoice(s), not sent yet, name no Qonto account as "
                "Recipient Bank: they cannot be sent by e-invoice until they name %(iban)s.",
                count=count, iban=account.iban)
        return "ok", self.env._(
            "Invoices name %(iban)s as Recipient Bank and their number as Payment Reference, "
            "as the e-invoice does: Qonto matches the customer's transfer by them.",
            iban=account.iban)

    def _qonto_readiness_siren(self, company):
        siren = company.qonto_organization_siren
        if not siren:
            return "todo", self.env._("Unknown until the connection is tested.")
        problems = company._qonto_identity_problems()
        if problems:
            return "todo", self.env._(
                "The e-invoices name the seller of SIREN %(siren)s (your Qonto organization), "
                "and the invoices Odoo prints another: %(problems)s",
                siren=siren, problems=" ".join(problems))
        return "ok", self.env._("SIREN %(siren)s, as your Qonto organization's.", siren=siren)

    # ------------------------------------------------------------------ invoices

    def _qonto_invoices_other_bank(self):
        """The company's confirmed invoices, not sent nor paid yet, that name another
        Recipient Bank than one of its Qonto accounts."""
        company = self.company_id
        qonto_banks = company.qonto_bank_account_ids.partner_bank_id
        if not qonto_banks:
            return self.env["account.move"]
        return self.env["account.move"].search(
            Domain("company_id", "=", company.id) & Domain("move_type", "=", "out_invoice")
            & Domain("state", "=", "posted") & Domain("is_move_sent", "=", False)
            & Domain("payment_state", "not in", ("paid", "in_payment", "reversed"))
            & (Domain("partner_bank_id", "=", False)
               | Domain("partner_bank_id", "not in", qonto_banks.ids)))

    def action_qonto_use_qonto_bank_account(self):
        """Name the chosen Qonto account on the invoices that name another (not sent yet,
        so no customer has read the other one), as the invoicing user could one by one."""
        check_qonto_access(self, SETTINGS)
        self.ensure_one()
        self.execute()  # the account chosen on the page is the company's from now on
        bank = self.company_id.qonto_bank_account_id.partner_bank_id
        moves = self._qonto_invoices_other_bank()
        if bank and moves:
            moves.partner_bank_id = bank
        return {
            "type": "ir.actions.client",
            "tag": "display_notification",
            "params": {
                "title": self.env._("Qonto"),
                "message": self.env._("%(count)s invoice(s) now name %(iban)s.",
                                      count=len(moves), iban=bank.acc_number or "-"),
                "type": "success",
                "next": {"type": "ir.actions.client", "tag": "soft_reload"},
            },
        }
