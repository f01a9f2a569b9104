"""The log of API calls the simulator answered, for tests and benchmarks to count.

Only the Qonto API is logged (not ``/_simulator/`` calls). Counts are kept per
``"METHOD path"`` with the real path (``POST /v2/client_invoices/<uuid>/finalize``) and
per route (``POST /v2/client_invoices/{id}/finalize``); the list keeps the last
:data:`MAX_ENTRIES` calls.
"""

from __future__ import annotations

import threading
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

    def record(self, method: str, path: str, route: str | None, status: int | None,
               fault: str | None = None) -> None:
        """Log one call; ``status`` is ``None`` when the connection was dropped unanswered."""
        entry: dict[str, Any] = {"method": method, "path": path, "status": status}
        if fault:
            entry["fault"] = fault
        with self._lock:
            self._entries.append(entry)
            self._counts[f"{method} {path}"] += 1
            self._route_counts[f"{method} {route or path}"] += 1

    def snapshot(self) -> dict[str, Any]:
        """``{"requests": [...], "counts": {...}, "counts_by_route": {...}, "total": n}``."""
        with self._lock:
            return {
                "requests": list(self._entries),
                "counts": dict(self._counts),
                "counts_by_route": dict(self._route_counts),
                "total": sum(self._counts.values()),
            }

    def clear(self) -> None:
        """Forget every call."""
        with self._lock:
            self._entries.clear()
            self._counts.clear()
            self._route_counts.clear()
