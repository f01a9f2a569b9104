import json
import socket
import time
import uuid
from urllib.parse import urlsplit

from odoo.exceptions import UserError
from odoo.tests import tagged
from odoo.tests.common import TEST_CURSOR_COOKIE_NAME

from ..controllers.webhook import MAX_BODY
from ..qonto_einvoicing.webhooks import SIGNATURE_HEADER, signature_header
from .common import QontoHttpTestCommon


@tagged("post_install", "-at_install")
class TestWebhook(QontoHttpTestCommon):
    """A signed webhook only wakes the refresh up for the invoice it names; the scheduled
    action then reads the invoice from Qonto. Nothing unsigned is trusted."""

    # Odoo listens on 127.0.0.1 here; Qonto (and the simulator by default) calls public
    # HTTPS addresses only.
    simulator_options = {"allow_http_callbacks": True}

    def setUp(self):
        super().setUp()
        self.route = f"/account_qonto_einvoicing/webhook/{self.company.id}"
        self.cron = self.env.ref("account_qonto_einvoicing.ir_cron_qonto_refresh")

    def _register(self):
        self.env["res.config.settings"].create({}).action_qonto_register_webhook()
        return self.company.sudo().qonto_webhook_secret

    def _event(self, invoice_id, event_type="v1/client-invoices.updated"):
        return json.dumps({
            "id": str(uuid.uuid4()), "type": event_type,
            "organization_id": "org", "created_at": "2026-01-01T00:00:00.000Z",
            "data": {"id": invoice_id, "status": "unpaid"},
        }).encode()

    def _post(self, body, signature=None, company_id=None):
        headers = {"Content-Type": "application/json"}
        if signature:
            headers[SIGNATURE_HEADER] = signature
        route = self.route if company_id is None else \
            f"/account_qonto_einvoicing/webhook/{company_id}"
        response = self.url_open(route, data=body, headers=headers)
        self.env.invalidate_all()
        return response

    def _sent_invoice(self):
        move = self.create_invoice()
        move.action_qonto_send()
        return move

    def test_registration_subscribes_this_database(self):
        secret = self._register()
        self.assertTrue(secret)
        with self.qonto_api() as qonto:
            [subscription] = qonto.list_webhook_subscriptions()
        self.assertEqual(subscription.id, self.company.sudo().qonto_webhook_subscription_id)
        self.assertEqual(subscription.callback_url, f"{self.base_url()}{self.route}")
        self.assertEqual(subscription.types, ["v1/client-invoices"])

    def test_signed_delivery_wakes_the_refresh_for_its_invoice(self):
        secret = self._register()
        move = self._sent_invoice()
        # Refused: finished, so no longer read by the refresh on its own...
        self.set_scenario("refused", invoice_id=move.qonto_invoice_id)
        self.advance_steps(5)
        move.action_qonto_refresh()
        self.assertFalse(move.qonto_in_flight)
        # ...until Qonto says something new about it, and the webhook tells Odoo.
        self.sim("POST", f"invoices/{move.qonto_invoice_id}/events",
                 {"status_code": 207, "reason_message": "Le client conteste"})
        self.env["ir.cron.trigger"].search([("cron_id", "=", self.cron.id)]).unlink()

        body = self._event(move.qonto_invoice_id)
        response = self._post(body, signature_header(secret, body))
        self.assertEqual(response.status_code, 200)
        self.assertTrue(move.qonto_refresh_requested)
        self.assertTrue(self.env["ir.cron.trigger"].search([("cron_id", "=", self.cron.id)]),
                        "the refresh is woken up")
        self.assertNotIn(207, move.qonto_lifecycle_event_ids.mapped("status_code"),
                         "the webhook only acknowledges; it reads nothing")

        self.cron.method_direct_trigger()
        self.env.invalidate_all()
        self.assertIn(207, move.qonto_lifecycle_event_ids.mapped("status_code"))
        self.assertFalse(move.qonto_refresh_requested)

    def test_badly_signed_deliveries_are_refused(self):
        secret = self._register()
        move = self._sent_invoice()
        body = self._event(move.qonto_invoice_id)
        stale = signature_header(secret, body, timestamp=int(time.time()) - 3600)
        for name, signature in (("none", None),
                                ("wrong secret", signature_header("not-the-secret", body)),
                                ("other body", signature_header(secret, body + b" ")),
                                ("stale", stale),
                                ("garbage", "t=abc,v1=zz")):
            with self.subTest(signature=name):
                response = self._post(body, signature)
                self.assertEqual(response.status_code, 401)
                self.assertFalse(move.qonto_refresh_requested)

    def test_unknown_company_or_invoice(self):
        secret = self._register()
        body = self._event(str(uuid.uuid4()))
        signature = signature_header(secret, body)
        self.assertEqual(self._post(body, signature, company_id=987654).status_code, 401,
                         "as for a bad signature: the route tells no company's use of Qonto")
        self.assertEqual(self._post(body, signature).status_code, 200, "acknowledged")
        self.assertFalse(self.env["account.move"].search([("qonto_refresh_requested", "=", True)]))

    def test_a_new_secret_or_disabling_takes_effect_at_once(self):
        # The route keeps the secret in memory for a burst: a change must reach it.
        old = self._register()
        body = self._event(str(uuid.uuid4()))
        self.assertEqual(self._post(body, signature_header(old, body)).status_code, 200)
        new = "rotated-" + uuid.uuid4().hex
        self.company.sudo().qonto_webhook_secret = new
        self.assertEqual(self._post(body, signature_header(old, body)).status_code, 401,
                         "the old secret no longer signs")
        self.assertEqual(self._post(body, signature_header(new, body)).status_code, 200)
        self.company.sudo().qonto_enabled = False
        self.assertEqual(self._post(body, signature_header(new, body)).status_code, 401,
                         "Qonto disabled for the company: nothing is taken, said as for a "
                         "bad signature")

    def test_company_without_webhook_secret(self):
        body = self._event(str(uuid.uuid4()))
        self.assertEqual(self._post(body, signature_header("x", body)).status_code, 401)
        self.assertEqual(self._post(body, signature_header("-", body)).status_code, 401,
                         "no stand-in secret signs for a company without one")

    def _raw_post(self, headers, body_start):
        """The status of a POST whose head announces more than is sent: only an answer
        given before the body is read comes back."""
        url = urlsplit(self.base_url())
        with self.allow_requests(), \
                socket.create_connection((url.hostname, url.port), timeout=20) as sock:
            cookie = self.opener.cookies[TEST_CURSOR_COOKIE_NAME]
            head = "".join(f"{name}: {value}\r\n" for name, value in {
                "Host": url.netloc, "Content-Type": "application/json",
                "Cookie": f"{TEST_CURSOR_COOKIE_NAME}={cookie}", **headers}.items())
            sock.sendall(f"POST {self.route} HTTP/1.1\r\n{head}\r\n".encode() + body_start)
            return int(sock.makefile("rb").readline().split()[1])

    def test_a_delivery_is_refused_before_its_body_is_read(self):
        """An unsigned or oversized body is refused without being read: 20 MB announced,
        1 KB sent, the answer comes at once."""
        secret = self._register()
        huge = str(20 * 1024 * 1024)
        self.assertEqual(self._raw_post({"Content-Length": huge}, b"{" * 1024), 401)
        signed = signature_header(secret, b"whatever")
        self.assertEqual(self._raw_post({"Content-Length": huge, SIGNATURE_HEADER: signed},
                                        b"{" * 1024), 413)
        self.assertEqual(self._raw_post({"Transfer-Encoding": "chunked",
                                         SIGNATURE_HEADER: signed}, b"400\r\n" + b"{" * 1024),
                         411)
        body = b" " * (MAX_BODY + 1)
        self.assertEqual(self._post(body, signature_header(secret, body)).status_code, 413)
        body = self._event(str(uuid.uuid4()))
        self.assertEqual(self._post(body, signature_header(secret, body)).status_code, 200)

    def test_simulator_delivers_to_odoo(self):
        move = self._sent_invoice()
        self._register()
        self.env.flush_all()
        with self.allow_requests(all_requests=True):
            self.advance_steps(1)
        self.env.invalidate_all()

        deliveries = self.sim("GET", "webhooks/deliveries")["deliveries"]
        mine = [d for d in deliveries if d["event"]["data"].get("id") == move.qonto_invoice_id]
        self.assertTrue(mine)
        self.assertEqual({d["status"] for d in mine}, {"delivered"})
        self.assertTrue(move.qonto_refresh_requested)
        self.cron.method_direct_trigger()
        self.env.invalidate_all()
        self.assertEqual(move.qonto_lifecycle_event_ids.mapped("status_code"), [200])

    def test_registering_twice_leaves_one_subscription(self):
        first = self._register()
        second = self._register()
        self.assertNotEqual(first, second, "the new subscription's secret is stored")
        with self.qonto_api() as qonto:
            subscriptions = list(qonto.list_webhook_subscriptions())
        self.assertEqual([s.id for s in subscriptions],
                         [self.company.sudo().qonto_webhook_subscription_id])
        counts = self.request_counts()
        self.assertEqual(counts["POST /v2/webhook_subscriptions"], 2)
        self.assertEqual(counts["DELETE /v2/webhook_subscriptions/{id}"], 1)

    def test_registration_failing_half_way_keeps_the_working_one(self):
        secret = self._register()
        self.add_fault("POST", "/v2/webhook_subscriptions", "500")
        with self.assertRaises(UserError):
            self._register()
        with self.qonto_api() as qonto:
            subscriptions = list(qonto.list_webhook_subscriptions())
        self.assertEqual(len(subscriptions), 1, "never a moment without one")
        self.assertEqual(self.company.sudo().qonto_webhook_secret, secret)

    def test_production_needs_a_public_https_address(self):
        self.company.qonto_environment = "production"
        self.sim("DELETE", "requests")
        with self.assertRaisesRegex(UserError, "web.base.url"):
            self._register()
        self.assertEqual(self.sim("GET", "requests")["total"], 0, "nothing asked of Qonto")

    def test_a_burst_wakes_the_refresh_once_and_reads_each_invoice_once(self):
        secret = self._register()
        moves = self._sent_invoice() + self._sent_invoice()
        self.env["ir.cron.trigger"].search([("cron_id", "=", self.cron.id)]).unlink()
        self.env.flush_all()
        writes = moves.mapped("write_date")
        queries = []
        for number in range(10):
            body = self._event(moves[number % 2].qonto_invoice_id)
            before = self.env.cr.sql_log_count
            self.assertEqual(self._post(body, signature_header(secret, body)).status_code, 200)
            queries.append(self.env.cr.sql_log_count - before)
        self.assertEqual(len(self.env["ir.cron.trigger"].search(
            [("cron_id", "=", self.cron.id)])), 1, "one wake-up for the burst")
        self.assertEqual(moves.mapped("write_date"), writes, "no write on the invoices")
        self.assertTrue(all(moves.mapped("qonto_refresh_requested")))
        self.assertLessEqual(max(queries[2:]), 5, f"SQL queries per delivery: {queries}")

        self.sim("DELETE", "requests")
        self.cron.method_direct_trigger()
        self.assertEqual(self.request_counts().get("GET /v2/client_invoices/{id}"), 2,
                         "each named invoice read once, however many deliveries named it")
