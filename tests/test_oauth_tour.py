"""Connect with Qonto in Chromium, from Settings to Qonto's consent page and back.

A tour runs on Odoo's pages only: once *Connect with Qonto* sends the browser to Qonto's
consent page (the simulator, another origin), no tour code is loaded there. The test
answers that page itself, through Chrome DevTools: before the first page loads, it
gives Chromium a script to run on every new document
(``Page.addScriptToEvaluateOnNewDocument``). On the consent page, that script checks
what the administrator is asked, picks the organization and clicks *Allow* or *Deny*
on the simulator's real form; on the plain page Odoo answers a refusal with, it checks
the message and follows its link back to Settings. Everywhere else it does nothing, and
the tour resumes on Odoo's Settings where it left off (the tour's state is kept in the
Odoo origin's ``localStorage``).

A failed check of the script is a ``console.error``: the test fails with its text.
"""

import json
from unittest.mock import patch

from odoo.tests import tagged
from odoo.tests.common import ChromeBrowser

from ..controllers.oauth import SETTINGS_URL
from ..models.res_company_qonto_oauth import CALLBACK_ROUTE
from .common import QontoHttpTestCommon

ORGANIZATION = "Démo Simulateur SAS"
REFUSED = "The connection to Qonto was refused on Qonto's page: nothing was changed."

# Runs first on every document Chromium opens. ``%s`` is the test's JSON configuration.
ANSWER_OFF_TOUR_PAGES = """
(() => {
    const conf = %s;
    if (window.top !== window) {
        return;
    }
    const fail = (message) => console.error(`Connect with Qonto, off the tour: ${message}`);
    const whenLoaded = (action) => document.readyState === "loading"
        ? document.addEventListener("DOMContentLoaded", action)
        : action();
    if (location.origin === conf.simulator && location.pathname === "/oauth2/auth") {
        whenLoaded(() => {
            const scopes = [...document.querySelectorAll("#scopes code")]
                .map((code) => code.textContent);
            if (!conf.scopes.every((scope) => scopes.includes(scope))) {
                return fail(`the consent page asks for ${scopes}, not ${conf.scopes}`);
            }
            const select = document.getElementById("organization");
            const option = [...select.options]
                .find((item) => item.textContent === conf.organization);
            if (!option) {
                return fail(`no organization ${conf.organization} on the consent page`);
            }
            select.value = option.value;
            console.log(`Qonto's consent page: ${conf.decision} for ${conf.organization}`);
            document.getElementById(conf.decision).click();
        });
    } else if (location.origin === conf.odoo && location.pathname === conf.callback) {
        whenLoaded(() => {
            const message = document.getElementById("qonto_oauth_message");
            const text = message ? message.textContent : document.body.textContent;
            if (text !== conf.message) {
                return fail(`Odoo answered Qonto's redirect with: ${text}`);
            }
            console.log(`Odoo's answer to Qonto's redirect: ${text}`);
            const back = [...document.links]
                .find((link) => link.getAttribute("href") === conf.settings);
            if (!back) {
                return fail("no link back to Settings");
            }
            back.click();
        });
    }
})();
"""


@tagged("post_install", "-at_install")
class TestOAuthTour(QontoHttpTestCommon):
    """In Chromium: Connect with Qonto from Settings, Allow or Deny on Qonto's page."""

    def setUp(self):
        super().setUp()
        # Connect with Qonto replaces the API key: no key stored for this company.
        self.company.sudo().write({"qonto_login": False, "qonto_secret_key": False,
                                   "qonto_organization_name": False})

    def start_tour_answering_qonto(self, tour, decision, message=None):
        """Run ``tour`` from Settings; Qonto's consent page is answered ``decision``
        (``allow`` or ``deny``); ``message`` is the text Odoo must answer Qonto's
        redirect with on a page of its own (``None``: it redirects to Settings)."""
        script = ANSWER_OFF_TOUR_PAGES % json.dumps({
            "simulator": self.simulator.url,
            "odoo": self.base_url(),
            "callback": CALLBACK_ROUTE,
            "settings": SETTINGS_URL,
            "decision": decision,
            "organization": ORGANIZATION,
            "scopes": ["offline_access", "client_invoice.write"],
            "message": message,
        })
        navigate_to = ChromeBrowser.navigate_to

        def navigate_with_script(browser, url, wait_stop=False):
            browser._websocket_request(  # pylint: disable=protected-access
                "Page.addScriptToEvaluateOnNewDocument", params={"source": script})
            return navigate_to(browser, url, wait_stop=wait_stop)

        with patch.object(ChromeBrowser, "navigate_to", navigate_with_script):
            self.start_tour(SETTINGS_URL, tour, login=self.env.user.login)
        self.env.invalidate_all()

    def token_row(self):
        return self.env["qonto.oauth.token"].sudo().search(
            [("company_id", "=", self.company.id)])

    def test_connect_allow(self):
        self.start_tour_answering_qonto("account_qonto_einvoicing_oauth_allow", "allow")

        self.assertEqual(self.token_row().state, "connected")
        self.assertEqual(self.company.qonto_oauth_status, "connected")
        self.assertEqual(self.company.qonto_organization_name, ORGANIZATION)
        oauth = self.sim("GET", "oauth")
        self.assertEqual(oauth["token_requests"], {"authorization_code": 1})
        self.assertEqual([(c["login"], c["revoked"]) for c in oauth["consents"]],
                         [("demo-org", False)])

    def test_connect_deny(self):
        self.start_tour_answering_qonto("account_qonto_einvoicing_oauth_deny", "deny",
                                        message=REFUSED)

        self.assertFalse(self.token_row())
        self.assertFalse(self.company.qonto_oauth_status)
        self.assertFalse(self.company.qonto_organization_name)
        oauth = self.sim("GET", "oauth")
        self.assertFalse(oauth["token_requests"])
        self.assertFalse(oauth["consents"])
