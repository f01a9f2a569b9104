"""Qonto's OAuth 2.0 authorization-code flow: consent URL, code exchange, refresh.

An integrator registers its app with Qonto and receives a ``client_id`` and a
``client_secret``. :class:`OAuthApp` then:

1. builds the consent page's address (:meth:`OAuthApp.authorization_url`) with a
   ``state`` that the caller binds to its user's session (:func:`new_state`) and a PKCE
   ``code_challenge`` (:func:`new_pkce`; the caller keeps the verifier server-side, with
   the state);
2. checks what Qonto's redirect brings back (:func:`read_redirect`: the ``state`` first,
   then the code or the refusal);
3. exchanges the code for tokens (:meth:`OAuthApp.exchange_code`, with the PKCE
   ``code_verifier``) and refreshes them (:meth:`OAuthApp.refresh`).

Qonto's pages (docs.qonto.com, authentication/oauth): authorize
``https://oauth.qonto.com/oauth2/auth``, token and refresh
``https://oauth.qonto.com/oauth2/token``, form-encoded; a code is valid 10 minutes, an
access token 1 hour, a refresh token 90 days (with ``offline_access``); each refresh
rotates the refresh token, the old one staying valid 60 seconds. A refused or expired
grant answers RFC 6749's ``{"error": "invalid_grant"}``: :class:`InvalidGrantError`,
which means "the user must connect again". Revoking the consent is an API call:
:meth:`qonto_einvoicing.client.QontoClient.revoke_consents`.

PKCE (RFC 7636, method ``S256``): Qonto's pages on the login and token endpoints
(api-reference/business-api/authentication/oauth/login-endpoint, token-endpoint,
oauth2/create_tokens, read 2026-12-05) list neither ``code_challenge`` nor
``code_verifier``: Qonto does not document PKCE. Its codes and tokens
(``ory_ac_...``, ``ory_at_...`` in its examples) look like those of Ory Hydra, which
verifies PKCE whenever the authorize request carries a challenge (an inference, not a
Qonto page); and a server without PKCE
ignores parameters it does not know (RFC 6749, sections 3.1 and 3.2). So the flow
always sends them: the stolen code of a redirect is then useless to whoever lacks the
verifier wherever Qonto checks it, and nothing breaks where it does not. The simulator
plays both (``POST /_simulator/oauth/pkce``).

Nothing here logs a token or a secret, and the errors never carry one.
"""

from __future__ import annotations

import base64
import datetime as dt
import hashlib
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
    "PKCE",
    "PRODUCTION_OAUTH",
    "SANDBOX_OAUTH",
    "SCOPES",
    "ConsentRefusedError",
    "InvalidGrantError",
    "OAuthApp",
    "OAuthEndpoints",
    "OAuthError",
    "StateMismatchError",
    "code_challenge",
    "new_pkce",
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


@dataclass(frozen=True)
class PKCE:
    """A PKCE pair (RFC 7636): the ``verifier`` stays on the server, with the pending
    ``state``; only its ``challenge`` goes to the consent page."""

    verifier: str = field(repr=False)

    @property
    def challenge(self) -> str:
        """``BASE64URL(SHA256(verifier))`` without padding: the ``S256`` method."""
        return code_challenge(self.verifier)


def code_challenge(verifier: str) -> str:
    """The ``S256`` challenge of ``verifier`` (RFC 7636, section 4.2)."""
    digest = hashlib.sha256(verifier.encode("ascii")).digest()
    return base64.urlsafe_b64encode(digest).rstrip(b"=").decode("ascii")


def new_pkce() -> PKCE:
    """A fresh verifier: 43 characters of the unreserved alphabet, 256 random bits."""
    return PKCE(secrets.token_urlsafe(32))


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

    def authorization_url(self, state: str, *, pkce: PKCE | None = None,
                          organization_id: str | None = None) -> str:
        """The consent page to send the user's browser to; with ``pkce``, its ``S256``
        challenge (then pass the same ``pkce`` to :meth:`exchange_code`)."""
        params = {"client_id": self.client_id, "redirect_uri": self.redirect_uri,
                  "response_type": "code", "scope": " ".join(self.scopes), "state": state}
        if pkce is not None:
            params["code_challenge"] = pkce.challenge
            params["code_challenge_method"] = "S256"
        if organization_id:
            params["organization_id"] = organization_id
        return f"{self.endpoints.authorize_url}?{urlencode(params)}"

    def exchange_code(self, code: str, *, pkce: PKCE | None = None) -> OAuthToken:
        """Tokens for the code of the redirect (valid 10 minutes, used once); ``pkce``
        is the pair whose challenge the consent page received."""
        form = {"grant_type": "authorization_code", "code": code,
                "redirect_uri": self.redirect_uri}
        if pkce is not None:
            form["code_verifier"] = pkce.verifier
        return self._token(form)

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
