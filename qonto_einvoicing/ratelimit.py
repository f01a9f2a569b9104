"""Pacing requests under Qonto's rate limits, shared by every thread of a process.

Qonto counts requests per IP address: at most 1,000 per 10 seconds and 10,000 per 10
minutes (:data:`QONTO_RATE_LIMITS`); past either it answers ``429 Too Many Requests``
and does nothing. A :class:`RateLimiter` given to
:class:`~qonto_einvoicing.client.QontoClient` (``rate_limiter=``) makes every HTTP
attempt wait until it fits under every window, with some headroom for the other
processes on the same IP, and a 429 (``penalize``) makes every thread wait.

Share one limiter between the clients of one process. Workers in other processes
cannot see it: they are why the headroom exists, and why a 429 is still retried.
"""

from __future__ import annotations

import threading
import time
from collections import deque
from collections.abc import Callable, Sequence

__all__ = ["QONTO_RATE_LIMITS", "RateLimiter"]

QONTO_RATE_LIMITS: tuple[tuple[int, float], ...] = ((1000, 10.0), (10000, 600.0))
"""Qonto's per-IP limits, as ``(requests, seconds)`` sliding windows."""


class RateLimiter:
    """Sliding-window pacing: :meth:`acquire` blocks until one more request fits.

    ``windows`` are ``(requests, seconds)`` pairs; each allows
    ``max(1, int(requests * headroom))`` requests in any ``seconds``-long window.
    ``clock`` (monotonic seconds) and ``sleep`` can be replaced, e.g. by a test clock.
    Thread-safe: threads that share a limiter share its windows.
    """

    def __init__(self, windows: Sequence[tuple[int, float]] = QONTO_RATE_LIMITS, *,
                 headroom: float = 0.95,
                 clock: Callable[[], float] = time.monotonic,
                 sleep: Callable[[float], None] = time.sleep) -> None:
        if not windows:
            raise ValueError("a rate limiter needs at least one (requests, seconds) window")
        if not 0 < headroom <= 1:
            raise ValueError("headroom is a fraction in (0, 1]")
        limits = []
        for requests, seconds in windows:
            if requests < 1 or seconds <= 0:
                raise ValueError("a window is (requests >= 1, seconds > 0)")
            limits.append((max(1, int(requests * headroom)), float(seconds)))
        self.windows = tuple((int(n), float(s)) for n, s in windows)
        self.headroom = headroom
        self.limits: tuple[tuple[int, float], ...] = tuple(limits)
        self._longest = max(seconds for _, seconds in limits)
        self._clock = clock
        self._sleep = sleep
        self._lock = threading.Lock()
        self._stamps: deque[float] = deque()  # start of each recent request, oldest first
        self._blocked_until = float("-inf")

    def __repr__(self) -> str:
        return f"RateLimiter(windows={self.windows!r}, headroom={self.headroom!r})"

    def _wait(self, now: float) -> float:
        stamps = self._stamps
        while stamps and stamps[0] <= now - self._longest:
            stamps.popleft()
        wait = self._blocked_until - now
        for limit, seconds in self.limits:
            if len(stamps) >= limit:
                # The request `limit` places back must leave the window first.
                wait = max(wait, stamps[len(stamps) - limit] + seconds - now)
        return wait

    def acquire(self) -> float:
        """Wait until one more request fits under every window; count it. Return the
        seconds spent waiting."""
        waited = 0.0
        while True:
            with self._lock:
                now = self._clock()
                wait = self._wait(now)
                if wait <= 0:
                    self._stamps.append(now)
                    return waited
            self._sleep(wait)
            waited += wait

    def penalize(self, seconds: float) -> None:
        """Make every :meth:`acquire` wait ``seconds`` from now (Qonto answered 429)."""
        if seconds <= 0:
            return
        with self._lock:
            self._blocked_until = max(self._blocked_until, self._clock() + seconds)

    def in_window(self, seconds: float) -> int:
        """How many requests were counted in the last ``seconds``."""
        with self._lock:
            now = self._clock()
            return sum(1 for stamp in self._stamps if stamp > now - seconds)
