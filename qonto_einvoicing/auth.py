"""Credentials for Qonto's Business API: an API key, or an OAuth 2.0 access token.

Both render only the ``Authorization`` header. Their ``repr`` never shows a secret, so
that a credential logged by mistake, or shown in a traceback, reveals nothing.
"""

from __future__ import annotations

import datetime as dt
import threading
from collections.abc import Callable
from dataclasses import dataclass, field

__all__ = ["ApiKey", "Credentials", "OAuthToken", "OAuthTokenAuth"]

# Refresh a little before expiry: Qonto recommends it over waiting for a 401, and more
# than 200 answers of 401 in an hour get the caller throttled.
_REFRESH_MARGIN = dt.timedelta(seconds=60)


class Credentials:
    """Something that can produce the ``Authorization`` header value."""

    def authorization(self) -> str:  # pragma: no cover - interface
        raise NotImplementedError

    @property
    def secrets(self) -> tuple[str, ...]:
        """Every secret value, so that callers can scrub them from any text."""
        return ()


@dataclass(frozen=True)
class ApiKey(Credentials):
    """Qonto's API key: ``Authorization: <login>:<secret-key>``, no scheme, no base64."""

    login: str
    secret_key: str = field(repr=False)

    def __post_init__(self) -> None:
        if not self.login or not self.secret_key:
            raise ValueError("an API key needs both a login and a secret key")

    @classmethod
    def parse(cls, value: str) -> ApiKey:
        """Read ``login:secret-key``."""
        login, sep, secret = value.partition(":")
        if not sep:
            raise ValueError("an API key reads login:secret-key")
        return cls(login, secret)

    def authorization(self) -> str:
        return f"{self.login}:{self.secret_key}"

    @property
    def secrets(self) -> tuple[str, ...]:
        return (self.secret_key,)

    def __repr__(self) -> str:
        return f"ApiKey(login={self.login!r}, secret_key='***')"


@dataclass(frozen=True)
class OAuthToken:
    """An OAuth access token, its refresh token, its expiry (UTC) and its scopes."""

    access_token: str = field(repr=False)
    refresh_token: str | None = field(default=None, repr=False)
    expires_at: dt.datetime | None = None
    scopes: tuple[str, ...] = ()

    def expires_soon(self, now: dt.datetime | None = None) -> bool:
        if self.expires_at is None:
            return False
        current = now or dt.datetime.now(dt.timezone.utc)
        return current + _REFRESH_MARGIN >= self.expires_at


class OAuthTokenAuth(Credentials):
    """``Authorization: Bearer <access token>``, refreshed before it expires.

    ``refresh`` receives the current refresh token and returns a new :class:`OAuthToken`;
    ``on_refresh`` then stores it (Qonto rotates the refresh token: a used one stays
    valid only 60 seconds, so the new one must be kept every time).
    """

    def __init__(self, token: OAuthToken, *,
                 refresh: Callable[[str], OAuthToken] | None = None,
                 on_refresh: Callable[[OAuthToken], None] | None = None) -> None:
        self._token = token
        self._refresh = refresh
        self._on_refresh = on_refresh
        self._lock = threading.Lock()

    @property
    def token(self) -> OAuthToken:
        return self._token

    def authorization(self) -> str:
        with self._lock:
            if self._token.expires_soon() and self._refresh and self._token.refresh_token:
                self._token = self._refresh(self._token.refresh_token)
                if self._on_refresh:
                    self._on_refresh(self._token)
            return f"Bearer {self._token.access_token}"

    @property
    def secrets(self) -> tuple[str, ...]:
        return tuple(s for s in (self._token.access_token, self._token.refresh_token) if s)

    def __repr__(self) -> str:
        return f"OAuthTokenAuth(expires_at={self._token.expires_at!r}, access_token='***')"
