"""Every door into Qonto, tried by RPC as each kind of user below its group.

A view's ``groups=`` hides a button; the method stays one ``/web/dataset/call_button``
away for any logged-in user. :data:`DOORS` is the one list of the addon's public actions
and the group each needs: a new ``action_*`` method fails
:meth:`TestAccessDoors.test_every_action_of_the_addon_is_in_the_table` until it is added
here, and then it is tried as every user who must be refused.
"""

import re
from collections import namedtuple
from pathlib import Path

from odoo.tests import new_test_user, tagged
from odoo.tests.common import JsonRpcException

from ..tools.access import BILLING, SETTINGS, WIDENING_CONTEXT_KEYS
from .common import QontoHttpTestCommon

ADDON = Path(__file__).resolve().parent.parent
ADDON_MODULE = "odoo.addons.account_qonto_einvoicing."
ACCESS_ERROR = "odoo.exceptions.AccessError"

Door = namedtuple("Door", "group record")
"""``group``: the group the button names; ``record``: which record of the test the
method is called on (see :meth:`TestAccessDoors._records`)."""

DOORS = {
    # Customer invoices.
    ("account.move", "action_qonto_send"): Door(BILLING, "unsent_invoice"),
    ("account.move", "action_qonto_refresh"): Door(BILLING, "sent_invoice"),
    ("account.move", "action_qonto_mark_paid"): Door(BILLING, "sent_invoice"),
    ("account.move", "action_qonto_unmark_paid"): Door(BILLING, "sent_invoice"),
    ("account.move", "action_qonto_correct_and_resend"): Door(BILLING, "sent_invoice"),
    ("qonto.send.fallback", "action_send_by_qonto_email"): Door(BILLING, "fallback"),
    ("qonto.send.fallback", "action_send_by_odoo_email"): Door(BILLING, "fallback"),
    # Vendor bills received through Qonto.
    ("account.move", "action_qonto_fetch_received"): Door(BILLING, "model"),
    ("account.move", "action_qonto_refuse"): Door(BILLING, "received_bill"),
    ("account.move", "action_qonto_report_payment"): Door(BILLING, "received_bill"),
    ("account.move", "action_qonto_cancel_payment_report"): Door(BILLING, "received_bill"),
    ("qonto.refuse.wizard", "action_refuse"): Door(BILLING, "refuse_wizard"),
    # Contacts.
    ("res.partner", "action_qonto_check_reachability"): Door(BILLING, "customer"),
    # Settings: the company's connection to Qonto.
    ("res.config.settings", "action_qonto_test_connection"): Door(SETTINGS, "settings"),
    ("res.config.settings", "action_qonto_register_webhook"): Door(SETTINGS, "settings"),
    ("res.config.settings", "action_qonto_oauth_connect"): Door(SETTINGS, "settings"),
    ("res.config.settings", "action_qonto_oauth_disconnect"): Door(SETTINGS, "settings"),
    ("res.config.settings", "action_qonto_open_customers"): Door(SETTINGS, "settings"),
    ("res.config.settings", "action_qonto_use_qonto_bank_account"): Door(SETTINGS, "settings"),
    ("res.config.settings", "action_qonto_pdf_one_per_call"): Door(SETTINGS, "settings"),
}

# Context keys the addon reads that do NOT widen what a user may do, and why.
# Any other ``qonto_*`` key read from the context must be in WIDENING_CONTEXT_KEYS
# (tools/access.py), with the group it asks for.
HARMLESS_CONTEXT_KEYS = {
    "qonto_receiving": "narrows Odoo's importer (no supplier found by a name pattern)",
    "qonto_reachability": "chooses which customers a Settings link lists",
    "qonto_supplier_partner_id": "names the supplier of a bill being decoded, which "
                                 "the user may set on the bill anyway",
    "qonto_user_action": "says a chatter line in the clicking user's language rather "
                         "than the company's",
}
CONTEXT_KEY_READ = re.compile(r"""context(?:\.get\(|\[)\s*["'](qonto_\w+)["']""")


@tagged("post_install", "-at_install")
class TestAccessDoors(QontoHttpTestCommon):

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        company = {"company_id": cls.company.id, "company_ids": [cls.company.id]}
        cls.portal = new_test_user(cls.env, login="door_portal", groups="base.group_portal",
                                   **company)
        cls.users = {
            "portal": cls.portal,
            "employee": new_test_user(cls.env, login="door_employee",
                                      groups="base.group_user", **company),
            "read-only accountant": new_test_user(
                cls.env, login="door_readonly", groups="account.group_account_readonly",
                **company),
            "billing": new_test_user(cls.env, login="door_billing",
                                     groups="account.group_account_invoice", **company),
            "settings": new_test_user(cls.env, login="door_settings",
                                      groups="base.group_system", **company),
        }
        cls.accounting_manager = new_test_user(
            cls.env, login="door_manager", groups="account.group_account_manager", **company)

    def setUp(self):
        super().setUp()
        self.sent_invoice = self.create_invoice()
        self.sent_invoice.action_qonto_send()
        self.sim("POST", "supplier_invoices/arrivals", {"every_seconds": 0})
        self.received_bill = self.env["account.move"]._qonto_receive_company(self.company)[:1]
        self.assertTrue(self.sent_invoice.qonto_invoice_id and self.received_bill)

    def _records(self):
        """The record each door is tried on, by the name :data:`DOORS` gives it."""
        return {
            "unsent_invoice": self.create_invoice(),
            "sent_invoice": self.sent_invoice,
            "received_bill": self.received_bill,
            "customer": self.buyer,
            "model": self.env["account.move"],
            "settings": self.env["res.config.settings"].create({}),
            "refuse_wizard": self.env["qonto.refuse.wizard"].create(
                {"move_id": self.received_bill.id, "reason_code": "DOUBLON"}),
            "fallback": self.env["qonto.send.fallback"].create(
                {"move_id": self.create_invoice(partner=self.buyer_unreachable).id}),
        }

    # ------------------------------------------------------------------ helpers

    def call_button(self, user, records, method, context=None):
        """Click ``method`` on ``records`` as ``user``: the RPC the web client makes.
        Returns the answer, or the name of the exception the server answered with."""
        self.authenticate(user.login, user.login)
        model_method = getattr(type(records), method)
        args = [] if getattr(model_method, "_api_model", False) else [records.ids]
        try:
            return self.make_jsonrpc_request("/web/dataset/call_button", {
                "model": records._name, "method": method, "args": args,
                "kwargs": {"context": {"lang": "en_US", **(context or {})}},
            })
        except JsonRpcException as error:
            return error.args[0]

    def qonto_calls(self):
        return self.sim("GET", "requests")["total"]

    def assert_refused_without_a_call(self, user, records, method, context=None):
        self.sim("DELETE", "requests")
        answer = self.call_button(user, records, method, context)
        self.assertEqual(answer, ACCESS_ERROR, f"{user.login} calling {records._name}.{method}")
        self.assertEqual(self.qonto_calls(), 0, "nothing reached Qonto")

    # ------------------------------------------------------------------ the table

    def test_every_action_of_the_addon_is_in_the_table(self):
        found = set()
        for model_name in self.env.registry:
            for klass in type(self.env[model_name]).__mro__:
                if not klass.__module__.startswith(ADDON_MODULE):
                    continue
                found.update((model_name, name) for name, value in vars(klass).items()
                             if name.startswith(("action_", "button_")) and callable(value))
        self.assertTrue(found)
        self.assertEqual(found - DOORS.keys(), set(),
                         "public actions of the addon missing from DOORS (and their check)")
        self.assertEqual(DOORS.keys() - found, set(), "DOORS names actions that are gone")

    def test_each_door_refuses_every_user_below_its_group(self):
        records = self._records()
        for (model, method), door in DOORS.items():
            for kind, user in self.users.items():
                if user.has_group(door.group):
                    continue
                with self.subTest(door=f"{model}.{method}", user=kind):
                    self.assert_refused_without_a_call(user, records[door.record], method)

    def test_a_portal_user_cannot_check_its_own_contact(self):
        self.assert_refused_without_a_call(
            self.portal, self.portal.partner_id, "action_qonto_check_reachability")
        self.assertFalse(self.portal.partner_id.with_company(self.company).qonto_client_id)

    def test_billing_acts_only_on_invoices_it_may_write(self):
        other = self.env["res.company"].create({"name": "Other company"})
        outsider = new_test_user(self.env, login="door_outsider",
                                 groups="account.group_account_invoice",
                                 company_id=other.id, company_ids=[other.id])
        for method in ("action_qonto_refresh", "action_qonto_mark_paid"):
            with self.subTest(method=method):
                self.assert_refused_without_a_call(outsider, self.sent_invoice, method)

    def test_the_allowed_users_pass_the_same_doors(self):
        """The harness reaches the methods: the allowed user's click gets through."""
        billing, settings = self.users["billing"], self.users["settings"]
        self.sim("DELETE", "requests")
        answer = self.call_button(billing, self.buyer, "action_qonto_check_reachability")
        self.assertEqual(answer["params"]["type"], "success", answer)
        answer = self.call_button(billing, self.sent_invoice, "action_qonto_refresh")
        self.assertEqual(answer["params"]["type"], "success", answer)
        answer = self.call_button(settings, self._records()["settings"],
                                  "action_qonto_test_connection")
        self.assertEqual(answer["params"]["type"], "success", answer)
        self.assertGreater(self.qonto_calls(), 0)

    # ------------------------------------------------------------------ context keys

    def test_every_context_key_read_is_known(self):
        keys = set()
        for path in ADDON.glob("*/*.py"):
            if path.parent.name in ("models", "wizard", "controllers", "tools"):
                keys.update(CONTEXT_KEY_READ.findall(path.read_text(encoding="utf-8")))
        self.assertIn("qonto_mark_paid_without_payment", keys, "the pattern finds the keys")
        self.assertEqual(keys - WIDENING_CONTEXT_KEYS.keys() - HARMLESS_CONTEXT_KEYS.keys(),
                         set(), "context keys that may widen an action, unchecked")

    def test_marking_paid_without_payment_is_an_accounting_administrators_word(self):
        self.assertEqual(self.sent_invoice.payment_state, "not_paid")
        key = {"qonto_mark_paid_without_payment": True}
        for user in (self.users["read-only accountant"], self.users["billing"]):
            with self.subTest(user=user.login):
                self.assert_refused_without_a_call(
                    user, self.sent_invoice, "action_qonto_mark_paid", key)
        with self.qonto_api() as qonto:
            self.assertEqual(qonto.get_client_invoice(
                self.sent_invoice.qonto_invoice_id).status, "unpaid")
        self.call_button(self.accounting_manager, self.sent_invoice, "action_qonto_mark_paid",
                         key)
        with self.qonto_api() as qonto:
            self.assertEqual(qonto.get_client_invoice(
                self.sent_invoice.qonto_invoice_id).status, "paid")

    # ------------------------------------------------------------------ Odoo's Send

    def test_odoos_send_wizard_sends_through_qonto_only_for_billing(self):
        invoice = self.create_invoice()
        for kind, user in self.users.items():
            if user.has_group(BILLING):
                continue
            with self.subTest(user=kind):
                self.authenticate(user.login, user.login)
                self.sim("DELETE", "requests")
                with self.assertRaisesRegex(JsonRpcException, ACCESS_ERROR):
                    self.make_jsonrpc_request("/web/dataset/call_kw", {
                        "model": "account.move.send.wizard", "method": "web_save",
                        "args": [[], {}],
                        "kwargs": {"specification": {}, "context": {
                            "active_model": "account.move", "active_ids": invoice.ids}},
                    })
                self.assertEqual(self.qonto_calls(), 0)
        self.assertFalse(invoice.qonto_sent_at)
