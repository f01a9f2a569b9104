"""How :class:`~qonto_einvoicing.client.QontoClient` waits before it tries again."""

from __future__ import annotations

import random
from dataclasses import dataclass

import requests

__all__ = ["RetryPolicy", "retry_after"]


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


def retry_after(response: requests.Response) -> float | None:
    """The seconds of a ``Retry-After`` header, when there is a readable one."""
    value = response.headers.get("Retry-After")
    try:
        return float(value) if value else None
    except ValueError:
        return None
