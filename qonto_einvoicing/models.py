"""pydantic models of Qonto's objects and of the payloads this package sends.

Shapes and limits come from Qonto's OpenAPI blocks (``shared/seeds``) and API reference.
Answers are parsed leniently: unknown fields are kept (``extra="allow"``), Qonto's
empty strings for unset date-times are read as ``None``, and an enum-like field
(``status``, ``einvoicing_status``, ``kind``, ...) with a value this package does not
know is kept as its string and logged once at WARNING: Qonto adding a status must never
stop an invoice from being read.

Payloads are strict: lengths, enums, required fields, the performance-period rule, a
positive invoice total, the VAT exemption rule and French identifiers (SIREN, SIRET,
VAT number, e-invoicing address: :mod:`.identifiers`) are checked before a request
leaves. A wrong payload raises :class:`~qonto_einvoicing.errors.PayloadError` (never
pydantic's own error), and :func:`payload_errors` gives the same problems as the
JSON:API error objects Qonto would answer, with ``source.pointer`` on the field.

Money is :class:`~decimal.Decimal` end to end and is sent as a string. A payload refuses
a float for an amount, a quantity or a rate: ``0.1 + 0.2`` is ``0.30000000000000004``,
and no rule can tell which decimal the caller meant. Pass a ``Decimal``, a string or an
``int``.
"""

from __future__ import annotations

import datetime as dt
import logging
import threading
from collections.abc import Iterable
from decimal import ROUND_HALF_UP, Decimal
from typing import Annotated, Any, Generic, Literal, TypeVar

import pydantic
import pydantic_core
from pydantic import BaseModel, ConfigDict, Field, ValidationInfo, field_validator

from . import identifiers
from .errors import ErrorObject, PayloadError
from .lifecycle import LifecycleStage, stage

_logger = logging.getLogger(__name__)

__all__ = [
    "CLIENT_INVOICE_CURRENCIES",
    "Attachment",
    "BankAccount",
    "BulkImportedInvoice",
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
    "invoice_total",
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

CLIENT_INVOICE_STATUSES = ("draft", "unpaid", "paid", "canceled")
EINVOICING_STATUSES = ("pending", "submitted", "declined", "approved", "not_delivered",
                       "submission_failed")
CLIENT_KINDS = ("company", "individual", "freelancer")
SENDING_STATUSES = ("enabled", "disabled")
RECEIVING_STATUSES = ("enabled", "disabled", "pending_creation", "pending_deletion")

_warned: set[tuple[str, str]] = set()
_warned_lock = threading.Lock()


def _known(field: str, values: Iterable[str]) -> Any:
    """A string field of an answer whose known values are ``values``.

    Any other value is kept as it comes and logged once per process at WARNING (the one
    piece of module state here: a set of what was already reported), so that a value
    Qonto adds tomorrow never fails the reading of an invoice or of a list page.
    """
    known = frozenset(values)

    def check(value: str | None) -> str | None:
        if value is not None and value not in known:
            key = (field, value)
            with _warned_lock:
                first = key not in _warned
                _warned.add(key)
            if first:
                _logger.warning("Qonto answered %s=%r, a value this package does not know "
                                "(known: %s); it is kept as it is", field, value,
                                ", ".join(sorted(known)))
        return value

    return pydantic.AfterValidator(check)


StatusText = Annotated[str, _known("status", CLIENT_INVOICE_STATUSES)]
EInvoicingStatusText = Annotated[str, _known("einvoicing_status", EINVOICING_STATUSES)]
KindText = Annotated[str, _known("kind", CLIENT_KINDS)]
SendingStatusText = Annotated[str, _known("sending_status", SENDING_STATUSES)]
ReceivingStatusText = Annotated[str, _known("receiving_status", RECEIVING_STATUSES)]


def _exact_decimal(value: Any) -> Any:
    # A float has no exact decimal (0.1 + 0.2 is 0.30000000000000004): refuse it rather
    # than guess which rounding the caller meant. bool is an int to Python: refuse it too.
    if isinstance(value, bool):
        raise ValueError("a number is expected, not a boolean")
    if isinstance(value, float):
        raise ValueError(f"the float {value!r} cannot be sent exactly: pass a Decimal or a "
                         f"string (such as '0.3')")
    return value


ExactDecimal = Annotated[Decimal, pydantic.BeforeValidator(_exact_decimal),
                         Field(allow_inf_nan=False)]
_CENT = Decimal("0.01")


def _round2(value: Decimal) -> Decimal:
    return value.quantize(_CENT, rounding=ROUND_HALF_UP)


def _blank_to_none(value: Any) -> Any:
    # Qonto sends "" rather than null for unset date-times (finalized_at on a draft).
    return None if value == "" else value


OptDateTime = Annotated[dt.datetime | None, pydantic.BeforeValidator(_blank_to_none)]
OptDate = Annotated[dt.date | None, pydantic.BeforeValidator(_blank_to_none)]


class QontoObject(BaseModel):
    """An object read from Qonto: lenient, keeps fields this package does not know."""

    model_config = ConfigDict(extra="allow", populate_by_name=True)


class _PayloadMeta(type(BaseModel)):  # type: ignore[misc]
    # ``Model(...)`` raises PayloadError. Done in the metaclass, not in ``__init__``:
    # pydantic calls an overridden ``__init__`` for nested models too, inside its own
    # validation, which would wrap the error twice.
    def __call__(cls, *args: Any, **kwargs: Any) -> Any:
        try:
            return super().__call__(*args, **kwargs)
        except pydantic.ValidationError as exc:
            raise _payload_error(cls, exc) from None


class QontoPayload(BaseModel, metaclass=_PayloadMeta):
    """A body this package sends: strict, unknown fields refused.

    Building one (``Model(...)``, ``Model.model_validate(...)``,
    ``Model.model_validate_json(...)``) raises
    :class:`~qonto_einvoicing.errors.PayloadError`, with a JSON pointer per wrong field,
    instead of pydantic's ``ValidationError``.
    """

    model_config = ConfigDict(extra="forbid", populate_by_name=True)

    @classmethod
    def model_validate(cls, obj: Any, *args: Any, **kwargs: Any) -> Any:
        try:
            return super().model_validate(obj, *args, **kwargs)
        except pydantic.ValidationError as exc:
            raise _payload_error(cls, exc) from None

    @classmethod
    def model_validate_json(cls, json_data: Any, *args: Any, **kwargs: Any) -> Any:
        try:
            return super().model_validate_json(json_data, *args, **kwargs)
        except pydantic.ValidationError as exc:
            raise _payload_error(cls, exc) from None

    def to_json(self) -> dict[str, Any]:
        """The JSON body: decimals as strings, dates ISO, unset fields left out."""
        return self.model_dump(mode="json", exclude_none=True)


class Money(QontoObject):
    value: Decimal
    currency: str


class MoneyPayload(QontoPayload):
    value: ExactDecimal
    currency: str = Field(min_length=3, max_length=3)


class Discount(QontoPayload):
    """A discount: ``percentage`` (a rate, 0.0001 to 1) or ``absolute`` (an amount)."""

    type: Literal["percentage", "absolute"]
    value: ExactDecimal

    @field_validator("value")
    @classmethod
    def _range(cls, value: Decimal, info: ValidationInfo) -> Decimal:
        if info.data.get("type") == "percentage" and not Decimal("0.0001") <= value <= 1:
            raise ValueError("a percentage discount is a rate from 0.0001 (0.01 %) to 1 (100 %)")
        if info.data.get("type") == "absolute" and value <= 0:
            raise ValueError("an absolute discount is a positive amount")
        return value

    def amount(self, base: Decimal) -> Decimal:
        """The amount taken off ``base``."""
        return base * self.value if self.type == "percentage" else self.value


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
    sending_status: SendingStatusText | None = None
    receiving_status: ReceivingStatusText | None = None

    @property
    def can_send(self) -> bool:
        return self.sending_status == "enabled"


# ---------------------------------------------------------------- clients


class Client(QontoObject):
    """A customer as Qonto knows it."""

    id: str
    kind: KindText | None = None
    type: KindText | None = None
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
    # The flat address fields of Qonto's "Create a client" body, beside billing_address
    # (https://docs.qonto.com/api-reference/business-api/clients/create-a-client), with
    # the limits of the same fields of billing_address.
    address: str | None = Field(default=None, max_length=250)
    city: str | None = Field(default=None, max_length=50)
    zip_code: str | None = Field(default=None, max_length=20)
    province_code: str | None = Field(default=None, max_length=2)
    country_code: str | None = Field(default=None, max_length=2)
    billing_address: ClientAddress | None = Field(default=None, validate_default=True)
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

    # French identifiers are checked where they can be told apart from foreign ones: a
    # client is French when its billing country is FR or, without a billing country,
    # when its VAT number is French. An e-invoicing address is always French (the
    # Annuaire's formats); a VAT number starting with FR is always a French one.
    @field_validator("vat_number", mode="after")
    @classmethod
    def _fr_vat(cls, value: str | None) -> str | None:
        if value and identifiers.compact(value).startswith("FR") \
                and not identifiers.is_fr_vat(value):
            raise ValueError(f"{value} is not a French VAT number (FR, a 2-digit key that "
                             f"matches the SIREN, and the 9-digit SIREN)")
        return value

    @field_validator("e_invoicing_address", mode="after")
    @classmethod
    def _address(cls, value: str | None) -> str | None:
        if value is not None:
            problem = identifiers.einvoicing_address_problem(value)
            if problem:
                raise ValueError(problem)
        return value

    @field_validator("billing_address", mode="after")
    @classmethod
    def _french_tax_id(cls, value: ClientAddress | None,
                       info: ValidationInfo) -> ClientAddress | None:
        tin = info.data.get("tax_identification_number")
        country = (value.country_code or "").upper() if value else ""
        vat = identifiers.compact(info.data.get("vat_number"))
        french = country == "FR" or (not country and vat.startswith("FR"))
        if tin and french and not (identifiers.is_siren(tin) or identifiers.is_siret(tin)):
            # Reported on the field itself: see _tax_id_pointer.
            raise pydantic_core.PydanticCustomError(
                "french_tax_id",
                "tax_identification_number: {tin} is neither a SIREN (9 digits) nor a SIRET "
                "(14 digits) with a valid key, as a French client needs",
                {"tin": tin})
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
        return _round2(gross - off)


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


# ---------------------------------------------------------------- webhooks, attachments


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


# ---------------------------------------------------------------- totals


def invoice_total(items: Iterable[ClientInvoiceItemPayload],
                  discount: Discount | None = None) -> Decimal:
    """The total before VAT, as Qonto computes it: each line's subtotal rounded half-up
    to the cent, summed, less the invoice's own discount."""
    total = sum((item.subtotal() for item in items), Decimal(0))
    if discount is not None:
        total -= _round2(discount.amount(total))
    return total


# ---------------------------------------------------------------- validation errors


def _pointer(loc: tuple[Any, ...]) -> str:
    return "/" + "/".join(str(part) for part in loc) if loc else "/"


def error_objects(exc: pydantic.ValidationError) -> list[ErrorObject]:
    """pydantic's errors as Qonto-style error objects with a JSON pointer each."""
    errors = []
    for err in exc.errors(include_url=False, include_input=False):
        loc = tuple(err["loc"])
        code = "missing_field" if err["type"] == "missing" else "invalid"
        message = err["msg"].removeprefix("Value error, ")
        if err["type"] == "french_tax_id":
            # Found while checking the billing address (the country), about another field.
            loc = (*loc[:-1], "tax_identification_number")
            message = message.removeprefix("tax_identification_number: ")
        errors.append(ErrorObject(code=code, detail=message, status="422",
                                  pointer=_pointer(loc)))
    return errors


def _payload_error(model: type[BaseModel], exc: pydantic.ValidationError) -> PayloadError:
    return PayloadError(error_objects(exc), model=model.__name__)


def payload_errors(model: type[QontoPayload], data: Any) -> list[ErrorObject]:
    """Check ``data`` against a payload model; return Qonto-style error objects.

    An empty list means the payload is valid. Each error carries ``source.pointer`` on
    the field (``/items/0/title``), ``missing_field`` or ``invalid`` as its code, and a
    readable ``detail``. The simulator answers these as its 422, and callers use them to
    say which field of which record is wrong before anything is sent.
    """
    try:
        model.model_validate(data)
    except PayloadError as exc:
        return exc.problems
    return []
