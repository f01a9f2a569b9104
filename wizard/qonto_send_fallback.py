from odoo import api, fields, models

from ..tools.access import BILLING, check_qonto_access


class QontoSendFallback(models.TransientModel):
    """Said before anything is sent: the customer cannot receive e-invoices."""

    _name = "qonto.send.fallback"
    _description = "Send an invoice to a customer the e-invoicing network cannot reach"

    move_id = fields.Many2one("account.move", string="Invoice", required=True, readonly=True)
    partner_id = fields.Many2one(related="move_id.commercial_partner_id")
    partner_email = fields.Char(related="move_id.partner_id.email")
    already_sent = fields.Boolean(
        related="move_id.is_move_sent", string="Already sent from Odoo",
        help="Odoo already sent this invoice (its e-mail or print), before this dialog.")
    qonto_holds_invoice = fields.Boolean(
        compute="_compute_qonto_holds_invoice",
        help="Qonto already holds this invoice (from an earlier attempt), not sent.")

    @api.depends("move_id.qonto_einvoice_id.qonto_id")
    def _compute_qonto_holds_invoice(self):
        for wizard in self:
            wizard.qonto_holds_invoice = bool(wizard.move_id.qonto_invoice_id)

    def action_send_by_qonto_email(self):
        check_qonto_access(self.move_id, BILLING)
        move = self.move_id
        move._qonto_send_by_email()
        # The invoice behind the dialog changed (Sent, sent by e-mail): say it and reload.
        return move._qonto_notification(
            self.env._("E-invoice"),
            self.env._("%(move)s sent by e-mail through Qonto to %(email)s.",
                       move=move.display_name, email=move.partner_id.email))

    def action_send_by_odoo_email(self):
        check_qonto_access(self.move_id, BILLING, "read")
        return self.move_id.action_invoice_sent()
