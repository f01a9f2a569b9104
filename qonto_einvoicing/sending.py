"""Taking invoices to Qonto and out on the network, many at a time, each exactly once.

One invoice goes through three requests once its Qonto client is known: create the
client invoice as a **draft** with the seller's number, **finalize** it, then
**send_by_einvoice** (or Qonto's send-by-e-mail, the fallback). Between the first two,
Qonto's totals are compared with the seller's to the cent: a draft that differs is
deleted and nothing is sent.

Each step resumes safely. Qonto has no idempotency key on create, so an invoice already
in Qonto is adopted (by the id known from an earlier attempt, by its number after a lost
answer or a 409), never created twice. A finalize is resolved by reading the invoice,
whose answer body Qonto does not document. ``send_by_einvoice`` is idempotent (seed
``000``: a second call does not resubmit).

:func:`send_all` runs many of these at once in a small pool of threads, each with its own
:class:`~qonto_einvoicing.client.QontoClient` (own HTTP session and keep-alive), all
sharing one :class:`~qonto_einvoicing.ratelimit.RateLimiter`: while one invoice waits for
Qonto, others are on the way, and together they stay under Qonto's rate limits. Nothing
here touches a database: the caller stores each :class:`SendOutcome` as it comes.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import ThreadPoolExecutor, as_completed
from dataclasses import dataclass, field
from typing import Any

from .client import QontoClient
from .errors import ConflictError, NotFoundError, QontoError
from .models import ClientInvoice, ClientInvoiceCreatePayload

__all__ = ["EmailDelivery", "ImportDocument", "SendJob", "SendOutcome", "TotalsMismatch",
           "send_all", "send_einvoice"]

_logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class EmailDelivery:
    """Qonto's send-by-e-mail instead of the network (a client that is not reachable)."""

    send_to: list[str]
    email_title: str | None = None


@dataclass(frozen=True)
class ImportDocument:
    """Flow 2: the file imported through ``/bulk`` (a Factur-X PDF) and its number."""

    file_name: str
    content: bytes
    number: str


@dataclass(frozen=True)
class SendJob:
    """One invoice to take to Qonto and send.

    ``key`` is the caller's handle (an Odoo record id), returned in the outcome.
    ``invoice_id`` is the Qonto id known from an earlier attempt, if any.
    ``total_cents`` and ``vat_cents`` are the seller's totals, which Qonto must match.
    With ``document`` (Flow 2) the invoice is imported from that file instead of
    created from ``payload`` (then ``None``).
    """

    key: Any
    payload: ClientInvoiceCreatePayload | None
    total_cents: int
    vat_cents: int
    invoice_id: str | None = None
    email: EmailDelivery | None = None
    document: ImportDocument | None = None


@dataclass(frozen=True)
class TotalsMismatch:
    """Qonto computed other totals than the seller's; nothing was sent."""

    total_cents: int | None
    vat_cents: int | None
    draft_removed: bool
    """True when the draft was ours and was deleted; False for an issued invoice that
    already bore the number (made in Qonto by hand): it is left as it is."""


@dataclass
class SendOutcome:
    """Where one :class:`SendJob` ended: how far it went, and what stopped it."""

    key: Any
    invoice: ClientInvoice | None = None
    """The client invoice as Qonto last answered it (``None`` when none exists)."""
    finalized: bool = False
    sent: bool = False
    error: QontoError | None = None
    mismatch: TotalsMismatch | None = None
    adopted: bool = False
    """The invoice was already in Qonto (earlier attempt, lost answer, 409)."""
    notes: list[str] = field(default_factory=list)

    @property
    def invoice_id(self) -> str | None:
        return self.invoice.id if self.invoice else None


def _create_or_adopt(qonto: QontoClient, job: SendJob, outcome: SendOutcome) -> ClientInvoice:
    if job.invoice_id:
        try:
            outcome.adopted = True
            return qonto.get_client_invoice(job.invoice_id)
        except NotFoundError:
            # A draft removed in Qonto since (or after a totals mismatch): create anew.
            outcome.adopted = False
    if job.document is not None:
        return _import(qonto, job.document, outcome)
    assert job.payload is not None
    invoice = qonto.create_client_invoice(job.payload, adopt_existing=True)
    outcome.adopted = outcome.adopted or invoice.status != "draft"
    return invoice


def _import(qonto: QontoClient, document: ImportDocument,
            outcome: SendOutcome) -> ClientInvoice:
    """Flow 2's create: the ``/bulk`` import (the same file gives the same invoice)."""
    try:
        imported = qonto.bulk_import_client_invoices([(document.file_name, document.content)])
    except ConflictError as error:
        # The number is Qonto's already (an earlier import of another rendering of the
        # same invoice, whose answer was lost): adopt that invoice.
        found = qonto.find_client_invoice_by_number(document.number) \
            if error.code == "invoice_number_already_exists" else None
        if found is None:
            raise
        outcome.adopted = True
        return found
    return qonto.get_client_invoice(imported[0].invoice_id)


def _check_totals(qonto: QontoClient, job: SendJob,
                  invoice: ClientInvoice) -> TotalsMismatch | None:
    found = (invoice.total_amount_cents, invoice.vat_amount_cents)
    if found == (job.total_cents, job.vat_cents):
        return None
    if invoice.status != "draft":
        return TotalsMismatch(found[0], found[1], draft_removed=False)
    qonto.delete_client_invoice(invoice.id)
    return TotalsMismatch(found[0], found[1], draft_removed=True)


def _finalize(qonto: QontoClient, invoice: ClientInvoice) -> ClientInvoice:
    """Finalize a draft; the answer body is not documented, so it is never read."""
    qonto.finalize_client_invoice(invoice.id)
    # Qonto answered 2xx: the draft is issued. Its new state comes with the next read
    # (the scheduled refresh), not from an extra request here.
    return invoice.model_copy(update={"status": "unpaid"})


def send_einvoice(qonto: QontoClient, job: SendJob) -> SendOutcome:
    """Take ``job`` to Qonto and send it; never raises a :class:`QontoError`.

    The outcome says how far it went; an error on the way is in ``outcome.error``, with
    ``outcome.invoice`` set as soon as Qonto holds the invoice, so that the caller keeps
    its id and a later attempt resumes from there.
    """
    outcome = SendOutcome(key=job.key)
    try:
        invoice = _create_or_adopt(qonto, job, outcome)
        outcome.invoice = invoice
        if job.document is None:
            outcome.mismatch = _check_totals(qonto, job, invoice)
        if outcome.mismatch:
            if outcome.mismatch.draft_removed:
                outcome.invoice = None
            return outcome
        if invoice.status == "draft":
            invoice = outcome.invoice = _finalize(qonto, invoice)
        outcome.finalized = True
        if job.email:
            qonto.send_client_invoice_by_email(
                invoice.id, send_to=job.email.send_to, email_title=job.email.email_title)
        else:
            qonto.send_client_invoice_by_einvoice(invoice.id)
        outcome.sent = True
    except QontoError as error:
        outcome.error = error
    return outcome


def send_all(make_client: Callable[[], QontoClient], jobs: Iterable[SendJob], *,
             workers: int = 4) -> Iterator[SendOutcome]:
    """Send every job, ``workers`` at a time; yield each outcome as soon as it is known.

    ``make_client`` gives one :class:`QontoClient` per thread (give them one shared
    rate limiter); it is called from the pool's threads, so a caller whose clients need
    anything not thread-safe (an ORM) makes them beforehand and hands them out.
    Outcomes come in completion order, so the caller can store each at once; a caller
    that stops iterating leaves the remaining jobs to finish first.
    """
    jobs = list(jobs)
    if not jobs:
        return
    if workers <= 1 or len(jobs) == 1:
        with make_client() as qonto:
            for job in jobs:
                yield send_einvoice(qonto, job)
        return
    clients: list[QontoClient] = []
    local = threading.local()
    lock = threading.Lock()

    def run(job: SendJob) -> SendOutcome:
        # One client (one HTTP session, kept alive) per thread, made on first use.
        qonto = getattr(local, "qonto", None)
        if qonto is None:
            qonto = local.qonto = make_client()
            with lock:
                clients.append(qonto)
        return send_einvoice(qonto, job)

    try:
        with ThreadPoolExecutor(max_workers=min(workers, len(jobs)),
                                thread_name_prefix="qonto-send") as pool:
            futures = [pool.submit(run, job) for job in jobs]
            for future in as_completed(futures):
                yield future.result()
    finally:
        for qonto in clients:
            qonto.close()
