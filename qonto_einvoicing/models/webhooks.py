"""Webhook subscriptions and the events Qonto delivers."""

from __future__ import annotations

from typing import Any

from pydantic import Field

from .base import QontoObject
from .values import OptDateTime


class WebhookSubscription(QontoObject):
    """A webhook subscription; ``types`` are topics (``v1/client-invoices``)."""

    id: str
    organization_id: str | None = None
    membership_id: str | None = None
    callback_url: str
    types: list[str] = Field(default_factory=list)
    secret: str | None = Field(default=None, repr=False)
    description: str | None = None
    created_at: OptDateTime = None
    updated_at: OptDateTime = None


class WebhookEvent(QontoObject):
    """The envelope of a webhook delivery; ``data`` is the object (e.g. the invoice).

    ``type`` is the topic only (``v1/client-invoices``, ``v1/clients``); for
    ``v1/clients`` the event name (created, updated, deleted) is in ``data.event``.
    """

    id: str
    subscription_id: str | None = None
    organization_id: str | None = None
    membership_id: str | None = None
    type: str
    created_at: OptDateTime = None
    data: dict[str, Any] = Field(default_factory=dict)

    @property
    def object_id(self) -> str | None:
        """The id of the object the event is about (the invoice's, the client's)."""
        value = self.data.get("id")
        return value if isinstance(value, str) else None

    @property
    def topic(self) -> str:
        """The same as ``type``: Qonto's topic."""
        return self.type

    @property
    def event(self) -> str | None:
        """The event name, when Qonto gives one (``data.event`` for ``v1/clients``)."""
        value = self.data.get("event")
        return value if isinstance(value, str) else None
