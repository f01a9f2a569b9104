"""Typed errors raised by :class:`qonto_einvoicing.client.QontoClient`.

Qonto answers errors with JSON:API error objects::

    {"errors": [{"status": "422", "code": "invalid", "detail": "...",
                 "source": {"pointer": "/data/attributes/number"}}]}

Each HTTP failure becomes one exception class named after what went wrong, so that
callers catch what they can act on (``except PreconditionFailedError``) and read the
Qonto ``code``, ``detail`` and the offending field (``pointer`` / ``parameter``)
without parsing strings.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

__all__ = [
    "AuthenticationError",
    "ConflictError",
    "DownloadRefusedError",
    "ErrorObject",
    "FileTooLargeError",
    "InvalidSignatureError",
    "NotFoundError",
    "PayloadError",
    "PermissionDeniedError",
    "PreconditionFailedError",
    "QontoAPIError",
    "QontoError",
    "RateLimitedError",
    "ServerError",
    "TransportError",
    "UnexpectedResponseError",
    "UnsafeDownloadError",
    "ValidationError",
    "error_from_response",
]


@dataclass(frozen=True)
class ErrorObject:
    """One entry of a JSON:API ``errors`` array."""

    code: str | None = None
    detail: str | None = None
    status: str | None = None
    pointer: str | None = None
    parameter: str | None = None

    @property
    def field(self) -> str | None:
        """The offending field, as the last segment of the pointer or the parameter.

        ``/data/attributes/items/0/title`` gives ``items.0.title``: readable in a message
        shown to an accountant, and mappable back to an Odoo field.
        """
        if self.pointer:
            parts = [p for p in self.pointer.split("/") if p]
            if parts[:2] == ["data", "attributes"]:
                parts = parts[2:]
            return ".".join(parts) or None
        return self.parameter

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> ErrorObject:
        source = data.get("source") or {}
        return cls(
            code=data.get("code"),
            detail=data.get("detail") or data.get("title"),
            status=str(data["status"]) if data.get("status") is not None else None,
            pointer=source.get("pointer") if isinstance(source, dict) else None,
            parameter=source.get("parameter") if isinstance(source, dict) else None,
        )


class QontoError(Exception):
    """Base class of every error raised by this package."""


class PayloadError(QontoError, ValueError):
    """What this package was asked to send is wrong: refused before any request.

    ``problems`` lists each wrong field as an :class:`ErrorObject` whose ``pointer`` is a
    JSON pointer into the payload (``/items/0/quantity``), ``detail`` the reason and
    ``code`` ``invalid`` or ``missing_field``: the same shape as Qonto's 422, so that a
    caller shows both the same way. It is a :class:`ValueError` too, as pydantic's own
    error was, and nothing from pydantic ever escapes this package.
    """

    def __init__(self, problems: list[ErrorObject], *, model: str = "") -> None:
        self.problems = list(problems)
        self.model = model
        lines = [f"{p.pointer or '/'}: {p.detail or p.code or 'invalid'}" for p in self.problems]
        prefix = f"{model}: " if model else ""
        super().__init__(prefix + ("; ".join(lines) or "invalid payload"))

    @property
    def errors(self) -> list[ErrorObject]:
        """The same as ``problems``, named as on :class:`QontoAPIError`."""
        return self.problems

    @property
    def pointer(self) -> str | None:
        """The pointer of the first problem."""
        return self.problems[0].pointer if self.problems else None

    @property
    def field(self) -> str | None:
        """The first problem's field, dotted (``items.0.quantity``)."""
        return self.problems[0].field if self.problems else None


class UnexpectedResponseError(QontoError):
    """Qonto answered 2xx with a body this package cannot read.

    Raised rather than guessing: ``path`` is the request, ``item_id`` the id of the
    object that could not be read (when it has one), ``problems`` what was wrong in it,
    as :class:`ErrorObject` entries whose pointer is relative to that object.
    """

    def __init__(self, message: str, *, path: str = "", item_id: str | None = None,
                 problems: list[ErrorObject] | None = None) -> None:
        super().__init__(message)
        self.path = path
        self.item_id = item_id
        self.problems = problems or []


class TransportError(QontoError):
    """The request did not get an HTTP answer: connection refused or dropped, timeout.

    ``request_may_have_reached_qonto`` is true when the request was sent before the
    failure (a read timeout, a dropped connection): a create may then exist in Qonto.
    """

    def __init__(self, message: str, *, request_may_have_reached_qonto: bool = True) -> None:
        super().__init__(message)
        self.request_may_have_reached_qonto = request_may_have_reached_qonto


class DownloadRefusedError(QontoError):
    """A file was not downloaded, on purpose: fetching it again will not help.

    ``label`` names what the file belongs to (a supplier invoice), as the message does;
    neither carries the download URL, whose query is a credential.
    """

    def __init__(self, message: str, *, label: str) -> None:
        super().__init__(message)
        self.label = label


class UnsafeDownloadError(DownloadRefusedError):
    """The download URL is not one to fetch: not HTTPS (against Qonto), or not the
    simulator's own address (against a simulator)."""


class FileTooLargeError(DownloadRefusedError):
    """The file is larger than ``limit`` bytes: the download was stopped there."""

    def __init__(self, message: str, *, label: str, limit: int) -> None:
        super().__init__(message, label=label)
        self.limit = limit


class InvalidSignatureError(QontoError):
    """A webhook's ``X-Qonto-Signature`` is missing, malformed, stale or wrong."""


class QontoAPIError(QontoError):
    """Qonto answered with an HTTP error status."""

    def __init__(self, status: int, errors: list[ErrorObject] | None = None,
                 *, method: str = "", path: str = "") -> None:
        self.status = status
        self.errors = errors or []
        self.method = method
        self.path = path
        super().__init__(self._message())

    @property
    def first(self) -> ErrorObject:
        return self.errors[0] if self.errors else ErrorObject()

    @property
    def code(self) -> str | None:
        return self.first.code

    @property
    def detail(self) -> str | None:
        return self.first.detail

    @property
    def pointer(self) -> str | None:
        return self.first.pointer

    @property
    def parameter(self) -> str | None:
        return self.first.parameter

    @property
    def field(self) -> str | None:
        return self.first.field

    def _message(self) -> str:
        # Only Qonto's code, detail and field: never the request headers, so no secret
        # can reach a log or a user through the text of this exception.
        where = f"{self.method} {self.path}: " if self.method else ""
        parts = []
        for error in self.errors or [ErrorObject()]:
            text = error.detail or error.code or "no detail"
            if error.code and error.detail:
                text = f"{error.detail} ({error.code})"
            if error.field:
                text = f"{error.field}: {text}"
            parts.append(text)
        return f"{where}HTTP {self.status}: " + "; ".join(parts)


class ValidationError(QontoAPIError):
    """400 or 422: the request is malformed or a field is invalid (see ``field``)."""


class AuthenticationError(QontoAPIError):
    """401: the credentials are wrong or expired. Never retried."""


class PermissionDeniedError(QontoAPIError):
    """403: the credentials lack a scope or a right."""


class NotFoundError(QontoAPIError):
    """404: no such object in this organization."""


class ConflictError(QontoAPIError):
    """409: e.g. ``invoice_number_already_exists``."""


class PreconditionFailedError(QontoAPIError):
    """412: e.g. ``recipient_not_reachable_on_einvoicing``, ``invoice_not_in_draft_status``."""


class RateLimitedError(QontoAPIError):
    """429: too many requests, still refused after the client's own bounded retries.

    Qonto did **not** process the request (``processed`` is always ``False``): the same
    call, a create included, can be made again later without any risk of a duplicate.
    ``retry_after`` holds Qonto's hint in seconds, if any; ``waited`` the seconds the
    client already spent backing off before giving up.
    """

    processed = False
    """Qonto refused the request before doing anything: try the same call later."""

    def __init__(self, status: int, errors: list[ErrorObject] | None = None, *,
                 method: str = "", path: str = "", retry_after: float | None = None,
                 waited: float = 0.0) -> None:
        super().__init__(status, errors, method=method, path=path)
        self.retry_after = retry_after
        self.waited = waited


class ServerError(QontoAPIError):
    """5xx: Qonto failed. Safe requests are retried before this is raised."""


_BY_STATUS: dict[int, type[QontoAPIError]] = {
    400: ValidationError,
    401: AuthenticationError,
    403: PermissionDeniedError,
    404: NotFoundError,
    409: ConflictError,
    412: PreconditionFailedError,
    422: ValidationError,
    429: RateLimitedError,
}


def parse_error_objects(body: Any) -> list[ErrorObject]:
    """Read a JSON:API error body; tolerate bodies that are not JSON:API."""
    if isinstance(body, dict):
        raw = body.get("errors")
        if isinstance(raw, list):
            return [ErrorObject.from_dict(e) for e in raw if isinstance(e, dict)]
        if isinstance(body.get("message"), str):
            return [ErrorObject(detail=body["message"])]
    return []


def error_from_response(status: int, body: Any, *, method: str = "", path: str = "",
                        retry_after: float | None = None, waited: float = 0.0) -> QontoAPIError:
    """Build the typed error for an HTTP error answer."""
    errors = parse_error_objects(body)
    if status == 429:
        return RateLimitedError(status, errors, method=method, path=path, retry_after=retry_after,
                                waited=waited)
    cls = _BY_STATUS.get(status)
    if cls is None:
        cls = ServerError if status >= 500 else QontoAPIError
    return cls(status, errors, method=method, path=path)
