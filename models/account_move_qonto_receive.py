import datetime as dt
import logging
from decimal import Decimal

import psycopg2
from markupsafe import Markup
from odoo import api, fields, models
from odoo.exceptions import UserError

from ..qonto_einvoicing import QontoError, RateLimitedError
from ..qonto_einvoicing.receiving import document_file_name, total_difference
from ..tools.access import BILLING, check_qonto_access
from ..tools.errors import qonto_error_message

_logger = logging.getLogger(__name__)

# Supplier invoices are listed from the last import minus this overlap: clocks differ,
# and an invoice committed in Qonto while the list was read must not fall between runs.
RECEIVE_OVERLAP = dt.timedelta(minutes=2)


class AccountMove(models.Model):
    """Received e-invoices: each supplier e-invoice of Qonto becomes one vendor bill."""

    _inherit = "account.move"

    qonto_direction = fields.Selection(related="qonto_einvoice_id.direction")
    qonto_total_difference = fields.Monetary(
        related="qonto_einvoice_id.total_difference", currency_field="currency_id")
    qonto_import_note = fields.Text(related="qonto_einvoice_id.import_note")

    # ------------------------------------------------------------------ entry points

    def action_qonto_fetch_received(self):
        """The *Fetch from Qonto* button of the vendor bills list.

        Not ``@api.model``: a list's header button is called on the selected bills (none
        when nothing is ticked), as any button; they do not matter here, the companies
        the user works in do."""
        check_qonto_access(self, BILLING, "create")
        companies = self.env.companies.filtered("qonto_enabled")
        if not companies:
            raise UserError(self.env._(
                "Qonto e-invoicing is not enabled for the selected companies "
                "(Settings > Invoicing > Qonto)."))
        imported = self.browse()
        for company in companies:
            try:
                imported |= self._qonto_receive_company(company)
            except QontoError as error:
                raise UserError(qonto_error_message(self.env, error, company)) from None
        return {
            "type": "ir.actions.client",
            "tag": "display_notification",
            "params": {
                "title": self.env._("Qonto"),
                "message": self.env._("%(count)s e-invoice(s) received from Qonto.",
                                      count=len(imported)),
                "type": "success",
                "next": {"type": "ir.actions.client", "tag": "soft_reload"},
            },
        }

    @api.model
    def _cron_qonto_receive(self):
        """Import, for each company, the supplier e-invoices Qonto received."""
        for company in self.env["res.company"]._qonto_active_companies():
            try:
                self._qonto_receive_company(company)
            except QontoError as error:
                self.env.cr.rollback()
                _logger.warning("Qonto import of company %s stopped: %s", company.id, error)
                self.env["ir.cron"]._commit_progress(remaining=0)

    # ------------------------------------------------------------------ import

    @api.model
    def _qonto_receive_company(self, company):
        """List what Qonto received since the last import; make each new one a bill.

        Each bill is committed with its ``qonto.einvoice`` (unique per company and Qonto
        id), so a run stopped half-way keeps what it made and the next run, listing from
        the same time, skips it. The last-import time only moves once every e-invoice
        of the list is in Odoo.
        """
        company = company.sudo()
        journal = self.env["account.journal"].sudo().search([
            *self.env["account.journal"]._check_company_domain(company),
            ("type", "=", "purchase")], limit=1)
        if not journal:
            raise UserError(self.env._(
                "The company %(company)s has no purchase journal to receive e-invoices in.",
                company=company.display_name))
        started = fields.Datetime.now()
        since = company.qonto_receive_last_sync
        since = (since - RECEIVE_OVERLAP).replace(tzinfo=dt.timezone.utc) if since else None
        einvoices = self.env["qonto.einvoice"].sudo()
        imported = self.browse()
        complete = True
        with company._qonto_client() as qonto:
            received = [invoice for invoice in qonto.list_supplier_invoices(
                updated_at_from=since) if invoice.is_einvoice]
            known = {e.qonto_id: e for e in einvoices.search([
                ("company_id", "=", company.id), ("direction", "=", "received"),
                ("qonto_id", "in", [invoice.id for invoice in received])])}
            # A bill a user is answering right now (Refuse, Report payment) is locked by
            # that action, which stores Qonto's answer itself: skipped, not waited for.
            free = einvoices.browse([e.id for e in known.values()]).try_lock_for_update()
            for invoice in received:
                if invoice.id in known and known[invoice.id] in free:
                    known[invoice.id]._store_received(invoice)
            new = [invoice for invoice in received if invoice.id not in known]
            self._qonto_commit_progress(remaining=len(new))
            for invoice in new:
                try:
                    content = qonto.download_attachment(invoice.original_attachment_id,
                                                        label=invoice.label)
                except RateLimitedError:
                    raise
                except QontoError as error:
                    complete = False
                    _logger.warning("Qonto supplier invoice %s of company %s: its file "
                                    "could not be downloaded (%s); next run retries",
                                    invoice.id, company.id, error)
                    continue
                bill = self._qonto_create_received_bill(company, journal, invoice, content)
                if bill:
                    imported |= bill
                if not self._qonto_commit_progress(1):
                    # Out of the scheduled action's time: what is left is counted as
                    # remaining, so the scheduler runs the action again at once.
                    complete = False
                    break
        if complete:
            company.qonto_receive_last_sync = started
            self._qonto_commit_progress(0)
        return imported

    def _qonto_commit_progress(self, processed=0, remaining=None):
        """Commit in the scheduled action (each bill as it is made); the time left.

        The button runs in the user's one transaction: nothing is committed there.
        """
        if self.env.context.get("cron_id"):
            return self.env["ir.cron"]._commit_progress(processed, remaining=remaining)
        return float("inf")

    @api.model
    def _qonto_create_received_bill(self, company, journal, invoice, content):
        """The vendor bill of one supplier e-invoice, its file attached and decoded.

        Returns an empty recordset when another worker made it first.
        """
        move_model = self.with_company(company).with_context(
            default_move_type="in_invoice", default_journal_id=journal.id)
        name = document_file_name(invoice, content)
        try:
            with self.env.cr.savepoint():
                bill = move_model.create({"move_type": "in_invoice", "journal_id": journal.id,
                                    "company_id": company.id})
                einvoice = self.env["qonto.einvoice"].sudo().create({
                    "move_id": bill.id, "company_id": company.id,
                    "direction": "received", "qonto_id": invoice.id,
                    "qonto_total": invoice.total_amount and invoice.total_amount.value,
                    "qonto_currency_id": self._qonto_currency(invoice).id,
                })
                attachment = self.env["ir.attachment"].create({
                    "name": name, "raw": content, "res_model": "account.move",
                    "res_id": bill.id})
                self.env.flush_all()
        except psycopg2.IntegrityError:
            _logger.info("Qonto supplier invoice %s is already a bill", invoice.id)
            return self.browse()
        supplier = self._qonto_match_supplier(company, invoice)
        namesakes = self.env["res.partner"] if supplier else \
            self._qonto_namesakes(company, invoice)
        bill.message_post(
            body=self.env._("E-invoice received through Qonto (%(number)s, %(supplier)s).",
                            number=invoice.invoice_number or invoice.id,
                            supplier=invoice.supplier_name or ""),
            attachment_ids=attachment.ids)
        files_data = bill._to_files_data(attachment)
        files_data.extend(bill._unwrap_attachments(files_data))
        decoded = bill.with_context(
            qonto_supplier_partner_id=supplier.id,
            qonto_receiving=True)._extend_with_attachments(files_data, new=True)
        if supplier and bill.partner_id != supplier:
            bill.partner_id = supplier
        if not supplier and namesakes and bill.partner_id not in namesakes:
            self._qonto_name_only(bill, einvoice, invoice, namesakes)
        if not decoded or not bill.invoice_line_ids:
            self._qonto_undecoded(bill, einvoice, invoice, name, namesakes)
        else:
            self._qonto_check_total(bill, einvoice, invoice)
        einvoice._store_received(invoice)
        return bill

    def _qonto_currency(self, invoice):
        code = invoice.total_amount.currency if invoice.total_amount else "EUR"
        return self.env["res.currency"].with_context(active_test=False).search(
            [("name", "=", code)], limit=1)

    def _qonto_undecoded(self, bill, einvoice, invoice, name, namesakes):
        """A file Odoo cannot read still gives a bill: what Qonto says, and a note.

        Without a vendor matched by an identifier, one is created from what Qonto says,
        unless contacts bear the same name: then a person chooses (``_qonto_name_only``).
        """
        note = self.env._(
            "The file %(file)s received through Qonto could not be read as an e-invoice "
            "(Factur-X, CII or UBL): enter its lines from the attached file.", file=name)
        values = {"ref": invoice.invoice_number, "invoice_date": invoice.issue_date,
                  "invoice_date_due": invoice.due_date}
        if not bill.partner_id and not namesakes:
            values["partner_id"] = self._qonto_create_supplier(bill.company_id, invoice).id
        bill.write({key: value for key, value in values.items() if value})
        self._qonto_add_import_note(einvoice, note)
        bill.message_post(body=note)

    def _qonto_add_import_note(self, einvoice, note):
        einvoice.import_note = "\n".join(filter(None, [einvoice.import_note, note]))

    def _qonto_check_total(self, bill, einvoice, invoice):
        difference = total_difference(invoice, Decimal(str(bill.amount_total)))
        einvoice.total_difference = difference or 0.0
        if difference:
            bill.message_post(body=Markup("<b>%s</b>") % self.env._(
                "Qonto's total (%(qonto)s) differs from the decoded total (%(odoo)s) by "
                "%(difference)s: check the lines against the attached file.",
                qonto=invoice.total_amount.value, odoo=bill.amount_total,
                difference=difference))

    # ------------------------------------------------------------------ refresh

    def action_qonto_refresh(self):
        check_qonto_access(self, BILLING, "read")
        received = self.filtered(lambda m: m.qonto_direction == "received")
        for company, moves in received.grouped("company_id").items():
            with company._qonto_client() as qonto:
                for move in moves:
                    try:
                        move.qonto_einvoice_id._store_received(
                            qonto.get_supplier_invoice(move.qonto_invoice_id))
                    except QontoError as error:
                        raise UserError(qonto_error_message(self.env, error, move)) from None
        if received == self:
            return True
        return super(AccountMove, self - received).action_qonto_refresh()
