import datetime as dt

from odoo.tests import tagged
from odoo.tools import format_datetime

from ..qonto_einvoicing.webhooks import SIGNATURE_HEADER, signature_header
from .common import DEMO_LOGIN, QontoHttpTestCommon


@tagged("post_install", "-at_install")
class TestReadiness(QontoHttpTestCommon):
    """The checklist of Settings says what is still missing before the first e-invoice,
    line by line, from what the connection test, the webhook and the reachability
    checks stored; each count of customers opens those customers."""

    simulator_options = {"allow_http_callbacks": True}

    def _settings(self):
        return self.env["res.config.settings"].create({})

    def _lines(self, settings=None):
        settings = settings or self._settings()
        return {line: settings[f"qonto_ready_{line}"] for line in
                ("connection", "sending", "receiving", "iban", "webhook", "customers")}

    def test_a_configured_company_lacks_only_the_webhook_and_the_customer_checks(self):
        (self.buyer | self.buyer_unreachable).customer_rank = 1
        settings = self._settings()
        self.assertEqual(self._lines(settings), {
            "connection": "ok", "sending": "ok", "receiving": "ok", "iban": "ok",
            "webhook": "todo", "customers": "todo"})
        self.assertEqual(settings.qonto_ready_connection_text,
                         "Connected to Démo Simulateur SAS with the API key stored.")
        self.assertIn(self.company.qonto_bank_account_id.display_name,
                      settings.qonto_ready_iban_text)
        self.assertIn("scheduled refresh", settings.qonto_ready_webhook_text)

    def test_no_credentials_outside_the_simulator(self):
        self.company.write({"qonto_environment": "production", "qonto_login": False,
                            "qonto_organization_name": False})
        settings = self._settings()
        self.assertEqual(settings.qonto_ready_connection, "todo")
        self.assertIn("API login", settings.qonto_ready_connection_text)
        self.assertEqual(settings.qonto_ready_sending, "todo")

    def test_connection_with_qonto_oauth_then_ended(self):
        token = self.env["qonto.oauth.token"].sudo().create({
            "company_id": self.company.id, "access_token": "a", "refresh_token": "r"})
        settings = self._settings()
        self.assertEqual(settings.qonto_ready_connection, "ok")
        self.assertIn("Connect with Qonto", settings.qonto_ready_connection_text)
        token.state = "reconnect"
        self.company.invalidate_recordset(["qonto_oauth_status"])
        settings = self._settings()  # opens, never raises on an ended connection
        self.assertEqual(settings.qonto_ready_connection, "todo")
        self.assertIn("has ended", settings.qonto_ready_connection_text)

    def test_sending_and_receiving_as_qonto_reports_them(self):
        self.sim("POST", "einvoicing/sending", {"api_key_login": DEMO_LOGIN, "enabled": False})
        self.sim("POST", "einvoicing/receiving",
                 {"api_key_login": DEMO_LOGIN, "status": "pending_creation"})
        self._settings().action_qonto_test_connection()
        settings = self._settings()
        self.assertEqual((settings.qonto_ready_sending, settings.qonto_ready_receiving),
                         ("todo", "wait"))
        self.assertIn("not enabled in Qonto", settings.qonto_ready_sending_text)

        self.sim("POST", "einvoicing/receiving",
                 {"api_key_login": DEMO_LOGIN, "status": "disabled"})
        self._settings().action_qonto_test_connection()
        self.assertEqual(self._settings().qonto_ready_receiving, "todo")

        self.sim("POST", "einvoicing/sending", {"api_key_login": DEMO_LOGIN, "enabled": True})
        self.sim("POST", "einvoicing/receiving",
                 {"api_key_login": DEMO_LOGIN, "status": "enabled"})
        self._settings().action_qonto_test_connection()
        self.assertEqual(self.company.qonto_receiving_status, "enabled")
        settings = self._settings()
        self.assertEqual((settings.qonto_ready_sending, settings.qonto_ready_receiving),
                         ("ok", "ok"))

    def test_iban_to_choose(self):
        self.company.qonto_bank_account_id = False
        settings = self._settings()
        self.assertEqual(settings.qonto_ready_iban, "todo")
        self.assertIn("Choose", settings.qonto_ready_iban_text)
        self.company.qonto_bank_account_ids.unlink()
        self.assertIn("test the connection", self._settings().qonto_ready_iban_text)

    def test_webhook_registered_then_its_last_delivery(self):
        self._settings().action_qonto_register_webhook()
        settings = self._settings()
        self.assertEqual(settings.qonto_ready_webhook, "ok")
        self.assertIn("no update from Qonto yet", settings.qonto_ready_webhook_text)
        self.assertFalse(settings.qonto_webhook_last_delivery)

        secret = self.company.sudo().qonto_webhook_secret
        route = f"/account_qonto_einvoicing/webhook/{self.company.id}"
        body = (b'{"id": "e1", "type": "v1/client-invoices.updated", "organization_id": "o",'
                b' "created_at": "2026-01-01T00:00:00.000Z", "data": {"id": "unknown"}}')

        def deliver(signature):
            response = self.url_open(route, data=body, headers={
                "Content-Type": "application/json", SIGNATURE_HEADER: signature})
            self.env.invalidate_all()
            return response.status_code

        self.assertEqual(deliver("t=1,v1=00"), 401)
        self.assertFalse(self.company.qonto_webhook_last_delivery, "only valid deliveries")
        self.assertEqual(deliver(signature_header(secret, body)), 200)
        first = self.company.qonto_webhook_last_delivery
        self.assertTrue(first)
        settings = self._settings()
        self.assertEqual(settings.qonto_webhook_last_delivery, first)
        self.assertIn("last update arrived", settings.qonto_ready_webhook_text)
        self.assertIn(format_datetime(self.env, first), settings.qonto_ready_webhook_text,
                      "the date is in the sentence, not on a line of its own")

        # Within a minute the company's row is left alone; after it, it moves.
        self.company.qonto_webhook_last_delivery = first - dt.timedelta(seconds=30)
        self.env.flush_all()
        half_minute_ago = self.company.qonto_webhook_last_delivery
        self.assertEqual(deliver(signature_header(secret, body)), 200)
        self.assertEqual(self.company.qonto_webhook_last_delivery, half_minute_ago)
        self.company.qonto_webhook_last_delivery = "2026-01-01 00:00:00"
        self.env.flush_all()
        self.assertEqual(deliver(signature_header(secret, body)), 200)
        self.assertEqual(self.company.qonto_webhook_last_delivery, first)

    def test_webhook_qonto_refused(self):
        self.company.qonto_webhook_problem = "Qonto does not let these credentials subscribe."
        self.assertEqual(self._settings().qonto_ready_webhook, "wait")

    def test_customers_counted_and_each_count_opens_them(self):
        partners = self.buyer | self.buyer_unreachable | self.buyer_anonymous
        partners.customer_rank = 1
        settings = self._settings()
        not_checked = settings.qonto_customers_not_checked
        self.assertGreaterEqual(not_checked, 3)
        self.assertEqual((settings.qonto_customers_reachable,
                          settings.qonto_customers_not_reachable), (0, 0))

        (self.buyer | self.buyer_unreachable).action_qonto_check_reachability()
        settings = self._settings()
        self.assertEqual((settings.qonto_customers_reachable,
                          settings.qonto_customers_not_reachable,
                          settings.qonto_customers_not_checked), (1, 1, not_checked - 2))
        for state, expected in (("reachable", self.buyer),
                                ("not_reachable", self.buyer_unreachable)):
            action = settings.with_context(qonto_reachability=state) \
                .action_qonto_open_customers()
            self.assertEqual(self.env["res.partner"].search(action["domain"]), expected)
        action = settings.with_context(qonto_reachability="not_checked") \
            .action_qonto_open_customers()
        found = self.env["res.partner"].search(action["domain"])
        self.assertIn(self.buyer_anonymous, found)
        self.assertNotIn(self.buyer, found)
        self.assertEqual(len(found), not_checked - 2)

        others = self.env["res.partner"].search(action["domain"])
        others.qonto_reachability = "not_reachable"
        self.assertEqual(self._settings().qonto_ready_customers, "ok")
