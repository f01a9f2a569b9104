from odoo import fields, models


class ResConfigSettings(models.TransientModel):
    _inherit = "res.config.settings"

    qonto_flow = fields.Selection(related="company_id.qonto_flow", readonly=False)
    qonto_vat_on_debits = fields.Boolean(related="company_id.qonto_vat_on_debits",
                                         readonly=False)
    qonto_note_recovery_fee = fields.Char(related="company_id.qonto_note_recovery_fee",
                                          readonly=False)
    qonto_note_late_penalties = fields.Char(related="company_id.qonto_note_late_penalties",
                                            readonly=False)
    qonto_note_discount = fields.Char(related="company_id.qonto_note_discount",
                                      readonly=False)
