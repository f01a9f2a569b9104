from markupsafe import Markup
from odoo import fields, models
from odoo.tools import format_date

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
        index=True)
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

    # ------------------------------------------------------------------ the buyer's answers

    def _received_action(self, call, message):
        """Call Qonto on this received invoice, read it again, say it in the chatter.

        Qonto's pages show the action's answer, but not whether it carries the lifecycle:
        the invoice is read again before it is stored, as for a sent one.
        """
        self.ensure_one()
        with self.company_id._qonto_client() as qonto:
            call(qonto, self.qonto_id)
            supplier_invoice = qonto.get_supplier_invoice(self.qonto_id)
        self.with_context(qonto_user_action=True)._store_received(supplier_invoice)
        self.move_id._message_log(body=message)
        return supplier_invoice

    def _refuse(self, reason_code, note=None):
        """Refuse the received e-invoice in Qonto with one of the reform's reasons (a
        user's answer: said in the user's language, as the answers below)."""
        reasons = self.env["qonto.refuse.wizard"]._fields["reason_code"]
        labels = dict(reasons._description_selection(self.env))
        message = self.env._("Refused in Qonto: %(reason)s (%(code)s).",
                             reason=labels[reason_code], code=reason_code)
        if note:
            message = Markup("%s<br/>%s") % (message, note)
        return self._received_action(
            lambda qonto, qonto_id: qonto.reject_supplier_invoice(
                qonto_id, reason_code=reason_code, note=note or None), message)

    def _report_payment(self, payment_date):
        return self._received_action(
            lambda qonto, qonto_id: qonto.mark_supplier_invoice_as_paid(qonto_id, payment_date),
            self.env._("Payment reported to Qonto, paid on %(date)s.",
                       date=format_date(self.env, payment_date)))

    def _cancel_payment_report(self):
        return self._received_action(
            lambda qonto, qonto_id: qonto.unmark_supplier_invoice_as_paid(qonto_id),
            self.env._("Payment report withdrawn in Qonto."))
