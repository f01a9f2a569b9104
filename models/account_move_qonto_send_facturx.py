import hashlib

from odoo import api, fields, models
from odoo.exceptions import UserError

from ..qonto_einvoicing import QontoError
from ..qonto_einvoicing.sending import ImportDocument, SendJob
from ..tools.errors import is_transient
from ..tools.facturx import (
    check_document,
    facturx_document,
    operation_category,
    warm_up_schematron,
)
from ..tools.mapping import payment_problems


class AccountMove(models.Model):
    """Flow 2: which invoices go as Odoo's Factur-X, its checks, and its import job."""

    _inherit = "account.move"

    qonto_operation_category = fields.Selection(
        [("goods", "Goods"), ("services", "Services"), ("mixed", "Goods and services")],
        string="Category of the operation", compute="_compute_qonto_operation_category",
        store=True, readonly=False, copy=False,
        help="A mention of the French e-invoicing reform (BT-23 of the Factur-X): set from "
        "the products of the lines (goods: storable or consumable products; services: "
        "the rest); change it if needed.")
    qonto_flow = fields.Selection(
        [("qonto", "Built by Qonto"), ("facturx", "Odoo's Factur-X")],
        string="E-invoice document", compute="_compute_qonto_flow")
    qonto_flow_reason = fields.Char(string="Why this document", compute="_compute_qonto_flow")
    qonto_document_id = fields.Many2one(related="qonto_einvoice_id.document_id",
                                        string="Factur-X sent")

    @api.depends("invoice_line_ids.product_id", "invoice_line_ids.display_type")
    def _compute_qonto_operation_category(self):
        for move in self:
            if move.is_sale_document():
                move.qonto_operation_category = operation_category(move)
            else:
                move.qonto_operation_category = False

    @api.depends("move_type", "company_id.qonto_flow", "invoice_line_ids.tax_ids",
                 "qonto_einvoice_id.flow")
    @api.depends_context("lang")
    def _compute_qonto_flow(self):
        for move in self:
            move.qonto_flow, move.qonto_flow_reason = move._qonto_flow_and_reason()

    def _qonto_flow_and_reason(self):
        """``(flow, reason)``: Flow 2 by the company's choice, for a credit note, or for
        what Qonto's invoice data cannot express; said on the invoice before sending."""
        self.ensure_one()
        if not self.company_id.qonto_enabled or not self.is_sale_document():
            return False, False
        if self.qonto_einvoice_id.flow:
            return self.qonto_einvoice_id.flow, False
        if self.move_type == "out_refund":
            return "facturx", self.env._(
                "A credit note goes to Qonto as Odoo's Factur-X (type 381), referencing the "
                "invoice it corrects.")
        if self.company_id.qonto_flow == "facturx":
            return "facturx", self.env._("The company sends Odoo's Factur-X (Settings).")
        lines = self.invoice_line_ids.filtered(lambda line: line.display_type == "product")
        odd = lines.filtered(lambda line: len(line.tax_ids) > 1 or any(
            tax.amount_type != "percent" for tax in line.tax_ids))[:1]
        if odd:
            # What Qonto's item (one VAT rate in percent) cannot say and a Factur-X can.
            # A missing tax, another currency or no Qonto account stay Flow-1 errors:
            # a Factur-X would not make them right.
            return "facturx", self.env._(
                "Qonto's invoice data cannot express this invoice (line %(line)s: taxes "
                "%(taxes)s): it goes as Odoo's Factur-X.",
                line=(odd.name or "").split("\n")[0][:60],
                taxes=", ".join(odd.tax_ids.mapped("name")))
        return "qonto", False

    # ------------------------------------------------------------------ checks

    def _qonto_document_payload(self):
        """Flow 2 checks its own document instead of Qonto's invoice data (no payload)."""
        self.ensure_one()
        # Any send may be followed by a Factur-X (a credit note, Correct and resend):
        # the Saxon child compiles its stylesheets meanwhile, not while a user waits.
        warm_up_schematron()
        if self.qonto_flow != "facturx":
            return super()._qonto_document_payload()
        # The Factur-X carries the Recipient Bank (BT-84) and Payment Reference (BT-83).
        problems = self._qonto_credit_note_problems() + payment_problems(self.env, self)
        if problems:
            return None, problems
        name, pdf = self._qonto_facturx()
        problems = check_document(self.env, self, pdf, name)
        if problems:
            self._qonto_facturx_done()
        return None, problems

    def _qonto_credit_note_problems(self):
        """A credit note goes through Qonto only for an invoice sent through Qonto, and
        never for more than is left to credit on it."""
        if self.move_type != "out_refund":
            return []
        original = self.reversed_entry_id
        if not original:
            return [self.env._("%(move)s: say which invoice this credit note corrects "
                               "(field: Reversal of).", move=self.display_name)]
        if not original.qonto_invoice_id or not original.qonto_sent_at:
            return [self.env._(
                "%(move)s corrects %(invoice)s, which was never sent through Qonto: send "
                "the invoice first, or send this credit note another way (field: Reversal "
                "of).", move=self.display_name, invoice=original.display_name)]
        credited = self.search([
            ("reversed_entry_id", "=", original.id), ("move_type", "=", "out_refund"),
            ("state", "=", "posted"), ("id", "!=", self.id),
            ("qonto_einvoice_id.sent_at", "!=", False)])
        left = original.amount_total - sum(credited.mapped("amount_total"))
        if self.currency_id.compare_amounts(self.amount_total, left) > 0:
            return [self.env._(
                "%(move)s credits %(amount)s, more than the %(left)s left to credit on "
                "%(invoice)s (field: Total).", move=self.display_name,
                amount=self.currency_id.format(self.amount_total),
                left=self.currency_id.format(left), invoice=original.display_name)]
        return []

    def _qonto_facturx(self):
        """``(name, pdf)``: the file to import. While Qonto may hold an earlier import,
        that same file is reused (Qonto answers the same invoice); otherwise made anew."""
        einvoice = self.qonto_einvoice_id
        if einvoice.document_id and (einvoice.document_in_qonto or einvoice.qonto_id):
            pdf = einvoice.document_id.raw
            if einvoice.document_sha256 and \
                    hashlib.sha256(pdf).hexdigest() != einvoice.document_sha256:
                raise UserError(self.env._(
                    "%(move)s: the Factur-X kept for a retry (%(file)s) is no longer the "
                    "file that was checked and imported: it was changed since, so it is "
                    "not sent. Ask an administrator to restore it.",
                    move=self.display_name, file=einvoice.document_id.name))
            return einvoice.document_id.name, pdf
        # Made once per transaction: the send imports the very bytes the check read (a
        # second rendering would differ, if only by its dates) and pays the PDF once.
        made = self.env.cr.cache.setdefault("qonto_facturx", {})
        key = (self.id, self.write_date)
        if key not in made:
            made[key] = facturx_document(self.env, self)
        return made[key]

    def _qonto_facturx_done(self):
        """Forget the document made for this invoice in this transaction."""
        made = self.env.cr.cache.get("qonto_facturx", {})
        made.pop((self.id, self.write_date), None)

    # ------------------------------------------------------------------ send

    def _qonto_send_job(self, payload, client_id, email):
        if self.qonto_flow != "facturx":
            job = super()._qonto_send_job(payload, client_id, email)
            self.qonto_einvoice_id.sudo().flow = "qonto"
            return job
        einvoice = self.qonto_einvoice_id.sudo()  # made by _qonto_ensure_einvoices
        name, pdf = self._qonto_facturx()
        digest = hashlib.sha256(pdf).hexdigest()
        if not (einvoice.document_id and einvoice.document_sha256 == digest
                and einvoice.document_id.res_model == einvoice._name):
            # On the e-invoice, which users only read: none can replace it for a retry.
            einvoice.document_id = self.env["ir.attachment"].sudo().create({
                "name": name, "raw": pdf, "mimetype": "application/pdf",
                "res_model": einvoice._name, "res_id": einvoice.id})
        einvoice.write({"flow": "facturx", "document_in_qonto": True,
                        "document_sha256": digest})
        self._qonto_facturx_done()
        return SendJob(key=self.id, payload=None,
                       total_cents=round(self.amount_total * 100),
                       vat_cents=round(self.amount_tax * 100),
                       invoice_id=einvoice.qonto_id or None,
                       email=self._qonto_email_delivery(email),
                       document=ImportDocument(name, pdf, self.name))

    def _qonto_store_outcome(self, outcome, job, retried=False):
        result = super()._qonto_store_outcome(outcome, job, retried)
        einvoice = self.qonto_einvoice_id.sudo()
        if job.document is not None and outcome.error and not outcome.invoice \
                and not is_transient(outcome.error):
            # Qonto refused the file itself: nothing there, a fixed invoice is made anew.
            einvoice.document_in_qonto = False
        return result

    def _qonto_after_sent(self):
        """A credit note: read its invoice again (a full credit cancels it in Qonto)."""
        result = super()._qonto_after_sent()
        if self.move_type != "out_refund" or not self.reversed_entry_id.qonto_invoice_id:
            return result
        original = self.reversed_entry_id
        self.message_post(body=self.env._("Credit note for %(invoice)s, sent through Qonto.",
                                          invoice=original._get_html_link()))
        original.message_post(body=self.env._(
            "Credit note %(note)s sent through Qonto.", note=self._get_html_link()))
        try:
            with self.company_id._qonto_client() as qonto:
                original.qonto_einvoice_id._store(
                    qonto.get_client_invoice(original.qonto_invoice_id), read=True)
        except QontoError:
            # The scheduled refresh reads it later anyway.
            original.qonto_einvoice_id.sudo().refresh_requested = True
        return result

    def _qonto_check_sendable(self):
        for move in self:
            if move.move_type == "out_refund" and move.state == "posted" \
                    and not move.reversed_entry_id:
                raise UserError(self.env._(
                    "%(move)s: say which invoice this credit note corrects (field: Reversal "
                    "of).", move=move.display_name))
        return super()._qonto_check_sendable()
