import datetime as dt
import logging

from odoo import api, fields, models

from ..qonto_einvoicing.lifecycle import Attention, stage

_logger = logging.getLogger(__name__)

QONTO_STATUS = [
    ("draft", "Draft"),
    ("unpaid", "Unpaid"),
    ("paid", "Paid"),
    ("canceled", "Canceled"),
]
EINVOICING_STATUS = [
    ("pending", "Pending"),
    ("submitted", "Submitted"),
    ("approved", "Approved"),
    ("declined", "Refused"),
    ("not_delivered", "Not delivered"),
    ("submission_failed", "Submission failed"),
]
# After a 429 that outlasted the client's own waiting, the scheduled refresh sends the
# invoice no sooner than this.
POSTPONE_MIN_SECONDS = 60
# Qonto has nothing more to say about an invoice in these e-invoicing statuses.
EINVOICING_ENDED = ("declined", "not_delivered", "submission_failed")
EINVOICING_FAILED = ("not_delivered", "submission_failed")


class QontoEinvoice(models.Model):
    """Qonto's state of one Odoo invoice sent through Qonto: the Qonto side of the move.

    Everything Qonto reports (statuses, lifecycle, refresh marks) is written here, never
    on ``account.move``, whose ``write`` runs the accounting sync of the move. The move
    shows these values through related fields. One row per invoice, made when the
    sending starts, so that a failure before Qonto holds anything is recorded too.
    """

    _name = "qonto.einvoice"
    _description = "E-invoice in Qonto"
    _order = "id desc"
    _rec_name = "move_id"
    _check_company_auto = True

    move_id = fields.Many2one(
        "account.move", string="Invoice", required=True, ondelete="cascade", index=True,
        check_company=True)
    company_id = fields.Many2one("res.company", required=True, index=True)
    partner_id = fields.Many2one(
        related="move_id.commercial_partner_id", string="Customer", store=True)
    qonto_id = fields.Char(string="Qonto invoice", copy=False, index="btree_not_null",
                           help="The id of the client invoice in Qonto.")
    invoice_url = fields.Char(string="Qonto invoice page", copy=False)
    channel = fields.Selection(
        [("einvoice", "E-invoice"), ("email", "E-mail through Qonto")],
        string="Sent as", copy=False)
    status = fields.Selection(QONTO_STATUS, string="Qonto status", copy=False)
    einvoicing_status = fields.Selection(
        EINVOICING_STATUS, string="E-invoicing status", copy=False, index="btree_not_null")
    sent_at = fields.Datetime(string="Sent on", copy=False)
    sent_by_id = fields.Many2one("res.users", string="Sent by", copy=False)
    error = fields.Text(string="Qonto error", copy=False)
    lifecycle_event_ids = fields.One2many(
        "qonto.lifecycle.event", "einvoice_id", string="Lifecycle")
    in_flight = fields.Boolean(
        string="E-invoice in progress", compute="_compute_in_flight", store=True, index=True,
        help="Sent, and the network may report more steps: the scheduled refresh follows it.")
    refresh_requested = fields.Boolean(
        string="Refresh requested", copy=False, index=True,
        help="A Qonto webhook named this invoice: the next refresh reads it.")
    read_at = fields.Datetime(
        string="Last read from Qonto", copy=False, index=True,
        help="When the invoice was last read in full from Qonto (the sweep reads the "
        "oldest first).")
    qonto_updated_at = fields.Datetime(
        string="Updated in Qonto on", copy=False,
        help="Qonto's updated_at at the last read: the refresh reads only what moved.")
    send_postponed_until = fields.Datetime(
        string="Sending postponed until", copy=False, index="btree_not_null",
        help="Qonto's rate limit was reached: the scheduled refresh sends it from then on.")
    paid_by_odoo = fields.Boolean(string="Marked as paid in Qonto from Odoo", copy=False)
    payment_to_sync = fields.Selection(
        [("mark", "Mark as paid"), ("unmark", "Unmark as paid")],
        string="Payment to report to Qonto", compute="_compute_payment_to_sync",
        store=True, index="btree_not_null")

    _move_uniq = models.Constraint(
        "unique (move_id)", "An invoice has one e-invoice in Qonto.")
    _qonto_id_uniq = models.Constraint(
        "unique (company_id, qonto_id)", "A Qonto invoice belongs to one Odoo invoice.")

    @api.depends("sent_at", "einvoicing_status", "lifecycle_event_ids", "channel")
    def _compute_in_flight(self):
        for einvoice in self:
            last = einvoice._latest_event()
            einvoice.in_flight = bool(
                einvoice.sent_at
                and einvoice.channel != "email"
                and einvoice.einvoicing_status not in EINVOICING_ENDED
                and not (last and stage(last.status_code).final)
            )

    @api.depends("move_id.payment_state", "status", "paid_by_odoo")
    def _compute_payment_to_sync(self):
        for einvoice in self:
            paid = einvoice.move_id.payment_state in ("paid", "in_payment")
            if einvoice.status == "unpaid" and paid:
                einvoice.payment_to_sync = "mark"
            elif einvoice.status == "paid" and einvoice.paid_by_odoo and not paid:
                # Only undo what Odoo did: a payment Qonto saw itself stays.
                einvoice.payment_to_sync = "unmark"
            else:
                einvoice.payment_to_sync = False
        if any(self.mapped("payment_to_sync")):
            self._wake_refresh()

    def _latest_event(self):
        self.ensure_one()
        # Sorted here: events created in this transaction sit in the cache in creation
        # order, not in the model's order.
        return self.lifecycle_event_ids.sorted(lambda e: (e.timestamp, e.id))[-1:]

    def _needs_attention(self):
        self.ensure_one()
        last = self._latest_event()
        return bool((last and last.attention == Attention.NEEDS_ATTENTION.value)
                    or self.einvoicing_status in EINVOICING_FAILED)

    @api.model
    def _wake_refresh(self, delay=None):
        cron = self.env.ref("account_qonto_einvoicing.ir_cron_qonto_refresh",
                            raise_if_not_found=False)
        if cron:
            cron._trigger(at=delay and fields.Datetime.now() + delay)

    def _report_unknown(self, what, value):
        _logger.warning("Qonto %s %r of invoice %s is unknown to this addon; the previous "
                        "value is kept", what, value, self.qonto_id)

    def _postpone(self, retry_after=None):
        """Qonto refused for its rate limit (not processed): the scheduled refresh sends
        it later. Never a failure: no banner, no activity; return what to tell the user."""
        self.ensure_one()
        delay = dt.timedelta(seconds=max(retry_after or 0, POSTPONE_MIN_SECONDS))
        when = fields.Datetime.now() + delay
        self.sudo().send_postponed_until = when
        self._wake_refresh(delay)
        return self.env._(
            "%(move)s: Qonto is receiving too many requests right now; nothing was lost, "
            "and the invoice will be sent automatically in %(minutes)s minute(s).",
            move=self.move_id.display_name, minutes=max(1, round(delay.total_seconds() / 60)))
