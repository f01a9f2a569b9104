"""The HTTP session under :class:`~qonto_einvoicing.client.QontoClient`.

One :class:`Transport` holds what every Qonto resource shares: the base URL, the
credentials and their headers, the timeout, the retry policy, the shared rate limiter,
and the reading of answers (JSON, Qonto's wrappers, pages). Resources
(:mod:`qonto_einvoicing.resources`) say *what* to ask; the transport says *how*.

- **429** means Qonto did not process the request: every call, creates included, is
  retried with exponential backoff and full jitter (``Retry-After`` honoured when
  present) within a bounded total wait (:class:`~.retry.RetryPolicy`), then
  :class:`~qonto_einvoicing.errors.RateLimitedError` is raised. A shared
  :class:`~qonto_einvoicing.ratelimit.RateLimiter` paces every attempt under Qonto's
  per-IP limits so that 429s stay rare.
- **5xx and lost connections**: only requests marked ``safe`` (by default GET) are
  retried; the resources decide which of theirs are safe to repeat.
- A 401 is never retried; ``on_unauthorized`` is called first.
- No secret ever reaches an exception or a log line.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable, Iterator, Mapping
from typing import Any, TypeVar
from urllib.parse import urlsplit

import pydantic
import requests
from pydantic import BaseModel

from .auth import Credentials
from .errors import TransportError, UnexpectedResponseError, error_from_response
from .models import PageMeta, QontoPayload, error_objects
from .ratelimit import RateLimiter
from .retry import RetryPolicy, retry_after

__all__ = ["MAX_PER_PAGE", "PRODUCTION_URL", "SANDBOX_URL", "Transport"]

PRODUCTION_URL = "https://thirdparty.qonto.com"
SANDBOX_URL = "https://thirdparty-sandbox.staging.qonto.co"
MAX_PER_PAGE = 100

_QONTO_HOSTS = frozenset({urlsplit(PRODUCTION_URL).hostname, urlsplit(SANDBOX_URL).hostname})

_logger = logging.getLogger(__name__)
M = TypeVar("M", bound=BaseModel)


class Transport:
    """Authenticated, retried, paced HTTP to one Qonto organization (see the module)."""

    def __init__(self, base_url: str, credentials: Credentials, *,
                 staging_token: str | None, timeout: tuple[float, float],
                 retry: RetryPolicy, session: requests.Session,
                 sleep: Callable[[float], None], user_agent: str,
                 rate_limiter: RateLimiter | None) -> None:
        self.base_url = base_url.rstrip("/")
        self.credentials = credentials
        self.timeout = timeout
        self.retry = retry
        self.rate_limiter = rate_limiter
        self.session = session
        self.on_unauthorized: Callable[[], None] | None = None
        self._staging_token = staging_token
        self._sleep = sleep
        self._user_agent = user_agent

    @property
    def is_qonto(self) -> bool:
        """Whether ``base_url`` is Qonto's production or sandbox (not a simulator)."""
        return urlsplit(self.base_url).hostname in _QONTO_HOSTS

    def close(self) -> None:
        self.session.close()

    def _headers(self) -> dict[str, str]:
        headers = {
            "Authorization": self.credentials.authorization(),
            "Accept": "application/json",
            "User-Agent": self._user_agent,
        }
        if self._staging_token:
            headers["X-Qonto-Staging-Token"] = self._staging_token
        return headers

    def scrub(self, text: str) -> str:
        """``text`` without any secret of these credentials."""
        # requests puts the URL, never the headers, in its messages; scrub anyway so
        # that no secret can ever travel inside an exception or a log line.
        for secret in (*self.credentials.secrets, self._staging_token or ""):
            if secret:
                text = text.replace(secret, "***")
        return text

    # ------------------------------------------------------------ one request

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
            wait_hint = retry_after(response)
            if status == 429:
                delay = self.retry.rate_limit_delay(limited, wait_hint)
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
                delay = self.retry.delay(attempt, wait_hint)
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
                                      retry_after=wait_hint, waited=waited)

    def _attempt(self, method: str, url: str, path: str, **kwargs: Any) -> requests.Response:
        """One HTTP attempt, paced by the rate limiter; a lost connection raises
        :class:`TransportError`."""
        if self.rate_limiter is not None:
            self.rate_limiter.acquire()
        started = time.monotonic()
        try:
            response = self.session.request(method, url, headers=self._headers(),
                                            timeout=self.timeout, **kwargs)
        except (requests.ConnectionError, requests.Timeout) as exc:
            sent = not isinstance(exc, requests.ConnectTimeout)
            raise TransportError(self.scrub(f"{method} {path}: {exc.__class__.__name__}"),
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

    # ------------------------------------------------------------ reading answers

    @staticmethod
    def read(model: type[M], data: Any, *, what: str, path: str) -> M:
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

    def unwrap(self, data: Any, key: str, model: type[M], *, path: str,
               bare: bool = False) -> M:
        """``data[key]`` read as ``model``; with ``bare``, ``data`` itself when it has no
        ``key`` (an endpoint Qonto documents without a wrapper)."""
        if isinstance(data, dict) and key in data:
            return self.read(model, data[key], what=key, path=path)
        if bare and isinstance(data, dict):
            return self.read(model, data, what=key, path=path)
        raise UnexpectedResponseError(f"{path}: the answer has no {key!r}", path=path)

    def get(self, path: str, key: str, model: type[M], **params: Any) -> M:
        """``GET path`` and its ``key`` read as ``model``."""
        return self.unwrap(self.request("GET", path, params=params or None), key, model,
                           path=path)

    def send(self, method: str, path: str, key: str | None, model: type[M],
             payload: QontoPayload | Mapping[str, Any] | None = None,
             *, safe: bool | None = None) -> Any:
        """``method path`` with ``payload`` as JSON; the answer's ``key`` as ``model``
        (``None`` when ``key`` is ``None`` or the answer is empty)."""
        body = payload.to_json() if isinstance(payload, QontoPayload) else payload
        data = self.request(method, path, json=body, safe=safe)
        if key is None or data is None:
            return None
        return self.unwrap(data, key, model, path=path)

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
                yield self.read(model, item, what=f"{found}[{index}]", path=path)
            meta = data.get("meta") if isinstance(data.get("meta"), dict) else {}
            page = self.read(PageMeta, meta, what="meta", path=path).next_page
