"""The OAuth token client against the simulator's OAuth server, over real HTTP."""

from __future__ import annotations

import datetime as dt
import json
import re
from collections.abc import Callable
from html.parser import HTMLParser
from pathlib import Path
from typing import TYPE_CHECKING
from urllib.parse import parse_qs, urlsplit

import pytest
import requests

from qonto_einvoicing import (
    AuthenticationError,
    OAuthToken,
    PermissionDeniedError,
    QontoClient,
)
from qonto_einvoicing.oauth import (
    PKCE,
    SCOPES,
    ConsentRefusedError,
    InvalidGrantError,
    OAuthApp,
    OAuthError,
    StateMismatchError,
    code_challenge,
    new_pkce,
    new_state,
    read_redirect,
    simulator_oauth,
)
from qonto_einvoicing.simulator import SimulatorServer

if TYPE_CHECKING:
    from conftest import SimulatorAPI

CLIENT_ID, CLIENT_SECRET = "demo-oauth-client", "demo-oauth-secret"
REDIRECT = "http://odoo.example/account_qonto_einvoicing/oauth/callback"


class _Form(HTMLParser):
    """The consent page's form: its action and the values a browser would submit."""

    def __init__(self) -> None:
        super().__init__()
        self.action = ""
        self.fields: dict[str, str] = {}
        self.buttons: dict[str, str] = {}
        self.options: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {k: v or "" for k, v in attrs}
        if tag == "form":
            self.action = a["action"]
        elif tag == "input":
            self.fields[a["name"]] = a.get("value", "")
        elif tag == "button":
            self.buttons[a["id"]] = a["value"]
        elif tag == "option":
            self.options.append(a["value"])


def consent(app: OAuthApp, base_url: str, decision: str = "allow",
            state: str = "s-1", organization: str | None = None, *,
            pkce: PKCE | None = None) -> dict[str, str]:
    """Open the consent page, submit its form as a browser would; the redirect's query."""
    page = requests.get(app.authorization_url(state, pkce=pkce), timeout=10)
    assert page.status_code == 200, page.text
    assert page.headers["Content-Type"].startswith("text/html")
    form = _Form()
    form.feed(page.text)
    data = {**form.fields, "decision": form.buttons[decision],
            "organization": organization or form.options[0]}
    answer = requests.post(base_url + form.action, data=data, allow_redirects=False,
                           timeout=10)
    assert answer.status_code == 302, answer.text
    location = answer.headers["Location"]
    assert location.startswith(REDIRECT + "?")
    return {k: v[0] for k, v in parse_qs(urlsplit(location).query).items()}


@pytest.fixture
def app(sim_url: str) -> OAuthApp:
    return OAuthApp(CLIENT_ID, CLIENT_SECRET, REDIRECT, endpoints=simulator_oauth(sim_url))


def connect(app: OAuthApp, sim_url: str, pkce: PKCE | None = None) -> OAuthToken:
    state = new_state()
    return app.exchange_code(
        read_redirect(consent(app, sim_url, state=state, pkce=pkce), state), pkce=pkce)


def token_requests(api: SimulatorAPI) -> dict[str, int]:
    counts: dict[str, int] = api.control("GET", "/oauth")["token_requests"]
    return counts


def test_scopes_are_the_features_ones_each_with_its_reason() -> None:
    assert set(SCOPES) == {"offline_access", "organization.read", "einvoicing.read",
                           "client.read", "client.write", "client_invoices.read",
                           "client_invoice.write", "attachment.read", "webhook",
                           "supplier_invoice.read", "supplier_invoice.write"}
    assert all(len(why) > 20 for why in SCOPES.values())


def test_consent_code_exchange_and_the_token_reaches_the_api(
        app: OAuthApp, sim_url: str, sim_api: SimulatorAPI) -> None:
    url = app.authorization_url("st")
    query = parse_qs(urlsplit(url).query)
    assert query["scope"] == [" ".join(SCOPES)]
    assert query["response_type"] == ["code"]
    token = connect(app, sim_url)
    assert token.refresh_token and token.access_token != token.refresh_token
    assert token.expires_at is not None
    assert dt.timedelta(minutes=59) < token.expires_at - dt.datetime.now(
        dt.timezone.utc) <= dt.timedelta(hours=1)
    assert set(token.scopes) == set(SCOPES)
    assert "access_token" not in repr(token).replace("access_token='***'", "")
    with QontoClient(sim_url, app.token_auth(token)) as qonto:
        assert qonto.get_organization().legal_name == "Démo Simulateur SAS"
        assert qonto.get_einvoicing_settings().can_send
    assert token_requests(sim_api) == {"authorization_code": 1}


def test_the_state_is_checked_first() -> None:
    with pytest.raises(StateMismatchError):
        read_redirect({"code": "c", "state": "forged"}, "issued")
    with pytest.raises(StateMismatchError):
        read_redirect({"code": "c", "state": "issued"}, None)  # replayed: none pending
    with pytest.raises(StateMismatchError):
        read_redirect({"error": "access_denied", "state": "x"}, "issued")
    assert read_redirect({"code": "c", "state": "issued"}, "issued") == "c"


def test_a_refused_consent(app: OAuthApp, sim_url: str) -> None:
    answer = consent(app, sim_url, decision="deny", state="st")
    assert answer == {"error": "access_denied", "state": "st"}
    with pytest.raises(ConsentRefusedError):
        read_redirect(answer, "st")


def test_a_code_is_used_once_and_only_with_its_redirect(app: OAuthApp, sim_url: str) -> None:
    code = read_redirect(consent(app, sim_url), "s-1")
    other = OAuthApp(CLIENT_ID, CLIENT_SECRET, REDIRECT + "/other",
                     endpoints=simulator_oauth(sim_url))
    with pytest.raises(InvalidGrantError):
        other.exchange_code(code)  # a code is spent even by a failed exchange
    code = read_redirect(consent(app, sim_url), "s-1")
    app.exchange_code(code)
    with pytest.raises(InvalidGrantError):
        app.exchange_code(code)


def test_a_wrong_client_secret_is_not_an_invalid_grant(app: OAuthApp, sim_url: str) -> None:
    token = connect(app, sim_url)
    wrong = OAuthApp(CLIENT_ID, "nope", REDIRECT, endpoints=simulator_oauth(sim_url))
    with pytest.raises(OAuthError) as caught:
        wrong.refresh(token.refresh_token or "")
    assert caught.value.error == "invalid_client"
    assert not isinstance(caught.value, InvalidGrantError)
    assert "nope" not in str(caught.value)


def test_refresh_rotates_and_the_old_token_has_60_seconds_of_grace(
        app: OAuthApp, sim_url: str, sim_api: SimulatorAPI) -> None:
    first = connect(app, sim_url)
    second = app.refresh(first.refresh_token or "")
    assert second.refresh_token not in (None, first.refresh_token)
    sim_api.advance(59)
    again = app.refresh(first.refresh_token or "")  # a second worker, within the grace
    with QontoClient(sim_url, app.token_auth(again)) as qonto:
        qonto.get_organization()
    sim_api.advance(2)
    with pytest.raises(InvalidGrantError):
        app.refresh(first.refresh_token or "")
    third = app.refresh(second.refresh_token or "")
    with QontoClient(sim_url, app.token_auth(third)) as qonto:
        qonto.get_organization()
    assert token_requests(sim_api) == {"authorization_code": 1, "refresh_token": 4}


def test_the_client_refreshes_before_expiry_and_hands_over_the_new_token(
        app: OAuthApp, sim_url: str, sim_api: SimulatorAPI) -> None:
    token = connect(app, sim_url)
    expiring = OAuthToken(token.access_token, token.refresh_token,
                          dt.datetime.now(dt.timezone.utc) + dt.timedelta(seconds=30))
    stored: list[OAuthToken] = []
    with QontoClient(sim_url, app.token_auth(expiring, on_refresh=stored.append)) as qonto:
        qonto.get_organization()
        qonto.get_organization()
    assert len(stored) == 1 and stored[0].refresh_token != token.refresh_token
    assert token_requests(sim_api)["refresh_token"] == 1


def test_an_expired_access_token_is_refused(
        app: OAuthApp, sim_url: str, sim_api: SimulatorAPI) -> None:
    token = connect(app, sim_url)
    sim_api.advance(3601)
    with (QontoClient(sim_url, app.token_auth(OAuthToken(token.access_token))) as qonto,
          pytest.raises(AuthenticationError)):
        qonto.get_organization()


def test_a_token_without_the_scope_is_answered_403(sim_url: str) -> None:
    narrow = OAuthApp(CLIENT_ID, CLIENT_SECRET, REDIRECT, endpoints=simulator_oauth(sim_url),
                      scopes=("offline_access", "organization.read"))
    token = connect(narrow, sim_url)
    with QontoClient(sim_url, narrow.token_auth(token)) as qonto:
        qonto.get_organization()
        with pytest.raises(PermissionDeniedError) as caught:
            list(qonto.list_clients())
    assert caught.value.errors[0].code == "insufficient_permissions"


def test_without_offline_access_there_is_no_refresh_token(sim_url: str) -> None:
    app = OAuthApp(CLIENT_ID, CLIENT_SECRET, REDIRECT, endpoints=simulator_oauth(sim_url),
                   scopes=("organization.read",))
    assert connect(app, sim_url).refresh_token is None


def test_revoking_ends_every_token_of_the_consent(
        app: OAuthApp, sim_url: str, sim_api: SimulatorAPI) -> None:
    token = connect(app, sim_url)
    with QontoClient(sim_url, app.token_auth(token)) as qonto:
        qonto.revoke_consents()
        with pytest.raises(AuthenticationError):
            qonto.get_organization()
    with pytest.raises(InvalidGrantError):
        app.refresh(token.refresh_token or "")
    assert sim_api.control("GET", "/oauth")["consents"][0]["revoked"] is True


def test_revoked_in_qonto_s_app(app: OAuthApp, sim_url: str, sim_api: SimulatorAPI) -> None:
    token = connect(app, sim_url)
    assert sim_api.control("POST", "/oauth/revoke", {}) == {"revoked": 1}
    with pytest.raises(InvalidGrantError):
        app.refresh(token.refresh_token or "")


def test_a_registered_app_accepts_only_its_redirect(sim_url: str,
                                                    sim_api: SimulatorAPI) -> None:
    sim_api.control("POST", "/oauth/clients", {"client_id": "acme", "client_secret": "s3",
                                               "redirect_uris": [REDIRECT]})
    wrong = OAuthApp("acme", "s3", "http://evil.example/cb", endpoints=simulator_oauth(sim_url))
    assert requests.get(wrong.authorization_url("x"), timeout=10).status_code == 400
    right = OAuthApp("acme", "s3", REDIRECT, endpoints=simulator_oauth(sim_url))
    assert connect(right, sim_url).access_token


def test_the_oauth_state_survives_a_restart_and_old_state_files_load(
        tmp_path: Path, make_sim_api: Callable[..., SimulatorAPI]) -> None:
    path = tmp_path / "state.json"
    with SimulatorServer(state_path=path) as first:
        app = OAuthApp(CLIENT_ID, CLIENT_SECRET, REDIRECT, endpoints=simulator_oauth(first.url))
        token = connect(app, first.url)
    with SimulatorServer(state_path=path) as second:
        app = OAuthApp(CLIENT_ID, CLIENT_SECRET, REDIRECT,
                       endpoints=simulator_oauth(second.url))
        assert app.refresh(token.refresh_token or "").access_token
    data = json.loads(path.read_text())
    del data["oauth"]  # a state file written before OAuth existed
    path.write_text(json.dumps(data))
    with SimulatorServer(state_path=path) as third:
        api = make_sim_api(third.url)
        assert api.get("/v2/organization").status_code == 200
        assert re.search("Allow", requests.get(
            OAuthApp(CLIENT_ID, CLIENT_SECRET, REDIRECT,
                     endpoints=simulator_oauth(third.url)).authorization_url("s"),
            timeout=10).text)


def test_the_pkce_challenge_is_rfc_7636_s256() -> None:
    # RFC 7636, appendix B.
    verifier = "dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk"
    assert code_challenge(verifier) == "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM"
    pkce = new_pkce()
    assert 43 <= len(pkce.verifier) <= 128
    assert re.fullmatch(r"[A-Za-z0-9_~.-]+", pkce.verifier)
    assert pkce.verifier not in repr(pkce)
    assert new_pkce().verifier != pkce.verifier


def test_the_consent_url_carries_the_challenge_and_the_exchange_the_verifier(
        app: OAuthApp, sim_url: str) -> None:
    pkce = new_pkce()
    query = parse_qs(urlsplit(app.authorization_url("st", pkce=pkce)).query)
    assert query["code_challenge"] == [pkce.challenge]
    assert query["code_challenge_method"] == ["S256"]
    assert pkce.verifier not in app.authorization_url("st", pkce=pkce)
    token = connect(app, sim_url, pkce=pkce)
    with QontoClient(sim_url, app.token_auth(token)) as qonto:
        assert qonto.get_organization().legal_name == "Démo Simulateur SAS"


def test_a_code_taken_from_the_redirect_is_useless_without_the_verifier(
        app: OAuthApp, sim_url: str) -> None:
    pkce = new_pkce()
    code = read_redirect(consent(app, sim_url, pkce=pkce), "s-1")
    with pytest.raises(InvalidGrantError):
        app.exchange_code(code)  # whoever read the redirect, without the verifier
    pkce = new_pkce()
    code = read_redirect(consent(app, sim_url, pkce=pkce), "s-1")
    with pytest.raises(InvalidGrantError):
        app.exchange_code(code, pkce=new_pkce())  # with a verifier of their own


def test_only_the_s256_method_is_taken(app: OAuthApp, sim_url: str) -> None:
    pkce = new_pkce()
    url = app.authorization_url("st", pkce=pkce).replace(
        "code_challenge_method=S256", "code_challenge_method=plain")
    answer = requests.get(url, timeout=10)
    assert answer.status_code == 400
    assert "S256" in answer.text


def test_a_server_that_ignores_pkce_still_connects(
        app: OAuthApp, sim_url: str, sim_api: SimulatorAPI) -> None:
    # Qonto's pages are silent on PKCE: the flow must work if Qonto ignores it too.
    assert sim_api.control("POST", "/oauth/pkce", {"verify": False}) == {"verify": False}
    assert connect(app, sim_url, pkce=new_pkce()).access_token
    sim_api.control("POST", "/oauth/pkce", {"verify": True})
    assert connect(app, sim_url, pkce=new_pkce()).access_token
