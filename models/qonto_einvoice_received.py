from odoo import fields, models

from ..qonto_einvoicing.receiving import received_einvoicing_status
from .qonto_einvoice_mirror import _naive_utc


class QontoEinvoice(models.Model):
    """A received e-invoice: the same mirror as a sent one, on the vendor bill.

    ``direction`` tells them apart; ``qonto_id`` is then the supplier invoice's id in
    Qonto, unique per company like a client invoice's, so that each received e-invoice
    is one bill whatever runs the import (a repeated run, two workers).
    """

    _inherit = "qonto.einvoice"

    direction = fields.Selection(
        [("sent", "Sent"), ("received", "Received")], default="sent", required=True,
        index=True, string="Direction")
    supplier_status = fields.Char(
        string="Status in Qonto", copy=False,
        help="The supplier invoice's status in Qonto (to review, to pay, paid...).")
    qonto_total = fields.Monetary(
        string="Total in Qonto", currency_field="qonto_currency_id", copy=False)
    qonto_currency_id = fields.Many2one("res.currency", string="Qonto currency", copy=False)
    total_difference = fields.Monetary(
        string="Difference with Qonto's total", currency_field="qonto_currency_id",
        copy=False, help="Qonto's total minus the total decoded from the file.")
    import_note = fields.Text(
        string="Import note", copy=False,
        help="What could not be read from the received file.")

    def _store_received(self, supplier_invoice):
        """Mirror a Qonto supplier invoice: its status, then each new lifecycle event."""
        self.ensure_one()
        einvoice = self._in_company_lang()
        events = supplier_invoice.einvoicing_lifecycle_events or []
        values = {
            "supplier_status": supplier_invoice.status or False,
            "einvoicing_status": received_einvoicing_status(events) or False,
            "qonto_updated_at": _naive_utc(supplier_invoice.updated_at),
            "read_at": fields.Datetime.now(),
        }
        changed = {
            name: value for name, value in values.items()
            if name != "read_at"
            and self._fields[name].convert_to_cache(value, self) != self[name]
        }
        if changed:
            self.sudo().write(values)
        einvoice._store_events(events)
        return bool(changed)
