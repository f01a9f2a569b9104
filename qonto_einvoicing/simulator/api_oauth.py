"""Qonto's OAuth 2.0 server: consent page, token endpoint, revocation, scope checks.

The rules, each from Qonto's pages (docs.qonto.com, section authentication/oauth):

- *Authorization endpoint* (``https://oauth.qonto.com/oauth2/auth``): the user sees a
  consent page and is sent back to ``redirect_uri`` with ``code`` and ``state``, or
  with ``error=access_denied`` when refusing. Here the page is a plain HTML form; the
  user picks the organization (any of the simulator's) and clicks *Allow* or *Deny*.
- *Token endpoint* (``POST https://oauth.qonto.com/oauth2/token``, form-encoded,
  ``client_id`` and ``client_secret`` in the body): ``grant_type=authorization_code``
  with the ``code`` (valid 10 minutes, once) and the same ``redirect_uri``; the access
  token lives 1 hour, the refresh token 90 days and needs the ``offline_access`` scope.
- *Refresh token endpoint* (same URL, ``grant_type=refresh_token``): each refresh
  rotates the refresh token; the used one stays valid for a grace period of 60 seconds.
  Errors follow RFC 6749: 400 ``{"error": "invalid_grant"}``, 401 ``invalid_client``.
- *Revoke consents* (``DELETE /v2/oauth2/consents``, scope ``organization.read``):
  every token of the consent stops working.
- *Scopes* (api-reference/business-api/introduction/authentication/scopes): each
  endpoint needs its scope; a token without it is answered 403
  ``insufficient_permissions``. Bearer tokens registered with ``POST
  /_simulator/tokens`` (before OAuth existed here) keep every scope.

- *PKCE* (RFC 7636): Qonto's pages are silent (the login and token endpoint pages list
  no ``code_challenge``/``code_verifier``). By default the simulator verifies it as an
  RFC 7636 server does: a consent asked with a ``code_challenge`` (method ``S256`` only;
  ``plain`` or another method is answered ``invalid_request``) gives a code that the
  token endpoint exchanges only with the matching ``code_verifier`` (else 400
  ``invalid_grant``); a consent asked without a challenge works without a verifier.
  ``POST /_simulator/oauth/pkce {"verify": false}`` plays the other reading, a server
  that ignores the PKCE parameters (a test option; ``{"verify": true}`` restores it).

Laxer than Qonto, said aloud: the default app (``demo-oauth-client``) accepts any
``redirect_uri``; apps registered with ``POST /_simulator/oauth/clients`` accept only
theirs. There is no login on the consent page.

State (in ``store.data["oauth"]``): ``clients``, ``codes``, ``access_tokens``,
``refresh_tokens`` (by token), ``consents`` (by id), ``token_requests`` (counts per
grant type, for tests and the control API), ``ignore_pkce`` (the test option above).
"""

from __future__ import annotations

import base64
import hashlib
import html
import secrets
from typing import Any
from urllib.parse import urlencode, urlsplit

from werkzeug.wrappers import Response

from .jsonapi import ApiError, json_response
from .routing import Call, Route
from .state import Record, Store

__all__ = ["API_ROUTES", "CONTROL_ROUTES", "DEFAULT_OAUTH_CLIENT", "OAUTH_ROUTES",
           "ROUTE_SCOPES", "bearer_scopes", "ensure_oauth_state", "required_scope"]

DEFAULT_OAUTH_CLIENT = ("demo-oauth-client", "demo-oauth-secret")
CODE_SECONDS = 600
ACCESS_SECONDS = 3600
REFRESH_SECONDS = 90 * 86400
GRACE_SECONDS = 60

ROUTE_SCOPES: dict[tuple[str, str], str] = {
    ("GET", "/v2/organization"): "organization.read",
    ("DELETE", "/v2/oauth2/consents"): "organization.read",
    ("GET", "/v2/einvoicing/settings"): "einvoicing.read",
    ("GET", "/v2/clients"): "client.read",
    ("GET", "/v2/clients/{id}"): "client.read",
    ("POST", "/v2/clients"): "client.write",
    ("PATCH", "/v2/clients/{id}"): "client.write",
    ("DELETE", "/v2/clients/{id}"): "client.write",
    ("GET", "/v2/client_invoices"): "client_invoices.read",
    ("GET", "/v2/client_invoices/{id}"): "client_invoices.read",
    ("GET", "/v2/credit_notes"): "client_invoices.read",
    ("GET", "/v2/credit_notes/{id}"): "client_invoices.read",
    ("GET", "/v2/attachments/{id}"): "attachment.read",
    ("GET", "/v2/webhook_subscriptions"): "webhook",
    ("POST", "/v2/webhook_subscriptions"): "webhook",
    ("DELETE", "/v2/webhook_subscriptions/{id}"): "webhook",
    # Supplier invoices: list and retrieve, then reject / mark as paid (the pages of
    # api-reference/business-api/spend-management/supplier-invoices).
    ("GET", "/v2/supplier_invoices"): "supplier_invoice.read",
    ("GET", "/v2/supplier_invoices/{id}"): "supplier_invoice.read",
    ("POST", "/v2/supplier_invoices/{id}/reject"): "supplier_invoice.write",
    ("POST", "/v2/supplier_invoices/{id}/mark_as_paid"): "supplier_invoice.write",
    ("POST", "/v2/supplier_invoices/{id}/unmark_as_paid"): "supplier_invoice.write",
}
"""The scope each endpoint needs (Qonto's scopes page); every other ``/v2`` route of the
simulator writes client invoices or credit notes: ``client_invoice.write``."""


def required_scope(method: str, path: str) -> str:
    """The scope a route (``METHOD``, path template) needs."""
    return ROUTE_SCOPES.get((method, path), "client_invoice.write")


def ensure_oauth_state(data: Record) -> bool:
    """Give a state without OAuth (an older state file, a reset) its OAuth part, with
    the default app; return whether anything was added (lock held)."""
    before = repr(data.get("oauth"))
    oauth = data.setdefault("oauth", {})
    for key in ("clients", "codes", "access_tokens", "refresh_tokens", "consents",
                "token_requests"):
        oauth.setdefault(key, {})
    client_id, secret = DEFAULT_OAUTH_CLIENT
    oauth["clients"].setdefault(client_id, {"secret": secret, "redirect_uris": []})
    return repr(oauth) != before


def _oauth(call: Call) -> Record:
    oauth: Record = call.sim.store.data["oauth"]
    return oauth


def bearer_scopes(store: Store, token: str, now: float) -> tuple[str | None, set[str] | None]:
    """``(login, scopes)`` of a Bearer token; ``scopes`` is ``None`` for a token of
    ``POST /_simulator/tokens`` (every scope); ``(None, None)`` when it is not valid."""
    login = store.data["tokens"].get(token)
    if login:
        return login, None
    grant = store.data.get("oauth", {}).get("access_tokens", {}).get(token)
    if grant is None or grant["expires"] <= now or _revoked(store.data["oauth"], grant):
        return None, None
    return grant["login"], set(grant["scopes"])


def _revoked(oauth: Record, grant: Record) -> bool:
    consent = oauth["consents"].get(grant["consent"])
    return consent is None or consent["revoked"]


# ------------------------------------------------------------------ consent page


def _client(call: Call, client_id: str | None) -> Record:
    client = _oauth(call)["clients"].get(client_id or "")
    if client is None:
        raise ApiError.one(400, "invalid_client", "Unknown client_id")
    return client


def _check_redirect(client: Record, redirect_uri: str) -> None:
    parts = urlsplit(redirect_uri)
    if parts.scheme not in ("http", "https") or not parts.netloc:
        raise ApiError.one(400, "invalid_request", "redirect_uri is not an http(s) URL")
    if client["redirect_uris"] and redirect_uri not in client["redirect_uris"]:
        raise ApiError.one(400, "invalid_request", "redirect_uri is not registered")


def consent_page(call: Call) -> Response:
    """``GET /oauth2/auth``: the consent form (Qonto's authorization endpoint)."""
    args = call.args
    if args.get("response_type") != "code":
        raise ApiError.one(400, "unsupported_response_type", "response_type must be code")
    client = _client(call, args.get("client_id"))
    _check_redirect(client, args.get("redirect_uri", ""))
    if (args.get("code_challenge") and not _oauth(call).get("ignore_pkce")
            and args.get("code_challenge_method") != "S256"):
        raise ApiError.one(400, "invalid_request",
                           "code_challenge_method must be S256")
    scopes = args.get("scope", "").split()
    orgs = list(call.sim.store.organizations())
    wanted = args.get("organization_id")
    options = "".join(
        f'<option value="{html.escape(o["api_login"])}"'
        f'{" selected" if o["id"] == wanted else ""}>{html.escape(o["legal_name"])}</option>'
        for o in orgs)
    hidden = "".join(
        f'<input type="hidden" name="{name}" value="{html.escape(args.get(name, ""))}"/>'
        for name in ("client_id", "redirect_uri", "scope", "state", "code_challenge"))
    items = "".join(f"<li><code>{html.escape(s)}</code></li>" for s in scopes)
    body = f"""<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"/><title>Qonto (simulator) - consent</title></head>
<body>
<h1>Qonto (simulator)</h1>
<p>The application <strong id="client">{html.escape(args.get("client_id", ""))}</strong>
asks to access your Qonto organization with these permissions:</p>
<ul id="scopes">{items}</ul>
<form method="post" action="/oauth2/auth">{hidden}
<label for="organization">Organization</label>
<select id="organization" name="organization">{options}</select>
<button type="submit" name="decision" value="allow" id="allow">Allow</button>
<button type="submit" name="decision" value="deny" id="deny">Deny</button>
</form></body></html>"""
    return Response(body, 200, content_type="text/html; charset=utf-8")


def consent_decision(call: Call) -> Response:
    """``POST /oauth2/auth``: the form's answer; redirects back with a code or an error."""
    form = call.request.form
    client_id = form.get("client_id", "")
    client = _client(call, client_id)
    redirect_uri = form.get("redirect_uri", "")
    _check_redirect(client, redirect_uri)
    answer: dict[str, str] = {}
    if form.get("decision") == "allow":
        org = call.sim.store.organization_by_login(form.get("organization", ""))
        if org is None:
            raise ApiError.one(400, "invalid_request", "Unknown organization")
        code = secrets.token_urlsafe(24)
        _oauth(call)["codes"][code] = {
            "client_id": client_id, "login": org["api_login"],
            "redirect_uri": redirect_uri, "scopes": form.get("scope", "").split(),
            "expires": call.sim.now() + CODE_SECONDS,
            "code_challenge": (None if _oauth(call).get("ignore_pkce")
                               else form.get("code_challenge") or None)}
        call.sim.store.mark_changed()
        answer["code"] = code
    else:
        answer["error"] = "access_denied"
    if form.get("state"):
        answer["state"] = form["state"]
    separator = "&" if urlsplit(redirect_uri).query else "?"
    return Response(status=302, headers={"Location": redirect_uri + separator
                                         + urlencode(answer)})


# ------------------------------------------------------------------ token endpoint


def _oauth_error(status: int, error: str, description: str) -> Response:
    return json_response({"error": error, "error_description": description}, status)


def token(call: Call) -> Response:
    """``POST /oauth2/token``: both grants, with rotation and the 60-second grace."""
    form = call.request.form
    oauth = _oauth(call)
    grant_type = form.get("grant_type", "")
    counts = oauth["token_requests"]
    counts[grant_type] = counts.get(grant_type, 0) + 1
    call.sim.store.mark_changed()
    client = oauth["clients"].get(form.get("client_id", ""))
    if client is None or not secrets.compare_digest(client["secret"],
                                                    form.get("client_secret", "")):
        return _oauth_error(401, "invalid_client", "Client authentication failed")
    now = call.sim.now()
    if grant_type == "authorization_code":
        grant = oauth["codes"].pop(form.get("code", ""), None)
        if (grant is None or grant["expires"] <= now
                or grant["client_id"] != form["client_id"]
                or grant["redirect_uri"] != form.get("redirect_uri")):
            return _oauth_error(400, "invalid_grant", "The code is invalid or expired")
        if not _pkce_verified(grant.get("code_challenge"), form.get("code_verifier")):
            return _oauth_error(400, "invalid_grant",
                                "The code_verifier does not match the code_challenge")
        consent_id = secrets.token_hex(8)
        oauth["consents"][consent_id] = {"login": grant["login"], "client_id": grant["client_id"],
                                         "revoked": False}
        return _issue(call, grant["login"], grant["scopes"], consent_id)
    if grant_type == "refresh_token":
        old = oauth["refresh_tokens"].get(form.get("refresh_token", ""))
        if (old is None or old["client_id"] != form["client_id"] or old["expires"] <= now
                or (old["used_at"] is not None and old["used_at"] + GRACE_SECONDS <= now)
                or _revoked(oauth, old)):
            return _oauth_error(400, "invalid_grant",
                                "The refresh token is invalid, expired or revoked")
        if old["used_at"] is None:
            old["used_at"] = now
        return _issue(call, old["login"], old["scopes"], old["consent"])
    return _oauth_error(400, "unsupported_grant_type", "grant_type is not supported")


def _pkce_verified(challenge: str | None, verifier: str | None) -> bool:
    """RFC 7636, section 4.6: ``BASE64URL(SHA256(code_verifier)) == code_challenge``
    when the consent carried a challenge; a verifier without a challenge is ignored."""
    if not challenge:
        return True
    if not verifier:
        return False
    digest = hashlib.sha256(verifier.encode("ascii", "replace")).digest()
    expected = base64.urlsafe_b64encode(digest).rstrip(b"=").decode("ascii")
    return secrets.compare_digest(expected, challenge)


def _issue(call: Call, login: str, scopes: list[str], consent_id: str) -> Response:
    oauth = _oauth(call)
    now = call.sim.now()
    consent = oauth["consents"][consent_id]
    access = secrets.token_urlsafe(32)
    oauth["access_tokens"][access] = {"login": login, "scopes": scopes, "consent": consent_id,
                                      "client_id": consent["client_id"],
                                      "expires": now + ACCESS_SECONDS}
    body: dict[str, Any] = {"access_token": access, "token_type": "bearer",
                            "expires_in": ACCESS_SECONDS, "scope": " ".join(scopes)}
    if "offline_access" in scopes:
        refresh = secrets.token_urlsafe(32)
        oauth["refresh_tokens"][refresh] = {"login": login, "scopes": scopes,
                                            "consent": consent_id,
                                            "client_id": consent["client_id"],
                                            "expires": now + REFRESH_SECONDS, "used_at": None}
        body["refresh_token"] = refresh
    _forget_dead(oauth, now)
    call.sim.store.mark_changed()
    return json_response(body)


def _forget_dead(oauth: Record, now: float) -> None:
    # Expired tokens and codes only grow the state file: drop them as new ones come.
    for key in ("codes", "access_tokens"):
        for value in [k for k, v in oauth[key].items() if v["expires"] <= now]:
            del oauth[key][value]
    for value in [k for k, v in oauth["refresh_tokens"].items()
                  if v["expires"] <= now
                  or (v["used_at"] is not None and v["used_at"] + GRACE_SECONDS <= now)]:
        del oauth["refresh_tokens"][value]


# ------------------------------------------------------------------ revocation


def _revoke(oauth: Record, login: str, client_id: str | None = None) -> int:
    count = 0
    for consent in oauth["consents"].values():
        if consent["login"] == login and not consent["revoked"] and (
                client_id is None or consent["client_id"] == client_id):
            consent["revoked"] = True
            count += 1
    return count


def revoke_consents(call: Call) -> Response:
    """``DELETE /v2/oauth2/consents``: the caller's consent ends, with all its tokens."""
    token_value = call.request.headers.get("Authorization", "").removeprefix("Bearer ").strip()
    grant = _oauth(call)["access_tokens"].get(token_value)
    if grant is not None:
        _revoke(_oauth(call), grant["login"], grant["client_id"])
        call.sim.store.mark_changed()
    return Response(status=204)


# ------------------------------------------------------------------ control


def oauth_summary(call: Call) -> Response:
    """``GET /_simulator/oauth``: token requests per grant, live tokens, consents."""
    oauth = _oauth(call)
    now = call.sim.now()
    return json_response({
        "token_requests": dict(oauth["token_requests"]),
        "live_access_tokens": sum(1 for g in oauth["access_tokens"].values()
                                  if g["expires"] > now and not _revoked(oauth, g)),
        "consents": [{"login": c["login"], "client_id": c["client_id"],
                      "revoked": c["revoked"]} for c in oauth["consents"].values()],
    })


def add_client(call: Call) -> Response:
    """``POST /_simulator/oauth/clients``: register an app and its redirect URIs."""
    body = call.json()
    client_id, secret = body.get("client_id"), body.get("client_secret")
    uris = body.get("redirect_uris", [])
    if not (isinstance(client_id, str) and client_id and isinstance(secret, str) and secret
            and isinstance(uris, list) and all(isinstance(u, str) for u in uris)):
        raise ApiError.one(422, "invalid", "client_id, client_secret and redirect_uris "
                           "(a list of URLs) are required")
    _oauth(call)["clients"][client_id] = {"secret": secret, "redirect_uris": uris}
    call.sim.store.mark_changed()
    return json_response({"client_id": client_id, "redirect_uris": uris}, 201)


def revoke_from_qonto(call: Call) -> Response:
    """``POST /_simulator/oauth/revoke`` ``{"api_key_login"}``: the user revokes the
    app's access in Qonto's web app."""
    body = call.json()
    login = body.get("api_key_login") or call.sim.api_key.partition(":")[0]
    count = _revoke(_oauth(call), str(login), body.get("client_id"))
    call.sim.store.mark_changed()
    return json_response({"revoked": count})


def set_pkce(call: Call) -> Response:
    """``POST /_simulator/oauth/pkce`` ``{"verify": bool}``: verify PKCE (the default)
    or play a server that ignores its parameters (a test option)."""
    verify = call.json().get("verify")
    if not isinstance(verify, bool):
        raise ApiError.one(422, "invalid", "verify is true or false", pointer="/verify")
    _oauth(call)["ignore_pkce"] = not verify
    call.sim.store.mark_changed()
    return json_response({"verify": verify})


OAUTH_ROUTES = [
    Route("GET", "/oauth2/auth", consent_page),
    Route("POST", "/oauth2/auth", consent_decision),
    Route("POST", "/oauth2/token", token),
]
API_ROUTES = [Route("DELETE", "/v2/oauth2/consents", revoke_consents)]
CONTROL_ROUTES = [
    Route("GET", "/_simulator/oauth", oauth_summary),
    Route("POST", "/_simulator/oauth/clients", add_client),
    Route("POST", "/_simulator/oauth/revoke", revoke_from_qonto),
    Route("POST", "/_simulator/oauth/pkce", set_pkce),
]
