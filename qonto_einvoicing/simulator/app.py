"""The simulator: state, clock, lifecycle, webhooks, faults, and the WSGI application.

A :class:`Simulator` is a plain WSGI callable; :class:`~.server.SimulatorServer` serves it.
Everything lives on the instance: two simulators in one process share nothing. How a
request is answered (routing, rate limits, faults, credentials, the request log) is the
job of its :class:`~.http_front.HttpFront`; the simulator holds what the answers change.
"""

from __future__ import annotations

import os
import secrets
from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

from . import api_oauth, api_supplier_invoices
from .annuaire import Annuaire, initial_annuaire
from .clock import Clock, iso
from .faults import FaultBook
from .http_front import CONTROL_PREFIX, MAX_BODY_BYTES, HttpFront
from .lifecycle_engine import LifecycleEngine
from .options import QONTO_RATE_LIMITS, SimulatorOptions
from .organizations import new_organization, split_api_key
from .render import render_client, render_invoice
from .request_log import RequestLog
from .state import STATE_VERSION, Record, Store
from .throttle import RateLimiter
from .webhook_sender import WebhookSender

if TYPE_CHECKING:
    from _typeshed.wsgi import StartResponse, WSGIEnvironment

__all__ = ["CONTROL_PREFIX", "DEFAULT_API_KEY", "MAX_BODY_BYTES", "Simulator"]

DEFAULT_API_KEY = "demo-org:demo-secret"


class Simulator:
    """A local Qonto: answers the API, walks invoices through the lifecycle, sends webhooks.

    ``state_path`` keeps the state in a JSON file (loaded at start, saved on each change);
    ``api_key`` (``login:secret``) names the default organization, created if missing.
    The other keyword arguments are the strictness options of :mod:`.options`: their
    defaults are Qonto as documented, each laxer value is for whoever needs it.
    """

    def __init__(self, state_path: str | os.PathLike[str] | None = None,
                 step_seconds: float = 5.0, api_key: str = DEFAULT_API_KEY, *,
                 webhook_retry_seconds: float = 30.0, webhook_max_attempts: int = 6,
                 base_url: str = "http://127.0.0.1:8765",
                 wrapped_webhook_subscriptions: bool = False,
                 allow_http_callbacks: bool = False,
                 oauth_only_webhooks: bool = False,
                 open_annuaire: bool = False,
                 list_lifecycle_events: bool = False,
                 lifecycle_bumps_updated_at: bool = True,
                 rate_limits: tuple[tuple[int, float], ...] | None = QONTO_RATE_LIMITS,
                 rate_limit_retry_after: bool = False,
                 latency_ms: float = 0.0,
                 undocumented_bodies: str = "invoice",
                 today_utc_offset_hours: float = 0.0) -> None:
        split_api_key(api_key)  # fail early on a malformed key
        self.options = SimulatorOptions(
            wrapped_webhook_subscriptions=wrapped_webhook_subscriptions,
            allow_http_callbacks=allow_http_callbacks,
            oauth_only_webhooks=oauth_only_webhooks,
            open_annuaire=open_annuaire,
            list_lifecycle_events=list_lifecycle_events,
            lifecycle_bumps_updated_at=lifecycle_bumps_updated_at,
            rate_limits=rate_limits,
            rate_limit_retry_after=rate_limit_retry_after,
            latency_ms=latency_ms,
            undocumented_bodies=undocumented_bodies,
            today_utc_offset_hours=today_utc_offset_hours)
        self.api_key = api_key
        self.base_url = base_url
        """Where the simulator is reached; used in webhook bodies (outside any request)."""
        self.store = Store(state_path)
        self.clock = Clock(self.store, today_utc_offset_hours)
        self.annuaire = Annuaire(self.store, open_annuaire=open_annuaire)
        self.limiter = (RateLimiter(self.options.rate_limits)
                        if self.options.rate_limits else None)
        self.faults = FaultBook()
        self.request_log = RequestLog()
        self.sender = WebhookSender(self.store, self.clock, webhook_retry_seconds,
                                    webhook_max_attempts)
        self.engine = LifecycleEngine(self.store, self.clock, step_seconds, self.invoice_changed)
        with self.store.lock:
            self.store.load_or_init(self._initial_state)
            self._upgrade()
            self._ensure_default_organization()
            self._seed_supplier_invoices()
            self.store.save_if_changed()
        self._front = HttpFront(self)

    # ------------------------------------------------------------ state

    def _initial_state(self) -> Record:
        org = new_organization(self.api_key, "Démo Simulateur SAS")
        state: Record = {
            "version": STATE_VERSION,
            "clock_offset": 0.0,
            "signing_key": secrets.token_hex(32),
            "seq": 0,
            "organizations": {org["id"]: org},
            "tokens": {},
            "siren_scenarios": {},
            "deliveries": [],
            "annuaire": initial_annuaire(),
        }
        api_oauth.ensure_oauth_state(state)
        return state

    def _upgrade(self) -> None:
        # A state saved by an earlier version lacks the newer fields: give them their
        # defaults, so that a demo database configured once keeps working.
        data = self.store.data
        if "annuaire" not in data:
            data["annuaire"] = initial_annuaire()
            self.store.mark_changed()
        if api_oauth.ensure_oauth_state(data):
            self.store.mark_changed()
        for org in self.store.organizations():
            for subscription in org["webhook_subscriptions"].values():
                if "updated_at" not in subscription:
                    subscription["updated_at"] = subscription["created_at"]
                    self.store.mark_changed()

    def _ensure_default_organization(self) -> None:
        # The command line is the authority on the default key: a state file made with
        # another key gains this organization, or this login's secret is updated.
        login, secret = split_api_key(self.api_key)
        org = self.store.organization_by_login(login)
        if org is None:
            org = new_organization(self.api_key)
            self.store.data["organizations"][org["id"]] = org
            self.store.mark_changed()
        elif org["api_secret"] != secret:
            org["api_secret"] = secret
            self.store.mark_changed()

    def _seed_supplier_invoices(self) -> None:
        # The inbox of received e-invoices, added after the first version: a state file
        # without it gains it (the default organization with its first invoices).
        default_login = split_api_key(self.api_key)[0]
        for org in self.store.organizations():
            if "supplier_invoices" not in org:
                if org["api_login"] == default_login:
                    api_supplier_invoices.seed(self, org)
                else:
                    org["supplier_invoices"] = {}
                self.store.mark_changed()

    def reset(self) -> None:
        """Wipe everything back to the initial organization; clear faults and the log."""
        with self.store.lock:
            self.store.replace(self._initial_state())
            self._seed_supplier_invoices()
            self.store.save_if_changed()
        self.faults.clear()
        self.request_log.clear()
        if self.limiter is not None:
            self.limiter.reset()

    # ------------------------------------------------------------ time

    def now(self) -> float:
        """The simulator clock."""
        return self.clock.now()

    def tick(self) -> int:
        """Apply what is due and send due webhooks; return how many were delivered."""
        with self.store.lock:
            self.apply_due()
            self.store.save_if_changed()
        return self.sender.deliver_due()

    def apply_due(self) -> None:
        """Apply what the clock made due: lifecycle steps, received invoices (lock held)."""
        self.engine.advance()
        api_supplier_invoices.receive_due(self)

    def advance_clock(self, seconds: float) -> int:
        """Move the clock forward, apply what became due, deliver due webhooks now."""
        with self.store.lock:
            self.clock.advance(seconds)
        return self.tick()

    # ------------------------------------------------------------ changes

    def invoice_changed(self, org: Record, invoice: Record, at: float | None = None, *,
                        created: bool = False, lifecycle: bool = False) -> None:
        """Bump ``updated_at`` and queue the invoice's webhook (store lock held).

        A ``lifecycle`` change (a lifecycle event) leaves ``updated_at`` alone under the
        option ``lifecycle_bumps_updated_at=False``.
        """
        at = self.now() if at is None else at
        if not lifecycle or self.options.lifecycle_bumps_updated_at:
            invoice["updated_at"] = iso(at)
        data = render_invoice(org, invoice, self.base_url, with_events=False)
        kind = "created" if created else "updated"
        self.sender.emit(org, "v1/client-invoices", kind, data, at)
        self.store.mark_changed()

    def render_client(self, client: Record) -> dict[str, Any]:
        """A client as the API answers it, reachable as the Annuaire says now."""
        return render_client(client, self.annuaire.reachable(client))

    def client_changed(self, org: Record, client: Record, kind: str) -> None:
        """Queue a ``v1/clients`` webhook whose ``data.event`` is ``kind`` (lock held)."""
        data = {"id": client["id"]} if kind == "deleted" else self.render_client(client)
        self.sender.emit(org, "v1/clients", kind, {**data, "event": kind}, self.now())
        self.store.mark_changed()

    # ------------------------------------------------------------ WSGI

    def __call__(self, environ: WSGIEnvironment,
                 start_response: StartResponse) -> Iterable[bytes]:
        """Answer one HTTP request, as a WSGI application (see :mod:`.http_front`)."""
        return self._front(environ, start_response)

    # ------------------------------------------------------------ inspection

    def organization(self, login: str | None = None) -> Record:
        """The organization of ``login`` (default: the API key's), for in-process checks."""
        login = login or split_api_key(self.api_key)[0]
        with self.store.lock:
            org = self.store.organization_by_login(login)
        if org is None:
            raise KeyError(login)
        return org

    def summary(self) -> dict[str, Any]:
        """Counts per organization, as ``GET /_simulator/state`` shows them."""
        with self.store.lock:
            deliveries = self.store.data["deliveries"]
            return {
                "now": iso(self.now()),
                "organizations": [{
                    "id": org["id"],
                    "legal_name": org["legal_name"],
                    "api_key_login": org["api_login"],
                    "clients": len(org["clients"]),
                    "client_invoices": len(org["client_invoices"]),
                    "credit_notes": len(org["credit_notes"]),
                    "supplier_invoices": len(org.get("supplier_invoices", {})),
                    "webhook_subscriptions": len(org["webhook_subscriptions"]),
                    "uploads": len(org["uploads"]),
                    "attachments": len(org["attachments"]),
                    "emails": len(org["emails"]),
                } for org in self.store.organizations()],
                "webhook_deliveries": {
                    status: sum(1 for d in deliveries if d["status"] == status)
                    for status in ("pending", "delivered", "failed")
                },
            }
