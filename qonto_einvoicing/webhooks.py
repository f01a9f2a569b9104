"""Qonto webhook signatures: ``X-Qonto-Signature: t=<unix time>,v1=<hex>``.

``<hex>`` is the HMAC-SHA256, keyed with the subscription's secret, of
``"<t>.<raw body>"``. A receiver checks it in constant time and refuses a timestamp more
than five minutes away from its own clock, so that a captured delivery cannot be replayed.
"""

from __future__ import annotations

import hashlib
import hmac
import time

from .errors import InvalidSignatureError

__all__ = ["DEFAULT_TOLERANCE", "SIGNATURE_HEADER", "check_header", "sign", "signature_header",
           "verify"]

SIGNATURE_HEADER = "X-Qonto-Signature"
DEFAULT_TOLERANCE = 300  # seconds, Qonto's documented window


def _as_bytes(value: str | bytes) -> bytes:
    return value.encode() if isinstance(value, str) else value


def sign(secret: str | bytes, body: bytes, timestamp: int) -> str:
    """The hex HMAC-SHA256 of ``<timestamp>.<body>`` keyed with ``secret``."""
    message = str(int(timestamp)).encode() + b"." + body
    return hmac.new(_as_bytes(secret), message, hashlib.sha256).hexdigest()


def signature_header(secret: str | bytes, body: bytes, timestamp: int | None = None) -> str:
    """The value of ``X-Qonto-Signature`` for ``body``, as Qonto sends it."""
    ts = int(time.time()) if timestamp is None else int(timestamp)
    return f"t={ts},v1={sign(secret, body, ts)}"


def check_header(header: str | None, *, tolerance: int = DEFAULT_TOLERANCE,
                 now: float | None = None) -> tuple[int, list[str]]:
    """``(timestamp, v1 values)`` of a signature header that is well formed and within
    ``tolerance`` seconds of ``now``; :class:`~qonto_einvoicing.errors.InvalidSignatureError`
    otherwise. Needs no body: a receiver refuses what cannot be signed before reading it.
    """
    if not header:
        raise InvalidSignatureError("missing signature header")
    timestamp: int | None = None
    candidates: list[str] = []
    for part in header.split(","):
        key, sep, value = part.strip().partition("=")
        if not sep:
            continue
        if key == "t":
            try:
                timestamp = int(value)
            except ValueError:
                raise InvalidSignatureError("malformed signature timestamp") from None
        elif key == "v1":
            candidates.append(value.strip())
    if timestamp is None or not candidates:
        raise InvalidSignatureError("malformed signature header")
    current = time.time() if now is None else now
    if abs(current - timestamp) > tolerance:
        raise InvalidSignatureError("signature timestamp outside the tolerance window")
    return timestamp, candidates


def verify(header: str | None, body: bytes, secret: str | bytes, *,
           tolerance: int = DEFAULT_TOLERANCE, now: float | None = None) -> int:
    """Check a delivery's signature header; return its timestamp.

    Raises :class:`~qonto_einvoicing.errors.InvalidSignatureError` when the header is
    missing or malformed, when no ``v1`` value matches, or when the timestamp is outside
    ``tolerance`` seconds of ``now``. The error text never contains the secret.
    """
    timestamp, candidates = check_header(header, tolerance=tolerance, now=now)
    expected = sign(secret, body, timestamp)
    if not any(hmac.compare_digest(expected, c) for c in candidates):
        raise InvalidSignatureError("signature does not match")
    return timestamp
