import datetime as dt

from odoo import api, fields, models
from odoo.exceptions import UserError

from ..qonto_einvoicing import QontoError
from ..tools.access import BILLING, check_qonto_access
from ..tools.errors import qonto_error_message
from .qonto_einvoice import EINVOICING_ENDED

ODOO_PAID = ("paid", "in_payment")
# Lifecycle steps by which the buyer's side says the money left or arrived.
PAYMENT_CODES = (211, 212)


class AccountMove(models.Model):
    """Payments between Odoo and Qonto: one truth, and the next step when they differ.

    Odoo's payment is the accountant's record: the scheduled refresh tells Qonto (mark,
    or unmark what Odoo marked). The buttons only show when Odoo and Qonto disagree, and
    point the way Odoo's books say; a payment Qonto reports that Odoo lacks asks for the
    payment to be registered in Odoo, never for Qonto to be undone.
    """

    _inherit = "account.move"

    qonto_paid_not_in_odoo = fields.Boolean(
        string="Paid in Qonto, not in Odoo", compute="_compute_qonto_paid_not_in_odoo",
        help="Qonto reports the invoice paid (or the network reports the payment) while "
        "Odoo has no payment for it: register the payment in Odoo.")

    @api.depends("move_type", "payment_state", "qonto_einvoice_id.status",
                 "qonto_einvoice_id.paid_by_odoo", "qonto_einvoice_id.lifecycle_event_ids")
    def _compute_qonto_paid_not_in_odoo(self):
        for move in self:
            einvoice = move.qonto_einvoice_id
            reported = move.move_type == "out_invoice" and bool(einvoice) and (
                (einvoice.status == "paid" and not einvoice.paid_by_odoo)
                or any(code in PAYMENT_CODES
                       for code in einvoice.lifecycle_event_ids.mapped("status_code")))
            move.qonto_paid_not_in_odoo = reported and move.payment_state not in (
                *ODOO_PAID, "reversed")

    def _qonto_payment_date(self):
        """The date of the last payment reconciled with the invoice, never after today,
        whichever today Qonto reads.

        Qonto refuses a paid date "in the future" and does not say in which time zone.
        UTC's day is never after Paris's, so a date not after UTC's today is taken
        either way. Without this, an accountant in Paris who reports a payment between
        midnight and 1 or 2 a.m. would send a day a UTC-reading Qonto refuses.
        """
        self.ensure_one()
        today = min(fields.Date.context_today(self),
                    dt.datetime.now(dt.timezone.utc).date())
        partials = self.line_ids.matched_credit_ids | self.line_ids.matched_debit_ids
        return min(max(partials.mapped("max_date"), default=today), today)

    def _qonto_check_linked(self):
        for move in self:
            if not move.qonto_invoice_id or move.qonto_status not in ("unpaid", "paid"):
                raise UserError(self.env._(
                    "%(move)s is not an issued Qonto invoice (field: Qonto invoice).",
                    move=move.display_name))

    def _qonto_each(self, step, done=None):
        """Run ``step`` on each e-invoice but those ``done`` says Qonto has already; a
        Qonto error is said on the invoice it hit."""
        self._qonto_check_linked()
        # Before any request: see qonto.einvoice._lock_for_action (Odoo's replay).
        self.qonto_einvoice_id._lock_for_action()
        for move in self:
            if done and done(move):
                continue
            try:
                step(move.qonto_einvoice_id)
            except QontoError as error:
                raise UserError(qonto_error_message(self.env, error, move)) from None
        return True

    def action_qonto_mark_paid(self):
        """Tell Qonto the invoice is paid, on Odoo's payment date (today at the latest).

        Only what Odoo's books say: an invoice Odoo has no payment for is refused (the
        scheduled refresh would otherwise be asked to undo it), unless an accounting
        administrator passes ``qonto_mark_paid_without_payment`` in the context; a refused
        or undelivered e-invoice is never marked paid.
        """
        check_qonto_access(self, BILLING)
        self._qonto_check_linked()
        for move in self:
            if move.qonto_einvoicing_status in EINVOICING_ENDED:
                raise UserError(self.env._(
                    "%(move)s: the e-invoice ended as \"%(status)s\", so it is not to be "
                    "paid as it is; issue a credit note instead (field: E-invoicing status).",
                    move=move.display_name,
                    status=dict(move._fields["qonto_einvoicing_status"]._description_selection(
                        self.env))[move.qonto_einvoicing_status]))
            if move.payment_state not in ODOO_PAID \
                    and not self.env.context.get("qonto_mark_paid_without_payment"):
                raise UserError(self.env._(
                    "%(move)s: Odoo has no payment for this invoice (field: Payment Status). "
                    "Register the payment in Odoo: Qonto is then told, on the payment date.",
                    move=move.display_name))
        return self._qonto_each(lambda einvoice: einvoice._mark_paid(),
                                done=lambda move: move.qonto_status == "paid")

    def action_qonto_unmark_paid(self):
        """Undo in Qonto a payment Odoo reported and no longer has."""
        check_qonto_access(self, BILLING)
        self._qonto_check_linked()
        for move in self:
            if move.qonto_status == "paid" and not move.qonto_paid_by_odoo:
                raise UserError(self.env._(
                    "%(move)s: Qonto reports this payment itself, Odoo did not mark it; "
                    "register the payment in Odoo rather than undo it in Qonto.",
                    move=move.display_name))
        return self._qonto_each(lambda einvoice: einvoice._unmark_paid(),
                                done=lambda move: move.qonto_status == "unpaid")
