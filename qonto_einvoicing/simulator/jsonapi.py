"""Qonto's HTTP conventions: JSON:API error bodies, JSON bodies, pagination, sorting.

Every error the simulator answers is ``{"errors": [{"status", "code", "detail",
"source": {"pointer" | "parameter"}}]}``. Pointers of 422 errors are JSON pointers into
the request body (``/items/0/title``, ``/client_id``), as
:func:`qonto_einvoicing.models.payload_errors` builds them; the 409 on a used invoice
number keeps the form of Qonto's own example, ``/data/attributes/number``. Both read as
the same field through :attr:`qonto_einvoicing.errors.ErrorObject.field`.
"""

from __future__ import annotations

import datetime as dt
import json
import math
from collections.abc import Callable, Iterable, Sequence
from typing import Any

from werkzeug.datastructures import MultiDict
from werkzeug.wrappers import Request, Response

from ..errors import ErrorObject
from .clock import parse_instant

__all__ = [
    "ApiError",
    "Filter",
    "error_object",
    "get_or_404",
    "json_response",
    "no_content",
    "paginate",
    "pop_or_404",
    "read_json",
    "sort_records",
    "time_filter",
]

MAX_PER_PAGE = 100


def error_object(status: int, code: str, detail: str, *, pointer: str | None = None,
                 parameter: str | None = None) -> dict[str, Any]:
    """One JSON:API error object."""
    error: dict[str, Any] = {"status": str(status), "code": code, "detail": detail}
    if pointer is not None:
        error["source"] = {"pointer": pointer}
    elif parameter is not None:
        error["source"] = {"parameter": parameter}
    return error


class ApiError(Exception):
    """An error answer; raised anywhere in a handler, turned into a response by the app."""

    def __init__(self, status: int, errors: list[dict[str, Any]],
                 headers: dict[str, str] | None = None) -> None:
        super().__init__(f"HTTP {status}: {errors}")
        self.status = status
        self.errors = errors
        self.headers = headers or {}

    @classmethod
    def one(cls, status: int, code: str, detail: str, *, pointer: str | None = None,
            parameter: str | None = None) -> ApiError:
        """An error answer with a single error object."""
        return cls(status, [error_object(status, code, detail, pointer=pointer,
                                         parameter=parameter)])

    @classmethod
    def from_objects(cls, status: int, objects: Iterable[ErrorObject]) -> ApiError:
        """An error answer from :class:`~qonto_einvoicing.errors.ErrorObject` values."""
        return cls(status, [
            error_object(status, o.code or "invalid", o.detail or "invalid value",
                         pointer=o.pointer, parameter=o.parameter)
            for o in objects
        ])

    def response(self) -> Response:
        """The JSON:API answer."""
        response = json_response({"errors": self.errors}, self.status)
        response.headers.update(self.headers)
        return response


def json_response(body: Any, status: int = 200) -> Response:
    """A JSON answer."""
    return Response(json.dumps(body, ensure_ascii=False), status=status,
                    mimetype="application/json")


def no_content() -> Response:
    """A 204 answer."""
    return Response(status=204)


def read_json(request: Request) -> dict[str, Any]:
    """The request body as a JSON object; an empty body is ``{}``.

    Raises 400 ``malformed_json`` when it does not parse, and 400
    ``invalid_request_format`` when it is JSON but not an object.
    """
    raw = request.get_data(cache=True)
    if not raw.strip():
        return {}
    try:
        body = json.loads(raw)
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise ApiError.one(400, "malformed_json",
                           f"The request body is not valid JSON: {exc}") from None
    if not isinstance(body, dict):
        raise ApiError.one(400, "invalid_request_format", "The request body must be a JSON object")
    return body


def _int_arg(args: MultiDict[str, str], name: str, default: int, low: int, high: int) -> int:
    raw = args.get(name)
    if raw is None:
        return default
    try:
        value = int(raw)
    except ValueError:
        value = low - 1
    if not low <= value <= high:
        raise ApiError.one(400, "bad_request", f"{name} must be an integer from {low} to {high}",
                           parameter=name)
    return value


def paginate(records: Sequence[Any], args: MultiDict[str, str]) -> tuple[list[Any], dict[str, Any]]:
    """One page of ``records`` (``page``, ``per_page`` ≤ 100) and Qonto's ``meta``."""
    per_page = _int_arg(args, "per_page", MAX_PER_PAGE, 1, MAX_PER_PAGE)
    page = _int_arg(args, "page", 1, 1, 10**9)
    total = len(records)
    total_pages = max(1, math.ceil(total / per_page))
    start = (page - 1) * per_page
    meta = {
        "current_page": page,
        "next_page": page + 1 if page < total_pages else None,
        "prev_page": page - 1 if page > 1 else None,
        "total_pages": total_pages,
        "total_count": total,
        "per_page": per_page,
    }
    return list(records[start:start + per_page]), meta


def sort_records(records: list[dict[str, Any]], args: MultiDict[str, str],
                 allowed: Sequence[str], default: str,
                 key_of: Callable[[dict[str, Any], str], Any] | None = None,
                 ) -> list[dict[str, Any]]:
    """``records`` sorted by ``sort_by`` (``field`` or ``field:asc|desc``).

    Ties are broken by creation order (``seq``), so that pages never overlap.
    """
    raw = args.get("sort_by") or default
    field, _, direction = raw.partition(":")
    direction = direction or "asc"
    if field not in allowed or direction not in ("asc", "desc"):
        raise ApiError.one(
            400, "bad_request",
            f"sort_by must be one of {', '.join(allowed)}, optionally with :asc or :desc",
            parameter="sort_by")

    def key(record: dict[str, Any]) -> tuple[Any, int]:
        value = key_of(record, field) if key_of else record.get(field)
        return (value or "", record["seq"])

    return sorted(records, key=key, reverse=direction == "desc")


Filter = Callable[[dict[str, Any]], bool]


def time_filter(args: MultiDict[str, str], name: str, field: str, *,
                wrapped: bool = True) -> list[Filter]:
    """Filters for ``filter[<name>_from]`` and ``filter[<name>_to]`` (inclusive), or for
    ``<name>_from`` and ``<name>_to`` when not ``wrapped`` (``GET /v2/transactions``)."""
    filters: list[Filter] = []
    for bound in ("from", "to"):
        parameter = f"filter[{name}_{bound}]" if wrapped else f"{name}_{bound}"
        raw = args.get(parameter)
        if not raw:
            continue
        try:
            limit = parse_instant(raw, end_of_day=bound == "to")
        except ValueError:
            raise ApiError.one(400, "bad_request", f"{parameter} must be an ISO 8601 date-time",
                               parameter=parameter) from None
        filters.append(_bound(field, limit, lower=bound == "from"))
    return filters


def _bound(field: str, limit: float, *, lower: bool) -> Filter:
    def check(record: dict[str, Any]) -> bool:
        instant = parse_instant(record[field])
        return instant >= limit if lower else instant <= limit

    return check


def pop_or_404(collection: dict[str, Any], record_id: str, what: str) -> Any:
    """Remove and return ``collection[record_id]``, or 404 as :func:`get_or_404`."""
    record = get_or_404(collection, record_id, what)
    del collection[record_id]
    return record


def get_or_404(collection: dict[str, Any], record_id: str, what: str) -> Any:
    """``collection[record_id]``, or 404 ``not_found`` naming the ``id`` parameter."""
    record = collection.get(record_id)
    if record is None:
        raise ApiError.one(404, "not_found", f"{what} {record_id} not found", parameter="id")
    return record


def payment_date(raw: Any, today: dt.date, *, name: str, pointer: str) -> dt.date:
    """A payment date from a request body: ``YYYY-MM-DD``, ``today`` when absent, never
    in the future (Qonto's mark-as-paid pages, for client and supplier invoices);
    otherwise a 422 on ``pointer``."""
    if raw is None:
        return today
    try:
        if not isinstance(raw, str) or len(raw) != 10:
            raise ValueError(raw)
        paid_on = dt.date.fromisoformat(raw)
    except ValueError:
        raise ApiError.one(422, "invalid_format", f"{name} must be a date, YYYY-MM-DD",
                           pointer=pointer) from None
    if paid_on > today:
        raise ApiError.one(422, "invalid", f"{name} cannot be in the future", pointer=pointer)
    return paid_on
