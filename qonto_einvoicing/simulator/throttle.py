"""Qonto's rate limits: per client IP, sliding windows on real monotonic time.

https://docs.qonto.com/get-started/general/rate-limitations.md: 1,000 requests per 10
seconds and 10,000 per 10 minutes per IP address; past either, ``429 Too Many
Requests``. The simulator counts every call to the API (not ``/_simulator/``) from one
IP in each window. A refused call is not counted and does nothing. Qonto documents no
``Retry-After``: one is sent only with the ``rate_limit_retry_after`` option. Time is
``time.monotonic()``, never the simulator clock, which tests move by hours.
"""

from __future__ import annotations

import bisect
import threading
import time
from collections.abc import Callable, Sequence

from .jsonapi import ApiError

__all__ = ["RateLimiter"]


class RateLimiter:
    """Sliding-window counters per IP; thread-safe."""

    def __init__(self, limits: Sequence[tuple[int, float]],
                 clock: Callable[[], float] = time.monotonic) -> None:
        self.limits = tuple(limits)
        self._clock = clock
        self._lock = threading.Lock()
        self._longest = max((seconds for _, seconds in self.limits), default=0.0)
        self._calls: dict[str, list[float]] = {}
        self.refused = 0

    def wait_time(self, ip: str) -> float:
        """0 and the call is counted when every window has room; else seconds to wait."""
        now = self._clock()
        with self._lock:
            calls = self._calls.setdefault(ip, [])  # instants, oldest first
            del calls[:bisect.bisect_right(calls, now - self._longest)]
            wait = 0.0
            for requests, seconds in self.limits:
                in_window = len(calls) - bisect.bisect_right(calls, now - seconds)
                if in_window >= requests:
                    # The call that keeps this window full must leave it first.
                    wait = max(wait, calls[len(calls) - requests] + seconds - now)
            if wait > 0:
                self.refused += 1
                return wait
            calls.append(now)
            return 0.0

    def error(self, wait: float, *, retry_after: bool) -> ApiError:
        """The 429 of a refused call."""
        error = ApiError.one(429, "too_many_requests",
                             "Rate limit exceeded: 1,000 requests per 10 seconds and 10,000 "
                             "per 10 minutes per IP address" if self.limits == (
                                 (1000, 10.0), (10000, 600.0))
                             else "Rate limit exceeded")
        if retry_after:
            error.headers["Retry-After"] = str(max(1, int(wait + 0.999)))
        return error

    def reset(self) -> None:
        """Forget every call (``POST /_simulator/reset``)."""
        with self._lock:
            self._calls.clear()
            self.refused = 0
