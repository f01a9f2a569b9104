"""Webhook deliveries: queued on a change, signed like Qonto's, retried with backoff.

Topics (a subscription's ``types``, and the ``type`` of each delivery's envelope; see
https://docs.qonto.com/api-reference/business-api/webhooks/supported-webhooks/v1-client-invoices
and https://docs.qonto.com/api-reference/business-api/webhooks/supported-webhooks/v1-clients):

- ``v1/client-invoices`` — an invoice was created, or anything changed on it: edit,
  finalize, payment, cancellation, send request, each lifecycle step, its PDF becoming
  ready. ``data`` is the invoice as it was then, without its
  ``einvoicing_lifecycle_events``, as Qonto documents: a delivery is a hint to re-read it;
- ``v1/clients`` — a client was created, updated or deleted; ``data`` is the client (just
  ``{"id"}`` once deleted) with the event name in ``data.event``.

The envelope is ``{id, subscription_id, organization_id, membership_id, type,
created_at, data}``. A subscription receives the events of the topics in its ``types``
(a state saved by the first version may hold an event type such as
``v1/client-invoices.updated``: it still receives that event). Each delivery record keeps
the event name (``v1/client-invoices.updated``) as ``event_type`` for inspection.

Each delivery is a ``POST`` of the JSON body with ``X-Qonto-Signature: t=<unix>,v1=<hex>``
(:func:`qonto_einvoicing.webhooks.signature_header`), timestamped with the wall clock so
that a receiver's five-minute window holds even after the simulator clock was advanced.
The receiver has one second to answer 2xx. Otherwise the delivery is tried again after
``retry_seconds × 2^(attempts − 1)`` of simulator time, and given up (status ``failed``)
after ``max_attempts`` attempts. Deliveries are kept, with each attempt, for inspection.
"""

from __future__ import annotations

import json
import threading
import uuid
from typing import Any

import requests

from ..webhooks import SIGNATURE_HEADER, signature_header
from .clock import Clock, iso
from .state import Record, Store

__all__ = ["EVENT_TYPES", "TOPICS", "WebhookSender", "subscribed"]

TOPICS: dict[str, tuple[str, ...]] = {
    "v1/client-invoices": ("created", "updated"),
    "v1/clients": ("created", "updated", "deleted"),
}
EVENT_TYPES = frozenset(f"{topic}.{event}" for topic, events in TOPICS.items()
                        for event in events)

DELIVERY_TIMEOUT = 1.0  # seconds: Qonto waits at most one second for the 2xx


def subscribed(types: list[str], event_type: str) -> bool:
    """Whether a subscription with ``types`` receives ``event_type``."""
    return event_type in types or event_type.rpartition(".")[0] in types


class WebhookSender:
    """Queues webhook deliveries and sends those that are due."""

    def __init__(self, store: Store, clock: Clock, retry_seconds: float,
                 max_attempts: int) -> None:
        self._store = store
        self._clock = clock
        self.retry_seconds = retry_seconds
        self.max_attempts = max_attempts
        # Only one thread sends at a time (the ticker, or a clock advance), so a delivery
        # is never sent twice; the store lock is not held while sending, so a receiver
        # that calls the simulator back does not deadlock.
        self._sending = threading.Lock()

    def emit(self, org: Record, topic: str, event: str, data: dict[str, Any],
             at: float) -> None:
        """Queue ``topic``'s ``event`` for each subscription that wants it (lock held)."""
        event_type = f"{topic}.{event}"
        for subscription in org["webhook_subscriptions"].values():
            if not subscribed(subscription["types"], event_type):
                continue
            envelope = {
                "id": str(uuid.uuid4()),
                "subscription_id": subscription["id"],
                "organization_id": org["id"],
                "membership_id": org["membership_id"],
                "type": topic,
                "created_at": iso(at),
                "data": data,
            }
            self._store.data["deliveries"].append({
                "id": str(uuid.uuid4()),
                "organization_id": org["id"],
                "subscription_id": subscription["id"],
                "event_id": envelope["id"],
                "type": topic,
                "event_type": event_type,
                "object_id": data.get("id"),
                "callback_url": subscription["callback_url"],
                # Kept as text so that every attempt sends the very same bytes.
                "body": json.dumps(envelope, ensure_ascii=False),
                "status": "pending",
                "attempts": [],
                "next_attempt_at": at,
                "created_at": iso(at),
            })
            self._store.mark_changed()

    def deliver_due(self) -> int:
        """Send every delivery that is due; return how many were accepted (2xx)."""
        delivered = 0
        with self._sending:
            with self._store.lock:
                now = self._clock.now()
                due = [d for d in self._store.data["deliveries"]
                       if d["status"] == "pending" and d["next_attempt_at"] <= now]
                secrets = {d["id"]: self._secret(d) for d in due}
            for delivery in due:
                secret = secrets[delivery["id"]]
                if secret is None:
                    outcome: tuple[int | None, str | None] = (None, "subscription deleted")
                else:
                    outcome = self._post(delivery, secret)
                with self._store.lock:
                    delivered += self._record(delivery, *outcome, gone=secret is None)
                    self._store.save_if_changed()
        return delivered

    def _secret(self, delivery: Record) -> str | None:
        org = self._store.organization(delivery["organization_id"])
        subscription = (org or {}).get("webhook_subscriptions", {}).get(
            delivery["subscription_id"])
        return subscription["secret"] if subscription else None

    @staticmethod
    def _post(delivery: Record, secret: str) -> tuple[int | None, str | None]:
        body = delivery["body"].encode("utf-8")
        headers = {
            "Content-Type": "application/json",
            "User-Agent": "qonto-simulator-webhooks",
            SIGNATURE_HEADER: signature_header(secret, body),
        }
        try:
            answer = requests.post(delivery["callback_url"], data=body, headers=headers,
                                   timeout=DELIVERY_TIMEOUT, allow_redirects=False)
        except requests.RequestException as exc:
            return None, type(exc).__name__
        return answer.status_code, None

    def _record(self, delivery: Record, status_code: int | None, error: str | None, *,
                gone: bool) -> int:
        now = self._clock.now()
        delivery["attempts"].append({"at": iso(now), "status_code": status_code,
                                     "error": error})
        self._store.mark_changed()
        if status_code is not None and 200 <= status_code < 300:
            delivery["status"] = "delivered"
            return 1
        if gone or len(delivery["attempts"]) >= self.max_attempts:
            delivery["status"] = "failed"
        else:
            backoff = self.retry_seconds * 2 ** (len(delivery["attempts"]) - 1)
            delivery["next_attempt_at"] = now + backoff
        return 0
