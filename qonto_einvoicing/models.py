"""pydantic models of Qonto's objects and of the payloads this package sends.

Shapes and limits come from Qonto's OpenAPI blocks (``shared/seeds``) and API reference.
Answers are parsed leniently: unknown fields are kept (``extra="allow"``) and Qonto's
empty strings for unset date-times are read as ``None``. Payloads are strict: lengths,
enums, required fields and the performance-period rule are checked before a request
leaves, and :func:`payload_errors` turns a failed check into the same JSON:API error
objects Qonto would answer, with ``source.pointer`` on the field.

Money is :class:`~decimal.Decimal`, never float, and is sent as a string.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Annotated, Any, Generic, Literal, TypeVar

import pydantic
from pydantic import BaseModel, ConfigDict, Field, ValidationInfo, field_validator

from .errors import ErrorObject
from .lifecycle import LifecycleStage, stage

__all__ = [
    "CLIENT_INVOICE_CURRENCIES",
    "Attachment",
    "BankAccount",
    "Client",
    "ClientAddress",
    "ClientInvoice",
    "ClientInvoiceCreatePayload",
    "ClientInvoiceItem",
    "ClientInvoiceItemPayload",
    "ClientInvoiceUpload",
    "ClientPayload",
    "CreditNote",
    "CreditNoteCreatePayload",
    "Discount",
    "EInvoicingSettings",
    "LifecycleEvent",
    "Money",
    "Organization",
    "PageMeta",
    "WebhookEvent",
    "WebhookSubscription",
    "payload_errors",
]

# Qonto's rendered reference for create a client invoice says: "Currently, only value
# allowed is EUR" even though its OpenAPI enum lists more; we follow the stricter text.
CLIENT_INVOICE_CURRENCIES = frozenset({"EUR"})

VAT_EXEMPTION_REASONS = (
    "N1", "N2", "N2.1", "N2.2", "N3", "N3.1", "N3.2", "N3.3", "N3.4", "N3.5", "N3.6",
    "N4", "N5", "N6", "N6.1", "N6.2", "N6.3", "N6.4", "N6.5", "N6.6", "N6.7", "N6.8",
    "N6.9", "N7", "S293B", "S262.1", "S259", "S283", "S261", "S262", "S263", "S19.1",
    "S4.1B", "S4.1A", "S4", "S13B", "S122", "S25", "S21", "S69", "S20", "S84.1.2",
)
VatExemptionReason = Literal[VAT_EXEMPTION_REASONS]  # type: ignore[valid-type]

ClientInvoiceStatus = Literal["draft", "unpaid", "paid", "canceled"]
EInvoicingStatus = Literal[
    "pending", "submitted", "declined", "approved", "not_delivered", "submission_failed"
]
ClientKind = Literal["company", "individual", "freelancer"]


def _blank_to_none(value: Any) -> Any:
    # Qonto sends "" rather than null for unset date-times (finalized_at on a draft).
    return None if value == "" else value


OptDateTime = Annotated[dt.datetime | None, pydantic.BeforeValidator(_blank_to_none)]
OptDate = Annotated[dt.date | None, pydantic.BeforeValidator(_blank_to_none)]


class QontoObject(BaseModel):
    """An object read from Qonto: lenient, keeps fields this package does not know."""

    model_config = ConfigDict(extra="allow", populate_by_name=True)


class QontoPayload(BaseModel):
    """A body this package sends: strict, unknown fields refused."""

    model_config = ConfigDict(extra="forbid", populate_by_name=True)

    def to_json(self) -> dict[str, Any]:
        """The JSON body: decimals as strings, dates ISO, unset fields left out."""
        return self.model_dump(mode="json", exclude_none=True)


class Money(QontoObject):
    value: Decimal
    currency: str


class MoneyPayload(QontoPayload):
    value: Decimal
    currency: str = Field(min_length=3, max_length=3)


class Discount(QontoPayload):
    type: Literal["percentage", "absolute"]
    value: Decimal


class ClientAddress(QontoPayload):
    """A client's billing or delivery address, with Qonto's length limits."""

    model_config = ConfigDict(extra="allow")

    street_address: str | None = Field(default=None, max_length=250)
    city: str | None = Field(default=None, max_length=50)
    zip_code: str | None = Field(default=None, max_length=20)
    province_code: str | None = Field(default=None, max_length=2)
    country_code: str | None = Field(default=None, max_length=2)


# ---------------------------------------------------------------- organization


class BankAccount(QontoObject):
    id: str | None = None
    name: str | None = None
    iban: str
    bic: str | None = None
    currency: str | None = None
    status: str | None = None
    main: bool | None = None


class Organization(QontoObject):
    id: str | None = None
    slug: str | None = None
    legal_name: str | None = None
    legal_number: str | None = None
    legal_country: str | None = None
    bank_accounts: list[BankAccount] = Field(default_factory=list)

    @property
    def ibans(self) -> list[str]:
        return [account.iban for account in self.bank_accounts]


class EInvoicingSettings(QontoObject):
    sending_status: str | None = None
    receiving_status: str | None = None

    @property
    def can_send(self) -> bool:
        return self.sending_status == "enabled"


# ---------------------------------------------------------------- clients


class Client(QontoObject):
    """A customer as Qonto knows it."""

    id: str
    kind: ClientKind | None = None
    type: ClientKind | None = None
    name: str | None = None
    first_name: str | None = None
    last_name: str | None = None
    email: str | None = None
    extra_emails: list[str] | None = None
    vat_number: str | None = None
    tax_identification_number: str | None = None
    e_invoicing_address: str | None = None
    e_invoicing_reachable: bool | None = None
    billing_address: dict[str, Any] | None = None
    delivery_address: dict[str, Any] | None = None
    currency: str | None = None
    locale: str | None = None
    recipient_code: str | None = None
    created_at: OptDateTime = None
    updated_at: OptDateTime = None

    @property
    def display_name(self) -> str:
        return self.name or " ".join(filter(None, [self.first_name, self.last_name])) or self.id


class ClientPayload(QontoPayload):
    """The body of create (and update) a client."""

    kind: ClientKind = "company"
    name: str | None = Field(default=None, max_length=250, validate_default=True)
    first_name: str | None = Field(default=None, max_length=60, validate_default=True)
    last_name: str | None = Field(default=None, max_length=60, validate_default=True)
    email: str | None = Field(default=None, max_length=250)
    extra_emails: list[str] | None = None
    vat_number: str | None = Field(default=None, max_length=20)
    tax_identification_number: str | None = Field(default=None, max_length=30)
    e_invoicing_address: str | None = Field(default=None, max_length=100)
    billing_address: ClientAddress | None = None
    delivery_address: ClientAddress | None = None
    currency: str | None = Field(default=None, min_length=3, max_length=3)
    locale: str | None = Field(default=None, max_length=5)
    recipient_code: str | None = None

    # A company is named; a person (individual, freelancer) has a first and last name.
    # Checked per field, so that the error points at the field to fill in.
    @field_validator("name", mode="after")
    @classmethod
    def _company_name(cls, value: str | None, info: ValidationInfo) -> str | None:
        if info.data.get("kind") == "company" and not value:
            raise ValueError("name is required for a company client")
        return value

    @field_validator("first_name", "last_name", mode="after")
    @classmethod
    def _person_name(cls, value: str | None, info: ValidationInfo) -> str | None:
        kind = info.data.get("kind")
        if kind is not None and kind != "company" and not value:
            raise ValueError(f"{info.field_name} is required for a person")
        return value


# ---------------------------------------------------------------- client invoices


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
    """A client invoice as Qonto answers it (seed ``002``'s ``ClientInvoice``)."""

    id: str
    organization_id: str | None = None
    attachment_id: str | None = None
    number: str | None = None
    purchase_order: str | None = None
    status: ClientInvoiceStatus
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
    einvoicing_status: str | None = None
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
    title: str = Field(min_length=1, max_length=40)
    description: str | None = Field(default=None, max_length=1800)
    quantity: Decimal
    unit: str | None = Field(default=None, max_length=20)
    unit_price: MoneyPayload
    vat_rate: Decimal = Field(ge=0, le=1)
    vat_exemption_reason: VatExemptionReason | None = None
    discount: Discount | None = None


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
    items: list[ClientInvoiceItemPayload] = Field(min_length=1)
    discount: Discount | None = None

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


class ClientInvoiceUpload(QontoObject):
    id: str
    filename: str | None = None
    content_type: str | None = None
    file_size: int | None = None
    url: str | None = None
    created_at: OptDateTime = None


# ---------------------------------------------------------------- credit notes


class CreditNote(QontoObject):
    id: str
    invoice_id: str | None = None
    number: str | None = None
    issue_date: OptDate = None
    reason: str | None = None
    currency: str | None = None
    total_amount: Money | None = None
    total_amount_cents: int | None = None
    einvoicing_status: str | None = None
    einvoicing_lifecycle_events: list[LifecycleEvent] = Field(default_factory=list)
    items: list[ClientInvoiceItem] = Field(default_factory=list)


class CreditNoteCreatePayload(QontoPayload):
    invoice_id: str
    issue_date: dt.date
    reason: str | None = Field(default=None, max_length=500)
    currency: str
    number: str | None = Field(default=None, max_length=40)
    items: list[ClientInvoiceItemPayload] = Field(min_length=1)

    @field_validator("items")
    @classmethod
    def _positive(cls, items: list[ClientInvoiceItemPayload]) -> list[ClientInvoiceItemPayload]:
        # Qonto negates the quantities itself.
        for item in items:
            if item.quantity <= 0:
                raise ValueError("credit note quantities are positive")
        return items


# ---------------------------------------------------------------- webhooks, attachments


class WebhookSubscription(QontoObject):
    id: str
    callback_url: str
    types: list[str] = Field(default_factory=list)
    secret: str | None = Field(default=None, repr=False)
    description: str | None = None
    created_at: OptDateTime = None


class WebhookEvent(QontoObject):
    """The envelope of a webhook delivery; ``data`` is the object (e.g. the invoice)."""

    id: str
    subscription_id: str | None = None
    organization_id: str | None = None
    membership_id: str | None = None
    type: str
    created_at: OptDateTime = None
    data: dict[str, Any] = Field(default_factory=dict)

    @property
    def object_id(self) -> str | None:
        return self.data.get("id")


class Attachment(QontoObject):
    id: str
    file_name: str | None = None
    file_size: int | None = None
    file_content_type: str | None = None
    url: str | None = None
    created_at: OptDateTime = None


class PageMeta(QontoObject):
    current_page: int = 1
    next_page: int | None = None
    prev_page: int | None = None
    total_pages: int | None = None
    total_count: int | None = None
    per_page: int | None = None


T = TypeVar("T")


class Page(BaseModel, Generic[T]):
    """One page of a list answer."""

    items: list[T]
    meta: PageMeta


# ---------------------------------------------------------------- validation errors


def _pointer(loc: tuple[Any, ...]) -> str:
    return "/" + "/".join(str(part) for part in loc) if loc else "/"


def payload_errors(model: type[QontoPayload], data: Any) -> list[ErrorObject]:
    """Check ``data`` against a payload model; return Qonto-style error objects.

    An empty list means the payload is valid. Each error carries ``source.pointer`` on
    the field (``/items/0/title``), ``missing_field`` or ``invalid`` as its code, and a
    readable ``detail``. The simulator answers these as its 422, and callers use them to
    say which field of which record is wrong before anything is sent.
    """
    try:
        model.model_validate(data)
    except pydantic.ValidationError as exc:
        errors = []
        for err in exc.errors(include_url=False, include_input=False):
            loc = tuple(err["loc"])
            code = "missing_field" if err["type"] == "missing" else "invalid"
            message = err["msg"].removeprefix("Value error, ")
            errors.append(ErrorObject(code=code, detail=message, status="422",
                                      pointer=_pointer(loc)))
        return errors
    return []
