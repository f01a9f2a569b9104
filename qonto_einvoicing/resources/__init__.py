"""The Qonto resources of :class:`~qonto_einvoicing.client.QontoClient`, one module each.

Each resource says which endpoints it calls and which of its requests are safe to
repeat; the shared :class:`~qonto_einvoicing.transport.Transport` does the HTTP.
"""

from .attachments import AttachmentsResource
from .client_invoices import ClientInvoicesResource
from .clients import ClientsResource
from .credit_notes import CreditNotesResource
from .invoice_files import BulkImportsResource, UploadsResource
from .organization import OrganizationResource
from .supplier_invoices import SupplierInvoicesResource
from .webhook_subscriptions import WebhookSubscriptionsResource

__all__ = [
    "AttachmentsResource",
    "BulkImportsResource",
    "ClientInvoicesResource",
    "ClientsResource",
    "CreditNotesResource",
    "OrganizationResource",
    "SupplierInvoicesResource",
    "UploadsResource",
    "WebhookSubscriptionsResource",
]
