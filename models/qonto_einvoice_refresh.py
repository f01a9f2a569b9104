import datetime as dt
import logging

from odoo import api, fields, models
from odoo.tools import format_date

from ..qonto_einvoicing import QontoError
from ..tools.errors import qonto_error_message
from .qonto_einvoice_mirror import _naive_utc

_logger = logging.getLogger(__name__)

# The list is read from the last run minus this overlap: clocks differ, and a change
# committed in Qonto while the list was read must not fall between two runs.
LIST_OVERLAP = dt.timedelta(minutes=2)
# Qonto does not document that a lifecycle event moves an invoice's ``updated_at``, so
# the filtered list alone could miss a refusal. Each run therefore also re-reads the
# in-flight invoices not read for SWEEP_AGE, oldest first, at most SWEEP_LIMIT of them:
# with the refresh every 15 minutes that is at most 800 extra reads an hour (under 1 %
# of Qonto's 10,000 requests per 10 minutes), and every invoice in flight is read at
# least once an hour while fewer than 800 are in flight (beyond, once every
# in-flight/800 hours).
SWEEP_AGE = dt.timedelta(hours=1)
SWEEP_LIMIT = 200


class QontoEinvoice(models.Model):
    """The scheduled refresh: read what moved in Qonto, mirror it, push Odoo's payments."""

    _inherit = "qonto.einvoice"

    @api.model
    def _cron_refresh(self, batch_size=100):
        """Mirror the lifecycle of the invoices in flight and push Odoo's payments.

        Per company: one list call filtered on ``updated_at`` finds what moved since the
        last run; each invoice that moved (by Qonto's ``updated_at``), each one a webhook
        named, and the sweep's few are then read in full by id, since the list does not
        carry the lifecycle. Batches are committed as they go.
        """
        for company in self.env["res.company"]._qonto_active_companies():
            try:
                self._send_postponed(company)
                self._refresh_company(company, batch_size)
                self._sync_payments(company)
            except QontoError as error:
                self.env.cr.rollback()
                _logger.warning("Qonto refresh of company %s failed: %s", company.id, error)
                # Nothing left for this run: its invoices wait for the next one, instead
                # of the cron being run again at once while Qonto fails.
                self.env["ir.cron"]._commit_progress(remaining=0)

    def _send_postponed(self, company):
        """Send what Qonto's rate limit postponed, once its time has come."""
        due = self.sudo().search([("company_id", "=", company.id),
                                  ("send_postponed_until", "<=", fields.Datetime.now()),
                                  ("sent_at", "=", False)])
        moves = due.move_id.try_lock_for_update()
        if moves:
            due.send_postponed_until = False
            moves._qonto_send_batch(email=False)
            self.env["ir.cron"]._commit_progress(len(moves))

    def _refresh_company(self, company, batch_size):
        """Read what moved in Qonto since the last run, what a webhook named, and the
        sweep's few. Each is picked by a bounded query: a run never loads every invoice
        in flight (ten thousand at a month-end), only those it reads."""
        started = fields.Datetime.now()
        einvoices = self.sudo()
        linked = [("company_id", "=", company.id), ("qonto_id", "!=", False)]
        followed = [*linked, "|", ("in_flight", "=", True), ("refresh_requested", "=", True)]
        oldest_first = "read_at asc nulls first, id asc"
        with company._qonto_client() as qonto:
            if company.qonto_last_sync and einvoices.search_count(followed, limit=1):
                since = (company.qonto_last_sync - LIST_OVERLAP).replace(tzinfo=dt.timezone.utc)
                moved = {invoice.id: invoice
                         for invoice in qonto.list_client_invoices(updated_at_from=since)}
                known = einvoices.search([*linked, ("qonto_id", "in", list(moved))])
                to_read = known.filtered(
                    lambda e: not e.read_at
                    or _naive_utc(moved[e.qonto_id].updated_at) != e.qonto_updated_at)
                to_read |= einvoices.search([*linked, ("refresh_requested", "=", True)])
                to_read |= einvoices.search(
                    [*linked, ("in_flight", "=", True), ("id", "not in", to_read.ids),
                     "|", ("read_at", "=", False), ("read_at", "<", started - SWEEP_AGE)],
                    order=oldest_first, limit=SWEEP_LIMIT)
            else:
                to_read = einvoices.search(followed, order=oldest_first)
            self._read_all(qonto, to_read, batch_size)
        company.qonto_last_sync = started

    def _read_all(self, qonto, einvoices, batch_size):
        """Read each invoice in full and mirror it; commit batch by batch."""
        cron = self.env["ir.cron"]
        cron._commit_progress(remaining=len(einvoices))
        for start in range(0, len(einvoices), batch_size):
            batch = einvoices[start:start + batch_size]
            for einvoice in batch.try_lock_for_update():
                einvoice._store(qonto.get_client_invoice(einvoice.qonto_id), read=True)
            cron._commit_progress(len(batch))

    def _sync_payments(self, company):
        einvoices = self.sudo().search([("company_id", "=", company.id),
                                        ("payment_to_sync", "!=", False)])
        for einvoice in einvoices.try_lock_for_update():
            try:
                if einvoice.payment_to_sync == "mark":
                    einvoice._mark_paid()
                else:
                    einvoice._unmark_paid()
            except QontoError as error:
                einvoice.move_id.message_post(
                    body=qonto_error_message(self.env, error, einvoice.move_id))
            self.env["ir.cron"]._commit_progress(1)

    # ------------------------------------------------------------------ payment

    def _mark_paid(self, paid_at=None):
        self.ensure_one()
        move = self.move_id
        with self.company_id._qonto_client() as qonto:
            invoice = qonto.mark_client_invoice_as_paid(
                self.qonto_id, paid_at or move._qonto_payment_date())
        # Marked from a payment Odoo knows: Odoo may undo it when that payment goes. A
        # manual mark on an invoice Odoo says is unpaid is the accountant's word: kept.
        self.sudo().paid_by_odoo = move.payment_state in ("paid", "in_payment")
        self._store(invoice)
        einvoice = self._in_company_lang()
        einvoice.move_id._message_log(body=einvoice.env._(
            "Marked as paid in Qonto on %(date)s.",
            date=invoice.paid_at and format_date(einvoice.env, invoice.paid_at.date())))

    def _unmark_paid(self):
        self.ensure_one()
        with self.company_id._qonto_client() as qonto:
            qonto.unmark_client_invoice_as_paid(self.qonto_id)
            # Qonto documents no answer body for unmark: read the invoice instead.
            invoice = qonto.get_client_invoice(self.qonto_id)
        self.sudo().paid_by_odoo = False
        self._store(invoice, read=True)
        einvoice = self._in_company_lang()
        einvoice.move_id._message_log(body=einvoice.env._("Marked as unpaid in Qonto."))
