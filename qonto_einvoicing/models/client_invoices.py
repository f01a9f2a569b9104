"""Client invoices: as Qonto answers them, their lifecycle, the create payload, uploads
and bulk imports, and the total as Qonto computes it."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from decimal import Decimal
from typing import Any, Literal

from pydantic import Field, ValidationInfo, field_validator

from ..lifecycle import LifecycleStage, stage
from .base import Discount, Money, MoneyPayload, QontoObject, QontoPayload
from .values import (
    CLIENT_INVOICE_CURRENCIES,
    EInvoicingStatusText,
    ExactDecimal,
    OptDate,
    OptDateTime,
    StatusText,
    VatExemptionReason,
    round_cents,
)


class LifecycleEvent(QontoObject):
    """One step of the invoice on the e-invoicing network."""

    status_code: int
    reason: str | None = None
    reason_message: str | None = None
    timestamp: OptDateTime = None

    @property
    def stage(self) -> LifecycleStage:
        return stage(self.status_code)


class ClientInvoiceItem(QontoObject):
    title: str | None = None
    description: str | None = None
    quantity: Decimal | None = None
    unit: str | None = None
    unit_price: Money | None = None
    unit_price_cents: int | None = None
    vat_rate: Decimal | None = None
    vat_exemption_reason: str | None = None
    discount: dict[str, Any] | None = None
    total_vat: Money | None = None
    total_vat_cents: int | None = None
    total_amount: Money | None = None
    total_amount_cents: int | None = None
    subtotal: Money | None = None
    subtotal_cents: int | None = None


class PaymentMethod(QontoObject):
    beneficiary_name: str | None = None
    bic: str | None = None
    iban: str | None = None
    type: str | None = None


class ClientInvoice(QontoObject):
    """A client invoice as Qonto answers it (seed ``002``'s ``ClientInvoice``).

    ``status`` and ``einvoicing_status`` are strings: the known values are
    :data:`CLIENT_INVOICE_STATUSES` and :data:`EINVOICING_STATUSES`, and any other is
    kept (and logged once) rather than refused.
    """

    id: str
    organization_id: str | None = None
    attachment_id: str | None = None
    number: str | None = None
    purchase_order: str | None = None
    status: StatusText
    invoice_url: str | None = None
    contact_email: str | None = None
    terms_and_conditions: str | None = None
    discount_conditions: str | None = None
    late_payment_penalties: str | None = None
    legal_fixed_compensation: str | None = None
    header: str | None = None
    footer: str | None = None
    currency: str | None = None
    discount: dict[str, Any] | None = None
    total_amount: Money | None = None
    total_amount_cents: int | None = None
    vat_amount: Money | None = None
    vat_amount_cents: int | None = None
    issue_date: OptDate = None
    due_date: OptDate = None
    performance_date: OptDate = None
    performance_start_date: OptDate = None
    performance_end_date: OptDate = None
    created_at: OptDateTime = None
    updated_at: OptDateTime = None
    finalized_at: OptDateTime = None
    paid_at: OptDateTime = None
    amount_paid: Money | None = None
    stamp_duty_amount: str | None = None
    items: list[ClientInvoiceItem] = Field(default_factory=list)
    client: dict[str, Any] | None = None
    payment_methods: list[PaymentMethod] = Field(default_factory=list)
    credit_notes_ids: list[str] = Field(default_factory=list)
    organization: dict[str, Any] | None = None
    einvoicing_status: EInvoicingStatusText | None = None
    welfare_fund: dict[str, Any] | None = None
    withholding_tax: dict[str, Any] | None = None
    payment_reporting: dict[str, Any] | None = None
    invoice_type: str | None = None
    einvoicing_lifecycle_events: list[LifecycleEvent] = Field(default_factory=list)

    @field_validator("einvoicing_lifecycle_events", "items", "payment_methods",
                     "credit_notes_ids", mode="before")
    @classmethod
    def _null_list(cls, value: Any) -> Any:
        return [] if value is None else value

    @property
    def client_id(self) -> str | None:
        return (self.client or {}).get("id")

    @property
    def latest_event(self) -> LifecycleEvent | None:
        events = sorted(self.einvoicing_lifecycle_events,
                        key=lambda e: (e.timestamp is None, e.timestamp))
        return events[-1] if events else None


class ClientInvoiceItemPayload(QontoPayload):
    """One line. ``unit_price`` comes before ``quantity`` so that a line whose quantity
    and unit price are both negative is reported on ``quantity``."""

    title: str = Field(min_length=1, max_length=40)
    description: str | None = Field(default=None, max_length=1800)
    unit_price: MoneyPayload
    quantity: ExactDecimal
    unit: str | None = Field(default=None, max_length=20)
    vat_rate: ExactDecimal = Field(ge=0, le=1)
    vat_exemption_reason: VatExemptionReason | None = None
    discount: Discount | None = None

    @field_validator("quantity")
    @classmethod
    def _not_double_negative(cls, value: Decimal, info: ValidationInfo) -> Decimal:
        price = info.data.get("unit_price")
        if value < 0 and price is not None and price.value < 0:
            raise ValueError(f"quantity {value} and unit price {price.value} are both negative: "
                             f"a credit is a credit note, not an invoice line")
        return value

    # Seed 002: "VAT exemption reason when the item's vat_rate is equal to 0 [...] If VAT
    # rate is not 0, this field should not be included." The same page makes the reason
    # required for Italian organizations only, so a 0 % line without one is accepted.
    @field_validator("vat_exemption_reason")
    @classmethod
    def _exemption_needs_zero_rate(cls, value: str | None, info: ValidationInfo) -> str | None:
        rate = info.data.get("vat_rate")
        if value is not None and rate is not None and rate != 0:
            raise ValueError(f"a VAT exemption reason goes only with a 0 % VAT rate, not with "
                             f"{rate}")
        return value

    def subtotal(self) -> Decimal:
        """Quantity × unit price, less the line's discount, rounded half-up to the cent."""
        gross = self.quantity * self.unit_price.value
        off = self.discount.amount(gross) if self.discount else Decimal(0)
        return round_cents(gross - off)


class PaymentMethodsPayload(QontoPayload):
    iban: str = Field(min_length=15, max_length=34)


class ClientInvoiceCreatePayload(QontoPayload):
    """The body of ``POST /v2/client_invoices`` (seed ``002``)."""

    client_id: str = Field(min_length=1)
    upload_id: str | None = None
    issue_date: dt.date
    performance_start_date: dt.date | None = None
    performance_end_date: dt.date | None = None
    due_date: dt.date
    status: Literal["draft", "unpaid"] | None = None
    number: str | None = Field(default=None, min_length=1, max_length=40)
    purchase_order: str | None = Field(default=None, max_length=40)
    terms_and_conditions: str | None = Field(default=None, max_length=525)
    header: str | None = None
    footer: str | None = None
    currency: str
    payment_methods: PaymentMethodsPayload
    settings: dict[str, Any] | None = None
    discount: Discount | None = None
    items: list[ClientInvoiceItemPayload] = Field(min_length=1)

    @field_validator("items")
    @classmethod
    def _positive_total(cls, items: list[ClientInvoiceItemPayload],
                        info: ValidationInfo) -> list[ClientInvoiceItemPayload]:
        total = invoice_total(items, info.data.get("discount"))
        if total <= 0:
            raise ValueError(f"the invoice total before VAT is {total}: Qonto issues an "
                             f"invoice only for a positive amount (a credit is a credit note)")
        return items

    @field_validator("currency")
    @classmethod
    def _currency(cls, value: str) -> str:
        if value not in CLIENT_INVOICE_CURRENCIES:
            raise ValueError(f"currency {value} is not accepted by Qonto (only EUR)")
        return value

    @field_validator("performance_end_date")
    @classmethod
    def _period_end(cls, value: dt.date | None, info: ValidationInfo) -> dt.date | None:
        start = info.data.get("performance_start_date")
        if value and not start:
            raise ValueError("performance_start_date is required with performance_end_date")
        if value and start and start > value:
            raise ValueError("performance_end_date must not be before performance_start_date")
        return value

    @field_validator("due_date")
    @classmethod
    def _due_after_issue(cls, value: dt.date, info: ValidationInfo) -> dt.date:
        issue = info.data.get("issue_date")
        if issue and value < issue:
            raise ValueError("due_date must not be before issue_date")
        return value


class BulkImportedInvoice(QontoObject):
    """One entry of the answer of ``POST /v2/client_invoices/bulk``."""

    invoice_id: str
    file_name: str | None = None


class ClientInvoiceUpload(QontoObject):
    id: str
    filename: str | None = None
    content_type: str | None = None
    file_size: int | None = None
    url: str | None = None
    created_at: OptDateTime = None


def invoice_total(items: Iterable[ClientInvoiceItemPayload],
                  discount: Discount | None = None) -> Decimal:
    """The total before VAT, as Qonto computes it: each line's subtotal rounded half-up
    to the cent, summed, less the invoice's own discount."""
    total = sum((item.subtotal() for item in items), Decimal(0))
    if discount is not None:
        total -= round_cents(discount.amount(total))
    return total
