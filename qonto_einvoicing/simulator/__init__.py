"""A local Qonto: the Business API endpoints of e-invoicing, on a clock tests control.

Start it with ``python -m qonto_einvoicing.simulator`` (``--help`` for the options), or
in Python::

    from qonto_einvoicing.simulator import SimulatorServer

    with SimulatorServer(port=0) as server:      # a free port; server.url tells which
        ...                                      # server.simulator for in-process checks

It answers with Qonto's shapes and error bodies, checks Qonto's limits, walks each sent
invoice through the e-invoicing lifecycle on its own clock, signs its webhooks as Qonto
does, and can be told to fail. With a state file (``--state``), every change is saved
atomically and a restart goes on where it stopped (a state saved by an earlier version
loads, newer fields taking their defaults).

Strict by default
    The simulator is Qonto as documented, not as we wish: every default is what Qonto's
    pages say, and each rule names its page in the docstring of its module. Anything
    laxer is an explicit option (a keyword argument of ``Simulator`` and
    ``SimulatorServer``, a flag of the command line) that a demo or a test passes when it
    needs it; where Qonto's pages are silent, an option plays the other reading. The
    options, their defaults and their pages are in ``options``:
    ``wrapped_webhook_subscriptions`` (``--wrapped-webhook-subscriptions``),
    ``allow_http_callbacks`` (``--allow-http-callbacks``), ``oauth_only_webhooks``
    (``--oauth-only-webhooks``), ``open_annuaire`` (``--open-annuaire``),
    ``list_lifecycle_events`` (``--list-lifecycle-events``),
    ``lifecycle_bumps_updated_at`` (``--lifecycle-keeps-updated-at``), ``rate_limits``
    (``--rate-limit N/SECONDS``, ``--no-rate-limit``), ``rate_limit_retry_after``
    (``--rate-limit-retry-after``), ``latency_ms`` (``--latency-ms``),
    ``undocumented_bodies`` (``--undocumented-bodies``), ``today_utc_offset_hours``
    (``--today-utc-offset``).

What Qonto documents, what public clients show, what the simulator chose
    Two public clients that no one here wrote were run against the simulator:
    ``qodev-qonto-api`` 0.1.0 (PyPI; ``tests_core/test_public_client_qodev.py`` runs it)
    and a TypeScript command-line client whose response schemas its author checked
    against the live API. Where Qonto's pages side with them, the simulator follows:

    ==================================  ============================================
    Qonto's page                        the simulator
    ==================================  ============================================
    *Create a client* body              ``address``, ``city``, ``zip_code``,
                                        ``province_code``, ``country_code`` accepted
                                        on create and update, answered as sent (else
                                        mirrored from ``billing_address``)
    *Get*/*Update a webhook             ``GET``/``PUT /v2/webhook_subscriptions/{id}``
    subscription*
    *Retrieve the authenticated         ``balance``, ``balance_cents``,
    organization and list bank          ``authorized_balance``,
    accounts*
                                        ``authorized_balance_cents`` on each account
    *Retrieve a credit note* example    ``attachment_id``, ``terms_and_conditions``,
                                        ``stamp_duty_amount``, ``contact_email``
    *Retrieve a client invoice upload*  ``GET /v2/client_invoices/uploads/{id}``
    ==================================  ============================================

    Where Qonto's pages are silent and the clients speak, the clients are the evidence:
    ``finalize``, ``unmark_as_paid``, ``mark_as_canceled`` answer ``{"client_invoice"}``
    (both clients parse it; ``undocumented_bodies="none"`` plays the empty 204), and a
    supplier invoice has a string ``source`` (the live-checked schema requires it; its
    values are on no page we could read, so ``"e_invoicing"`` is our pick).
    Where the clients assume what Qonto's pages contradict or never show, the pages win:
    the create/update invoice body is flat (a body wrapped in ``{"client_invoice"}``
    is answered 422 "Extra inputs are not permitted", as any unknown field);
    uploads live under ``/v2/client_invoices/uploads`` (``/v2/client_invoices/{id}/uploads``
    is 404); listed webhook subscriptions carry no ``secret`` (only the create answer
    does); a credit note's company client has no ``first_name``/``last_name``.
    Where the pages and both clients are silent, each module's docstring says what the
    simulator picked (e.g. whether ``PUT`` on a subscription needs every field: any
    subset is taken; how the flat client address relates to ``billing_address``; the
    balances, which nothing moves).

Authentication
    ``Authorization: <login>:<secret>`` (an API key; the default one is
    ``demo-org:demo-secret``), or ``Authorization: Bearer <token>`` for a token registered
    with ``POST /_simulator/tokens``. Anything else: 401 ``unauthorized``. Each API key
    belongs to one organization, and organizations share no data.

Qonto API (``/v2``)
    ``GET /organization`` · ``GET /einvoicing/settings`` ·
    ``GET|POST /clients``, ``GET|PATCH|DELETE /clients/{id}`` ·
    ``GET|POST /client_invoices``, ``GET|PATCH|DELETE /client_invoices/{id}``,
    ``POST /client_invoices/{id}/finalize|send_by_einvoice|send|mark_as_paid|
    unmark_as_paid|mark_as_canceled`` · ``POST /client_invoices/uploads``,
    ``GET /client_invoices/uploads/{id}`` ·
    ``GET|POST /credit_notes``, ``GET /credit_notes/{id}`` ·
    ``GET|POST /webhook_subscriptions``, ``GET|PUT|DELETE /webhook_subscriptions/{id}`` ·
    ``GET /attachments/{id}`` · ``GET /transactions``, ``GET /transactions/{id}``
    (``api_transactions``; Qonto's matching of a transfer with an invoice: ``payments``).
    The rules of each are in the docstring of its module
    (``api_*.py``). Errors are JSON:API objects (see ``jsonapi``); an unknown route or id
    is 404 ``not_found``, a body that is not JSON 400 ``malformed_json``. 422 pointers
    point into the request body (``/items/0/title``); the 409 of a used number has
    Qonto's ``/data/attributes/number``. Webhook subscriptions answer Qonto's bare object
    and ``{"subscriptions", "meta"}``, take topics as ``types`` and a public HTTPS
    ``callback_url`` (``api_webhooks``). ``finalize``, ``unmark_as_paid`` and
    ``mark_as_canceled`` answer ``{"client_invoice"}`` (see above); the list of client
    invoices leaves out ``einvoicing_lifecycle_events``.

Rate limits
    Per client IP, 1,000 requests per 10 s and 10,000 per 10 min on the API (not
    ``/_simulator/``), on real monotonic time; past either, 429 ``too_many_requests``
    without ``Retry-After``, and nothing done (``throttle``).

The Annuaire and reachability (``e_invoicing_reachable``)
    An ``e_invoicing_address`` (``siren``, ``siren_siret``, ``siren_siret_routingCode``,
    ``siren_suffix``) must be registered in the simulated Annuaire, else create and update
    answer 422 on ``/e_invoicing_address``. Registered by default: 552100554, 732829320,
    443061841, 356000000 (``annuaire.REGISTERED``; 987654308 and 912345675 are not). A
    client is reachable iff its address is registered *now*;
    ``POST /_simulator/clients/{id}/reachability`` overrides it. ``send_by_einvoice`` to
    an unreachable client: 412 ``recipient_not_reachable_on_einvoicing``.

Lifecycle
    After ``send_by_einvoice``, one step every ``step_seconds`` (default 5) of simulator
    time: 200 (``einvoicing_status`` submitted), 201, 202, then the scenario's answer:
    ``approved`` (203, 204, 205 → approved), ``refused`` (203, 210 with a reason →
    declined), ``rejected`` (213 with a reason right after 200 → submission_failed),
    ``not_delivered`` (after 201 → not_delivered), ``paid`` (approved, then 211 and the
    buyer's transfer; when Qonto matches it, the invoice becomes paid and 212 follows).
    Details in ``lifecycle_engine``. The simulator clock is
    wall time plus an offset that ``POST /_simulator/clock/advance`` moves.

Webhooks
    Topics ``v1/client-invoices`` (created, and every change, each lifecycle step
    included) and ``v1/clients`` (created, updated, deleted: the name in ``data.event``).
    The envelope's ``type`` is the topic. A subscription to a topic receives its events,
    signed with ``X-Qonto-Signature``; retried with exponential backoff
    (``--webhook-retry-seconds``, doubled each time, simulator clock) up to
    ``--webhook-max-attempts``. Details in ``webhook_sender``.

Control API (``/_simulator/``, no authentication, JSON in and out; 422 on a bad body)
    ``POST /reset``
        Wipe everything back to the initial organization; reset the clock; clear the
        faults and the request log.
    ``GET /clock``
        ``{"now", "epoch", "today", "offset_seconds", "step_seconds"}``.
    ``POST /clock/advance`` ``{"seconds": N}``
        Move the clock, apply everything due, and answer once every due webhook delivery
        was attempted: the clock, plus ``"webhooks_delivered"`` (those this call
        delivered; the ticker may have sent others). ``{"seconds": 0}`` flushes webhooks.
    ``POST /scenarios`` ``{"scenario", one of "client_id" | "invoice_id" | "siren",
    "reason"?, "reason_message"?}``
        Choose the buyer's answer; the most specific setting wins when the invoice is sent
        (invoice, then client, then SIREN, then ``approved``).
    ``POST /clients/{id}/reachability`` ``{"reachable": true | false | null}``
        Force ``e_invoicing_reachable``; ``null`` goes back to the rule.
    ``GET /faults`` · ``POST /faults`` ``{"method", "path", "fault", "count"?, "delay"?,
    "retry_after"?}`` · ``DELETE /faults``
        The next ``count`` (default 1) calls matching ``method`` (or ``*``) and ``path``
        (exact, or with ``{id}``-style segments) get ``fault``: ``429``, ``500``, ``502``,
        ``503``, ``slow`` (waits ``delay`` s), ``drop`` (no answer, nothing done) or
        ``lost_answer`` (done, then no answer). See ``faults``.
    ``GET /requests`` · ``DELETE /requests``
        The API calls answered: ``{"requests": [{method, path, status, fault?,
        rate_limited?, duration_ms}], "counts": {"METHOD path": n},
        "counts_by_route": {"METHOD /v2/x/{id}": n}, "total", "rate_limited" (429s of the
        rate limits), "max_in_flight" (most calls answered at once)}``. ``/_simulator/``
        calls are not logged.
    ``GET /options``
        The strictness options this simulator runs with.
    ``GET /annuaire`` · ``POST /annuaire`` ``{"siren": "123456789", "registered": bool}``
        The simulated Annuaire: ``{"open", "registered", "unregistered"}``; register or
        unregister a SIREN (clients read as reachable or not at once); the POST answers
        ``{"siren", "registered": bool, "annuaire": {...}}``.
    ``POST /invoices/{id}/raw`` ``{"status"?: str, "einvoicing_status"?: str}``
        Force raw values, unknown ones included (``"archived"``, ``"pending_review"``),
        to test a client's tolerance of values outside Qonto's enums.
    ``POST /organizations`` ``{"api_key": "login:secret", "legal_name"?, "siren"?}``
        Another organization with its own SIREN and IBANs (201).
    ``POST /tokens`` ``{"token", "api_key_login"}``
        Accept ``Authorization: Bearer <token>`` for that organization (201).
    ``POST /einvoicing/sending`` ``{"api_key_login"?, "enabled": bool}``
        Switch ``sending_status``; while disabled, ``send_by_einvoice`` is 403.
    ``POST /einvoicing/receiving`` ``{"api_key_login"?, "status"}``
        Set ``receiving_status``: ``enabled`` (the default), ``disabled``,
        ``pending_creation`` or ``pending_deletion``.
    ``GET /webhooks/deliveries``
        Every delivery with its ``status`` (pending, delivered, failed), its attempts and
        its ``event``.
    ``POST /invoices/{id}/events`` ``{"status_code": N, "reason"?, "reason_message"?}``
        Append a raw lifecycle event, any code (221 too: the answer then leaves
        Qonto's enum, on purpose).
    ``GET /state``
        Per organization, how many clients, invoices, credit notes, ...
    ``GET /emails``
        The invoices sent by e-mail (``POST /v2/client_invoices/{id}/send``).
    ``GET /files/{id}?token=...`` · ``GET /invoices/{id}``
        Downloads behind attachment and upload URLs (valid 30 minutes), and the page of
        an invoice's ``invoice_url``.
"""

from .app import Simulator
from .server import SimulatorServer

__all__ = ["Simulator", "SimulatorServer"]
