"""pydantic models of Qonto's objects and of the payloads this package sends, one
module per Qonto resource (:mod:`.values` and :mod:`.base` hold what they share).

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

from .attachments import (
    Attachment,
)
from .base import (
    Discount,
    Money,
    MoneyPayload,
    Page,
    PageMeta,
    QontoObject,
    QontoPayload,
    error_objects,
    payload_errors,
)
from .client_invoices import (
    BulkImportedInvoice,
    ClientInvoice,
    ClientInvoiceCreatePayload,
    ClientInvoiceItem,
    ClientInvoiceItemPayload,
    ClientInvoiceUpload,
    LifecycleEvent,
    PaymentMethod,
    PaymentMethodsPayload,
    invoice_total,
)
from .clients import (
    Client,
    ClientAddress,
    ClientPayload,
)
from .credit_notes import (
    CreditNote,
    CreditNoteCreatePayload,
)
from .organization import (
    BankAccount,
    EInvoicingSettings,
    Organization,
)
from .values import (
    CLIENT_INVOICE_CURRENCIES,
    CLIENT_INVOICE_STATUSES,
    CLIENT_KINDS,
    EINVOICING_STATUSES,
    RECEIVING_STATUSES,
    SENDING_STATUSES,
    VAT_EXEMPTION_REASONS,
    ClientInvoiceStatus,
    ClientKind,
    EInvoicingStatus,
    EInvoicingStatusText,
    ExactDecimal,
    KindText,
    OptDate,
    OptDateTime,
    ReceivingStatusText,
    SendingStatusText,
    StatusText,
    VatExemptionReason,
)
from .webhooks import (
    WebhookEvent,
    WebhookSubscription,
)

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
