import datetime as dt
import logging

from markupsafe import Markup
from odoo import api, fields, models
from odoo.exceptions import UserError

from ..qonto_einvoicing import NotFoundError, QontoError
from ..qonto_einvoicing.lifecycle import Attention, stage
from ..tools.errors import is_transient, qonto_error_message
from ..tools.mapping import client_payload_or_problems, invoice_payload, invoice_problems

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
# Qonto has nothing more to say about an invoice in these e-invoicing statuses.
EINVOICING_ENDED = ("declined", "not_delivered", "submission_failed")
EINVOICING_FAILED = ("not_delivered", "submission_failed")
# States of account_peppol's ``peppol_move_state`` in which Odoo's platform has not taken
# the invoice. "to_send" is only the mark its Send wizard puts before sending, which a
# Qonto company never lets happen (see account.move.send).
ODOO_PLATFORM_NOT_SENT = (False, "ready", "to_send", "skipped", "error")


class QontoNotReachableError(UserError):
    """The customer cannot receive e-invoices: offer another way before creating anything."""


class QontoSendError(UserError):
    """Qonto failed on the way; the failure is recorded on the invoice, which resumes."""


class AccountMove(models.Model):
    _inherit = "account.move"

    qonto_invoice_id = fields.Char(
        string="Qonto invoice", copy=False, readonly=True, index="btree_not_null",
        help="The id of the client invoice in Qonto.",
    )
    qonto_status = fields.Selection(
        QONTO_STATUS, string="Qonto status", copy=False, readonly=True,
    )
    qonto_einvoicing_status = fields.Selection(
        EINVOICING_STATUS, string="E-invoicing status", copy=False, readonly=True,
        index="btree_not_null",
    )
    qonto_lifecycle_event_ids = fields.One2many(
        "qonto.lifecycle.event", "move_id", string="Lifecycle", readonly=True,
    )
    qonto_last_event = fields.Char(
        string="Last lifecycle step", compute="_compute_qonto_last_event",
    )
    qonto_needs_attention = fields.Boolean(
        string="E-invoice needs attention", compute="_compute_qonto_last_event")
    qonto_sent_at = fields.Datetime(string="Sent by e-invoice on", copy=False, readonly=True)
    qonto_sent_by_id = fields.Many2one(
        "res.users", string="Sent by", copy=False, readonly=True)
    qonto_error = fields.Text(string="Qonto error", copy=False, readonly=True)
    qonto_in_flight = fields.Boolean(
        string="E-invoice in progress", compute="_compute_qonto_in_flight", store=True,
        index=True,
        help="Sent, and the network may report more steps: the scheduled refresh follows it.",
    )
    qonto_refresh_requested = fields.Boolean(
        string="Qonto refresh requested", copy=False, readonly=True)
    qonto_paid_by_odoo = fields.Boolean(
        string="Marked as paid in Qonto from Odoo", copy=False, readonly=True)
    qonto_payment_to_sync = fields.Selection(
        [("mark", "Mark as paid"), ("unmark", "Unmark as paid")],
        string="Payment to report to Qonto", compute="_compute_qonto_payment_to_sync",
        store=True, index="btree_not_null",
    )
    qonto_company_enabled = fields.Boolean(related="company_id.qonto_enabled")
    qonto_einvoicing_platform = fields.Selection(
        [("qonto", "Qonto"), ("odoo", "Odoo's Approved Platform")],
        string="E-invoicing platform", compute="_compute_qonto_einvoicing_platform",
    )

    # ------------------------------------------------------------------ computes

    @api.depends("qonto_lifecycle_event_ids", "qonto_einvoicing_status")
    @api.depends_context("lang")
    def _compute_qonto_last_event(self):
        for move in self:
            last = move._qonto_latest_event()
            move.qonto_last_event = last.label or False
            move.qonto_needs_attention = bool(
                (last and last.attention == Attention.NEEDS_ATTENTION.value)
                or move.qonto_einvoicing_status in EINVOICING_FAILED
            )

    @api.depends("qonto_sent_at", "qonto_einvoicing_status", "qonto_lifecycle_event_ids")
    def _compute_qonto_in_flight(self):
        for move in self:
            last = move._qonto_latest_event()
            move.qonto_in_flight = bool(
                move.qonto_sent_at
                and move.qonto_einvoicing_status not in EINVOICING_ENDED
                and not (last and stage(last.status_code).final)
            )

    def _qonto_latest_event(self):
        self.ensure_one()
        # Sorted here: events created in this transaction sit in the cache in creation
        # order, not in the model's order.
        return self.qonto_lifecycle_event_ids.sorted(lambda e: (e.timestamp, e.id))[-1:]

    @api.depends("payment_state", "qonto_status", "qonto_paid_by_odoo")
    def _compute_qonto_payment_to_sync(self):
        for move in self:
            paid = move.payment_state in ("paid", "in_payment")
            if move.qonto_status == "unpaid" and paid:
                move.qonto_payment_to_sync = "mark"
            elif move.qonto_status == "paid" and move.qonto_paid_by_odoo and not paid:
                # Only undo what Odoo did: a payment Qonto saw itself stays.
                move.qonto_payment_to_sync = "unmark"
            else:
                move.qonto_payment_to_sync = False
        cron = self.env.ref("account_qonto_einvoicing.ir_cron_qonto_refresh",
                            raise_if_not_found=False)
        if cron and any(self.mapped("qonto_payment_to_sync")):
            cron._trigger()

    @api.depends("qonto_invoice_id")
    def _compute_qonto_einvoicing_platform(self):
        for move in self:
            if move.qonto_invoice_id:
                move.qonto_einvoicing_platform = "qonto"
            elif move._qonto_sent_through_odoo_platform():
                move.qonto_einvoicing_platform = "odoo"
            else:
                move.qonto_einvoicing_platform = False

    def _qonto_sent_through_odoo_platform(self):
        """Whether Odoo's own platform (Peppol / l10n_fr_pdp) took this invoice."""
        self.ensure_one()
        return bool(
            ("peppol_message_uuid" in self._fields and self.peppol_message_uuid)
            or ("peppol_move_state" in self._fields
                and self.peppol_move_state not in ODOO_PLATFORM_NOT_SENT)
        )

    # ------------------------------------------------------------------ reset to draft

    @api.depends("restrict_mode_hash_table", "state", "inalterable_hash", "qonto_sent_at")
    def _compute_show_reset_to_draft_button(self):
        res = super()._compute_show_reset_to_draft_button()
        for move in self.filtered("qonto_sent_at"):
            move.show_reset_to_draft_button = False
        return res

    def _check_draftable(self):
        sent = self.filtered("qonto_sent_at")
        if sent:
            raise UserError(self.env._(
                "%(invoices)s: sent by e-invoice through Qonto, so it cannot be reset to "
                "draft. Issue a credit note instead.",
                invoices=", ".join(sent.mapped("display_name"))))
        return super()._check_draftable()

    # ------------------------------------------------------------------ send

    def _qonto_check_sendable(self):
        """Refuse, before anything leaves Odoo, what Qonto must never receive."""
        for move in self:
            name = move.display_name
            if move.move_type != "out_invoice":
                raise UserError(self.env._(
                    "%(move)s: only customer invoices go out by e-invoice through Qonto "
                    "(field: Type).", move=name))
            if move.state != "posted":
                raise UserError(self.env._(
                    "%(move)s: confirm the invoice before sending it (field: Status).",
                    move=name))
            if not move.company_id.qonto_enabled:
                raise UserError(self.env._(
                    "%(move)s: Qonto e-invoicing is not enabled for the company %(company)s "
                    "(Settings > Invoicing > Qonto).", move=name,
                    company=move.company_id.display_name))
            if not move.company_id._qonto_credentials():
                raise UserError(self.env._(
                    "%(move)s: the company %(company)s lacks its Qonto API login or secret "
                    "key (Settings > Invoicing > Qonto, fields: API login, Secret key).",
                    move=name, company=move.company_id.display_name))
            if move._qonto_sent_through_odoo_platform():
                raise UserError(self.env._(
                    "%(move)s: already sent through Odoo's Approved Platform; an invoice "
                    "never goes out through two platforms.", move=name))

    def _qonto_check_data(self):
        """Say, before any request, everything Qonto would refuse in the invoice's data."""
        self.ensure_one()
        partner = self.commercial_partner_id
        problems = [
            self.env._("Customer %(partner)s, %(problem)s", partner=partner.display_name,
                       problem=problem)
            for problem in client_payload_or_problems(self.env, partner)[1]
        ]
        problems += invoice_problems(self.env, self)
        if problems:
            raise UserError(self.env._(
                "%(move)s cannot be sent by e-invoice:\n%(problems)s",
                move=self.display_name, problems="\n".join(problems)))

    def action_qonto_send(self):
        """Send via e-invoice: the button of the invoice and of the list."""
        self._qonto_check_sendable()
        to_send = self.filtered(lambda m: not m.qonto_sent_at)
        if not to_send:
            raise UserError(self.env._("%(moves)s: already sent by e-invoice.",
                                       moves=", ".join(self.mapped("display_name"))))
        locked = to_send.try_lock_for_update()
        if locked != to_send:
            raise UserError(self.env._(
                "%(moves)s: another user is sending it right now.",
                moves=", ".join((to_send - locked).mapped("display_name"))))
        failures = []
        for move in locked:
            try:
                move._qonto_send()
            except QontoNotReachableError:
                if len(locked) == 1:
                    return move._qonto_action_fallback()
                failures.append(self.env._(
                    "%(move)s: the customer is not reachable on the e-invoicing network.",
                    move=move.display_name))
            except QontoSendError as error:
                # Recorded on the invoice: commit that, and say it.
                failures.append(error.args[0])
            except UserError as error:
                if len(locked) == 1:
                    raise
                failures.append(error.args[0])
        sent = locked.filtered("qonto_sent_at")
        return self._qonto_notification(
            self.env._("E-invoice"),
            self.env._("%(count)s invoice(s) sent by e-invoice through Qonto.",
                       count=len(sent)),
            failures,
        )

    def _qonto_notification(self, title, message, failures=()):
        if failures:
            message = "\n".join([message, *failures])
        return {
            "type": "ir.actions.client",
            "tag": "display_notification",
            "params": {
                "title": title,
                "message": message,
                "type": "danger" if failures else "success",
                "sticky": bool(failures),
                "next": {"type": "ir.actions.client", "tag": "soft_reload"},
            },
        }

    def _qonto_action_fallback(self):
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Customer not reachable by e-invoice"),
            "res_model": "qonto.send.fallback",
            "view_mode": "form",
            "target": "new",
            "context": {"default_move_id": self.id},
        }

    def _qonto_send(self):
        """Take the invoice to Qonto and send it, resuming at the step that failed.

        Each step reads where Qonto stands instead of trusting a local flag: an invoice
        already in Qonto is adopted (by its id, or by its number after a lost answer),
        a draft is checked then finalized, an issued one is sent. A failure on the way
        is recorded on the invoice (banner, chatter, activity) and the same button
        resumes it; it never creates a second Qonto invoice.
        """
        self.ensure_one()
        self._qonto_check_sendable()
        self._qonto_check_data()
        company = self.company_id
        try:
            with company._qonto_client() as qonto:
                client = self.partner_id._qonto_ensure_client(company, qonto)
                if not client.e_invoicing_reachable:
                    raise QontoNotReachableError(self.env._(
                        "%(move)s: the customer %(partner)s is not reachable on the "
                        "e-invoicing network.", move=self.display_name,
                        partner=self.partner_id.commercial_partner_id.display_name))
                invoice = self._qonto_create_or_adopt(qonto, client.id)
                self._qonto_check_totals(qonto, invoice)
                if invoice.status == "draft":
                    invoice = qonto.finalize_client_invoice(invoice.id)
                    self._qonto_store(invoice)
                qonto.send_client_invoice_by_einvoice(invoice.id)
                self.write({"qonto_sent_at": fields.Datetime.now(), "qonto_error": False,
                            "qonto_sent_by_id": self.env.user.id})
                self._qonto_store(qonto.get_client_invoice(invoice.id))
        except QontoError as error:
            message = qonto_error_message(self.env, error, self)
            self._qonto_record_failure(message, transient=is_transient(error))
            raise QontoSendError(message) from None
        self.message_post(body=self.env._(
            "Sent by e-invoice through Qonto: accepted for processing. Each step on the "
            "network will appear in the Lifecycle tab."))
        self.env.ref("account_qonto_einvoicing.ir_cron_qonto_refresh")._trigger(
            at=fields.Datetime.now() + dt.timedelta(minutes=1))

    def _qonto_create_or_adopt(self, qonto, client_id):
        if self.qonto_invoice_id:
            try:
                return qonto.get_client_invoice(self.qonto_invoice_id)
            except NotFoundError:
                # A draft removed in Qonto (or after a totals mismatch): create anew.
                self.qonto_invoice_id = False
        payload, problems = invoice_payload(self.env, self, client_id)
        if problems:
            raise UserError(self.env._(
                "%(move)s cannot be sent by e-invoice:\n%(problems)s",
                move=self.display_name, problems="\n".join(problems)))
        # Qonto has no idempotency key on create: a 409 on our number, or an answer
        # lost on the way, means the invoice is already there and is adopted.
        invoice = qonto.create_client_invoice(payload, adopt_existing=True)
        self._qonto_store(invoice)
        shortened = [item for item in payload.items if item.description]
        if shortened:
            self._message_log(body=self.env._(
                "%(count)s line label(s) longer than Qonto's 40-character title were "
                "shortened; the full text is in the line description.", count=len(shortened)))
        return invoice

    def _qonto_check_totals(self, qonto, invoice):
        """Stop when Qonto's totals differ from Odoo's by a cent.

        Our own draft is removed. An issued invoice bearing the number (made by hand in
        Qonto, adopted after a 409) is left as it is: never sent, never deleted.
        """
        currency = self.currency_id
        expected = (round(self.amount_total * 100), round(self.amount_tax * 100))
        found = (invoice.total_amount_cents, invoice.vat_amount_cents)
        if expected == found:
            return
        amounts = {
            "move": self.display_name,
            "q_total": currency.format((found[0] or 0) / 100),
            "q_vat": currency.format((found[1] or 0) / 100),
            "o_total": currency.format(self.amount_total),
            "o_vat": currency.format(self.amount_tax),
        }
        if invoice.status != "draft":
            raise UserError(self.env._(
                "%(move)s: Qonto already holds an issued invoice with this number, for a total "
                "of %(q_total)s (VAT %(q_vat)s) where Odoo has %(o_total)s (VAT %(o_vat)s). "
                "Nothing was sent. Compare the two in Qonto (field: Number).", **amounts))
        qonto.delete_client_invoice(invoice.id)
        self.write({"qonto_invoice_id": False, "qonto_status": False,
                    "qonto_einvoicing_status": False})
        raise UserError(self.env._(
            "%(move)s: Qonto computes a total of %(q_total)s (VAT %(q_vat)s) where Odoo has "
            "%(o_total)s (VAT %(o_vat)s). Nothing was sent and the Qonto draft was removed. "
            "Check the invoice lines (fields: Unit Price, Taxes, Discount).", **amounts))

    def _qonto_record_failure(self, message, transient=False):
        """Keep the failure where the accountant sees it: banner, chatter, activity."""
        self.ensure_one()
        self.qonto_error = message
        self.message_post(body=message)
        if not transient:
            self._qonto_schedule_activity(self.env._("E-invoice not sent"), message)

    def _qonto_schedule_activity(self, summary, note):
        # The salesperson acts on the buyer's answer; an invoice without one (or made by
        # a script, under OdooBot) goes to whoever sent it.
        user = next((u for u in (self.invoice_user_id, self.qonto_sent_by_id, self.create_uid)
                     if u and not u._is_superuser() and not u.share), self.env.user)
        self.sudo().activity_schedule(
            "account_qonto_einvoicing.mail_activity_type_qonto_einvoice",
            summary=summary, note=note, user_id=user.id,
        )

    # ------------------------------------------------------------------ mirror

    def _qonto_store(self, invoice):
        """Mirror a Qonto client invoice: statuses, then each new lifecycle event once."""
        self.ensure_one()
        old_einvoicing = self.qonto_einvoicing_status
        einvoicing = invoice.einvoicing_status
        if einvoicing and einvoicing not in dict(EINVOICING_STATUS):
            _logger.warning("Qonto e-invoicing status %r unknown; kept as is in the log",
                            einvoicing)
            einvoicing = old_einvoicing
        self.sudo().write({
            "qonto_invoice_id": invoice.id,
            "qonto_status": invoice.status,
            "qonto_einvoicing_status": einvoicing or False,
            "qonto_refresh_requested": False,
        })
        alerted = self._qonto_store_events(invoice.einvoicing_lifecycle_events)
        # A rejection (213) also turns the status to failed: one activity says it.
        if einvoicing != old_einvoicing and einvoicing in EINVOICING_FAILED and not alerted:
            label = dict(self._fields["qonto_einvoicing_status"]._description_selection(self.env))
            self._qonto_schedule_activity(label[einvoicing], self.env._(
                "Qonto reports the e-invoice %(move)s as: %(status)s.",
                move=self.display_name, status=label[einvoicing]))

    def _qonto_store_events(self, events):
        """Record and log each new event; return whether one asked for an activity."""
        alerted = False
        known = {(e.status_code, e.timestamp) for e in self.qonto_lifecycle_event_ids}
        known_codes = {code for code, _timestamp in known}
        lang = self.company_id.partner_id.lang or self.env.lang
        for event in sorted(events, key=lambda e: (e.timestamp is None, e.timestamp)):
            if event.timestamp is None and event.status_code in known_codes:
                continue  # undated: the time it was first seen stands for it
            timestamp = fields.Datetime.to_datetime(
                (event.timestamp or dt.datetime.now(dt.UTC)).astimezone(dt.UTC)
                .replace(tzinfo=None, microsecond=0))
            if (event.status_code, timestamp) in known:
                continue
            known_codes.add(event.status_code)
            known.add((event.status_code, timestamp))
            self.env["qonto.lifecycle.event"].sudo().create({
                "move_id": self.id,
                "status_code": event.status_code,
                "reason": event.reason,
                "reason_message": event.reason_message,
                "timestamp": timestamp,
            })
            event_stage = stage(event.status_code)
            body = Markup("%s <b>%s %s</b>") % (
                self.env._("E-invoice lifecycle:"), event.status_code, event_stage.label(lang))
            if event.reason or event.reason_message:
                body += Markup("<br/>%s") % " — ".join(
                    filter(None, [event.reason, event.reason_message]))
            self._message_log(body=body)
            if event_stage.attention is Attention.NEEDS_ATTENTION:
                alerted = True
                self._qonto_schedule_activity(
                    f"{event.status_code} {event_stage.label(lang)}",
                    " — ".join(filter(None, [event.reason, event.reason_message]))
                    or event_stage.label(lang))
        return alerted

    # ------------------------------------------------------------------ refresh

    def action_qonto_refresh(self):
        """Read each invoice from Qonto now and mirror what changed."""
        for company, moves in self.filtered("qonto_invoice_id").grouped("company_id").items():
            with company._qonto_client() as qonto:
                moves._qonto_each(
                    lambda move, qonto=qonto: move._qonto_store(
                        qonto.get_client_invoice(move.qonto_invoice_id)))
        return True

    @api.model
    def _cron_qonto_refresh(self, batch_size=100):
        """Mirror the lifecycle of the invoices in flight and push Odoo's payments.

        Per company, one list call filtered on ``updated_at`` since the last run replaces
        a GET per invoice; only the first run, with no last-run time, reads them one by
        one. Invoices are handled oldest first, in batches committed as they go.
        """
        for company in self.env["res.company"]._qonto_active_companies():
            try:
                self._qonto_refresh_company(company, batch_size)
                self._qonto_sync_payments(company)
            except QontoError as error:
                self.env.cr.rollback()
                _logger.warning("Qonto refresh of company %s failed: %s", company.id, error)
                # Nothing left for this run: its invoices wait for the next one, instead
                # of the cron being run again at once while Qonto fails.
                self.env["ir.cron"]._commit_progress(remaining=0)

    def _qonto_refresh_company(self, company, batch_size):
        started = fields.Datetime.now()
        domain = [("company_id", "=", company.id), ("qonto_invoice_id", "!=", False),
                  "|", ("qonto_in_flight", "=", True), ("qonto_refresh_requested", "=", True)]
        moves = self.sudo().search(domain, order="qonto_sent_at asc, id asc")
        with company._qonto_client() as qonto:
            if company.qonto_last_sync and moves:
                since = company.qonto_last_sync - dt.timedelta(minutes=2)
                changed = {invoice.id: invoice for invoice in qonto.list_client_invoices(
                    updated_at_from=since.replace(tzinfo=dt.UTC))}
                linked = self.sudo().search([("company_id", "=", company.id),
                                             ("qonto_invoice_id", "in", list(changed))])
                todo = [(move, changed[move.qonto_invoice_id]) for move in
                        linked.sorted(lambda m: (m.qonto_sent_at or started, m.id))]
                # A webhook's invoice is read even if the list missed it (clock skew).
                todo += [(move, None) for move in
                         moves.filtered("qonto_refresh_requested") - linked]
            else:
                todo = [(move, None) for move in moves]
            self.env["ir.cron"]._commit_progress(remaining=len(todo))
            for start in range(0, len(todo), batch_size):
                batch = todo[start:start + batch_size]
                batch_moves = self.browse([move.id for move, _invoice in batch]).sudo()
                locked = batch_moves.try_lock_for_update()
                for move, invoice in batch:
                    if move in locked:
                        move._qonto_store(invoice or qonto.get_client_invoice(
                            move.qonto_invoice_id))
                self.env["ir.cron"]._commit_progress(len(batch))
        company.qonto_last_sync = started

    def _qonto_sync_payments(self, company):
        moves = self.sudo().search([("company_id", "=", company.id),
                                    ("qonto_payment_to_sync", "!=", False)])
        for move in moves.try_lock_for_update():
            try:
                if move.qonto_payment_to_sync == "mark":
                    move._qonto_mark_paid()
                else:
                    move._qonto_unmark_paid()
            except QontoError as error:
                move.message_post(body=qonto_error_message(self.env, error, move))
            self.env["ir.cron"]._commit_progress(1)

    # ------------------------------------------------------------------ payment

    def _qonto_payment_date(self):
        """The date of the last payment reconciled with the invoice, never after today."""
        self.ensure_one()
        partials = self.line_ids.matched_credit_ids | self.line_ids.matched_debit_ids
        paid_on = max(partials.mapped("max_date"), default=None) or fields.Date.context_today(self)
        return min(paid_on, fields.Date.context_today(self))

    def _qonto_mark_paid(self, paid_at=None):
        with self.company_id._qonto_client() as qonto:
            invoice = qonto.mark_client_invoice_as_paid(
                self.qonto_invoice_id, paid_at or self._qonto_payment_date())
        self.qonto_paid_by_odoo = True
        self._qonto_store(invoice)
        self._message_log(body=self.env._("Marked as paid in Qonto on %(date)s.",
                                          date=invoice.paid_at and invoice.paid_at.date()))

    def _qonto_unmark_paid(self):
        with self.company_id._qonto_client() as qonto:
            invoice = qonto.unmark_client_invoice_as_paid(self.qonto_invoice_id)
        self.qonto_paid_by_odoo = False
        self._qonto_store(invoice)
        self._message_log(body=self.env._("Marked as unpaid in Qonto."))

    def _qonto_check_linked(self):
        for move in self:
            if not move.qonto_invoice_id or move.qonto_status not in ("unpaid", "paid"):
                raise UserError(self.env._(
                    "%(move)s is not an issued Qonto invoice (field: Qonto invoice).",
                    move=move.display_name))

    def _qonto_each(self, step):
        """Run ``step`` on each invoice; a Qonto error is said on the invoice it hit."""
        for move in self:
            try:
                step(move)
            except QontoError as error:
                raise UserError(qonto_error_message(self.env, error, move)) from None
        return True

    def action_qonto_mark_paid(self):
        """Tell Qonto the invoice is paid, on Odoo's payment date (today at the latest)."""
        self._qonto_check_linked()
        return self._qonto_each(lambda move: move._qonto_mark_paid())

    def action_qonto_unmark_paid(self):
        self._qonto_check_linked()
        return self._qonto_each(lambda move: move._qonto_unmark_paid())

    # ------------------------------------------------------------------ fallback

    def _qonto_send_by_email(self):
        """Qonto's send-by-e-mail, for a customer the network cannot reach."""
        self.ensure_one()
        self._qonto_check_sendable()
        self._qonto_check_data()
        partner = self.partner_id
        if not partner.email:
            raise UserError(self.env._("%(move)s: the customer %(partner)s has no e-mail "
                                       "address (field: Email).", move=self.display_name,
                                       partner=partner.display_name))
        company = self.company_id
        try:
            with company._qonto_client() as qonto:
                client = partner._qonto_ensure_client(company, qonto)
                invoice = self._qonto_create_or_adopt(qonto, client.id)
                self._qonto_check_totals(qonto, invoice)
                if invoice.status == "draft":
                    invoice = qonto.finalize_client_invoice(invoice.id)
                qonto.send_client_invoice_by_email(
                    invoice.id, send_to=[partner.email],
                    email_title=self.env._("Invoice %(number)s", number=self.name))
                self._qonto_store(qonto.get_client_invoice(invoice.id))
        except QontoError as error:
            raise UserError(qonto_error_message(self.env, error, self)) from None
        self.write({"qonto_error": False, "is_move_sent": True})
        self.message_post(body=self.env._("Sent by e-mail through Qonto to %(email)s.",
                                          email=partner.email))
