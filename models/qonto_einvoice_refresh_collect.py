from odoo import fields, models
from odoo.tools import format_date

from .qonto_einvoice_mirror import _naive_utc

ODOO_PAID = ("paid", "in_payment", "reversed")


class QontoEinvoice(models.Model):
    """Collection: the buyer's money closes the invoice in Odoo without a click.

    (Loaded after ``qonto_einvoice_refresh``, whose ``_sync_payments`` this extends.)

    Each scheduled refresh, once Qonto's news are read, reconciles the bank lines still
    waiting (Qonto's own match may have come in since), then, when the company trusts
    Qonto's word, registers what Qonto alone reports paid; the refresh then tells Qonto
    about Odoo's payments as before.
    """

    _inherit = "qonto.einvoice"

    currency_id = fields.Many2one(related="move_id.currency_id")
    qonto_paid_on = fields.Date(
        string="Paid in Qonto on", copy=False, readonly=True,
        help="Qonto's paid_at: the day of the transfer Qonto matched, or of the mark.")
    qonto_amount_paid = fields.Monetary(
        string="Paid in Qonto", copy=False, readonly=True,
        help="What Qonto linked to the invoice from the account's transactions; nothing "
        "when the invoice was marked paid by hand (a cheque, cash).")

    def _store_in_lang(self, invoice, read):
        changed = super()._store_in_lang(invoice, read)
        paid_at = _naive_utc(invoice.paid_at)
        values = {"qonto_paid_on": paid_at.date() if paid_at else False,
                  "qonto_amount_paid": float(invoice.amount_paid.value)
                  if invoice.amount_paid else 0.0}
        values = {name: value for name, value in values.items()
                  if self._fields[name].convert_to_cache(value, self) != self[name]}
        if values:
            self.sudo().write(values)
        return changed or bool(values)

    def _sync_payments(self, company):
        self.env["account.bank.statement.line"]._qonto_reconcile_waiting(company)
        if company.qonto_register_qonto_payments:
            self._register_qonto_payments(company)
        return super()._sync_payments(company)

    def _register_qonto_payments(self, company):
        """Register in Odoo what Qonto alone reports paid, dated Qonto's ``paid_at``."""
        einvoices = self.sudo().search([
            ("company_id", "=", company.id), ("status", "=", "paid"),
            ("paid_by_odoo", "=", False), ("qonto_paid_on", "!=", False),
            ("move_id.move_type", "=", "out_invoice"), ("move_id.state", "=", "posted"),
            ("move_id.payment_state", "not in", ODOO_PAID),
        ])
        journal = self.env["account.bank.statement.line"]._qonto_journals(company)[:1]
        for move in einvoices.move_id.try_lock_for_update():
            move.invalidate_recordset()
            if move.payment_state in ODOO_PAID:
                continue
            einvoice = move.qonto_einvoice_id
            register = self.env["account.payment.register"].with_company(company).with_context(
                active_model="account.move", active_ids=move.ids)
            register.create({
                "payment_date": einvoice.qonto_paid_on,
                **({"journal_id": journal.id} if journal else {}),
            })._create_payments()
            local = einvoice._in_company_lang()
            move._message_log(body=local.env._(
                "Payment registered on Qonto's word: Qonto reports this invoice paid on "
                "%(date)s and no bank line for it was found (setting: Register the payments "
                "Qonto reports).", date=format_date(local.env, einvoice.qonto_paid_on)))
            self.env["ir.cron"]._commit_progress(1)
