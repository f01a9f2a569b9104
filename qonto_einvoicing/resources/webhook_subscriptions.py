"""Webhook subscriptions: ``/v2/webhook_subscriptions``.

Qonto answers the bare subscription object (and ``{"subscriptions": [...]}`` for the
list); the wrapped ``{"webhook_subscription": ...}`` / ``{"webhook_subscriptions": [...]}``
that a public client models is read too.
"""

from __future__ import annotations

import builtins
import re
from collections.abc import Iterator
from typing import Any
from urllib.parse import urlsplit

from ..errors import ErrorObject, PayloadError
from ..models import WebhookSubscription
from .base import Resource

__all__ = ["WebhookSubscriptionsResource"]

_PATH = "/v2/webhook_subscriptions"
_TOPIC = re.compile(r"v\d+/[a-z][a-z0-9_-]*")


def _problems(callback_url: str | None, types: builtins.list[str] | None, *,
              https_only: bool) -> builtins.list[ErrorObject]:
    """What Qonto would refuse in a subscription's ``callback_url`` and ``types``
    (``None``: not given, not checked)."""
    problems = []
    if callback_url is not None:
        scheme = urlsplit(callback_url).scheme.lower()
        if scheme not in ("https", "http") or (scheme == "http" and https_only):
            problems.append(ErrorObject(
                code="invalid", status="422", pointer="/callback_url",
                detail=f"{callback_url}: Qonto delivers webhooks to a public HTTPS URL only"))
        if len(callback_url) > 512:
            problems.append(ErrorObject(code="invalid", status="422", pointer="/callback_url",
                                        detail="at most 512 characters"))
    if types is not None:
        if not types:
            problems.append(ErrorObject(code="missing_field", status="422", pointer="/types",
                                        detail="at least one topic, such as v1/client-invoices"))
        for index, topic in enumerate(types):
            if not _TOPIC.fullmatch(topic):
                problems.append(ErrorObject(
                    code="invalid", status="422", pointer=f"/types/{index}",
                    detail=f"{topic}: a type is a topic such as v1/client-invoices, "
                           f"without an event name"))
    return problems


class WebhookSubscriptionsResource(Resource):
    """Subscribe a URL to topics (``v1/client-invoices``), list, read, change, remove.

    Against Qonto itself, an ``http`` callback is refused before any request; a
    simulator's URL is not checked.
    """

    def _checked_body(self, callback_url: str | None, types: builtins.list[str] | None,
                      secret: str | None, description: str | None) -> dict[str, Any]:
        problems = _problems(callback_url, types, https_only=self._transport.is_qonto)
        if problems:
            raise PayloadError(problems, model="webhook subscription")
        body: dict[str, Any] = {}
        if callback_url is not None:
            body["callback_url"] = callback_url
        if types is not None:
            body["types"] = builtins.list(types)
        if secret:
            body["secret"] = secret
        if description:
            body["description"] = description
        return body

    def create(self, callback_url: str, types: builtins.list[str], *,
               secret: str | None = None,
               description: str | None = None) -> WebhookSubscription:
        """Subscribe ``callback_url`` to the topics ``types``; the answer carries the
        signing secret. A URL or topic Qonto would refuse raises
        :class:`~qonto_einvoicing.errors.PayloadError` before any request."""
        body = self._checked_body(callback_url, types, secret, description)
        data = self._transport.request("POST", _PATH, json=body, safe=False)
        return self._transport.unwrap(data, "webhook_subscription", WebhookSubscription,
                                      path=_PATH, bare=True)

    def list(self) -> Iterator[WebhookSubscription]:
        """The subscriptions of these credentials (without their secrets)."""
        return self._transport.paginate(_PATH, ("subscriptions", "webhook_subscriptions"),
                                        WebhookSubscription)

    def get(self, subscription_id: str) -> WebhookSubscription:
        """One subscription (*Get a webhook subscription*)."""
        path = f"{_PATH}/{subscription_id}"
        return self._transport.unwrap(self._transport.request("GET", path),
                                      "webhook_subscription", WebhookSubscription,
                                      path=path, bare=True)

    def update(self, subscription_id: str, *, callback_url: str | None = None,
               types: builtins.list[str] | None = None, secret: str | None = None,
               description: str | None = None) -> WebhookSubscription:
        """Change the fields given (*Update a webhook subscription*, ``PUT``)."""
        path = f"{_PATH}/{subscription_id}"
        body = self._checked_body(callback_url, types, secret, description)
        data = self._transport.request("PUT", path, json=body, safe=True)
        return self._transport.unwrap(data, "webhook_subscription", WebhookSubscription,
                                      path=path, bare=True)

    def delete(self, subscription_id: str) -> None:
        self._transport.request("DELETE", f"{_PATH}/{subscription_id}", safe=False)
