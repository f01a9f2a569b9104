from odoo.exceptions import AccessError
from odoo.tests import new_test_user, tagged

from .common import DEMO_SECRET, QontoTestCommon


@tagged("post_install", "-at_install")
class TestAccessRights(QontoTestCommon):
    """An invoicing user sends without ever reading the credentials; lifecycle events are
    read-only for everyone."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.billing = new_test_user(
            cls.env, login="billing_bob", groups="account.group_account_invoice",
            company_id=cls.company.id, company_ids=[cls.company.id])
        cls.manager = new_test_user(
            cls.env, login="manager_mia", groups="account.group_account_manager",
            company_id=cls.company.id, company_ids=[cls.company.id])

    def test_invoicing_user_sends_follows_and_checks_contacts(self):
        move = self.create_invoice().with_user(self.billing)
        action = move.action_qonto_send()
        self.assertEqual(action["params"]["type"], "success", action["params"]["message"])
        self.assertTrue(move.qonto_sent_at)

        self.set_scenario("refused", invoice_id=move.qonto_invoice_id)
        self.advance_steps(5)
        move.action_qonto_refresh()
        self.assertEqual(move.qonto_einvoicing_status, "declined")
        self.assertEqual(len(move.qonto_lifecycle_event_ids), 5, "the user reads the events")
        self.assertTrue(self.qonto_activities(move))

        action = self.buyer_unreachable.with_user(self.billing) \
            .action_qonto_check_reachability()
        self.assertEqual(action["params"]["type"], "success")

    def test_invoicing_user_never_reads_the_credentials(self):
        company = self.company.with_user(self.billing)
        for field in ("qonto_login", "qonto_secret_key", "qonto_staging_token",
                      "qonto_webhook_secret"):
            with self.subTest(field=field), self.assertRaises(AccessError):
                company.read([field])
            self.assertNotIn(field, company.fields_get())
        with self.assertRaises(AccessError):
            company.write({"qonto_secret_key": "stolen"})

    def test_only_system_administrators_reach_the_settings(self):
        for user in (self.billing, self.manager):
            with self.subTest(user=user.login), self.assertRaises(AccessError):
                self.env["res.config.settings"].with_user(user).create({})

    def test_lifecycle_events_are_read_only(self):
        move = self.create_invoice()
        move.action_qonto_send()
        self.advance_steps(1)
        move.action_qonto_refresh()
        event = move.qonto_lifecycle_event_ids
        self.assertEqual(event.status_code, 200)

        for user in (self.billing, self.manager, self.env.user):
            with self.subTest(user=user.login):
                mine = event.with_user(user)
                self.assertEqual(mine.label, "200 Submitted")
                with self.assertRaises(AccessError):
                    mine.write({"status_code": 205})
                with self.assertRaises(AccessError):
                    mine.unlink()
                with self.assertRaises(AccessError):
                    mine.create({"move_id": move.id, "status_code": 205,
                                 "timestamp": event.timestamp})

    def test_secret_never_reaches_logs_messages_or_errors(self):
        move = self.create_invoice()
        with self.assertLogs(level="DEBUG") as logs:
            move.action_qonto_send()
            self.company.qonto_secret_key = "wrong-" + DEMO_SECRET
            failed = self.create_invoice().action_qonto_send()
        self.assertEqual(failed["params"]["type"], "danger")
        texts = [*logs.output, failed["params"]["message"],
                 *self.env["mail.message"].search([("model", "=", "account.move")])
                 .mapped("body")]
        self.assertTrue(any("/v2/client_invoices" in text for text in logs.output),
                        "the requests were logged")
        for text in texts:
            self.assertNotIn(DEMO_SECRET, str(text))
