"""``/v2/webhook_subscriptions``: subscribe, list, get, update, unsubscribe — as Qonto
documents them.

https://docs.qonto.com/api-reference/business-api/webhooks/create-a-webhook-subscription,
https://docs.qonto.com/api-reference/business-api/webhooks/list-webhook-subscriptions,
*Get a webhook subscription* (``GET /v2/webhook_subscriptions/{id}``),
https://docs.qonto.com/api-reference/business-api/webhooks/update-a-webhook-subscription
(``PUT /v2/webhook_subscriptions/{id}``),
https://docs.qonto.com/api-reference/business-api/webhooks/troubleshooting:

- ``callback_url``: public **HTTPS**, at most 512 characters. ``http``, ``localhost``
  (and ``*.localhost``), loopback, private, link-local and other non-global IP addresses
  answer 422 on ``/callback_url`` (host names are not resolved). The option
  ``allow_http_callbacks`` accepts any http(s) URL, such as a receiver on 127.0.0.1.
- ``types``: a non-empty list of topics, ``v1/client-invoices`` and ``v1/clients``;
  anything else (an event name such as ``v1/client-invoices.updated`` included) answers
  422 on ``/types/<index>``.
- ``secret``: 32 to 128 characters, generated when omitted; ``description`` optional.
- ``POST`` answers 201 with the bare object ``{id, organization_id, membership_id,
  callback_url, types, description, created_at, updated_at, secret}``; ``GET`` answers
  ``{"subscriptions": [...], "meta"}`` (without the secrets). The option
  ``wrapped_webhook_subscriptions`` serves ``{"webhook_subscription": {...}}`` and
  ``{"webhook_subscriptions": [...], "meta"}`` instead (a public client's shapes).
- ``GET /{id}`` and ``PUT /{id}`` answer the object as the list shows it (bare, or
  wrapped under the option), without the secret: the list leaves secrets out, and a
  public client that expects a ``secret`` on every listed subscription assumes what no
  Qonto page shows. ``PUT`` changes the fields its body names (``callback_url``,
  ``types``, ``secret``, ``description``), checked as on create; whether Qonto wants all
  of them on ``PUT`` is not said where we could read, so the simulator takes any subset
  and keeps the rest.
- Credentials: whether an API key may subscribe is for Qonto's endpoints access table
  (https://docs.qonto.com/api-reference/business-api/introduction/authentication/scopes,
  section endpoints-access), whose rows were not readable when this was written; the
  OpenAPI blocks of the list and update pages accept ``SecretKey`` besides OAuth (scope
  ``webhook``). API keys are therefore allowed; the option ``oauth_only_webhooks``
  answers an API key 403 ``insufficient_permissions`` on ``POST``.
"""

from __future__ import annotations

import ipaddress
import secrets
import uuid
from typing import Any
from urllib.parse import urlsplit

from werkzeug.wrappers import Response

from .clock import iso
from .jsonapi import (
    ApiError,
    error_object,
    get_or_404,
    json_response,
    no_content,
    paginate,
    pop_or_404,
)
from .render import render_subscription
from .routing import Call, Route
from .webhook_sender import TOPICS

__all__ = ["ROUTES", "callback_url_problem"]

MAX_CALLBACK_URL = 512
_UPDATABLE = ("callback_url", "types", "secret", "description")


def callback_url_problem(url: Any, *, allow_http: bool) -> str | None:
    """Why Qonto would refuse ``url`` as a ``callback_url``, or ``None``."""
    if not isinstance(url, str) or not url.strip():
        return "callback_url is required"
    if len(url) > MAX_CALLBACK_URL:
        return f"callback_url is at most {MAX_CALLBACK_URL} characters"
    try:
        parts = urlsplit(url)
        host = parts.hostname or ""
    except ValueError:
        return "callback_url is not a URL"
    if allow_http:
        return None if parts.scheme in ("http", "https") and host else \
            "callback_url is an http(s) URL"
    if parts.scheme != "https" or not host:
        return "callback_url must be an HTTPS URL"
    if host == "localhost" or host.endswith(".localhost"):
        return "callback_url must be publicly reachable (not localhost)"
    try:
        address = ipaddress.ip_address(host)
    except ValueError:
        return None  # a host name: not resolved, taken as public
    if not address.is_global:
        return "callback_url must be publicly reachable (not a private or local address)"
    return None


def _errors(call: Call, body: dict[str, Any]) -> list[dict[str, Any]]:
    errors = []
    problem = callback_url_problem(body.get("callback_url"),
                                   allow_http=call.sim.options.allow_http_callbacks)
    if problem:
        errors.append(error_object(422, "invalid", problem, pointer="/callback_url"))
    types = body.get("types")
    if not isinstance(types, list) or not types:
        errors.append(error_object(422, "missing_field", "types is a non-empty list",
                                   pointer="/types"))
    else:
        allowed = ", ".join(sorted(TOPICS))
        errors += [error_object(422, "invalid", f"unknown type; one of {allowed}",
                                pointer=f"/types/{index}")
                   for index, kind in enumerate(types) if kind not in TOPICS]
    secret = body.get("secret")
    if secret is not None and (not isinstance(secret, str) or not 32 <= len(secret) <= 128):
        errors.append(error_object(422, "invalid", "secret is 32 to 128 characters",
                                   pointer="/secret"))
    description = body.get("description")
    if description is not None and not isinstance(description, str):
        errors.append(error_object(422, "invalid", "description is a string",
                                   pointer="/description"))
    return errors


def create_subscription(call: Call) -> Response:
    """Subscribe (201); the answer holds the secret that signs the deliveries."""
    if call.sim.options.oauth_only_webhooks and call.credentials != "oauth":
        raise ApiError.one(403, "insufficient_permissions",
                           "Creating a webhook subscription requires OAuth (scope webhook)")
    body = call.json()
    errors = _errors(call, body)
    if errors:
        raise ApiError(422, errors)
    stamp = iso(call.sim.now())
    subscription = {
        "id": str(uuid.uuid4()),
        "callback_url": body["callback_url"],
        "types": list(body["types"]),
        "secret": body.get("secret") or secrets.token_hex(32),
        "description": body.get("description") or "",
        "created_at": stamp,
        "updated_at": stamp,
    }
    call.org["webhook_subscriptions"][subscription["id"]] = subscription
    call.sim.store.mark_changed()
    rendered = render_subscription(call.org, subscription, with_secret=True)
    if call.sim.options.wrapped_webhook_subscriptions:
        return json_response({"webhook_subscription": rendered}, 201)
    return json_response(rendered, 201)


def list_subscriptions(call: Call) -> Response:
    """The organization's subscriptions (without secrets)."""
    subscriptions = sorted(call.org["webhook_subscriptions"].values(),
                           key=lambda s: s["created_at"])
    page, meta = paginate(subscriptions, call.args)
    key = ("webhook_subscriptions" if call.sim.options.wrapped_webhook_subscriptions
           else "subscriptions")
    return json_response({key: [render_subscription(call.org, s) for s in page],
                          "meta": meta})


def _answer(call: Call, subscription: dict[str, Any], status: int = 200) -> Response:
    rendered = render_subscription(call.org, subscription)
    if call.sim.options.wrapped_webhook_subscriptions:
        return json_response({"webhook_subscription": rendered}, status)
    return json_response(rendered, status)


def get_subscription(call: Call) -> Response:
    """One subscription (without its secret)."""
    return _answer(call, get_or_404(call.org["webhook_subscriptions"], call.params["id"],
                                    "Webhook subscription"))


def update_subscription(call: Call) -> Response:
    """Change the fields the body names, checked as on create; the others are kept."""
    subscription = get_or_404(call.org["webhook_subscriptions"], call.params["id"],
                              "Webhook subscription")
    body = call.json()
    changed = {key: body[key] for key in _UPDATABLE if key in body}
    errors = _errors(call, {**subscription, **changed})
    if errors:
        raise ApiError(422, errors)
    subscription.update(changed)
    subscription["updated_at"] = iso(call.sim.now())
    call.sim.store.mark_changed()
    return _answer(call, subscription)


def delete_subscription(call: Call) -> Response:
    """Unsubscribe (204); pending deliveries to it are given up."""
    pop_or_404(call.org["webhook_subscriptions"], call.params["id"], "Webhook subscription")
    call.sim.store.mark_changed()
    return no_content()


ROUTES = [
    Route("GET", "/v2/webhook_subscriptions", list_subscriptions),
    Route("POST", "/v2/webhook_subscriptions", create_subscription),
    Route("GET", "/v2/webhook_subscriptions/{id}", get_subscription),
    Route("PUT", "/v2/webhook_subscriptions/{id}", update_subscription),
    Route("DELETE", "/v2/webhook_subscriptions/{id}", delete_subscription),
]
