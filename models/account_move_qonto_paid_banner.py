from odoo import api, fields, models

from ..qonto_einvoicing.lifecycle import stage
from .account_move_qonto_payment import PAYMENT_CODES


class AccountMove(models.Model):
    """The words of the "paid, not in Odoo" banner: what Qonto's own status says and
    what the network reported, the same as the fields below it (one truth)."""

    _inherit = "account.move"

    qonto_paid_not_in_odoo_text = fields.Char(
        string="Payment reported", compute="_compute_qonto_paid_not_in_odoo_text")

    @api.depends("qonto_paid_not_in_odoo", "qonto_einvoice_id.status",
                 "qonto_einvoice_id.lifecycle_event_ids")
    @api.depends_context("lang")
    def _compute_qonto_paid_not_in_odoo_text(self):
        for move in self:
            einvoice = move.qonto_einvoice_id
            if not move.qonto_paid_not_in_odoo:
                move.qonto_paid_not_in_odoo_text = False
                continue
            code = max((code for code in einvoice.lifecycle_event_ids.mapped("status_code")
                        if code in PAYMENT_CODES), default=None)
            if einvoice.status == "paid" or not code:
                move.qonto_paid_not_in_odoo_text = self.env._(
                    "Qonto shows this invoice as paid, but Odoo has no payment for it yet.")
                continue
            label = f"{code} {stage(code).label(self.env.lang)}"
            if code == 211:
                move.qonto_paid_not_in_odoo_text = self.env._(
                    "The buyer reports the payment as sent (%(step)s); Qonto still shows "
                    "the invoice as unpaid until the money arrives, and Odoo has no payment "
                    "for it yet.", step=label)
            else:
                move.qonto_paid_not_in_odoo_text = self.env._(
                    "The network reports the payment as collected (%(step)s) while Qonto "
                    "still shows the invoice as unpaid; Odoo has no payment for it yet.",
                    step=label)
