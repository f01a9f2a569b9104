"""Connect with Qonto: the consent, the state check, a lost consent, Disconnect.

The browser's part is played with real HTTP: Odoo's routes through the test server,
Qonto's consent page and form on the simulator.
"""

from html.parser import HTMLParser
from urllib.parse import parse_qs, urlsplit

import requests
from odoo.exceptions import AccessError, UserError
from odoo.tests import tagged

from ..qonto_einvoicing.oauth import InvalidGrantError
from .common import QontoHttpTestCommon

START = "/account_qonto_einvoicing/oauth/start"
CALLBACK = "/account_qonto_einvoicing/oauth/callback"


class ConsentForm(HTMLParser):
    """The values a browser submits with the consent page's form."""

    def __init__(self):
        super().__init__()
        self.action, self.fields, self.buttons = "", {}, {}

    def handle_starttag(self, tag, attrs):
        attrs = {k: v or "" for k, v in attrs}
        if tag == "form":
            self.action = attrs["action"]
        elif tag == "input":
            self.fields[attrs["name"]] = attrs.get("value", "")
        elif tag == "button":
            self.buttons[attrs["id"]] = attrs["value"]


class QontoOAuthMixin:

    def consent(self, decision="allow"):
        """Start in Odoo, answer Qonto's consent page; Odoo's callback URL."""
        start = self.url_open(f"{START}?company_id={self.company.id}", allow_redirects=False)
        self.assertEqual(start.status_code, 303, start.text)
        consent_url = start.headers["Location"]
        self.assertTrue(consent_url.startswith(f"{self.simulator.url}/oauth2/auth?"))
        scopes = parse_qs(urlsplit(consent_url).query)["scope"][0].split()
        self.assertIn("client_invoice.write", scopes)
        page = requests.get(consent_url, timeout=10)
        form = ConsentForm()
        form.feed(page.text)
        answer = requests.post(self.simulator.url + form.action, timeout=10,
                               data={**form.fields, "decision": form.buttons[decision],
                                     "organization": "demo-org"}, allow_redirects=False)
        self.assertEqual(answer.status_code, 302, answer.text)
        location = answer.headers["Location"]
        self.assertIn(CALLBACK, location)
        return location[location.index(CALLBACK):]

    def connect(self):
        callback = self.consent()
        done = self.url_open(callback, allow_redirects=False)
        self.assertEqual(done.status_code, 303, done.text)
        self.env.invalidate_all()
        return callback

    def token_row(self):
        return self.env["qonto.oauth.token"].sudo().search(
            [("company_id", "=", self.company.id)])

    def reconnect_activities(self):
        return self.env["mail.activity"].search([
            ("res_model", "=", "res.company"), ("res_id", "=", self.company.id),
            ("activity_type_id", "=", self.env.ref(
                "account_qonto_einvoicing.mail_activity_type_qonto_reconnect").id)])


@tagged("post_install", "-at_install")
class TestQontoOAuth(QontoOAuthMixin, QontoHttpTestCommon):

    def setUp(self):
        super().setUp()
        # Connect with Qonto replaces the API key: no key stored for this company.
        self.company.sudo().write({"qonto_login": False, "qonto_secret_key": False,
                                   "qonto_organization_name": False})
        self.authenticate(self.env.user.login, self.env.user.login)

    def test_connect_stores_tokens_and_shows_the_organization(self):
        self.connect()
        token = self.token_row()
        self.assertEqual(token.state, "connected")
        self.assertTrue(token.access_token and token.refresh_token and token.expires_at)
        self.assertEqual(self.company.qonto_oauth_status, "connected")
        self.assertEqual(self.company.qonto_organization_name, "Démo Simulateur SAS")
        self.assertEqual(self.sim("GET", "oauth")["token_requests"], {"authorization_code": 1})
        # The company now works with the OAuth token alone.
        with self.company._qonto_client() as qonto:
            self.assertEqual(qonto.credentials.token.access_token, token.access_token)
            qonto.get_einvoicing_settings()
        move = self.create_invoice()
        move.action_qonto_send()
        self.assertTrue(move.qonto_sent_at)

    def test_tokens_are_for_system_administrators_only(self):
        self.connect()
        fields = self.env["qonto.oauth.token"]._fields
        for name in ("access_token", "refresh_token"):
            self.assertEqual(fields[name].groups, "base.group_system")
        accountant = self.env["res.users"].create({
            "name": "Comptable", "login": "comptable_oauth",
            "group_ids": [(6, 0, [self.env.ref("account.group_account_invoice").id])],
            "company_id": self.company.id, "company_ids": [(6, 0, self.company.ids)]})
        with self.assertRaises(AccessError):
            self.env["qonto.oauth.token"].with_user(accountant).search([]).read(["scope"])
        # ... who can still send: the client reads the token under sudo.
        move = self.create_invoice()
        move.with_user(accountant).action_qonto_send()
        self.assertTrue(move.qonto_sent_at)

    def test_a_forged_state_is_refused(self):
        self.url_open(f"{START}?company_id={self.company.id}", allow_redirects=False)
        forged = self.url_open(f"{CALLBACK}?code=stolen&state=forged")
        self.assertEqual(forged.status_code, 400)
        self.assertIn("does not match", forged.text)
        self.assertFalse(self.token_row())

    def test_a_forged_redirect_leaves_the_started_connection_intact(self):
        callback = self.consent()
        # A link made by someone else, opened by the administrator meanwhile.
        forged = self.url_open(f"{CALLBACK}?code=attacker-code&state=forged")
        self.assertEqual(forged.status_code, 400)
        self.assertFalse(self.token_row())
        done = self.url_open(callback, allow_redirects=False)
        self.assertEqual(done.status_code, 303, done.text)
        self.env.invalidate_all()
        self.assertEqual(self.token_row().state, "connected")

    def test_the_redirect_uri_is_the_database_s_address_not_the_request_s_host(self):
        # The address registered with Qonto, not the one this request came in on
        # (a Host header is whatever the link's author chose).
        self.env["ir.config_parameter"].sudo().set_param(
            "web.base.url", "https://odoo.cabinet.example")
        start = self.url_open(f"{START}?company_id={self.company.id}", allow_redirects=False)
        self.assertEqual(start.status_code, 303, start.text)
        redirect_uri = parse_qs(urlsplit(start.headers["Location"]).query)["redirect_uri"]
        self.assertEqual(redirect_uri, ["https://odoo.cabinet.example" + CALLBACK])

    def test_the_code_alone_is_useless_without_the_flow_s_pkce_verifier(self):
        start = self.url_open(f"{START}?company_id={self.company.id}", allow_redirects=False)
        query = parse_qs(urlsplit(start.headers["Location"]).query)
        self.assertEqual(query["code_challenge_method"], ["S256"])
        self.assertEqual(len(query["code_challenge"][0]), 43)
        callback = self.consent()
        code = parse_qs(urlsplit(callback).query)["code"][0]
        # Whoever read the redirect (history, a proxy's log) and holds the app's secret.
        app = self.company._qonto_oauth_app(self.company._qonto_oauth_redirect_uri())
        with self.assertRaises(InvalidGrantError):
            app.exchange_code(code)
        self.assertFalse(self.token_row())

    def test_a_connection_is_seen_by_the_administrators_of_its_company_only(self):
        self.connect()
        other = self.env["res.company"].create({"name": "Autre Société"})
        self.env["qonto.oauth.token"].sudo().create(
            {"company_id": other.id, "access_token": "other-company-token"})
        admin = self.env["res.users"].create({
            "name": "Admin A", "login": "admin_a_oauth",
            "group_ids": [(6, 0, [self.env.ref("base.group_system").id])],
            "company_id": self.company.id, "company_ids": [(6, 0, self.company.ids)]})
        seen = self.env["qonto.oauth.token"].with_user(admin).search([])
        self.assertEqual(seen.company_id, self.company)
        with self.assertRaises(AccessError):
            self.env["qonto.oauth.token"].with_user(admin).browse(
                self.env["qonto.oauth.token"].sudo().search(
                    [("company_id", "=", other.id)]).id).read(["access_token"])

    def test_a_replayed_redirect_is_refused(self):
        callback = self.connect()
        first_access = self.token_row().access_token
        replay = self.url_open(callback)
        self.assertEqual(replay.status_code, 400)
        self.env.invalidate_all()
        self.assertEqual(self.token_row().access_token, first_access)
        self.assertEqual(self.sim("GET", "oauth")["token_requests"], {"authorization_code": 1})

    def test_a_refused_consent_changes_nothing(self):
        callback = self.consent(decision="deny")
        self.assertIn("error=access_denied", callback)
        page = self.url_open(callback)
        self.assertEqual(page.status_code, 200)
        self.assertIn("refused", page.text)
        self.assertFalse(self.token_row())
        self.assertFalse(self.sim("GET", "oauth")["token_requests"])

    def test_a_revoked_consent_asks_to_reconnect_without_a_traceback(self):
        self.connect()
        self.sim("POST", "oauth/revoke", {"api_key_login": "demo-org"})
        # The hour of the access token has passed: the next call refreshes.
        self.token_row().expires_at = "2020-01-01 00:00:00"
        move = self.create_invoice()
        try:
            move.action_qonto_send()
        except UserError as error:
            message = error.args[0]
        else:
            self.fail("sending must say the connection has ended")
        self.assertIn("Connect with Qonto again", message)
        self.assertNotIn("Traceback", message)
        self.env.invalidate_all()
        self.assertFalse(move.qonto_sent_at)
        self.assertEqual(self.company.qonto_oauth_status, "reconnect")
        self.assertFalse(self.token_row().refresh_token)
        self.assertEqual(len(self.reconnect_activities()), 1)
        # Connecting again closes the activity.
        self.connect()
        self.assertEqual(self.company.qonto_oauth_status, "connected")
        self.assertFalse(self.reconnect_activities())

    def test_a_401_on_a_live_token_is_recognised_as_a_revoked_consent(self):
        self.connect()
        self.sim("POST", "oauth/revoke", {"api_key_login": "demo-org"})
        try:
            self.company._qonto_test_connection()
        except UserError as error:
            self.assertIn("Connect with Qonto again", error.args[0])
        else:
            self.fail("a revoked consent must be reported")
        self.env.invalidate_all()
        self.assertEqual(self.company.qonto_oauth_status, "reconnect")
        self.assertEqual(len(self.reconnect_activities()), 1)

    def test_disconnect_revokes_and_forgets(self):
        self.connect()
        settings = self.env["res.config.settings"].create({})
        settings.action_qonto_oauth_disconnect()
        self.env.invalidate_all()
        self.assertFalse(self.token_row())
        self.assertFalse(self.company.qonto_oauth_status)
        self.assertTrue(self.sim("GET", "oauth")["consents"][0]["revoked"])

    def test_connect_button_goes_through_the_session_bound_route(self):
        settings = self.env["res.config.settings"].create({})
        action = settings.action_qonto_oauth_connect()
        self.assertEqual(action["url"], f"{START}?company_id={self.company.id}")
