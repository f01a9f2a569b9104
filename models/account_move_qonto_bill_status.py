from odoo import api, fields, models


class AccountMove(models.Model):
    """A received bill shows Qonto's status in words, in the one "Qonto status" line."""

    _inherit = "account.move"

    qonto_supplier_status_label = fields.Char(
        string="Qonto status", compute="_compute_qonto_supplier_status_label",
        help="The supplier invoice's status in Qonto.")

    # Qonto's statuses of a supplier invoice (its supplier-invoice sync guide and the
    # actions' pages); a status not listed is shown as Qonto sent it.
    @api.depends("qonto_einvoice_id.supplier_status")
    @api.depends_context("lang")
    def _compute_qonto_supplier_status_label(self):
        words = {
            "to_review": self.env._("To review"),
            "to_approve": self.env._("To approve"),
            "awaiting_payment": self.env._("Awaiting payment"),
            "to_pay": self.env._("To pay"),
            "scheduled": self.env._("Payment scheduled"),
            "paid": self.env._("Paid"),
            "rejected": self.env._("Refused"),
            "archived": self.env._("Archived"),
        }
        for move in self:
            status = move.qonto_supplier_status
            move.qonto_supplier_status_label = words.get(status, status) if status else False
