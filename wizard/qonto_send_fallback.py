from odoo import fields, models


class QontoSendFallback(models.TransientModel):
    """Said before anything is created: the customer cannot receive e-invoices."""

    _name = "qonto.send.fallback"
    _description = "Send an invoice to a customer the e-invoicing network cannot reach"

    move_id = fields.Many2one("account.move", string="Invoice", required=True, readonly=True)
    partner_id = fields.Many2one(related="move_id.commercial_partner_id")
    partner_email = fields.Char(related="move_id.partner_id.email")

    def action_send_by_qonto_email(self):
        self.move_id._qonto_send_by_email()
        return {"type": "ir.actions.act_window_close"}

    def action_send_by_odoo_email(self):
        return self.move_id.action_invoice_sent()
