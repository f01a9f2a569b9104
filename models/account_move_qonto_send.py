import datetime as dt
from dataclasses import dataclass

from odoo import fields, models
from odoo.exceptions import UserError

from ..qonto_einvoicing import (
    PreconditionFailedError,
    QontoError,
    RateLimitedError,
    ValidationError,
)
from ..qonto_einvoicing.sending import EmailDelivery, SendJob, send_all
from ..tools.errors import is_transient, qonto_error_message

# Invoices on their way to Qonto at once: while one waits for Qonto's answer, others
# are sent. Ten is the batch Odoo's Send cron hands over per run, so all of it travels
# in one round of Qonto's latency; all share one rate limiter (res.company._qonto_client),
# which holds the pace under Qonto's windows however many threads ask.
SEND_WORKERS = 10
# Outcomes stored per commit (see _qonto_run_jobs).
COMMIT_EVERY = 25
NOT_REACHABLE = "recipient_not_reachable_on_einvoicing"


@dataclass(frozen=True)
class SendResult:
    """How one invoice of a batch ended: ``sent``; ``not_reachable``; ``invalid`` (refused
    by the checks, nothing asked of Qonto, nothing recorded); ``failed`` (recorded on the
    invoice, which resumes); ``postponed`` (Qonto's rate limit: tried again later, never
    a failure)."""

    state: str
    message: str | None = None
    stale_client: bool = False
    note: str | None = None
    """The chatter line of a sent invoice, written with the batch's (``_qonto_log_sent``)."""


class AccountMove(models.Model):
    """Sending to Qonto: check everything, then send a batch with its HTTP in parallel."""

    _inherit = "account.move"

    def _qonto_send_batch(self, email=False, retried=False):
        """Send these invoices (locked by the caller) through Qonto; ``{move: SendResult}``.

        In order: every check that needs no request; each customer's Qonto client once
        per batch (trusted for a while, see ``res.partner``); then the HTTP part of all
        invoices in a small pool of threads while this transaction stores each outcome.
        With ``email``, Qonto sends each by e-mail instead of on the network.
        """
        # Before any request: see qonto.einvoice._lock_for_action (Odoo's replay).
        self.qonto_einvoice_ids._lock_for_action()
        results = {}
        jobs_by_company = {}
        for company, moves in self.grouped("company_id").items():
            ready = []
            with company._qonto_client() as qonto:
                company._qonto_ensure_identity(qonto)
                clients = {}
                for move in moves:
                    try:
                        move._qonto_check_sendable()
                        payload = move._qonto_check_data(email=email)
                        partner = move.commercial_partner_id
                        if partner not in clients:
                            clients[partner] = partner._qonto_client_for_sending(
                                company, qonto, email=email)
                        client_id, reachable = clients[partner]
                        if not reachable and not email:
                            results[move] = SendResult("not_reachable", move._qonto_unreachable())
                            continue
                        ready.append((move, payload, client_id))
                    except QontoError as error:
                        results[move] = move._qonto_failed(error, email=email)
                    except UserError as error:
                        results[move] = SendResult("invalid", error.args[0])
            self.browse([move.id for move, _p, _c in ready])._qonto_ensure_einvoices()
            for move, payload, client_id in ready:
                try:
                    jobs_by_company.setdefault(company, []).append(
                        move._qonto_send_job(payload, client_id, email))
                except UserError as error:
                    results[move] = SendResult("invalid", error.args[0])
        for company, jobs in jobs_by_company.items():
            results.update(self._qonto_run_jobs(company, jobs, retried))
        stale = self.browse([m.id for m, r in results.items() if r.stale_client])
        if stale and not retried:
            # A client trusted from an earlier check was deleted in Qonto since: look it
            # up again and send those invoices once more.
            for move in stale:
                move.commercial_partner_id.with_company(move.company_id).sudo() \
                    .qonto_reachability_date = False
            results.update(stale._qonto_send_batch(email=email, retried=True))
        sent = self.browse([m.id for m, r in results.items() if r.state == "sent"])
        if sent:
            # Being sent changes no journal item: the write skips the accounting sync of
            # the moves, which would cost more than the whole send.
            sent.filtered(lambda m: not m.is_move_sent).with_context(
                skip_invoice_sync=True).is_move_sent = True
            self.env["qonto.einvoice"]._wake_refresh(dt.timedelta(minutes=1))
        return results

    def _qonto_ensure_einvoices(self):
        """Give each of these invoices its ``qonto.einvoice`` row, made in one create."""
        missing = self.filtered(lambda move: not move.qonto_einvoice_id)
        self.env["qonto.einvoice"].sudo().create([
            {"move_id": move.id, "company_id": move.company_id.id} for move in missing])
        missing.invalidate_recordset(["qonto_einvoice_id"])

    def _qonto_run_jobs(self, company, jobs, retried):
        """The HTTP of ``jobs`` in the pool; each outcome stored as it comes, in this
        thread, and committed by groups of ``COMMIT_EVERY``.

        Each commit empties the ORM's cache, so committing every outcome would read the
        invoice, its company and its customer again for each. An outcome lost with an
        uncommitted group is not a duplicate: the next send finds the invoice in Qonto
        by its number and adopts it (``sending.send_all``).
        """
        results = {}
        by_key = {job.key: job for job in jobs}
        notes = {}
        can_commit = self.env["account.move.send"]._can_commit()
        # The clients are made here: making one reads the company's credentials through
        # the ORM, which the pool's threads must never touch.
        clients = [company._qonto_client() for _job in jobs[:SEND_WORKERS]]
        try:
            for outcome in send_all(clients.pop, jobs, workers=SEND_WORKERS):
                move = self.browse(outcome.key)
                result = move._qonto_store_outcome(outcome, by_key[outcome.key], retried)
                results[move] = result
                if result.note:
                    notes[move.id] = result.note
                if can_commit and len(results) % COMMIT_EVERY == 0:
                    self._qonto_log_sent(notes)
                    self.env.cr.commit()  # pylint: disable=invalid-commit
        finally:
            for unused in clients:  # the pool may have needed fewer threads
                unused.close()
        self._qonto_log_sent(notes)
        if can_commit:
            # Qonto now holds these invoices: keep that even if a later step fails.
            self.env.cr.commit()  # pylint: disable=invalid-commit
        return results

    def _qonto_log_sent(self, notes):
        """Write the chatter notes of the invoices just sent, in one batch; empty ``notes``."""
        if notes:
            self.browse(list(notes))._message_log_batch(bodies=dict(notes))
            notes.clear()

    def _qonto_send_job(self, payload, client_id, email):
        self.ensure_one()
        einvoice = self.qonto_einvoice_id
        return SendJob(key=self.id, payload=payload.model_copy(update={"client_id": client_id}),
                       total_cents=round(self.amount_total * 100),
                       vat_cents=round(self.amount_tax * 100),
                       invoice_id=einvoice.qonto_id or None,
                       email=self._qonto_email_delivery(email))

    def _qonto_email_delivery(self, email):
        """Qonto's send-by-e-mail to the customer, when ``email``; else ``None``."""
        if not email:
            return None
        return EmailDelivery(send_to=[self.partner_id.email],
                             email_title=self.env._("Invoice %(number)s", number=self.name))

    def _qonto_store_outcome(self, outcome, job, retried=False):
        """Keep what Qonto holds now, and say how the invoice ended."""
        self.ensure_one()
        einvoice = self.qonto_einvoice_id.sudo()
        if job.email and outcome.invoice and not outcome.error and not outcome.mismatch:
            einvoice.channel = "email"
        if outcome.invoice:
            einvoice._store(outcome.invoice)
            items = job.payload.items if job.payload else []
            shortened = [item for item in items if item.description]
            if shortened and not outcome.adopted:
                self._message_log(body=self.env._(
                    "%(count)s line label(s) longer than Qonto's 40-character title were "
                    "shortened; the full text is in the line description.",
                    count=len(shortened)))
        if outcome.mismatch:
            if outcome.mismatch.draft_removed:
                einvoice.write({"qonto_id": False, "status": False})
            message = self._qonto_totals_message(outcome.mismatch)
            einvoice._record_failure(message)
            # Not Qonto's failure but the invoice's: a click says it in a dialog.
            return SendResult("invalid", message)
        if outcome.error:
            if isinstance(outcome.error, PreconditionFailedError) \
                    and outcome.error.code == NOT_REACHABLE:
                self.commercial_partner_id.with_company(self.company_id).sudo() \
                    .qonto_reachability = "not_reachable"
                return SendResult("not_reachable", self._qonto_unreachable())
            if not retried and isinstance(outcome.error, ValidationError) \
                    and outcome.error.field == "client_id":
                return SendResult("failed", str(outcome.error), stale_client=True)
            return self._qonto_failed(outcome.error, einvoice, email=bool(job.email))
        einvoice.write({"sent_at": fields.Datetime.now(), "error": False,
                        "send_postponed_until": False,
                        "sent_by_id": self.env.user.id,
                        "channel": "email" if job.email else "einvoice"})
        self._qonto_after_sent()
        if job.email:
            return SendResult("sent", note=self.env._(
                "Sent by e-mail through Qonto to %(email)s.",
                email=", ".join(job.email.send_to)))
        return SendResult("sent", note=self.env._(
            "Sent by e-invoice through Qonto: accepted for processing. Each step on the "
            "network will appear in the Lifecycle tab."))

    def _qonto_failed(self, error, einvoice=None, email=False):
        """Record a Qonto error on the invoice; a rate limit only postpones it."""
        einvoice = einvoice or self.qonto_einvoice_id or \
            self.env["qonto.einvoice"].sudo().create(
                {"move_id": self.id, "company_id": self.company_id.id})
        if isinstance(error, RateLimitedError) and not email:
            return SendResult("postponed", einvoice._postpone(error.retry_after))
        message = qonto_error_message(self.env, error, self)
        einvoice._record_failure(message, transient=is_transient(error))
        return SendResult("failed", message)

    def _qonto_unreachable(self):
        return self.env._(
            "%(move)s: the customer is not reachable on the e-invoicing network "
            "(%(partner)s).", move=self.display_name,
            partner=self.commercial_partner_id.display_name)

    def _qonto_totals_message(self, mismatch):
        currency = self.currency_id
        amounts = {
            "move": self.display_name,
            "q_total": currency.format((mismatch.total_cents or 0) / 100),
            "q_vat": currency.format((mismatch.vat_cents or 0) / 100),
            "o_total": currency.format(self.amount_total),
            "o_vat": currency.format(self.amount_tax),
        }
        if not mismatch.draft_removed:
            return self.env._(
                "%(move)s: Qonto already holds an issued invoice with this number, for a total "
                "of %(q_total)s (VAT %(q_vat)s) where Odoo has %(o_total)s (VAT %(o_vat)s). "
                "Nothing was sent. Compare the two in Qonto (field: Number).", **amounts)
        return self.env._(
            "%(move)s: Qonto computes a total of %(q_total)s (VAT %(q_vat)s) where Odoo has "
            "%(o_total)s (VAT %(o_vat)s). Nothing was sent and the Qonto draft was removed. "
            "Check the invoice lines (fields: Unit Price, Taxes, Discount).", **amounts)
