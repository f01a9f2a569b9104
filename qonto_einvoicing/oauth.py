"""Qonto's OAuth 2.0 authorization-code flow: consent URL, code exchange, refresh.

An integrator registers its app with Qonto and receives a ``client_id`` and a
``client_secret``. :class:`OAuthApp` then:

1. builds the consent page's address (:meth:`OAuthApp.authorization_url`) with a
   ``state`` that the caller binds to its user's session (:func:`new_state`);
2. checks what Qonto's redirect brings back (:func:`read_redirect`: the ``state`` first,
   then the code or the refusal);
3. exchanges the code for tokens (:meth:`OAuthApp.exchange_code`) and refreshes them
   (:meth:`OAuthApp.refresh`).

Qonto's pages (docs.qonto.com, authentication/oauth): authorize
``https://oauth.qonto.com/oauth2/auth``, token and refresh
``https://oauth.qonto.com/oauth2/token``, form-encoded; a code is valid 10 minutes, an
access token 1 hour, a refresh token 90 days (with ``offline_access``); each refresh
rotates the refresh token, the old one staying valid 60 seconds. A refused or expired
grant answers RFC 6749's ``{"error": "invalid_grant"}``: :class:`InvalidGrantError`,
which means "the user must connect again". Revoking the consent is an API call:
:meth:`qonto_einvoicing.client.QontoClient.revoke_consents`.

Nothing here logs a token or a secret, and the errors never carry one.
"""

from __future__ import annotations

import datetime as dt
import hmac
import secrets
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlencode

import requests

from .auth import OAuthToken, OAuthTokenAuth
from .errors import QontoError, TransportError

__all__ = [
    "PRODUCTION_OAUTH",
    "SANDBOX_OAUTH",
    "SCOPES",
    "ConsentRefusedError",
    "InvalidGrantError",
    "OAuthApp",
    "OAuthEndpoints",
    "OAuthError",
    "StateMismatchError",
    "new_state",
    "read_redirect",
    "simulator_oauth",
]

SCOPES: Mapping[str, str] = {
    "offline_access": "a refresh token, so that the connection outlives the 1-hour "
                      "access token without asking the user again",
    "organization.read": "the organization, its IBANs (printed on the invoices), and "
                         "revoking the consent on Disconnect",
    "einvoicing.read": "whether e-invoice sending is enabled for the organization",
    "client.read": "find the customer in Qonto (SIREN/SIRET, VAT number, e-mail) and "
                   "read whether it is reachable on the e-invoicing network",
    "client.write": "create or update the customer in Qonto when it is not there yet",
    "client_invoices.read": "read the client invoice, its lifecycle events and its "
                            "PDF; receive the v1/client-invoices webhook",
    "client_invoice.write": "create, finalize and send the client invoice, import a "
                            "Factur-X, mark it paid or unpaid, credit notes",
    "attachment.read": "download the Factur-X Qonto generated, and the file of each "
                       "received supplier e-invoice",
    "supplier_invoice.read": "list the supplier e-invoices Qonto received, to import "
                             "them as vendor bills",
    "supplier_invoice.write": "refuse a received e-invoice, report or withdraw its "
                              "payment",
    "webhook": "subscribe to Qonto's client invoice events",
}
"""Every scope the addon asks for, with the feature that needs it: no more, no less."""

#: Qonto's lifetimes, for callers that need them (the answers carry ``expires_in``).
ACCESS_TOKEN_LIFETIME = dt.timedelta(hours=1)
REFRESH_TOKEN_LIFETIME = dt.timedelta(days=90)


@dataclass(frozen=True)
class OAuthEndpoints:
    """Where the consent page and the token endpoint are."""

    authorize_url: str
    token_url: str


PRODUCTION_OAUTH = OAuthEndpoints("https://oauth.qonto.com/oauth2/auth",
                                  "https://oauth.qonto.com/oauth2/token")
# The sandbox's OAuth host follows the sandbox API's naming (not confirmed by a page
# read for this version): check it against the app's registration mail.
SANDBOX_OAUTH = OAuthEndpoints("https://oauth-sandbox.staging.qonto.co/oauth2/auth",
                               "https://oauth-sandbox.staging.qonto.co/oauth2/token")


def simulator_oauth(base_url: str) -> OAuthEndpoints:
    """The simulator serves the OAuth pages on its own address."""
    base = base_url.rstrip("/")
    return OAuthEndpoints(f"{base}/oauth2/auth", f"{base}/oauth2/token")


class OAuthError(QontoError):
    """The OAuth server refused: RFC 6749's ``error`` and ``error_description``."""

    def __init__(self, message: str, *, error: str | None = None,
                 status: int | None = None) -> None:
        super().__init__(message)
        self.error = error
        self.status = status


class InvalidGrantError(OAuthError):
    """The code or refresh token is expired, used, or its consent revoked: reconnect."""


class ConsentRefusedError(OAuthError):
    """The user refused the consent on Qonto's page (``error=access_denied``)."""


class StateMismatchError(OAuthError):
    """The redirect's ``state`` is not the one this session issued: forged or replayed."""


def new_state() -> str:
    """A fresh, unguessable ``state`` to bind to the user's session."""
    return secrets.token_urlsafe(32)


def read_redirect(params: Mapping[str, str], expected_state: str | None) -> str:
    """The authorization code of Qonto's redirect, after checking its ``state``.

    The ``state`` is checked before anything else, a refusal included (an attacker must
    not learn anything either way). Raises :class:`StateMismatchError`,
    :class:`ConsentRefusedError` or :class:`OAuthError`.
    """
    state = params.get("state") or ""
    if not expected_state or not hmac.compare_digest(state.encode(),
                                                     expected_state.encode()):
        raise StateMismatchError("the state of the redirect is not the one issued",
                                 error="state_mismatch")
    error = params.get("error")
    if error == "access_denied":
        raise ConsentRefusedError("the consent was refused", error=error)
    if error:
        raise OAuthError(f"Qonto's consent page answered {error}", error=error)
    code = params.get("code")
    if not code:
        raise OAuthError("the redirect carries no code", error="invalid_request")
    return code


@dataclass
class OAuthApp:
    """An integrator's app registered with Qonto, for one redirect address.

    ``clock`` gives the current UTC time (the token's ``expires_at`` is computed from
    it and ``expires_in``).
    """

    client_id: str
    client_secret: str = field(repr=False)
    redirect_uri: str
    endpoints: OAuthEndpoints = PRODUCTION_OAUTH
    scopes: tuple[str, ...] = tuple(SCOPES)
    timeout: tuple[float, float] = (5.0, 30.0)
    session: requests.Session | None = field(default=None, repr=False)
    clock: Callable[[], dt.datetime] = field(
        default=lambda: dt.datetime.now(dt.timezone.utc), repr=False)

    def __post_init__(self) -> None:
        if not self.client_id or not self.client_secret:
            raise ValueError("an OAuth app needs a client id and a client secret")

    def authorization_url(self, state: str, *, organization_id: str | None = None) -> str:
        """The consent page to send the user's browser to."""
        params = {"client_id": self.client_id, "redirect_uri": self.redirect_uri,
                  "response_type": "code", "scope": " ".join(self.scopes), "state": state}
        if organization_id:
            params["organization_id"] = organization_id
        return f"{self.endpoints.authorize_url}?{urlencode(params)}"

    def exchange_code(self, code: str) -> OAuthToken:
        """Tokens for the code of the redirect (valid 10 minutes, used once)."""
        return self._token({"grant_type": "authorization_code", "code": code,
                            "redirect_uri": self.redirect_uri})

    def refresh(self, refresh_token: str) -> OAuthToken:
        """New tokens; the answer's refresh token replaces the old one (keep it)."""
        return self._token({"grant_type": "refresh_token", "refresh_token": refresh_token})

    def token_auth(self, token: OAuthToken, *,
                   on_refresh: Callable[[OAuthToken], None] | None = None,
                   refresh: Callable[[str], OAuthToken] | None = None) -> OAuthTokenAuth:
        """Credentials for :class:`~qonto_einvoicing.client.QontoClient` that refresh
        ``token`` before it expires (with ``refresh``, default :meth:`refresh`)."""
        return OAuthTokenAuth(token, refresh=refresh or self.refresh, on_refresh=on_refresh)

    def _token(self, form: dict[str, str]) -> OAuthToken:
        form = {**form, "client_id": self.client_id, "client_secret": self.client_secret}
        session = self.session or requests.Session()
        try:
            response = session.post(self.endpoints.token_url, data=form,
                                    headers={"Accept": "application/json"},
                                    timeout=self.timeout)
        except (requests.ConnectionError, requests.Timeout) as exc:
            raise TransportError(f"POST {self.endpoints.token_url}: "
                                 f"{exc.__class__.__name__}") from None
        finally:
            if self.session is None:
                session.close()
        try:
            body: Any = response.json()
        except ValueError:
            body = None
        if response.status_code >= 400 or not isinstance(body, dict):
            raise _token_error(response.status_code, body)
        return _read_token(body, self.clock())


def _token_error(status: int, body: Any) -> OAuthError:
    error = body.get("error") if isinstance(body, dict) else None
    description = body.get("error_description") if isinstance(body, dict) else None
    message = f"Qonto's token endpoint answered {status}" + (f": {error}" if error else "")
    if description:
        message += f" ({description})"
    cls = InvalidGrantError if error == "invalid_grant" else OAuthError
    return cls(message, error=error, status=status)


def _read_token(body: Mapping[str, Any], now: dt.datetime) -> OAuthToken:
    access = body.get("access_token")
    if not isinstance(access, str) or not access:
        raise OAuthError("Qonto's token endpoint answered no access token",
                         error="invalid_response")
    try:
        expires_at: dt.datetime | None = now + dt.timedelta(
            seconds=float(body["expires_in"]))
    except (KeyError, TypeError, ValueError):
        expires_at = None
    scope = body.get("scope")
    return OAuthToken(access_token=access, refresh_token=body.get("refresh_token") or None,
                      expires_at=expires_at, scopes=_scopes(scope))


def _scopes(scope: Any) -> tuple[str, ...]:
    if isinstance(scope, str):
        return tuple(s for s in scope.split() if s)
    if isinstance(scope, Iterable):
        return tuple(str(s) for s in scope)
    return ()
