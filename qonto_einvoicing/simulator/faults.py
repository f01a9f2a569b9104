"""Scripted faults: the next N matching API calls fail in a chosen way.

A fault matches a method (or ``*``) and a path: exact (``/v2/client_invoices``) or a
pattern whose ``{name}`` parts match one path segment
(``/v2/client_invoices/{id}/send_by_einvoice``). The query string is ignored. Kinds:

- ``429``: ``too_many_requests``, with ``Retry-After`` only when ``retry_after`` is given
  (Qonto documents no such header);
- ``500``, ``502``, ``503``: a JSON:API server error;
- ``slow``: waits ``delay`` seconds (wall time), then answers normally;
- ``drop``: closes the connection without an answer; nothing is done;
- ``lost_answer``: does the work (the invoice is created), then closes the connection
  without an answer, as when an answer is lost on the way back.

Faults are for tests: they are not saved in the state file.
"""

from __future__ import annotations

import re
import threading
import uuid
from dataclasses import dataclass, field
from typing import Any

from werkzeug.wrappers import Response

from .jsonapi import ApiError, error_object, json_response

__all__ = ["FAULT_KINDS", "DroppedConnectionError", "Fault", "FaultBook"]

_STATUS_ERRORS = {
    "429": ("too_many_requests", "Too many requests: slow down"),
    "500": ("internal_server_error",
            "An internal server error occurred while processing the request"),
    "502": ("bad_gateway", "Bad gateway"),
    "503": ("service_unavailable", "The service is temporarily unavailable"),
}
FAULT_KINDS = (*_STATUS_ERRORS, "slow", "drop", "lost_answer")


class DroppedConnectionError(ConnectionAbortedError):
    """Raised from the WSGI app to close the connection without an answer.

    werkzeug's server treats a ``ConnectionError`` from the app as a dropped connection
    and writes nothing back.
    """


def _path_pattern(path: str) -> re.Pattern[str]:
    parts = re.split(r"(\{[^/{}]+\})", path)
    return re.compile("".join("[^/]+" if p.startswith("{") else re.escape(p) for p in parts))


@dataclass
class Fault:
    """One scripted fault and how many calls it still applies to."""

    method: str
    path: str
    kind: str
    remaining: int
    delay: float = 0.0
    retry_after: float | None = None
    id: str = field(default_factory=lambda: str(uuid.uuid4()))

    def __post_init__(self) -> None:
        self._pattern = _path_pattern(self.path)

    @property
    def answers_error(self) -> bool:
        """Whether this fault answers an HTTP error instead of doing the work."""
        return self.kind in _STATUS_ERRORS

    def matches(self, method: str, path: str) -> bool:
        """Whether the call ``method path`` is one this fault applies to."""
        return self.method in ("*", method) and self._pattern.fullmatch(path) is not None

    def error_response(self) -> Response:
        """The error answer of a status fault."""
        status = int(self.kind)
        code, detail = _STATUS_ERRORS[self.kind]
        response = json_response({"errors": [error_object(status, code, detail)]}, status)
        if self.retry_after is not None:
            response.headers["Retry-After"] = f"{self.retry_after:g}"
        return response

    def describe(self) -> dict[str, Any]:
        """The fault as the control endpoint shows it."""
        return {"id": self.id, "method": self.method, "path": self.path, "fault": self.kind,
                "count": self.remaining, "delay": self.delay, "retry_after": self.retry_after}


class FaultBook:
    """The scripted faults, consumed in the order they were added."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._faults: list[Fault] = []

    def add(self, spec: dict[str, Any]) -> Fault:
        """Add a fault from the control endpoint's body; 422 when the body is wrong."""
        method = spec.get("method", "*")
        path = spec.get("path")
        kind = str(spec.get("fault", ""))
        count = spec.get("count", 1)
        delay = spec.get("delay", 0)
        retry_after = spec.get("retry_after")
        checks = [
            (isinstance(method, str) and bool(method), "/method", "method is required"),
            (isinstance(path, str) and path.startswith("/"), "/path",
             "path is a path such as /v2/client_invoices/{id}"),
            (kind in FAULT_KINDS, "/fault", f"fault is one of {', '.join(FAULT_KINDS)}"),
            (isinstance(count, int) and not isinstance(count, bool) and count >= 1, "/count",
             "count is a positive integer"),
            (_non_negative(delay), "/delay", "delay is a number of seconds"),
            (retry_after is None or _non_negative(retry_after), "/retry_after",
             "retry_after is a number of seconds"),
        ]
        errors = [error_object(422, "invalid", detail, pointer=pointer)
                  for ok, pointer, detail in checks if not ok]
        if errors:
            raise ApiError(422, errors)
        fault = Fault(method.upper(), str(path), kind, count, float(delay),
                      None if retry_after is None else float(retry_after))
        with self._lock:
            self._faults.append(fault)
        return fault

    def take(self, method: str, path: str) -> Fault | None:
        """The first fault matching this call, counted as used; ``None`` if none."""
        with self._lock:
            for fault in self._faults:
                if fault.matches(method, path):
                    fault.remaining -= 1
                    if fault.remaining <= 0:
                        self._faults.remove(fault)
                    return fault
        return None

    def clear(self) -> None:
        """Remove every fault."""
        with self._lock:
            self._faults.clear()

    def describe(self) -> list[dict[str, Any]]:
        """The faults still armed."""
        with self._lock:
            return [fault.describe() for fault in self._faults]


def _non_negative(value: Any) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool) and value >= 0
