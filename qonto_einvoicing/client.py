"""A typed client for the parts of Qonto's Business API that e-invoicing needs.

One :class:`QontoClient` serves one Qonto organization. It is a
:class:`~qonto_einvoicing.transport.Transport` (auth, timeouts, retries, the shared
rate limiter, pagination: how 429, 5xx and lost connections are handled is said there)
and one resource per kind of Qonto object (:mod:`qonto_einvoicing.resources`)::

    qonto.client_invoices.finalize(invoice_id)
    qonto.webhook_subscriptions.update(subscription_id, types=["v1/client-invoices"])

The flat methods of earlier versions (``qonto.finalize_client_invoice(...)``) remain, as
one-line delegations, so that callers need not change.

- A create is never repeated blindly (Qonto has no idempotency key): when its answer is
  lost, the invoice is looked up by its number.
- Bodies Qonto does not document (``finalize``, ``unmark_as_paid``,
  ``mark_as_canceled``) are never read: those methods return ``None``; re-read the
  invoice with :meth:`QontoClient.get_client_invoice` when its state matters.

Errors are raised as the classes of :mod:`qonto_einvoicing.errors`; a payload that
Qonto would refuse raises :class:`~qonto_einvoicing.errors.PayloadError` before any
request, and an answer that cannot be read
:class:`~qonto_einvoicing.errors.UnexpectedResponseError`.
"""

from __future__ import annotations

import datetime as dt
import time
from collections.abc import Callable, Iterator, Mapping
from typing import Any, TypeVar

import requests
from pydantic import BaseModel

from . import resources
from .auth import ApiKey, Credentials
from .downloads import MAX_DOWNLOAD_BYTES
from .models import (
    Attachment,
    BulkImportedInvoice,
    Client,
    ClientInvoice,
    ClientInvoiceCreatePayload,
    ClientInvoiceUpload,
    ClientPayload,
    CreditNote,
    CreditNoteCreatePayload,
    EInvoicingSettings,
    Organization,
    WebhookSubscription,
)
from .ratelimit import RateLimiter
from .receiving import SupplierInvoice
from .retry import RetryPolicy
from .transport import MAX_PER_PAGE, PRODUCTION_URL, SANDBOX_URL, Transport

__all__ = ["PRODUCTION_URL", "SANDBOX_URL", "QontoClient", "RetryPolicy"]

M = TypeVar("M", bound=BaseModel)


class QontoClient:
    """Qonto's Business API for one organization.

    ``base_url`` is :data:`PRODUCTION_URL`, :data:`SANDBOX_URL` (then pass
    ``staging_token``) or any URL, such as the simulator's. ``credentials`` is an
    :class:`~qonto_einvoicing.auth.ApiKey`, an
    :class:`~qonto_einvoicing.auth.OAuthTokenAuth`, or ``"login:secret-key"``.
    ``timeout`` is ``(connect, read)`` seconds. ``rate_limiter``, shared by the clients
    of a process, paces every HTTP attempt under Qonto's per-IP limits.

    Its resources: ``organization``, ``clients``, ``client_invoices``, ``uploads``,
    ``bulk_imports``, ``credit_notes``, ``webhook_subscriptions``, ``attachments``,
    ``supplier_invoices`` (:mod:`qonto_einvoicing.resources`), over one ``transport``.
    """

    def __init__(self, base_url: str, credentials: Credentials | str, *,
                 staging_token: str | None = None,
                 timeout: tuple[float, float] = (5.0, 30.0),
                 retry: RetryPolicy | None = None,
                 session: requests.Session | None = None,
                 sleep: Callable[[float], None] = time.sleep,
                 user_agent: str = "qonto-einvoicing",
                 rate_limiter: RateLimiter | None = None) -> None:
        self.transport = Transport(
            base_url, ApiKey.parse(credentials) if isinstance(credentials, str) else credentials,
            staging_token=staging_token, timeout=timeout, retry=retry or RetryPolicy(),
            session=session or requests.Session(), sleep=sleep, user_agent=user_agent,
            rate_limiter=rate_limiter)
        self.organization = resources.OrganizationResource(self.transport)
        self.clients = resources.ClientsResource(self.transport)
        self.client_invoices = resources.ClientInvoicesResource(self.transport)
        self.uploads = resources.UploadsResource(self.transport)
        self.bulk_imports = resources.BulkImportsResource(self.transport)
        self.credit_notes = resources.CreditNotesResource(self.transport)
        self.webhook_subscriptions = resources.WebhookSubscriptionsResource(self.transport)
        self.attachments = resources.AttachmentsResource(self.transport)
        self.supplier_invoices = resources.SupplierInvoicesResource(self.transport)

    # ------------------------------------------------------------ the transport's settings

    @property
    def base_url(self) -> str:
        return self.transport.base_url

    @property
    def credentials(self) -> Credentials:
        """The credentials this client authenticates with."""
        return self.transport.credentials

    @property
    def is_qonto(self) -> bool:
        """Whether ``base_url`` is Qonto's production or sandbox (not a simulator)."""
        return self.transport.is_qonto

    @property
    def timeout(self) -> tuple[float, float]:
        return self.transport.timeout

    @timeout.setter
    def timeout(self, value: tuple[float, float]) -> None:
        self.transport.timeout = value

    @property
    def retry(self) -> RetryPolicy:
        return self.transport.retry

    @retry.setter
    def retry(self, value: RetryPolicy) -> None:
        self.transport.retry = value

    @property
    def rate_limiter(self) -> RateLimiter | None:
        return self.transport.rate_limiter

    @property
    def on_unauthorized(self) -> Callable[[], None] | None:
        """Called on a 401, before :class:`AuthenticationError` is raised: the owner of
        OAuth credentials checks there whether the consent was revoked."""
        return self.transport.on_unauthorized

    @on_unauthorized.setter
    def on_unauthorized(self, value: Callable[[], None] | None) -> None:
        self.transport.on_unauthorized = value

    def __repr__(self) -> str:
        return f"QontoClient(base_url={self.base_url!r}, credentials={self.credentials!r})"

    def close(self) -> None:
        self.transport.close()

    def __enter__(self) -> QontoClient:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def request(self, method: str, path: str, **kwargs: Any) -> Any:
        """One raw request (see :meth:`.Transport.request`)."""
        return self.transport.request(method, path, **kwargs)

    def paginate(self, path: str, key: str | tuple[str, ...], model: type[M], *,
                 params: Mapping[str, Any] | None = None,
                 per_page: int = MAX_PER_PAGE) -> Iterator[M]:
        """Every item of a list endpoint (see :meth:`.Transport.paginate`)."""
        return self.transport.paginate(path, key, model, params=params, per_page=per_page)

    # ------------------------------------------------------------ flat names, delegated
    # The names callers have always used; each is one resource's method (its docstring
    # says the rules).

    def get_organization(self) -> Organization:
        return self.organization.get()

    def get_einvoicing_settings(self) -> EInvoicingSettings:
        return self.organization.einvoicing_settings()

    def revoke_consents(self) -> None:
        self.organization.revoke_consents()

    def list_clients(self, **filters: Any) -> Iterator[Client]:
        return self.clients.list(**filters)

    def find_client(self, **identifiers: str | None) -> Client | None:
        return self.clients.find(**identifiers)

    def get_client(self, client_id: str) -> Client:
        return self.clients.get(client_id)

    def create_client(self, payload: ClientPayload | Mapping[str, Any]) -> Client:
        return self.clients.create(payload)

    def update_client(self, client_id: str, changes: Mapping[str, Any]) -> Client:
        return self.clients.update(client_id, changes)

    def create_client_invoice(self, payload: ClientInvoiceCreatePayload | Mapping[str, Any],
                              *, adopt_existing: bool = False) -> ClientInvoice:
        return self.client_invoices.create(payload, adopt_existing=adopt_existing)

    def find_client_invoice_by_number(self, number: str, *,
                                      created_from: dt.datetime | None = None
                                      ) -> ClientInvoice | None:
        return self.client_invoices.find_by_number(number, created_from=created_from)

    def get_client_invoice(self, invoice_id: str) -> ClientInvoice:
        return self.client_invoices.get(invoice_id)

    def list_client_invoices(self, **filters: Any) -> Iterator[ClientInvoice]:
        return self.client_invoices.list(**filters)

    def update_client_invoice(self, invoice_id: str, changes: Mapping[str, Any]
                              ) -> ClientInvoice:
        return self.client_invoices.update(invoice_id, changes)

    def delete_client_invoice(self, invoice_id: str) -> None:
        self.client_invoices.delete(invoice_id)

    def finalize_client_invoice(self, invoice_id: str) -> None:
        self.client_invoices.finalize(invoice_id)

    def send_client_invoice_by_einvoice(self, invoice_id: str) -> None:
        self.client_invoices.send_by_einvoice(invoice_id)

    def send_client_invoice_by_email(self, invoice_id: str, **email: Any) -> None:
        self.client_invoices.send_by_email(invoice_id, **email)

    def mark_client_invoice_as_paid(self, invoice_id: str,
                                    paid_at: dt.date | None = None) -> ClientInvoice:
        return self.client_invoices.mark_as_paid(invoice_id, paid_at)

    def unmark_client_invoice_as_paid(self, invoice_id: str) -> None:
        self.client_invoices.unmark_as_paid(invoice_id)

    def cancel_client_invoice(self, invoice_id: str) -> None:
        self.client_invoices.cancel(invoice_id)

    def upload_client_invoice_file(self, filename: str, content: bytes,
                                   content_type: str = "application/pdf"
                                   ) -> ClientInvoiceUpload:
        return self.uploads.create(filename, content, content_type)

    def bulk_import_client_invoices(self, files: list[tuple[str, bytes]]
                                    ) -> list[BulkImportedInvoice]:
        return self.bulk_imports.create(files)

    def create_credit_note(self, payload: CreditNoteCreatePayload | Mapping[str, Any]
                           ) -> CreditNote:
        return self.credit_notes.create(payload)

    def get_credit_note(self, credit_note_id: str) -> CreditNote:
        return self.credit_notes.get(credit_note_id)

    def list_credit_notes(self) -> Iterator[CreditNote]:
        return self.credit_notes.list()

    def create_webhook_subscription(self, callback_url: str, types: list[str], *,
                                    secret: str | None = None,
                                    description: str | None = None) -> WebhookSubscription:
        return self.webhook_subscriptions.create(callback_url, types, secret=secret,
                                                 description=description)

    def list_webhook_subscriptions(self) -> Iterator[WebhookSubscription]:
        return self.webhook_subscriptions.list()

    def delete_webhook_subscription(self, subscription_id: str) -> None:
        self.webhook_subscriptions.delete(subscription_id)

    def get_attachment(self, attachment_id: str) -> Attachment:
        return self.attachments.get(attachment_id)

    def download_attachment(self, attachment_id: str, *, label: str | None = None,
                            max_bytes: int = MAX_DOWNLOAD_BYTES) -> bytes:
        return self.attachments.download(attachment_id, label=label, max_bytes=max_bytes)

    def list_supplier_invoices(self, **filters: Any) -> Iterator[SupplierInvoice]:
        return self.supplier_invoices.list(**filters)

    def get_supplier_invoice(self, supplier_invoice_id: str) -> SupplierInvoice:
        return self.supplier_invoices.get(supplier_invoice_id)

    def reject_supplier_invoice(self, supplier_invoice_id: str, *, reason_code: str,
                                note: str | None = None) -> SupplierInvoice | None:
        return self.supplier_invoices.reject(supplier_invoice_id, reason_code=reason_code,
                                             note=note)

    def mark_supplier_invoice_as_paid(self, supplier_invoice_id: str,
                                      payment_date: dt.date) -> SupplierInvoice | None:
        return self.supplier_invoices.mark_as_paid(supplier_invoice_id, payment_date)

    def unmark_supplier_invoice_as_paid(self, supplier_invoice_id: str
                                        ) -> SupplierInvoice | None:
        return self.supplier_invoices.unmark_as_paid(supplier_invoice_id)
