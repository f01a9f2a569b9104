"""A local Qonto: the Business API endpoints of e-invoicing, on a clock tests control.

Start it with ``python -m qonto_einvoicing.simulator`` (``--help`` for the options), or
in Python::

    from qonto_einvoicing.simulator import SimulatorServer

    with SimulatorServer(port=0) as server:      # a free port; server.url tells which
        ...                                      # server.simulator for in-process checks

It answers with Qonto's shapes and error bodies, checks Qonto's limits, walks each sent
invoice through the e-invoicing lifecycle on its own clock, signs its webhooks as Qonto
does, and can be told to fail. With a state file (``--state``), every change is saved
atomically and a restart goes on where it stopped.

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
    unmark_as_paid|mark_as_canceled`` · ``POST /client_invoices/uploads`` ·
    ``GET|POST /credit_notes``, ``GET /credit_notes/{id}`` ·
    ``GET|POST /webhook_subscriptions``, ``DELETE /webhook_subscriptions/{id}`` ·
    ``GET /attachments/{id}``. The rules of each are in the docstring of its module
    (``api_*.py``). Errors are JSON:API objects (see ``jsonapi``); an unknown route or id
    is 404 ``not_found``, a body that is not JSON 400 ``malformed_json``. 422 pointers
    point into the request body (``/items/0/title``); the 409 of a used number has
    Qonto's ``/data/attributes/number``.

Reachability (``e_invoicing_reachable``)
    A client's SIREN is the first 9 digits of its ``e_invoicing_address``, else of a 9-
    or 14-digit ``tax_identification_number``, else of a French VAT number
    (``FRkk<SIREN>``). The client is reachable iff a SIREN is found and it does not start
    with ``9``. ``POST /_simulator/clients/{id}/reachability`` overrides it.

Lifecycle
    After ``send_by_einvoice``, one step every ``step_seconds`` (default 5) of simulator
    time: 200 (``einvoicing_status`` submitted), 201, 202, then the scenario's answer:
    ``approved`` (203, 204, 205 → approved), ``refused`` (203, 210 with a reason →
    declined), ``rejected`` (213 with a reason right after 200 → submission_failed),
    ``not_delivered`` (after 201 → not_delivered), ``paid`` (approved, then 211, 212 and
    the invoice becomes paid). Details in ``lifecycle_engine``. The simulator clock is
    wall time plus an offset that ``POST /_simulator/clock/advance`` moves.

Webhooks
    Types ``v1/client-invoices.created``, ``v1/client-invoices.updated`` (every change,
    each lifecycle step included), ``v1/clients.created|updated|deleted``. A subscription
    whose ``types`` hold the topic (``v1/client-invoices``) or the exact type receives
    them, signed with ``X-Qonto-Signature``; retried with exponential backoff
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
        The API calls answered: ``{"requests": [{method, path, status, fault?}],
        "counts": {"METHOD path": n}, "counts_by_route": {"METHOD /v2/x/{id}": n},
        "total"}``. ``/_simulator/`` calls are not logged.
    ``POST /organizations`` ``{"api_key": "login:secret", "legal_name"?, "siren"?}``
        Another organization with its own SIREN and IBANs (201).
    ``POST /tokens`` ``{"token", "api_key_login"}``
        Accept ``Authorization: Bearer <token>`` for that organization (201).
    ``POST /einvoicing/sending`` ``{"api_key_login"?, "enabled": bool}``
        Switch ``sending_status``; while disabled, ``send_by_einvoice`` is 403.
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
