from odoo import fields, models


class ResCompany(models.Model):
    _inherit = "res.company"

    qonto_receive_last_sync = fields.Datetime(
        string="Last import of received e-invoices", copy=False, groups="base.group_system",
        help="The supplier e-invoices updated in Qonto since then are read at the next "
        "import.")
