"""How strictly the simulator plays Qonto: the defaults are Qonto as documented.

The simulator is Qonto as its pages describe it, not as a test or a demo would wish.
Every default below is what Qonto's documentation says (the page is named next to it);
anything laxer is an explicit option, passed by whoever needs it (a demo on localhost,
a test whose webhook receiver listens on 127.0.0.1). Where Qonto's pages are silent,
the default is one plausible reading and an option plays the other one, so that the
addon is tested against both.

Each option is a keyword argument of :class:`~.app.Simulator` and
:class:`~.server.SimulatorServer` and a flag of ``python -m qonto_einvoicing.simulator``:

``wrapped_webhook_subscriptions=False`` (``--wrapped-webhook-subscriptions``)
    Qonto answers ``POST /v2/webhook_subscriptions`` with the bare subscription object and
    ``GET`` with ``{"subscriptions": [...], "meta"}``
    (https://docs.qonto.com/api-reference/business-api/webhooks/create-a-webhook-subscription,
    https://docs.qonto.com/api-reference/business-api/webhooks/list-webhook-subscriptions).
    The option serves the shapes a public TypeScript client models instead:
    ``{"webhook_subscription": {...}}`` and ``{"webhook_subscriptions": [...], "meta"}``.
``allow_http_callbacks=False`` (``--allow-http-callbacks``)
    A ``callback_url`` must be public HTTPS: no ``http``, no localhost, no loopback or
    private address (https://docs.qonto.com/api-reference/business-api/webhooks/troubleshooting).
    The option accepts any http(s) URL, e.g. a receiver on 127.0.0.1.
``oauth_only_webhooks=False`` (``--oauth-only-webhooks``)
    Whether an API key may call ``POST /v2/webhook_subscriptions``. Qonto's endpoints
    access table
    (https://docs.qonto.com/api-reference/business-api/introduction/authentication/scopes,
    section endpoints-access) is the authority, and its rows could not be read when this
    was written: the create page's security block was not available either, while the
    OpenAPI blocks of the update and list pages accept both ``OAuth`` (scope ``webhook``)
    and ``SecretKey``. One public integration reports the create as OAuth-only. So API
    keys are allowed by default, and the option answers an API key 403
    ``insufficient_permissions`` on that endpoint.
``open_annuaire=False`` (``--open-annuaire``)
    The Annuaire (national directory) holds the SIRENs of :data:`.annuaire.REGISTERED`
    plus those registered with ``POST /_simulator/annuaire``. The option registers every
    valid SIREN (9 digits with a correct Luhn key) as well, for demos.
``list_lifecycle_events=False`` (``--list-lifecycle-events``)
    ``GET /v2/client_invoices`` leaves out ``einvoicing_lifecycle_events``: Qonto's own
    tooling describes the list as dropping the heavier fields
    (https://docs.qonto.com/api-reference/business-api/invoicing/client-invoices/list-client-invoices.md
    does not list them). The option includes them.
``lifecycle_bumps_updated_at=True`` (``--lifecycle-keeps-updated-at`` sets it False)
    Qonto's pages are silent on whether a lifecycle event moves an invoice's
    ``updated_at``. By default it does; with the flag it does not, so a sync that trusts
    ``filter[updated_at_from]`` alone can be seen to miss lifecycle steps.
``rate_limits=QONTO_RATE_LIMITS`` (``--rate-limit N/SECONDS``, repeatable; ``--no-rate-limit``)
    Per client IP, 1,000 requests per 10 seconds and 10,000 per 10 minutes on the API
    (https://docs.qonto.com/get-started/general/rate-limitations.md), counted on real
    monotonic time. A refused request answers 429 ``too_many_requests`` and does nothing.
    ``None`` disables the limits.
``rate_limit_retry_after=False`` (``--rate-limit-retry-after``)
    Qonto documents no ``Retry-After`` header on a 429; the option adds one (seconds until
    the fullest window frees a slot).
``latency_ms=0`` (``--latency-ms N``)
    Added to every ``/v2`` answer (outside any lock: concurrent clients overlap), so that
    a benchmark sees a network.
``undocumented_bodies="invoice"`` (``--undocumented-bodies none``)
    What ``finalize``, ``unmark_as_paid`` and ``mark_as_canceled`` answer. Qonto's pages
    show no body for them; two public clients written independently (``qodev-qonto-api``
    on PyPI and a TypeScript command-line client whose schemas were checked against the
    live API) both parse ``{"client_invoice": ...}`` from all three, which is the better
    evidence of what Qonto sends. So by default they answer 200 with the invoice;
    ``"none"`` answers 204 without a body, the reading of the pages alone. A client
    must work with both (the addon re-reads the invoice and never uses the body).
``today_utc_offset_hours=0`` (``--today-utc-offset HOURS``)
    The day against which a ``paid_at`` or ``payment_date`` "cannot be in the future"
    (Qonto's *Mark a client invoice as paid* page, seed ``004``, and *Mark a supplier
    invoice as paid*), and the day used when it is omitted. The pages do not say in
    which time zone that day is read. By default it is UTC's; the option moves it (``1``
    or ``2`` play Paris in winter or in summer, a French bank's other plausible reading),
    so that a client can be seen to send a day one reading takes and the other refuses.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import Any

__all__ = ["QONTO_RATE_LIMITS", "UNDOCUMENTED_BODIES", "SimulatorOptions"]

QONTO_RATE_LIMITS: tuple[tuple[int, float], ...] = ((1_000, 10.0), (10_000, 600.0))
"""Qonto's per-IP limits: (requests, seconds) windows."""

UNDOCUMENTED_BODIES = ("invoice", "none")


@dataclass(frozen=True)
class SimulatorOptions:
    """The strictness options of one simulator (see the module docstring)."""

    wrapped_webhook_subscriptions: bool = False
    allow_http_callbacks: bool = False
    oauth_only_webhooks: bool = False
    open_annuaire: bool = False
    list_lifecycle_events: bool = False
    lifecycle_bumps_updated_at: bool = True
    rate_limits: tuple[tuple[int, float], ...] | None = QONTO_RATE_LIMITS
    rate_limit_retry_after: bool = False
    latency_ms: float = 0.0
    undocumented_bodies: str = "invoice"
    today_utc_offset_hours: float = 0.0

    def __post_init__(self) -> None:
        if not -12 <= self.today_utc_offset_hours <= 14:
            raise ValueError("today_utc_offset_hours is between -12 and 14")
        if self.undocumented_bodies not in UNDOCUMENTED_BODIES:
            raise ValueError(f"undocumented_bodies is one of {', '.join(UNDOCUMENTED_BODIES)}")
        if self.latency_ms < 0:
            raise ValueError("latency_ms cannot be negative")
        if self.rate_limits is not None:
            limits = tuple((int(n), float(s)) for n, s in self.rate_limits)
            if any(n < 1 or s <= 0 for n, s in limits):
                raise ValueError("a rate limit is (requests ≥ 1, seconds > 0)")
            object.__setattr__(self, "rate_limits", limits)

    def describe(self) -> dict[str, Any]:
        """The options as ``GET /_simulator/options`` shows them."""
        shown = asdict(self)
        if self.rate_limits is not None:
            shown["rate_limits"] = [{"requests": n, "seconds": s} for n, s in self.rate_limits]
        return shown
