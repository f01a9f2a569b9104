"""A typed client for the parts of Qonto's Business API that e-invoicing needs.

One :class:`QontoClient` serves one Qonto organization. Every request has a timeout;
requests that are safe to repeat (reads, and the calls Qonto makes idempotent:
``send_by_einvoice``, ``mark_as_paid``, ``unmark_as_paid``) are retried with
exponential backoff and jitter on 429, 5xx and lost connections. A 401 is never
retried. A create is never repeated blindly: when its answer is lost, the invoice is
looked up by its number (Qonto has no idempotency key on create).

Errors are raised as the classes of :mod:`qonto_einvoicing.errors`.
"""

from __future__ import annotations

import datetime as dt
import logging
import random
import time
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from typing import Any, TypeVar

import requests
from pydantic import BaseModel

from .auth import ApiKey, Credentials
from .errors import ConflictError, TransportError, error_from_response
from .models import (
    Attachment,
    Client,
    ClientInvoice,
    ClientInvoiceCreatePayload,
    ClientInvoiceUpload,
    ClientPayload,
    CreditNote,
    CreditNoteCreatePayload,
    EInvoicingSettings,
    Organization,
    PageMeta,
    QontoPayload,
    WebhookSubscription,
)

__all__ = ["PRODUCTION_URL", "SANDBOX_URL", "QontoClient", "RetryPolicy"]

PRODUCTION_URL = "https://thirdparty.qonto.com"
SANDBOX_URL = "https://thirdparty-sandbox.staging.qonto.co"
MAX_PER_PAGE = 100

_logger = logging.getLogger(__name__)
M = TypeVar("M", bound=BaseModel)


@dataclass(frozen=True)
class RetryPolicy:
    """How safe requests are retried.

    The wait before retry ``n`` (from 0) is drawn uniformly in
    ``[0, min(max_delay, base_delay * 2**n)]`` ("full jitter"), so that many workers
    hit by the same rate limit do not come back in step. A ``Retry-After`` header,
    when Qonto sends one, is honoured instead.
    """

    max_retries: int = 4
    base_delay: float = 0.5
    max_delay: float = 8.0
    retry_statuses: frozenset[int] = frozenset({429, 500, 502, 503, 504})

    def delay(self, attempt: int, retry_after: float | None = None) -> float:
        if retry_after is not None:
            return min(retry_after, self.max_delay)
        return random.uniform(0, min(self.max_delay, self.base_delay * 2**attempt))


def _retry_after(response: requests.Response) -> float | None:
    value = response.headers.get("Retry-After")
    try:
        return float(value) if value else None
    except ValueError:
        return None


class QontoClient:
    """Qonto's Business API for one organization.

    ``base_url`` is :data:`PRODUCTION_URL`, :data:`SANDBOX_URL` (then pass
    ``staging_token``) or any URL, such as the simulator's. ``credentials`` is an
    :class:`~qonto_einvoicing.auth.ApiKey`, an
    :class:`~qonto_einvoicing.auth.OAuthTokenAuth`, or ``"login:secret-key"``.
    ``timeout`` is ``(connect, read)`` seconds.
    """

    def __init__(self, base_url: str, credentials: Credentials | str, *,
                 staging_token: str | None = None,
                 timeout: tuple[float, float] = (5.0, 30.0),
                 retry: RetryPolicy | None = None,
                 session: requests.Session | None = None,
                 sleep: Callable[[float], None] = time.sleep,
                 user_agent: str = "qonto-einvoicing") -> None:
        self.base_url = base_url.rstrip("/")
        self._credentials = (ApiKey.parse(credentials) if isinstance(credentials, str)
                             else credentials)
        self._staging_token = staging_token
        self.timeout = timeout
        self.retry = retry or RetryPolicy()
        self._session = session or requests.Session()
        self._sleep = sleep
        self._user_agent = user_agent

    def __repr__(self) -> str:
        return f"QontoClient(base_url={self.base_url!r}, credentials={self._credentials!r})"

    def close(self) -> None:
        self._session.close()

    def __enter__(self) -> QontoClient:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # ------------------------------------------------------------ transport

    def _headers(self) -> dict[str, str]:
        headers = {
            "Authorization": self._credentials.authorization(),
            "Accept": "application/json",
            "User-Agent": self._user_agent,
        }
        if self._staging_token:
            headers["X-Qonto-Staging-Token"] = self._staging_token
        return headers

    def _scrub(self, text: str) -> str:
        # requests puts the URL, never the headers, in its messages; scrub anyway so
        # that no secret can ever travel inside an exception or a log line.
        for secret in (*self._credentials.secrets, self._staging_token or ""):
            if secret:
                text = text.replace(secret, "***")
        return text

    def request(self, method: str, path: str, *, params: Mapping[str, Any] | None = None,
                json: Any = None, files: Any = None, safe: bool | None = None) -> Any:
        """Send one request; return the decoded JSON body (``None`` for an empty one).

        ``safe`` says whether the request may be repeated; by default only GET is.
        """
        retryable = method == "GET" if safe is None else safe
        url = self.base_url + path
        attempt = 0
        while True:
            started = time.monotonic()
            try:
                response = self._session.request(
                    method, url, params=params, json=json, files=files,
                    headers=self._headers(), timeout=self.timeout)
            except (requests.ConnectionError, requests.Timeout) as exc:
                sent = not isinstance(exc, requests.ConnectTimeout)
                error = TransportError(self._scrub(f"{method} {path}: {exc.__class__.__name__}"),
                                       request_may_have_reached_qonto=sent)
                if retryable and attempt < self.retry.max_retries:
                    delay = self.retry.delay(attempt)
                    _logger.info("Qonto %s %s: %s, retry %d in %.2fs", method, path,
                                 exc.__class__.__name__, attempt + 1, delay)
                    self._sleep(delay)
                    attempt += 1
                    continue
                raise error from None
            elapsed = time.monotonic() - started
            _logger.debug("Qonto %s %s -> %s in %.3fs", method, path,
                          response.status_code, elapsed)
            if response.status_code < 400:
                if not response.content:
                    return None
                return response.json()
            if (retryable and response.status_code in self.retry.retry_statuses
                    and attempt < self.retry.max_retries):
                delay = self.retry.delay(attempt, _retry_after(response))
                _logger.info("Qonto %s %s -> %s, retry %d in %.2fs", method, path,
                             response.status_code, attempt + 1, delay)
                self._sleep(delay)
                attempt += 1
                continue
            try:
                body = response.json()
            except ValueError:
                body = None
            raise error_from_response(response.status_code, body, method=method, path=path,
                                      retry_after=_retry_after(response))

    def _get(self, path: str, key: str, model: type[M], **params: Any) -> M:
        return model.model_validate(self.request("GET", path, params=params or None)[key])

    def _send(self, method: str, path: str, key: str | None, model: type[M],
              payload: QontoPayload | Mapping[str, Any] | None = None,
              *, safe: bool | None = None) -> Any:
        body = payload.to_json() if isinstance(payload, QontoPayload) else payload
        data = self.request(method, path, json=body, safe=safe)
        if key is None or data is None:
            return None
        return model.model_validate(data[key])

    def paginate(self, path: str, key: str, model: type[M], *,
                 params: Mapping[str, Any] | None = None,
                 per_page: int = MAX_PER_PAGE) -> Iterator[M]:
        """Every item of a list endpoint, page after page, following ``meta.next_page``."""
        page: int | None = 1
        while page is not None:
            query = {**(params or {}), "page": page, "per_page": min(per_page, MAX_PER_PAGE)}
            data = self.request("GET", path, params=query)
            for item in data.get(key, []):
                yield model.model_validate(item)
            page = PageMeta.model_validate(data.get("meta") or {}).next_page

    # ------------------------------------------------------------ organization

    def get_organization(self) -> Organization:
        """The organization and its bank accounts; also the connection check."""
        return self._get("/v2/organization", "organization", Organization)

    def get_einvoicing_settings(self) -> EInvoicingSettings:
        data = self.request("GET", "/v2/einvoicing/settings")
        return EInvoicingSettings.model_validate(data.get("einvoicing_settings", data))

    # ------------------------------------------------------------ clients

    def list_clients(self, *, tax_identification_number: str | None = None,
                     vat_number: str | None = None, email: str | None = None,
                     name: str | None = None, updated_at_from: dt.datetime | None = None,
                     sort_by: str | None = None) -> Iterator[Client]:
        filters = {
            "tax_identification_number": tax_identification_number,
            "vat_number": vat_number,
            "email": email,
            "name": name,
            "updated_at_from": updated_at_from.isoformat() if updated_at_from else None,
        }
        params: dict[str, Any] = {f"filter[{k}]": v for k, v in filters.items() if v}
        if sort_by:
            params["sort_by"] = sort_by
        return self.paginate("/v2/clients", "clients", Client, params=params)

    def find_client(self, *, siret: str | None = None, siren: str | None = None,
                    vat_number: str | None = None, email: str | None = None) -> Client | None:
        """The existing client matching, in this order, SIRET, SIREN, VAT number, e-mail.

        Qonto has no uniqueness rule on clients, so one must always search before
        creating. Identifiers are tried from the most to the least specific; the first
        that matches wins.
        """
        searches = [("tax_identification_number", siret), ("tax_identification_number", siren),
                     ("vat_number", vat_number), ("email", email)]
        for field_name, value in searches:
            if value:
                found = next(self.list_clients(**{field_name: value}), None)
                if found is not None:
                    return found
        return None

    def get_client(self, client_id: str) -> Client:
        return self._get(f"/v2/clients/{client_id}", "client", Client)

    def create_client(self, payload: ClientPayload) -> Client:
        return self._send("POST", "/v2/clients", "client", Client, payload, safe=False)

    def update_client(self, client_id: str, changes: Mapping[str, Any]) -> Client:
        return self._send("PATCH", f"/v2/clients/{client_id}", "client", Client,
                          dict(changes), safe=True)

    # ------------------------------------------------------------ client invoices

    def create_client_invoice(self, payload: ClientInvoiceCreatePayload, *,
                              adopt_existing: bool = False) -> ClientInvoice:
        """Create a client invoice, exactly once.

        Not retried. When the answer is lost after the request may have reached Qonto,
        the invoice is looked up by ``payload.number``: found, it is returned; not
        found, the :class:`~qonto_einvoicing.errors.TransportError` is raised and
        nothing exists in Qonto. With ``adopt_existing``, a 409
        ``invoice_number_already_exists`` also returns the invoice that has the number.
        """
        started = dt.datetime.now(dt.timezone.utc)
        try:
            return self._send("POST", "/v2/client_invoices", "client_invoice", ClientInvoice,
                              payload, safe=False)
        except TransportError as exc:
            if not (payload.number and exc.request_may_have_reached_qonto):
                raise
            _logger.warning("Qonto create of invoice %s lost its answer; looking it up",
                            payload.number)
            found = self.find_client_invoice_by_number(
                payload.number, created_from=started - dt.timedelta(minutes=5))
            if found is None:
                raise
            return found
        except ConflictError as exc:
            if not (adopt_existing and payload.number
                    and exc.code == "invoice_number_already_exists"):
                raise
            found = self.find_client_invoice_by_number(payload.number)
            if found is None:
                raise
            return found

    def find_client_invoice_by_number(self, number: str, *,
                                      created_from: dt.datetime | None = None
                                      ) -> ClientInvoice | None:
        """The client invoice bearing ``number``, newest first; ``None`` if there is none.

        Qonto documents no filter on the number: the list is read newest first,
        narrowed to invoices created since ``created_from`` when known.
        """
        params: dict[str, Any] = {"sort_by": "created_at:desc"}
        if created_from is not None:
            params["filter[created_at_from]"] = created_from.isoformat()
        for invoice in self.paginate("/v2/client_invoices", "client_invoices", ClientInvoice,
                                     params=params):
            if invoice.number == number:
                return invoice
        return None

    def get_client_invoice(self, invoice_id: str) -> ClientInvoice:
        return self._get(f"/v2/client_invoices/{invoice_id}", "client_invoice", ClientInvoice)

    def list_client_invoices(self, *, status: list[str] | None = None,
                             created_at_from: dt.datetime | None = None,
                             created_at_to: dt.datetime | None = None,
                             updated_at_from: dt.datetime | None = None,
                             updated_at_to: dt.datetime | None = None,
                             sort_by: str | None = None) -> Iterator[ClientInvoice]:
        """Every client invoice matching the filters, all pages followed.

        To mirror changes, pass ``updated_at_from`` = the time of the last sync, as
        Qonto's sync guide advises: one list call replaces a GET per invoice.
        """
        dates = {"created_at_from": created_at_from, "created_at_to": created_at_to,
                 "updated_at_from": updated_at_from, "updated_at_to": updated_at_to}
        params: dict[str, Any] = {f"filter[{k}]": v.isoformat() for k, v in dates.items() if v}
        if status:
            params["filter[status]"] = ",".join(status)
        if sort_by:
            params["sort_by"] = sort_by
        return self.paginate("/v2/client_invoices", "client_invoices", ClientInvoice,
                             params=params)

    def update_client_invoice(self, invoice_id: str, changes: Mapping[str, Any]) -> ClientInvoice:
        return self._send("PATCH", f"/v2/client_invoices/{invoice_id}", "client_invoice",
                          ClientInvoice, dict(changes), safe=True)

    def delete_client_invoice(self, invoice_id: str) -> None:
        """Delete a draft (Qonto refuses any other with 412)."""
        self.request("DELETE", f"/v2/client_invoices/{invoice_id}", safe=False)

    def finalize_client_invoice(self, invoice_id: str) -> ClientInvoice:
        """Draft to unpaid: Qonto locks the invoice and starts generating its Factur-X."""
        return self._send("POST", f"/v2/client_invoices/{invoice_id}/finalize",
                          "client_invoice", ClientInvoice, safe=False)

    def send_client_invoice_by_einvoice(self, invoice_id: str) -> None:
        """Ask Qonto to send the invoice on the e-invoicing network.

        Returns on Qonto's 204, which means *accepted for processing*, not delivered:
        follow the lifecycle events. Qonto makes a repeated call a no-op, so it is
        retried safely.
        """
        self.request("POST", f"/v2/client_invoices/{invoice_id}/send_by_einvoice", safe=True)

    def send_client_invoice_by_email(self, invoice_id: str, *, send_to: list[str],
                                     email_title: str | None = None,
                                     email_body: str | None = None,
                                     copy_to_self: bool = False) -> None:
        """Qonto's fallback for a client that is not reachable on the network."""
        body: dict[str, Any] = {"send_to": send_to, "copy_to_self": copy_to_self}
        if email_title:
            body["email_title"] = email_title
        if email_body:
            body["email_body"] = email_body
        self.request("POST", f"/v2/client_invoices/{invoice_id}/send", json=body, safe=False)

    def mark_client_invoice_as_paid(self, invoice_id: str,
                                    paid_at: dt.date | None = None) -> ClientInvoice:
        """Mark as paid on ``paid_at`` (today by default; Qonto refuses a future date)."""
        body = {"paid_at": paid_at.isoformat()} if paid_at else {}
        return self._send("POST", f"/v2/client_invoices/{invoice_id}/mark_as_paid",
                          "client_invoice", ClientInvoice, body, safe=True)

    def unmark_client_invoice_as_paid(self, invoice_id: str) -> ClientInvoice:
        return self._send("POST", f"/v2/client_invoices/{invoice_id}/unmark_as_paid",
                          "client_invoice", ClientInvoice, safe=True)

    def cancel_client_invoice(self, invoice_id: str) -> ClientInvoice:
        return self._send("POST", f"/v2/client_invoices/{invoice_id}/mark_as_canceled",
                          "client_invoice", ClientInvoice, safe=False)

    def upload_client_invoice_file(self, filename: str, content: bytes,
                                   content_type: str = "application/pdf") -> ClientInvoiceUpload:
        """Upload a PDF (Factur-X) to reference as ``upload_id`` when creating an invoice."""
        data = self.request("POST", "/v2/client_invoices/uploads", safe=False,
                            files={"client_invoices_upload": (filename, content, content_type)})
        return ClientInvoiceUpload.model_validate(data["client_invoice_upload"])

    # ------------------------------------------------------------ credit notes

    def create_credit_note(self, payload: CreditNoteCreatePayload) -> CreditNote:
        return self._send("POST", "/v2/credit_notes", "credit_note", CreditNote, payload,
                          safe=False)

    def get_credit_note(self, credit_note_id: str) -> CreditNote:
        return self._get(f"/v2/credit_notes/{credit_note_id}", "credit_note", CreditNote)

    def list_credit_notes(self) -> Iterator[CreditNote]:
        return self.paginate("/v2/credit_notes", "credit_notes", CreditNote)

    # ------------------------------------------------------------ webhooks

    def create_webhook_subscription(self, callback_url: str, types: list[str], *,
                                    secret: str | None = None,
                                    description: str | None = None) -> WebhookSubscription:
        """Subscribe ``callback_url``; the answer carries the signing secret."""
        body: dict[str, Any] = {"callback_url": callback_url, "types": types}
        if secret:
            body["secret"] = secret
        if description:
            body["description"] = description
        return self._send("POST", "/v2/webhook_subscriptions", "webhook_subscription",
                          WebhookSubscription, body, safe=False)

    def list_webhook_subscriptions(self) -> Iterator[WebhookSubscription]:
        return self.paginate("/v2/webhook_subscriptions", "webhook_subscriptions",
                             WebhookSubscription)

    def delete_webhook_subscription(self, subscription_id: str) -> None:
        self.request("DELETE", f"/v2/webhook_subscriptions/{subscription_id}", safe=False)

    # ------------------------------------------------------------ attachments

    def get_attachment(self, attachment_id: str) -> Attachment:
        return self._get(f"/v2/attachments/{attachment_id}", "attachment", Attachment)

    def download_attachment(self, attachment_id: str) -> bytes:
        """The attachment's bytes, fetched at once: Qonto's download URL expires in 30 min."""
        attachment = self.get_attachment(attachment_id)
        if not attachment.url:
            raise TransportError(f"attachment {attachment_id} has no download URL",
                                 request_may_have_reached_qonto=False)
        try:
            response = self._session.get(attachment.url, timeout=self.timeout)
        except (requests.ConnectionError, requests.Timeout) as exc:
            raise TransportError(f"download of attachment {attachment_id}: "
                                 f"{exc.__class__.__name__}") from None
        if response.status_code >= 400:
            raise error_from_response(response.status_code, None, method="GET",
                                      path=f"attachment {attachment_id}")
        return response.content
