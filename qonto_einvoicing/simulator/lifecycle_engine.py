"""Scenarios and the clock-driven e-invoicing lifecycle.

``send_by_einvoice`` records when the send was requested; from then on, one step happens
every ``step_seconds`` of simulator time, at a known instant: step *k* is due at
``requested_at + k × step_seconds``. Steps are applied lazily (at the start of every
request, for everything due by then) and by the server's background ticker (so webhooks
go out with no request at all). A step's event carries its due instant as ``timestamp``,
and the invoice's ``updated_at`` moves to it: a caller that read the invoice at time *t*
has seen every step due by *t*, so syncing on ``updated_at`` never misses one. Events are
only ever appended. Qonto's pages do not say whether a lifecycle event moves
``updated_at``: with the option ``lifecycle_bumps_updated_at=False`` it does not (only a
step that makes the invoice ``paid`` does), and a sync must then re-read invoices in
flight rather than trust ``filter[updated_at_from]``.

Scenarios (what the buyer's side answers), chosen when the invoice is sent, from the most
specific setting: the invoice's, else the client's, else its SIREN's, else ``approved``:

=================  ==========================================  =====================
scenario           events                                      final einvoicing_status
=================  ==========================================  =====================
``approved``       200, 201, 202, 203, 204, 205                ``approved``
``refused``        200, 201, 202, 203, 210 (reason)            ``declined``
``rejected``       200, 213 (reason)                           ``submission_failed``
``not_delivered``  200, 201, then the status changes alone     ``not_delivered``
``paid``           as ``approved``, 211, the buyer's transfer  ``approved``, 212 if matched
=================  ==========================================  =====================

``einvoicing_status`` is ``pending`` until 200 arrives, then ``submitted``. With ``paid``,
the buyer's transfer lands and Qonto matches it as its pages say (:mod:`.payments`): when
it links it and the total is reached, the invoice is ``paid`` on the transfer's instant,
``amount_paid`` is the total and 212 (Encaissée) follows. Changing an
invoice's scenario after it was sent changes only the steps not reached yet.

The same pass makes invoice PDFs ready: ``attachment_id`` appears one step after the
invoice was finalized, standing in for Qonto's asynchronous Factur-X generation.
"""

from __future__ import annotations

import heapq
from dataclasses import dataclass
from typing import Any, Protocol

from .clock import Clock, iso
from .files import attach_invoice_pdf
from .identifiers import client_siren
from .payments import buyer_pays, collected
from .state import Record, Store

__all__ = [
    "DEFAULT_REASONS",
    "EINVOICING_STATUS_AFTER",
    "SCENARIOS",
    "LifecycleEngine",
    "Step",
    "plan",
    "scenario_setting",
]

SCENARIOS = ("approved", "refused", "rejected", "not_delivered", "paid")

DEFAULT_REASONS: dict[str, tuple[str, str]] = {
    "refused": ("MONTANTTOTAL_ERR", "Le prix unitaire ne correspond pas au devis"),
    "rejected": ("DOUBLE_FACTURE", "Cette facture a déjà été reçue"),
}

EINVOICING_STATUS_AFTER = {
    200: "submitted",
    205: "approved",
    210: "declined",
    213: "submission_failed",
}
"""How a lifecycle code moves ``einvoicing_status``; other codes leave it as it is."""

class InvoiceChanged(Protocol):
    """``Simulator.invoice_changed``."""

    def __call__(self, org: Record, invoice: Record, at: float | None = None, *,
                 created: bool = False, lifecycle: bool = False) -> None: ...


@dataclass(frozen=True)
class Step:
    """One step of a scenario: an event, a status change, or both."""

    status_code: int | None = None
    reason: str | None = None
    reason_message: str | None = None
    einvoicing_status: str | None = None
    collects: bool = False
    """The money arrives: the invoice becomes ``paid``."""


def scenario_setting(scenario: str, reason: str | None = None,
                     reason_message: str | None = None) -> dict[str, Any]:
    """A stored scenario choice, with the default reason of ``scenario`` filled in."""
    default_reason, default_message = DEFAULT_REASONS.get(scenario, (None, None))
    return {
        "scenario": scenario,
        "reason": reason if reason is not None else default_reason,
        "reason_message": reason_message if reason_message is not None else default_message,
    }


def plan(setting: dict[str, Any]) -> list[Step]:
    """The steps of a scenario setting, in order."""
    reason, message = setting.get("reason"), setting.get("reason_message")
    approved = [Step(code) for code in (200, 201, 202, 203, 204, 205)]
    plans = {
        "approved": approved,
        "refused": [*(Step(code) for code in (200, 201, 202, 203)), Step(210, reason, message)],
        "rejected": [Step(200), Step(213, reason, message)],
        "not_delivered": [Step(200), Step(201), Step(einvoicing_status="not_delivered")],
        # The buyer's transfer: 212 follows when Qonto matches it (see payments.py).
        "paid": [*approved, Step(211), Step(collects=True)],
    }
    return plans[setting["scenario"]]


class LifecycleEngine:
    """Applies what is due on the clock: lifecycle steps and ready PDFs."""

    def __init__(self, store: Store, clock: Clock, step_seconds: float,
                 on_invoice_changed: InvoiceChanged) -> None:
        self._store = store
        self._clock = clock
        self.step_seconds = step_seconds
        self._changed = on_invoice_changed
        # What is due next, as a heap of (instant, seq, invoice id), so that a request
        # pays for the steps due, not for every invoice in flight. Rebuilt when the
        # store's data is replaced (reset, load); an entry that no longer matches the
        # invoice's next instant is stale and skipped.
        self._due: list[tuple[float, int, str]] = []
        self._invoices: dict[str, tuple[Record, Record]] = {}
        self._indexed: object = None

    def resolve_scenario(self, org: Record, invoice: Record) -> dict[str, Any]:
        """The scenario setting that applies to ``invoice`` now."""
        if invoice.get("scenario"):
            return dict(invoice["scenario"])
        client = org["clients"].get(invoice["client_id"]) or {}
        if client.get("scenario"):
            return dict(client["scenario"])
        siren = client_siren(client)
        by_siren = self._store.data["siren_scenarios"]
        if siren and siren in by_siren:
            return dict(by_siren[siren])
        return scenario_setting("approved")

    def start(self, org: Record, invoice: Record) -> None:
        """Record a send request: the first step comes one ``step_seconds`` later."""
        invoice["einvoicing"] = {
            "requested_at": self._clock.now(),
            "steps_done": 0,
            **self.resolve_scenario(org, invoice),
        }
        self.watch(org, invoice)

    def watch(self, org: Record, invoice: Record) -> None:
        """Note that ``invoice`` has something due later (a step, its PDF)."""
        self._reindex()
        self._push(org, invoice)

    def _push(self, org: Record, invoice: Record) -> None:
        at = self._next_instant(invoice)
        if at is not None:
            self._invoices[invoice["id"]] = (org, invoice)
            heapq.heappush(self._due, (at, invoice["seq"], invoice["id"]))

    def _reindex(self) -> None:
        if self._indexed is self._store.data:
            return
        self._due, self._invoices = [], {}
        for org in self._store.organizations():
            for invoice in org["client_invoices"].values():
                self._push(org, invoice)
        self._indexed = self._store.data

    def _next_instant(self, invoice: Record) -> float | None:
        """When the next thing is due for ``invoice`` (its PDF or its next step)."""
        instants = []
        if invoice.get("attachment_due_at") is not None:
            instants.append(invoice["attachment_due_at"])
        state = invoice.get("einvoicing")
        if state and state["steps_done"] < len(plan(state)):
            instants.append(state["requested_at"] + (state["steps_done"] + 1) * self.step_seconds)
        return min(instants, default=None)

    @staticmethod
    def append_event(invoice: Record, status_code: int, *, at: float, reason: str | None = None,
                     reason_message: str | None = None) -> Record:
        """Append one lifecycle event (and the status it implies) at instant ``at``."""
        event: Record = {"status_code": status_code}
        if reason is not None:
            event["reason"] = reason
        if reason_message is not None:
            event["reason_message"] = reason_message
        event["timestamp"] = iso(at)
        invoice["einvoicing_lifecycle_events"].append(event)
        invoice["einvoicing_status"] = EINVOICING_STATUS_AFTER.get(
            status_code, invoice["einvoicing_status"])
        return event

    def advance(self) -> None:
        """Apply everything due by now, oldest first (the caller holds the store lock)."""
        self._reindex()
        now = self._clock.now()
        while self._due and self._due[0][0] <= now:
            at, _seq, invoice_id = heapq.heappop(self._due)
            org, invoice = self._invoices[invoice_id]
            if self._next_instant(invoice) != at:
                continue  # stale: that instant was applied or rescheduled
            self._apply_next(org, invoice, at)
            self._push(org, invoice)

    def _apply_next(self, org: Record, invoice: Record, at: float) -> None:
        lifecycle = False
        if invoice.get("attachment_due_at") == at:
            invoice["attachment_due_at"] = None
            attach_invoice_pdf(self._store, org, invoice, at)
        else:
            state = invoice["einvoicing"]
            step = plan(state)[state["steps_done"]]
            state["steps_done"] += 1
            # Only the e-invoicing side moves, unless the money arrives (status paid).
            lifecycle = not (step.collects and invoice["status"] == "unpaid")
            if step.status_code is not None:
                self.append_event(invoice, step.status_code, at=at, reason=step.reason,
                                  reason_message=step.reason_message)
                if state.pop("collect_on_deposit", False):
                    collected(invoice, iso(at), self.append_event)
            if step.einvoicing_status is not None:
                invoice["einvoicing_status"] = step.einvoicing_status
            if step.collects and invoice["status"] == "unpaid":
                buyer_pays(self._store, org, invoice, at, self.append_event)
        self._store.mark_changed()
        self._changed(org, invoice, at, lifecycle=lifecycle)
