import datetime as dt

from odoo import api, fields, models
from odoo.addons.base.models.res_bank import sanitize_account_number
from odoo.tools import float_compare, format_date, html2plaintext

from ..qonto_einvoicing.transactions import references_in

OPEN = ("not_paid", "partial")
# The refresh looks again at the lines of this many days that still wait for a person:
# Qonto's own match may be read after the line came in.
WAITING_DAYS = 90
WAITING_LIMIT = 1000


class AccountBankStatementLine(models.Model):
    """The bank's own record of a buyer's transfer pays the Qonto invoice it names.

    Whatever made the line (OCA's Qonto import, a CSV import, a person), money that comes
    in on the journal of one of the company's Qonto accounts is reconciled with the Qonto
    invoice of that company that its reference names (by number), or with the invoice
    Qonto itself matched that transfer to (Qonto reports it paid, on that day, for that
    amount) — never when it names two invoices, nor for more than the invoice still owes.
    A line that pays part of an invoice pays that part. Anything else waits for a person.
    """

    _inherit = "account.bank.statement.line"

    @api.model_create_multi
    def create(self, vals_list):
        lines = super().create(vals_list)
        lines._qonto_reconcile_invoices()
        return lines

    @api.model
    def _qonto_reconcile_waiting(self, company):
        """Look again at the company's recent lines still waiting (the scheduled refresh)."""
        since = fields.Date.context_today(self) - dt.timedelta(days=WAITING_DAYS)
        lines = self.sudo().search([
            ("company_id", "=", company.id), ("amount", ">", 0), ("is_reconciled", "=", False),
            ("journal_id", "in", self._qonto_journals(company).ids), ("date", ">=", since),
        ], order="date desc, id desc", limit=WAITING_LIMIT)
        lines._qonto_reconcile_invoices()

    @api.model
    def _qonto_journals(self, company):
        """The company's bank journals whose account is one of its Qonto accounts."""
        ibans = {sanitize_account_number(a.iban) for a in company.sudo().qonto_bank_account_ids}
        journals = self.env["account.journal"].sudo().search(
            [("company_id", "=", company.id), ("type", "=", "bank")])
        return journals.filtered(lambda j: j.bank_account_id.sanitized_acc_number in ibans)

    def _qonto_reconcile_invoices(self):
        lines = self.sudo().filtered(lambda line: line.amount > 0 and not line.is_reconciled
                                     and line.company_id.qonto_enabled)
        for company in lines.company_id:
            journals = self._qonto_journals(company)
            mine = lines.filtered(lambda line, company=company, journals=journals:
                                  line.company_id == company and line.journal_id in journals)
            if not mine:
                continue
            open_einvoices = self.env["qonto.einvoice"].sudo().search([
                ("company_id", "=", company.id), ("qonto_id", "!=", False),
                ("move_id.move_type", "=", "out_invoice"), ("move_id.state", "=", "posted"),
                ("move_id.payment_state", "in", OPEN),
            ])
            by_reference = {}
            for move in open_einvoices.move_id:
                for reference in {move.name, move.payment_reference} - {False, "/"}:
                    by_reference.setdefault(reference, move)
            for line in mine:
                move = line._qonto_invoice_paid_by(open_einvoices, by_reference)
                if move:
                    line._qonto_reconcile_with(move)

    def _qonto_invoice_paid_by(self, open_einvoices, by_reference):
        """The one open Qonto invoice this line pays, or an empty recordset.

        ``by_reference`` maps each number and payment reference of ``open_einvoices`` to
        its invoice.
        """
        self.ensure_one()
        text = " ".join(filter(None, [self.payment_ref, html2plaintext(self.narration or "")]))
        named = self.env["account.move"].union(
            *(by_reference[ref] for ref in references_in(text, by_reference)))
        if not named:
            # The transfer Qonto matched itself (its reference number, which only Qonto
            # knows): Qonto reports the invoice paid that day, for this very amount (its
            # date in UTC, the line's in the bank's time zone: a day apart at most).
            named = open_einvoices.filtered(
                lambda e: e.status == "paid" and e.qonto_paid_on
                and abs((e.qonto_paid_on - self.date).days) <= 1
                and e.move_id.currency_id == self.currency_id
                and not self.currency_id.compare_amounts(e.qonto_amount_paid, self.amount)
            ).move_id
        if len(named) != 1 or named.currency_id != self.currency_id \
                or float_compare(self.amount, named.amount_residual,
                                 precision_rounding=named.currency_id.rounding) > 0:
            return self.env["account.move"]
        return named

    def _qonto_reconcile_with(self, move):
        """Reconcile this line with ``move``'s receivable, once.

        Both rows are locked first: a concurrent run (or a person) that holds either one
        goes on alone, and what it did is seen before anything is written here; a replay
        after a serialization failure finds the line reconciled.
        """
        self.ensure_one()
        if not (self.try_lock_for_update() and move.try_lock_for_update()):
            return False
        self.invalidate_recordset()
        move.invalidate_recordset()
        if self.is_reconciled or move.payment_state not in OPEN or float_compare(
                self.amount, move.amount_residual,
                precision_rounding=move.currency_id.rounding) > 0:
            return False
        receivable = move.line_ids.filtered(
            lambda aml: aml.account_id.account_type == "asset_receivable" and not aml.reconciled)
        if len(receivable.account_id) != 1:
            return False
        if self.partner_id != move.commercial_partner_id:
            self.partner_id = move.commercial_partner_id
        _liquidity, suspense, _other = self._seek_for_lines()
        if not suspense:
            return False
        suspense.account_id = receivable.account_id
        (suspense + receivable).reconcile()
        company_move = move.with_context(lang=move.company_id.partner_id.lang or self.env.lang)
        company_move._message_log(body=company_move.env._(
            "Reconciled automatically with the bank line of %(date)s (%(label)s): the "
            "transfer pays this invoice.",
            date=format_date(company_move.env, self.date), label=self.payment_ref or "/"))
        return True
