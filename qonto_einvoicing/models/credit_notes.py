"""Credit notes: as Qonto answers them, and the create payload."""

from __future__ import annotations

import datetime as dt
from typing import Any

from pydantic import Field, field_validator

from .base import Money, QontoObject, QontoPayload
from .client_invoices import ClientInvoiceItem, ClientInvoiceItemPayload, LifecycleEvent
from .values import EInvoicingStatusText, OptDate


class CreditNote(QontoObject):
    id: str
    invoice_id: str | None = None
    number: str | None = None
    issue_date: OptDate = None
    reason: str | None = None
    currency: str | None = None
    total_amount: Money | None = None
    total_amount_cents: int | None = None
    einvoicing_status: EInvoicingStatusText | None = None
    einvoicing_lifecycle_events: list[LifecycleEvent] = Field(default_factory=list)
    items: list[ClientInvoiceItem] = Field(default_factory=list)

    @field_validator("einvoicing_lifecycle_events", "items", mode="before")
    @classmethod
    def _null_list(cls, value: Any) -> Any:
        return [] if value is None else value


class CreditNoteCreatePayload(QontoPayload):
    invoice_id: str
    issue_date: dt.date
    reason: str | None = Field(default=None, max_length=500)
    currency: str
    number: str | None = Field(default=None, max_length=40)
    items: list[ClientInvoiceItemPayload] = Field(min_length=1)
    terms_and_conditions: str | None = None
    contact_email: str | None = Field(default=None, max_length=250)

    @field_validator("items")
    @classmethod
    def _positive(cls, items: list[ClientInvoiceItemPayload]) -> list[ClientInvoiceItemPayload]:
        # Qonto negates the quantities itself.
        for item in items:
            if item.quantity <= 0:
                raise ValueError("credit note quantities are positive")
        return items
