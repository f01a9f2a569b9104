"""A typed client for the parts of Qonto's Business API that e-invoicing needs.

One :class:`QontoClient` serves one Qonto organization. Every request has a timeout.

- **429** means Qonto did not process the request: every call, creates included, is
  retried with exponential backoff and full jitter (``Retry-After`` honoured when
  present) within a bounded total wait (:class:`RetryPolicy`), then
  :class:`~qonto_einvoicing.errors.RateLimitedError` is raised. A shared
  :class:`~qonto_einvoicing.ratelimit.RateLimiter` (``rate_limiter=``) paces every
  attempt under Qonto's per-IP limits so that 429s stay rare.
- **5xx and lost connections**: requests safe to repeat (reads, and the calls Qonto
  makes idempotent: ``send_by_einvoice``, ``mark_as_paid``) are retried. A create is
  never repeated blindly: when its answer is lost, the invoice is looked up by its
  number (Qonto has no idempotency key on create). ``finalize``, ``unmark_as_paid``
  and ``mark_as_canceled`` are resolved by reading the invoice: done, or retried once.
- A 401 is never retried.
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
import logging
import random
import re
import time
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from typing import Any, TypeVar
from urllib.parse import urlsplit

import pydantic
import requests
from pydantic import BaseModel

from . import downloads
from .auth import ApiKey, Credentials
from .bulk import check_bulk_files, sniff_file_type
from .downloads import MAX_DOWNLOAD_BYTES
from .errors import (
    ConflictError,
    ErrorObject,
    PayloadError,
    ServerError,
    TransportError,
    UnexpectedResponseError,
    error_from_response,
)
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
    PageMeta,
    QontoPayload,
    WebhookSubscription,
    error_objects,
)
from .ratelimit import RateLimiter
from .receiving import SupplierInvoice

__all__ = ["PRODUCTION_URL", "SANDBOX_URL", "QontoClient", "RetryPolicy"]

PRODUCTION_URL = "https://thirdparty.qonto.com"
SANDBOX_URL = "https://thirdparty-sandbox.staging.qonto.co"
MAX_PER_PAGE = 100

_logger = logging.getLogger(__name__)
M = TypeVar("M", bound=BaseModel)
P = TypeVar("P", bound=QontoPayload)

_QONTO_HOSTS = frozenset({urlsplit(PRODUCTION_URL).hostname, urlsplit(SANDBOX_URL).hostname})
_TOPIC = re.compile(r"v\d+/[a-z][a-z0-9_-]*")


@dataclass(frozen=True)
class RetryPolicy:
    """How requests are retried.

    The wait before retry ``n`` (from 0) is drawn uniformly in
    ``[0, min(max_delay, base_delay * 2**n)]`` ("full jitter"), so that many workers
    hit by the same rate limit do not come back in step.

    - 5xx (``retry_statuses``) and lost connections: safe requests only, at most
      ``max_retries`` times; a ``Retry-After`` is honoured up to ``max_delay``.
    - 429: every request (Qonto did not process it), at most ``rate_limit_retries``
      times and ``rate_limit_max_wait`` seconds in all; a ``Retry-After`` is honoured
      as it is, and when it would pass that budget the error is raised at once.
    """

    max_retries: int = 4
    base_delay: float = 0.5
    max_delay: float = 8.0
    retry_statuses: frozenset[int] = frozenset({500, 502, 503, 504})
    rate_limit_retries: int = 8
    rate_limit_max_wait: float = 120.0

    def delay(self, attempt: int, retry_after: float | None = None) -> float:
        """The wait before retry ``attempt`` after a 5xx or a lost connection."""
        if retry_after is not None:
            return min(retry_after, self.max_delay)
        return random.uniform(0, min(self.max_delay, self.base_delay * 2**attempt))

    def rate_limit_delay(self, attempt: int, retry_after: float | None = None) -> float:
        """The wait before retry ``attempt`` after a 429."""
        if retry_after is not None:
            return max(0.0, retry_after)
        return random.uniform(0, min(self.max_delay, self.base_delay * 2**attempt))


def _retry_after(response: requests.Response) -> float | None:
    value = response.headers.get("Retry-After")
    try:
        return float(value) if value else None
    except ValueError:
        return None


def _list_filters(dates: Mapping[str, dt.datetime | None], status: list[str] | None,
                  sort_by: str | None) -> dict[str, Any]:
    """Qonto's list query: ``filter[<date>]`` for each date given, ``filter[status]``
    comma-separated, ``sort_by`` (the same for client and supplier invoices)."""
    params: dict[str, Any] = {f"filter[{k}]": v.isoformat() for k, v in dates.items() if v}
    if status:
        params["filter[status]"] = ",".join(status)
    if sort_by:
        params["sort_by"] = sort_by
    return params


class QontoClient:
    """Qonto's Business API for one organization.

    ``base_url`` is :data:`PRODUCTION_URL`, :data:`SANDBOX_URL` (then pass
    ``staging_token``) or any URL, such as the simulator's. ``credentials`` is an
    :class:`~qonto_einvoicing.auth.ApiKey`, an
    :class:`~qonto_einvoicing.auth.OAuthTokenAuth`, or ``"login:secret-key"``.
    ``timeout`` is ``(connect, read)`` seconds. ``rate_limiter``, shared by the clients
    of a process, paces every HTTP attempt under Qonto's per-IP limits.
    """

    def __init__(self, base_url: str, credentials: Credentials | str, *,
                 staging_token: str | None = None,
                 timeout: tuple[float, float] = (5.0, 30.0),
                 retry: RetryPolicy | None = None,
                 session: requests.Session | None = None,
                 sleep: Callable[[float], None] = time.sleep,
                 user_agent: str = "qonto-einvoicing",
                 rate_limiter: RateLimiter | None = None) -> None:
        self.base_url = base_url.rstrip("/")
        self._credentials = (ApiKey.parse(credentials) if isinstance(credentials, str)
                             else credentials)
        self._staging_token = staging_token
        self.timeout = timeout
        self.retry = retry or RetryPolicy()
        self._session = session or requests.Session()
        self._sleep = sleep
        self._user_agent = user_agent
        self.rate_limiter = rate_limiter
        self.on_unauthorized: Callable[[], None] | None = None
        """Called on a 401, before :class:`AuthenticationError` is raised: the owner of
        OAuth credentials checks there whether the consent was revoked."""

    @property
    def credentials(self) -> Credentials:
        """The credentials this client authenticates with."""
        return self._credentials

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
                json: Any = None, files: Any = None, safe: bool | None = None,
                decode: bool = True) -> Any:
        """Send one request; return the decoded JSON body (``None`` for an empty one).

        ``safe`` says whether the request may be repeated after a 5xx or a lost
        connection; by default only GET is. A 429 is retried whatever ``safe`` says.
        With ``decode=False`` the answer's body is not read at all and ``None`` is
        returned (for the answers whose body Qonto does not document).
        """
        retryable = method == "GET" if safe is None else safe
        url = self.base_url + path
        attempt = 0
        limited = 0
        waited = 0.0
        while True:
            try:
                response = self._attempt(method, url, path, params=params, json=json,
                                         files=files)
            except TransportError as error:
                if retryable and attempt < self.retry.max_retries:
                    delay = self.retry.delay(attempt)
                    _logger.info("Qonto %s, retry %d in %.2fs", error, attempt + 1, delay)
                    self._sleep(delay)
                    attempt += 1
                    continue
                raise
            status = response.status_code
            if status < 400:
                return self._decode(response, method, path) if decode else None
            retry_after = _retry_after(response)
            if status == 429:
                delay = self.retry.rate_limit_delay(limited, retry_after)
                if (limited < self.retry.rate_limit_retries
                        and waited + delay <= self.retry.rate_limit_max_wait):
                    _logger.info("Qonto %s %s -> 429 (not processed), retry %d in %.2fs",
                                 method, path, limited + 1, delay)
                    if self.rate_limiter is not None:
                        self.rate_limiter.penalize(delay)  # everyone waits, this call too
                    else:
                        self._sleep(delay)
                    waited += delay
                    limited += 1
                    continue
            elif (retryable and status in self.retry.retry_statuses
                    and attempt < self.retry.max_retries):
                delay = self.retry.delay(attempt, retry_after)
                _logger.info("Qonto %s %s -> %s, retry %d in %.2fs", method, path,
                             status, attempt + 1, delay)
                self._sleep(delay)
                attempt += 1
                continue
            if status == 401 and self.on_unauthorized is not None:
                self.on_unauthorized()
            try:
                body = response.json()
            except ValueError:
                body = None
            raise error_from_response(status, body, method=method, path=path,
                                      retry_after=retry_after, waited=waited)

    def _attempt(self, method: str, url: str, path: str, **kwargs: Any) -> requests.Response:
        """One HTTP attempt, paced by the rate limiter; a lost connection raises
        :class:`TransportError`."""
        if self.rate_limiter is not None:
            self.rate_limiter.acquire()
        started = time.monotonic()
        try:
            response = self._session.request(method, url, headers=self._headers(),
                                             timeout=self.timeout, **kwargs)
        except (requests.ConnectionError, requests.Timeout) as exc:
            sent = not isinstance(exc, requests.ConnectTimeout)
            raise TransportError(self._scrub(f"{method} {path}: {exc.__class__.__name__}"),
                                 request_may_have_reached_qonto=sent) from None
        _logger.debug("Qonto %s %s -> %s in %.3fs", method, path, response.status_code,
                      time.monotonic() - started)
        return response

    @staticmethod
    def _decode(response: requests.Response, method: str, path: str) -> Any:
        if not response.content:
            return None
        try:
            return response.json()
        except ValueError:
            raise UnexpectedResponseError(
                f"{method} {path}: HTTP {response.status_code} with a body that is not JSON",
                path=path) from None

    @staticmethod
    def _read(model: type[M], data: Any, *, what: str, path: str) -> M:
        """``data`` read as ``model``; an unreadable object raises
        :class:`UnexpectedResponseError` naming its id, never pydantic's error."""
        try:
            return model.model_validate(data)
        except pydantic.ValidationError as exc:
            item_id = data.get("id") if isinstance(data, dict) else None
            problems = error_objects(exc)
            listed = "; ".join(f"{p.pointer}: {p.detail}" for p in problems)
            _logger.error("Qonto answer to %s: %s (id %s) cannot be read as %s: %s",
                          path, what, item_id, model.__name__, listed)
            raise UnexpectedResponseError(
                f"{path}: {what} (id {item_id}) cannot be read as {model.__name__}: {listed}",
                path=path, item_id=item_id if isinstance(item_id, str) else None,
                problems=problems) from None

    def _unwrap(self, data: Any, key: str, model: type[M], *, path: str,
                bare: bool = False) -> M:
        """``data[key]`` read as ``model``; with ``bare``, ``data`` itself when it has no
        ``key`` (an endpoint Qonto documents without a wrapper)."""
        if isinstance(data, dict) and key in data:
            return self._read(model, data[key], what=key, path=path)
        if bare and isinstance(data, dict):
            return self._read(model, data, what=key, path=path)
        raise UnexpectedResponseError(f"{path}: the answer has no {key!r}", path=path)

    @staticmethod
    def _payload(model: type[P], payload: P | Mapping[str, Any]) -> P:
        """``payload`` as ``model``, checked: :class:`PayloadError` before any request."""
        if isinstance(payload, model):
            return payload
        if isinstance(payload, QontoPayload):
            payload = payload.to_json()
        result: P = model.model_validate(dict(payload))
        return result

    def _get(self, path: str, key: str, model: type[M], **params: Any) -> M:
        return self._unwrap(self.request("GET", path, params=params or None), key, model,
                            path=path)

    def _send(self, method: str, path: str, key: str | None, model: type[M],
              payload: QontoPayload | Mapping[str, Any] | None = None,
              *, safe: bool | None = None) -> Any:
        body = payload.to_json() if isinstance(payload, QontoPayload) else payload
        data = self.request(method, path, json=body, safe=safe)
        if key is None or data is None:
            return None
        return self._unwrap(data, key, model, path=path)

    def paginate(self, path: str, key: str | tuple[str, ...], model: type[M], *,
                 params: Mapping[str, Any] | None = None,
                 per_page: int = MAX_PER_PAGE) -> Iterator[M]:
        """Every item of a list endpoint, page after page, following ``meta.next_page``.

        ``key`` names the list in the answer (the first of several names found is
        read). An item that cannot be read stops the listing with
        :class:`~qonto_einvoicing.errors.UnexpectedResponseError` naming its id: a
        sync must not step over an object it never saw (an unknown enum value is not
        such an item: it is kept, see :mod:`.models`).
        """
        keys = (key,) if isinstance(key, str) else key
        page: int | None = 1
        while page is not None:
            query = {**(params or {}), "page": page, "per_page": min(per_page, MAX_PER_PAGE)}
            data = self.request("GET", path, params=query)
            if not isinstance(data, dict):
                raise UnexpectedResponseError(f"GET {path}: the answer is not a JSON object",
                                              path=path)
            found = next((k for k in keys if k in data), keys[0])
            items = data.get(found) or []
            for index, item in enumerate(items):
                yield self._read(model, item, what=f"{found}[{index}]", path=path)
            meta = data.get("meta") if isinstance(data.get("meta"), dict) else {}
            page = self._read(PageMeta, meta, what="meta", path=path).next_page

    # ------------------------------------------------------------ organization

    def get_organization(self) -> Organization:
        """The organization and its bank accounts; also the connection check."""
        return self._get("/v2/organization", "organization", Organization)

    def get_einvoicing_settings(self) -> EInvoicingSettings:
        """Whether the organization can send (``sending_status``) and receive e-invoices."""
        path = "/v2/einvoicing/settings"
        return self._unwrap(self.request("GET", path), "einvoicing_settings",
                            EInvoicingSettings, path=path, bare=True)

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

    def create_client(self, payload: ClientPayload | Mapping[str, Any]) -> Client:
        """Create a client (search first: Qonto has no uniqueness rule on clients).

        A mapping is checked as a :class:`ClientPayload` first: a wrong field raises
        :class:`~qonto_einvoicing.errors.PayloadError` before any request.
        """
        return self._send("POST", "/v2/clients", "client", Client,
                          self._payload(ClientPayload, payload), safe=False)

    def update_client(self, client_id: str, changes: Mapping[str, Any]) -> Client:
        return self._send("PATCH", f"/v2/clients/{client_id}", "client", Client,
                          dict(changes), safe=True)

    # ------------------------------------------------------------ client invoices

    def create_client_invoice(self,
                              payload: ClientInvoiceCreatePayload | Mapping[str, Any], *,
                              adopt_existing: bool = False) -> ClientInvoice:
        """Create a client invoice, exactly once.

        A mapping is checked as a :class:`ClientInvoiceCreatePayload` first (a wrong field,
        a total that is not positive: :class:`~qonto_einvoicing.errors.PayloadError`
        before any request). Retried after a 429 only (Qonto did not process it).
        When the answer is lost after the request may have reached Qonto, the invoice
        is looked up by ``payload.number``: found, it is returned; not found, the
        :class:`~qonto_einvoicing.errors.TransportError` is raised and nothing exists
        in Qonto. With ``adopt_existing``, a 409
        ``invoice_number_already_exists`` also returns the invoice that has the number.
        """
        payload = self._payload(ClientInvoiceCreatePayload, payload)
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
        params = _list_filters({"created_at_from": created_at_from,
                                "created_at_to": created_at_to,
                                "updated_at_from": updated_at_from,
                                "updated_at_to": updated_at_to}, status, sort_by)
        return self.paginate("/v2/client_invoices", "client_invoices", ClientInvoice,
                             params=params)

    def update_client_invoice(self, invoice_id: str, changes: Mapping[str, Any]) -> ClientInvoice:
        return self._send("PATCH", f"/v2/client_invoices/{invoice_id}", "client_invoice",
                          ClientInvoice, dict(changes), safe=True)

    def delete_client_invoice(self, invoice_id: str) -> None:
        """Delete a draft (Qonto refuses any other with 412)."""
        self.request("DELETE", f"/v2/client_invoices/{invoice_id}", safe=False)

    def _post_then_check(self, invoice_id: str, action: str,
                         done: Callable[[ClientInvoice], bool]) -> None:
        """POST ``action`` on an invoice whose answer body Qonto does not document.

        The body is never read. When the answer is lost (a dropped connection after the
        request may have reached Qonto, or a 5xx), the invoice is read: if ``done``
        says the action took effect, that is success; otherwise the POST is made once
        more, and its error, if any, is raised.
        """
        path = f"/v2/client_invoices/{invoice_id}/{action}"
        try:
            self.request("POST", path, safe=False, decode=False)
            return
        except (TransportError, ServerError) as exc:
            lost = exc
        try:
            current = self.get_client_invoice(invoice_id)
        except TransportError:
            raise lost from None
        if done(current):
            _logger.info("Qonto %s of invoice %s: answer lost, but the invoice is %s: done",
                         action, invoice_id, current.status)
            return
        _logger.warning("Qonto %s of invoice %s failed (%s) and the invoice is still %s: "
                        "trying once more", action, invoice_id, lost, current.status)
        self.request("POST", path, safe=False, decode=False)

    def finalize_client_invoice(self, invoice_id: str) -> None:
        """Draft to unpaid: Qonto numbers and locks the invoice, and starts its Factur-X.

        Returns ``None``: Qonto documents no answer body, so none is read (an invoice,
        an empty body, anything). Re-read with :meth:`get_client_invoice` for the state.
        A lost answer (dropped connection, 5xx) is resolved by reading the invoice: no
        longer ``draft`` means finalized; still ``draft``, the finalize is made once more.
        """
        self._post_then_check(invoice_id, "finalize", lambda inv: inv.status != "draft")

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
        """Mark as paid on ``paid_at`` (today by default; Qonto refuses a future date).

        Qonto documents a 200 with the invoice (seed ``004``) and makes a repeated call
        harmless, so it is retried like a read. An empty answer is tolerated: the
        invoice is then read.
        """
        body = {"paid_at": paid_at.isoformat()} if paid_at else {}
        path = f"/v2/client_invoices/{invoice_id}/mark_as_paid"
        data = self.request("POST", path, json=body, safe=True)
        if isinstance(data, dict) and "client_invoice" in data:
            return self._unwrap(data, "client_invoice", ClientInvoice, path=path)
        return self.get_client_invoice(invoice_id)

    def unmark_client_invoice_as_paid(self, invoice_id: str) -> None:
        """Back to unpaid. Returns ``None`` (no documented answer body: re-read the
        invoice). Not documented as idempotent, so a lost answer is resolved by reading
        the invoice: no longer ``paid`` means done; still ``paid``, one more try."""
        self._post_then_check(invoice_id, "unmark_as_paid", lambda inv: inv.status != "paid")

    def cancel_client_invoice(self, invoice_id: str) -> None:
        """Cancel the invoice. Returns ``None`` (no documented answer body: re-read the
        invoice). A lost answer is resolved by reading the invoice: ``canceled`` means
        done; anything else, one more try."""
        self._post_then_check(invoice_id, "mark_as_canceled",
                              lambda inv: inv.status == "canceled")

    def upload_client_invoice_file(self, filename: str, content: bytes,
                                   content_type: str = "application/pdf") -> ClientInvoiceUpload:
        """Upload a PDF (Factur-X) to reference as ``upload_id`` when creating an invoice."""
        data = self.request("POST", "/v2/client_invoices/uploads", safe=False,
                            files={"client_invoices_upload": (filename, content, content_type)})
        return self._unwrap(data, "client_invoice_upload", ClientInvoiceUpload,
                            path="/v2/client_invoices/uploads")

    def bulk_import_client_invoices(self, files: list[tuple[str, bytes]]
                                    ) -> list[BulkImportedInvoice]:
        """Import invoice files issued elsewhere (Flow 2): ``POST /v2/client_invoices/bulk``.

        ``files`` are ``(file_name, content)`` pairs, PDF (a Factur-X keeps its XML),
        JPEG or PNG. Qonto's limits (1 to 5 files, 5 MB each, 15 MB in all, those types)
        are checked first: :class:`PayloadError` before any request. Qonto imports all
        or nothing, and the same file again gives back the same invoice: the request is
        safe to repeat, so a lost answer is retried and never makes a second invoice.
        """
        check_bulk_files(files)
        data = self.request("POST", "/v2/client_invoices/bulk", safe=True, files=[
            ("client_invoices", (name, content, sniff_file_type(content) or
                                 "application/octet-stream"))
            for name, content in files])
        path = "/v2/client_invoices/bulk"
        if not isinstance(data, dict) or not isinstance(data.get("client_invoices"), list):
            raise UnexpectedResponseError(f"{path}: the answer has no 'client_invoices'",
                                          path=path)
        return [self._read(BulkImportedInvoice, item, what="client_invoices", path=path)
                for item in data["client_invoices"]]

    # ------------------------------------------------------------ credit notes

    def create_credit_note(self, payload: CreditNoteCreatePayload | Mapping[str, Any]
                           ) -> CreditNote:
        """Create a credit note (positive quantities: Qonto negates them)."""
        return self._send("POST", "/v2/credit_notes", "credit_note", CreditNote,
                          self._payload(CreditNoteCreatePayload, payload), safe=False)

    def get_credit_note(self, credit_note_id: str) -> CreditNote:
        return self._get(f"/v2/credit_notes/{credit_note_id}", "credit_note", CreditNote)

    def list_credit_notes(self) -> Iterator[CreditNote]:
        return self.paginate("/v2/credit_notes", "credit_notes", CreditNote)

    # ------------------------------------------------------------ webhooks

    @property
    def is_qonto(self) -> bool:
        """Whether ``base_url`` is Qonto's production or sandbox (not a simulator)."""
        return urlsplit(self.base_url).hostname in _QONTO_HOSTS

    def create_webhook_subscription(self, callback_url: str, types: list[str], *,
                                    secret: str | None = None,
                                    description: str | None = None) -> WebhookSubscription:
        """Subscribe ``callback_url`` to the topics ``types`` (``v1/client-invoices``).

        The answer carries the signing secret. Qonto answers the bare subscription
        object (201); the wrapped ``{"webhook_subscription": ...}`` that a public client
        models is read too. Against Qonto itself, ``callback_url`` must be HTTPS: an
        ``http`` URL raises :class:`~qonto_einvoicing.errors.PayloadError` on
        ``/callback_url`` before any request (a simulator's URL is not checked).
        """
        problems = []
        scheme = urlsplit(callback_url).scheme.lower()
        if scheme not in ("https", "http") or (scheme == "http" and self.is_qonto):
            problems.append(ErrorObject(
                code="invalid", status="422", pointer="/callback_url",
                detail=f"{callback_url}: Qonto delivers webhooks to a public HTTPS URL only"))
        if len(callback_url) > 512:
            problems.append(ErrorObject(code="invalid", status="422", pointer="/callback_url",
                                        detail="at most 512 characters"))
        if not types:
            problems.append(ErrorObject(code="missing_field", status="422", pointer="/types",
                                        detail="at least one topic, such as v1/client-invoices"))
        for index, topic in enumerate(types):
            if not _TOPIC.fullmatch(topic):
                problems.append(ErrorObject(
                    code="invalid", status="422", pointer=f"/types/{index}",
                    detail=f"{topic}: a type is a topic such as v1/client-invoices, "
                           f"without an event name"))
        if problems:
            raise PayloadError(problems, model="webhook subscription")
        body: dict[str, Any] = {"callback_url": callback_url, "types": list(types)}
        if secret:
            body["secret"] = secret
        if description:
            body["description"] = description
        path = "/v2/webhook_subscriptions"
        data = self.request("POST", path, json=body, safe=False)
        return self._unwrap(data, "webhook_subscription", WebhookSubscription, path=path,
                            bare=True)

    def list_webhook_subscriptions(self) -> Iterator[WebhookSubscription]:
        """The subscriptions of these credentials: Qonto's ``{"subscriptions": [...]}``,
        or the wrapped ``{"webhook_subscriptions": [...]}`` a public client models."""
        return self.paginate("/v2/webhook_subscriptions",
                             ("subscriptions", "webhook_subscriptions"), WebhookSubscription)

    def delete_webhook_subscription(self, subscription_id: str) -> None:
        self.request("DELETE", f"/v2/webhook_subscriptions/{subscription_id}", safe=False)

    # ------------------------------------------------------------ attachments

    def revoke_consents(self) -> None:
        """Revoke the OAuth consents of the authenticated membership (Disconnect).

        ``DELETE /v2/oauth2/consents`` (Qonto's *Revoke consents* page, scope
        ``organization.read``): every token of the consent stops working.
        """
        self.request("DELETE", "/v2/oauth2/consents", safe=True, decode=False)

    def get_attachment(self, attachment_id: str) -> Attachment:
        return self._get(f"/v2/attachments/{attachment_id}", "attachment", Attachment)

    def download_attachment(self, attachment_id: str, *, label: str | None = None,
                            max_bytes: int = MAX_DOWNLOAD_BYTES) -> bytes:
        """The attachment's bytes, fetched at once: Qonto's download URL expires in 30 min.

        A URL refused as expired (403, or 410) is asked for again once: a new URL is
        valid for another 30 minutes. The URL must be HTTPS against Qonto, the
        simulator's own against a simulator, and the file at most ``max_bytes``
        (:mod:`qonto_einvoicing.downloads`); ``label`` names the file's owner (a
        supplier invoice) in the errors.
        """
        label = label or f"attachment {attachment_id}"
        for attempt in range(2):
            attachment = self.get_attachment(attachment_id)
            if not attachment.url:
                raise TransportError(f"attachment {attachment_id} has no download URL",
                                     request_may_have_reached_qonto=False)
            status, content = downloads.fetch(
                self._session, attachment.url, base_url=self.base_url,
                is_qonto=self.is_qonto, label=label, timeout=self.timeout,
                max_bytes=max_bytes)
            if status in (403, 410) and attempt == 0:
                _logger.info("Download URL of attachment %s expired: asking for a new one",
                             attachment_id)
                continue
            if status >= 400:
                raise error_from_response(status, None, method="GET",
                                          path=f"attachment {attachment_id}")
            return content
        raise AssertionError("unreachable")  # pragma: no cover

    # ------------------------------------------------------------ supplier invoices

    def list_supplier_invoices(self, *, updated_at_from: dt.datetime | None = None,
                               updated_at_to: dt.datetime | None = None,
                               status: list[str] | None = None,
                               sort_by: str | None = None) -> Iterator[SupplierInvoice]:
        """Every supplier invoice matching the filters, all pages followed.

        Qonto's supplier-invoice sync guide: pass ``updated_at_from`` = the time of the
        last sync and store the new time once done.
        """
        params = _list_filters({"updated_at_from": updated_at_from,
                                "updated_at_to": updated_at_to}, status, sort_by)
        return self.paginate("/v2/supplier_invoices", "supplier_invoices", SupplierInvoice,
                             params=params)

    def get_supplier_invoice(self, supplier_invoice_id: str) -> SupplierInvoice:
        return self._get(f"/v2/supplier_invoices/{supplier_invoice_id}", "supplier_invoice",
                         SupplierInvoice)

    def reject_supplier_invoice(self, supplier_invoice_id: str, *, reason_code: str,
                                note: str | None = None) -> SupplierInvoice | None:
        """Refuse a received invoice with one of :data:`.receiving.REFUSAL_REASONS`.

        Not idempotent in Qonto (a second reject answers 400): never retried after a 5xx.
        """
        body = {"supplier_invoice": {"declined_reason_code": reason_code,
                                     **({"declined_note": note} if note else {})}}
        return self._supplier_action(supplier_invoice_id, "reject", body, safe=False)

    def mark_supplier_invoice_as_paid(self, supplier_invoice_id: str,
                                      payment_date: dt.date) -> SupplierInvoice | None:
        """Report the payment of a received invoice (never a date in the future)."""
        body = {"supplier_invoice": {"payment_date": payment_date.isoformat()}}
        return self._supplier_action(supplier_invoice_id, "mark_as_paid", body, safe=True)

    def unmark_supplier_invoice_as_paid(self, supplier_invoice_id: str
                                        ) -> SupplierInvoice | None:
        """Undo a reported payment (Qonto documents no body)."""
        return self._supplier_action(supplier_invoice_id, "unmark_as_paid", None, safe=False)

    def _supplier_action(self, supplier_invoice_id: str, action: str,
                         body: dict[str, Any] | None,
                         *, safe: bool) -> SupplierInvoice | None:
        # Qonto's pages show these answers bare, without the ``supplier_invoice`` wrapper
        # of retrieve: read both.
        path = f"/v2/supplier_invoices/{supplier_invoice_id}/{action}"
        data = self.request("POST", path, json=body, safe=safe)
        if not data:
            return None
        return self._unwrap(data, "supplier_invoice", SupplierInvoice, path=path, bare=True)
