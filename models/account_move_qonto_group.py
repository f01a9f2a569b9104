from odoo import api, fields, models
from odoo.tools.sql import column_exists, create_column

from .qonto_einvoice import EINVOICING_STATUS


class AccountMove(models.Model):
    """Group the invoices by e-invoicing status with a name for every group.

    The web client names a group by the selection's label of its value, and an empty
    value has none: the invoices not sent showed as a bare "(20)". This field has a
    value for them.
    """

    _inherit = "account.move"

    qonto_einvoicing_group = fields.Selection(
        [("not_sent", "Not sent"), *EINVOICING_STATUS], string="E-invoicing status",
        compute="_compute_qonto_einvoicing_group", store=True)

    def _auto_init(self):
        # Filled in SQL at install: the ORM would compute it invoice by invoice.
        cr = self.env.cr
        if not column_exists(cr, "account_move", "qonto_einvoicing_group"):
            create_column(cr, "account_move", "qonto_einvoicing_group", "varchar")
            if column_exists(cr, "account_move", "qonto_einvoicing_status"):
                cr.execute("UPDATE account_move SET qonto_einvoicing_group = "
                           "COALESCE(qonto_einvoicing_status, 'not_sent')")
            else:
                cr.execute("UPDATE account_move SET qonto_einvoicing_group = 'not_sent'")
        return super()._auto_init()

    @api.depends("qonto_einvoicing_status")
    def _compute_qonto_einvoicing_group(self):
        for move in self:
            move.qonto_einvoicing_group = move.qonto_einvoicing_status or "not_sent"
