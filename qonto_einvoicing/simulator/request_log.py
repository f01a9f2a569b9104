"""The log of API calls the simulator answered, for tests and benchmarks to count.

Only the Qonto API is logged (not ``/_simulator/`` calls). Counts are kept per
``"METHOD path"`` with the real path (``POST /v2/client_invoices/<uuid>/finalize``) and
per route (``POST /v2/client_invoices/{id}/finalize``); the list keeps the last
:data:`MAX_ENTRIES` calls. Each entry has ``duration_ms``, the time the simulator took to
answer (the ``latency_ms`` option included); ``rate_limited`` counts the 429s of the rate
limits (those calls are logged too, with ``"rate_limited": true``); ``max_in_flight`` is
the most calls the simulator was answering at once (concurrent clients overlap).
"""

from __future__ import annotations

import threading
import time
from collections import Counter, deque
from typing import Any

__all__ = ["MAX_ENTRIES", "RequestLog"]

MAX_ENTRIES = 10_000


class RequestLog:
    """A bounded list of calls and their counts; thread-safe."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._entries: deque[dict[str, Any]] = deque(maxlen=MAX_ENTRIES)
        self._counts: Counter[str] = Counter()
        self._route_counts: Counter[str] = Counter()
        self._rate_limited = 0
        self._in_flight = 0
        self._max_in_flight = 0

    def started(self) -> float:
        """Note a call being answered; returns its start, for :meth:`record`."""
        with self._lock:
            self._in_flight += 1
            self._max_in_flight = max(self._max_in_flight, self._in_flight)
        return time.perf_counter()

    def record(self, method: str, path: str, route: str | None, status: int | None,
               fault: str | None = None, *, started: float | None = None,
               rate_limited: bool = False) -> None:
        """Log one call; ``status`` is ``None`` when the connection was dropped unanswered.

        ``started`` is what :meth:`started` returned: the call is no longer in flight.
        """
        entry: dict[str, Any] = {"method": method, "path": path, "status": status}
        if fault:
            entry["fault"] = fault
        if rate_limited:
            entry["rate_limited"] = True
        if started is not None:
            entry["duration_ms"] = round((time.perf_counter() - started) * 1000, 3)
        with self._lock:
            if started is not None:
                self._in_flight -= 1
            self._rate_limited += rate_limited
            self._entries.append(entry)
            self._counts[f"{method} {path}"] += 1
            self._route_counts[f"{method} {route or path}"] += 1

    def snapshot(self) -> dict[str, Any]:
        """``requests``, ``counts``, ``counts_by_route``, ``total``, ``rate_limited``,
        ``max_in_flight``."""
        with self._lock:
            return {
                "requests": list(self._entries),
                "counts": dict(self._counts),
                "counts_by_route": dict(self._route_counts),
                "total": sum(self._counts.values()),
                "rate_limited": self._rate_limited,
                "max_in_flight": self._max_in_flight,
            }

    def clear(self) -> None:
        """Forget every call."""
        with self._lock:
            self._entries.clear()
            self._counts.clear()
            self._route_counts.clear()
            self._rate_limited = 0
            self._max_in_flight = self._in_flight
