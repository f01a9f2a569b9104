"""``/v2/webhook_subscriptions``: subscribe, list, unsubscribe.

``callback_url`` (http or https, ≤ 512), ``types`` (non-empty; each a topic such as
``v1/client-invoices`` or an event type such as ``v1/client-invoices.updated``, see
``webhook_sender``), optional ``secret`` (32–128 characters; generated when omitted) and
``description``. The secret is returned only by the create answer.
"""

from __future__ import annotations

import secrets
import uuid
from typing import Any

from werkzeug.wrappers import Response

from .clock import iso
from .jsonapi import ApiError, error_object, json_response, no_content, paginate, pop_or_404
from .render import render_subscription
from .routing import Call, Route
from .webhook_sender import SUBSCRIBABLE_TYPES

__all__ = ["ROUTES"]


def _errors(body: dict[str, Any]) -> list[dict[str, Any]]:
    errors = []
    url = body.get("callback_url")
    if not isinstance(url, str) or not url.startswith(("http://", "https://")):
        errors.append(error_object(422, "invalid", "callback_url is an http(s) URL",
                                   pointer="/callback_url"))
    elif len(url) > 512:
        errors.append(error_object(422, "invalid", "callback_url is at most 512 characters",
                                   pointer="/callback_url"))
    types = body.get("types")
    if not isinstance(types, list) or not types:
        errors.append(error_object(422, "missing_field", "types is a non-empty list",
                                   pointer="/types"))
    else:
        allowed = ", ".join(sorted(SUBSCRIBABLE_TYPES))
        errors += [error_object(422, "invalid", f"unknown type; one of {allowed}",
                                pointer=f"/types/{index}")
                   for index, kind in enumerate(types) if kind not in SUBSCRIBABLE_TYPES]
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
    body = call.json()
    errors = _errors(body)
    if errors:
        raise ApiError(422, errors)
    subscription = {
        "id": str(uuid.uuid4()),
        "callback_url": body["callback_url"],
        "types": list(body["types"]),
        "secret": body.get("secret") or secrets.token_hex(32),
        "description": body.get("description") or "",
        "created_at": iso(call.sim.now()),
    }
    call.org["webhook_subscriptions"][subscription["id"]] = subscription
    call.sim.store.mark_changed()
    return json_response(
        {"webhook_subscription": render_subscription(subscription, with_secret=True)}, 201)


def list_subscriptions(call: Call) -> Response:
    """The organization's subscriptions (without secrets)."""
    subscriptions = sorted(call.org["webhook_subscriptions"].values(),
                           key=lambda s: s["created_at"])
    page, meta = paginate(subscriptions, call.args)
    return json_response({"webhook_subscriptions": [render_subscription(s) for s in page],
                          "meta": meta})


def delete_subscription(call: Call) -> Response:
    """Unsubscribe (204); pending deliveries to it are given up."""
    pop_or_404(call.org["webhook_subscriptions"], call.params["id"], "Webhook subscription")
    call.sim.store.mark_changed()
    return no_content()


ROUTES = [
    Route("GET", "/v2/webhook_subscriptions", list_subscriptions),
    Route("POST", "/v2/webhook_subscriptions", create_subscription),
    Route("DELETE", "/v2/webhook_subscriptions/{id}", delete_subscription),
]
