from unittest.mock import patch
from urllib.parse import urlsplit

from odoo.exceptions import AccessError, UserError
from odoo.tests import new_test_user, tagged
from odoo.tools import config

from .common import DEMO_SECRET, QontoTestCommon

# Where the company's keys go, or what Qonto says of the organization: Settings only.
SETTINGS_FIELDS = ("qonto_environment", "qonto_simulator_url", "qonto_organization_name",
                   "qonto_can_send", "qonto_webhook_problem", "qonto_last_sync",
                   "qonto_receiving_status", "qonto_webhook_last_delivery",
                   "qonto_receive_last_sync", "qonto_oauth_status")
# The IBAN printed on invoices: invoicing users send with it.
BILLING_FIELDS = ("qonto_bank_account_id", "qonto_bank_account_ids")
# Never contacted: a test that reaches it has failed (nothing listens there anyway).
REMOTE_URL = "http://10.255.255.1:9/"


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
        company = {"company_id": cls.company.id, "company_ids": [cls.company.id]}
        cls.portal = new_test_user(cls.env, login="portal_pia", groups="base.group_portal",
                                   **company)
        cls.employee = new_test_user(cls.env, login="employee_eve", groups="base.group_user",
                                     **company)
        cls.rights_admin = new_test_user(cls.env, login="rights_ray",
                                         groups="base.group_erp_manager", **company)

    @classmethod
    def _request_handler(cls, s, r, /, **kw):
        # Every request the addon makes passes here: note those not to the simulator.
        if urlsplit(r.url).port != cls.simulator.port:
            cls.requests_elsewhere.append(r.url)
        return super()._request_handler(s, r, **kw)

    def setUp(self):
        super().setUp()
        type(self).requests_elsewhere = []

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

    def test_portal_and_employees_read_no_qonto_field_of_the_company(self):
        for user in (self.portal, self.employee):
            company = self.company.with_user(user)
            readable = company.fields_get()
            for field in SETTINGS_FIELDS + BILLING_FIELDS:
                with self.subTest(user=user.login, field=field):
                    self.assertNotIn(field, readable)
                    with self.assertRaises(AccessError):
                        company.read([field])
        billing = self.company.with_user(self.billing)
        self.assertTrue(billing.read(list(BILLING_FIELDS)))
        for field in SETTINGS_FIELDS:
            with self.subTest(user="billing", field=field), self.assertRaises(AccessError):
                billing.read([field])

    def test_only_settings_choose_where_the_key_goes(self):
        """An Access Rights administrator cannot read the key, so neither may they send it
        elsewhere."""
        for values in ({"qonto_simulator_url": "http://127.0.0.1:1"},
                       {"qonto_environment": "production"}):
            with self.subTest(values=values), self.assertRaises(AccessError):
                self.company.with_user(self.rights_admin).write(values)
        self.assertEqual(self.company.qonto_simulator_url, self.simulator.url)

    def test_key_never_sent_to_a_simulator_off_this_machine(self):
        move = self.create_invoice()
        move.action_qonto_send()
        self.company.qonto_simulator_url = REMOTE_URL
        tries = {
            "refresh": move.with_user(self.billing).action_qonto_refresh,
            "send": self.create_invoice().with_user(self.billing).action_qonto_send,
            "oauth app": self.company._qonto_oauth_app,
        }
        for name, action in tries.items():
            with self.subTest(action=name), \
                    self.assertRaisesRegex(UserError, "not on this machine.*"
                                           "qonto_simulator_allow_remote = True"):
                action()
        self.assertEqual(self.requests_elsewhere, [], "nothing left for that address")
        self.assertNotIn(REMOTE_URL, str(self.last_messages(move, 5)))

        # The server's configuration may allow it (a simulator on another host).
        with patch.dict(config.options, {"qonto_simulator_allow_remote": "True"}):
            self.assertEqual(self.company._qonto_simulator_url(), REMOTE_URL)
