"""Every button the addon puts in a view, clicked as the web client clicks it.

A button of ``type="object"`` is one JSON-RPC call, ``/web/dataset/call_button``, with
the record ids as the first argument (the selected ids, maybe none, for a list's header
button) and the view's context (a list header adds ``active_ids``, ``active_model`` and
``active_domain``: see Odoo 19's ``multi_record_view_button.js`` and
``action_service.js``). A server action of the Action menu is ``/web/action/run``.
Calling the Python method directly would skip exactly what broke *Fetch from Qonto*.

``test_every_button_is_clicked`` reads the addon's views: a new button that neither a
Chromium tour nor a test of this class clicks makes it fail.
"""

import datetime as dt

from lxml import etree
from odoo import fields
from odoo.tests import tagged

from . import test_one_account, test_walk_ui
from .common import QontoHttpTestCommon

# Buttons a Chromium tour clicks (static/tests/tours/), besides this class.
CLICKED_BY_TOURS = {
    "action_qonto_send": "qonto_send_tour.js",
    "action_qonto_correct_and_resend": "qonto_correct_tour.js",
    "action_send_by_qonto_email": "qonto_one_truth_tour.js",
    "action_register_payment": "qonto_one_truth_tour.js, qonto_walk_tour.js",
    "action_qonto_oauth_connect": "qonto_oauth_tour.js",
    "action_qonto_oauth_disconnect": "qonto_oauth_tour.js",
    "action_qonto_fetch_received": "qonto_walk_tour.js",
    "action_qonto_refuse": "qonto_walk_tour.js",
    "action_refuse": "qonto_walk_tour.js",
}
# Buttons this class clicks through call_button (the test that does).
CLICKED_HERE = {
    "action_qonto_refresh": "test_refresh_mark_and_unmark_paid",
    "action_qonto_mark_paid": "test_refresh_mark_and_unmark_paid",
    "action_qonto_unmark_paid": "test_refresh_mark_and_unmark_paid",
    "action_qonto_fetch_received": "test_fetch_from_qonto_in_the_bills_list",
    "action_qonto_refuse": "test_refuse_a_received_bill_in_its_dialog",
    "action_refuse": "test_refuse_a_received_bill_in_its_dialog",
    "action_qonto_report_payment": "test_report_then_withdraw_a_bill_payment",
    "action_qonto_cancel_payment_report": "test_report_then_withdraw_a_bill_payment",
    "action_qonto_correct_and_resend": "test_correct_and_resend_after_the_credit_note",
    "action_qonto_check_reachability": "test_partner_check_and_the_action_menu",
    "action_send_by_odoo_email": "test_unreachable_customer_by_odoo_email",
    "action_qonto_test_connection": "test_settings_buttons",
    "action_qonto_register_webhook": "test_settings_buttons",
    "action_qonto_open_customers": "test_settings_buttons",
    "open_company": "test_settings_buttons",
}
# Buttons another test module clicks through the same RPC, next to what the click must do
# (its module, not its class, is imported here: a class imported would run twice).
CLICKED_ELSEWHERE = {
    "action_qonto_use_qonto_bank_account": (
        test_one_account, "TestOneAccountOneSeller",
        "test_an_invoice_naming_another_bank_stops_before_qonto"),
    "action_qonto_pdf_one_per_call": (
        test_walk_ui, "TestWalkUiSettings",
        "test_ten_invoices_through_the_send_wizard_with_real_pdfs"),
}
SERVER_ACTIONS = ("action_qonto_send_invoices", "action_qonto_check_partners")


@tagged("post_install", "-at_install")
class TestButtonClicks(QontoHttpTestCommon):

    simulator_options = {"allow_http_callbacks": True}  # the webhook's local callback

    def setUp(self):
        super().setUp()
        self.authenticate(self.env.user.login, self.env.user.login)

    # ------------------------------------------------------------------ clicks

    def click(self, model, method, ids, context=None):
        """A button of a form or a dialog: ``call_button`` with the record's id."""
        result = self.make_jsonrpc_request(f"/web/dataset/call_button/{model}/{method}", {
            "model": model, "method": method, "args": [ids],
            "kwargs": {"context": {"lang": "en_US", "tz": "Europe/Paris", "uid": self.env.uid,
                                   "allowed_company_ids": self.company.ids,
                                   **(context or {})}},
        }, timeout=60)
        self.env.invalidate_all()  # the request wrote in this test's transaction
        return result

    def click_list_header(self, model, method, selected, action_context, domain=()):
        """A list's header button: the selected ids (maybe none) and, in the context,
        ``active_ids``/``active_model``/``active_domain`` (multi_record_view_button.js)."""
        return self.click(model, method, selected, {
            **action_context, "active_domain": list(domain), "active_ids": selected,
            "active_model": model})

    def run_server_action(self, xmlid, model, ids):
        """An entry of the Action menu of a list: ``/web/action/run``."""
        result = self.make_jsonrpc_request("/web/action/run", {
            "action_id": self.env.ref(xmlid).id,
            "context": {"lang": "en_US", "allowed_company_ids": self.company.ids,
                        "active_model": model, "active_ids": ids, "active_id": ids[0]},
        }, timeout=60)
        self.env.invalidate_all()
        return result

    def save_dialog(self, model, values, context):
        """What the dialog's button does first: save the wizard (``web_save``)."""
        [record] = self.make_jsonrpc_request(f"/web/dataset/call_kw/{model}/web_save", {
            "model": model, "method": "web_save", "args": [[], values],
            "kwargs": {"context": {"lang": "en_US", "allowed_company_ids": self.company.ids,
                                   **context}, "specification": {}},
        })
        return record["id"]

    # ------------------------------------------------------------------ audit

    def test_every_button_is_clicked(self):
        views = self.env["ir.ui.view"].search([("id", "in", self.env["ir.model.data"].search(
            [("module", "=", "account_qonto_einvoicing"), ("model", "=", "ir.ui.view")]
        ).mapped("res_id"))])
        buttons = set()
        for view in views:
            for button in etree.fromstring(view.arch_db).iter("button"):
                if button.get("type") in ("object", "action"):
                    buttons.add(button.get("name"))
        self.assertIn("action_qonto_fetch_received", buttons)
        self.assertEqual(buttons - set(CLICKED_BY_TOURS) - set(CLICKED_HERE)
                         - set(CLICKED_ELSEWHERE), set(), "buttons no tour and no test clicks")
        for name in CLICKED_HERE.values():
            self.assertTrue(hasattr(self, name), name)
        for module, class_name, name in CLICKED_ELSEWHERE.values():
            self.assertTrue(hasattr(getattr(module, class_name), name), name)
        bound = self.env["ir.actions.server"].search([
            ("id", "in", self.env["ir.model.data"].search(
                [("module", "=", "account_qonto_einvoicing"),
                 ("model", "=", "ir.actions.server")]).mapped("res_id")),
            ("binding_model_id", "!=", False)])
        self.assertEqual(set(bound.mapped(lambda a: a.get_external_id()[a.id].split(".")[1])),
                         set(SERVER_ACTIONS))

    # ------------------------------------------------------------------ invoices

    def test_refresh_mark_and_unmark_paid(self):
        move = self.create_invoice(invoice_date=fields.Date.today() - dt.timedelta(days=3))
        move.action_qonto_send()
        self.advance_steps(2)
        action = self.click("account.move", "action_qonto_refresh", move.ids,
                            {"default_move_type": "out_invoice"})
        self.assertEqual(action["params"]["message"], "Read from Qonto: 1 invoice(s) changed.")
        self.assertIn(200, move.qonto_lifecycle_event_ids.mapped("status_code"))

        payment = self._register_payment(move)
        self.assertEqual(move.qonto_payment_to_sync, "mark")
        self.click("account.move", "action_qonto_mark_paid", move.ids,
                   {"default_move_type": "out_invoice"})
        self.assertEqual(move.qonto_status, "paid")

        (move.line_ids | payment.move_id.line_ids).remove_move_reconcile()
        self.assertEqual(move.qonto_payment_to_sync, "unmark")
        self.click("account.move", "action_qonto_unmark_paid", move.ids,
                   {"default_move_type": "out_invoice"})
        self.assertEqual(move.qonto_status, "unpaid")
        counts = self.request_counts()
        self.assertEqual(counts["POST /v2/client_invoices/{id}/mark_as_paid"], 1)
        self.assertEqual(counts["POST /v2/client_invoices/{id}/unmark_as_paid"], 1)

    def test_correct_and_resend_after_the_credit_note(self):
        """A click stopped after the credit note went through Qonto (Reversed): the
        banner no longer asks for a credit note, and the button only makes the copy."""
        move = self.create_invoice()
        move.action_qonto_send()
        self.set_scenario("refused", invoice_id=move.qonto_invoice_id)
        self.advance_steps(5)
        move.action_qonto_refresh()
        self.assertIn("Issue a credit note", move.qonto_attention_text)
        note = move._reverse_moves([{"invoice_date": fields.Date.today()}])
        note.action_post()
        note.action_qonto_send()
        self.assertEqual(move.payment_state, "reversed")
        move.invalidate_recordset()
        self.assertTrue(move.qonto_correction_credited)
        self.assertNotIn("Issue a credit note", move.qonto_attention_text)
        self.assertIn(f"Credited in full by {note.name}", move.qonto_attention_text)
        before = self.request_counts()

        action = self.click("account.move", "action_qonto_correct_and_resend", move.ids,
                            {"default_move_type": "out_invoice"})

        [copy] = move.qonto_correction_move_ids
        self.assertEqual(action["res_id"], copy.id)
        self.assertEqual(move.reversal_move_ids, note, "no second credit note")
        self.assertEqual(self.request_counts(), before, "nothing more asked of Qonto")
        move.invalidate_recordset()
        self.assertIn(f"replaced by {copy.display_name}", move.qonto_attention_text)

    def test_partner_check_and_the_action_menu(self):
        action = self.click("res.partner", "action_qonto_check_reachability",
                            self.buyer.ids, {})
        self.assertIn("1 reachable", action["params"]["message"])
        self.assertEqual(self.buyer.with_company(self.company).qonto_reachability, "reachable")

        action = self.run_server_action("account_qonto_einvoicing.action_qonto_check_partners",
                                        "res.partner",
                                        (self.buyer | self.buyer_unreachable).ids)
        self.assertIn("2 contact(s) checked: 1 reachable, 1 not reachable",
                      action["params"]["message"])

        moves = self.create_invoice() | self.create_invoice()
        action = self.run_server_action("account_qonto_einvoicing.action_qonto_send_invoices",
                                        "account.move", moves.ids)
        self.assertEqual(action["params"]["message"],
                         "2 invoice(s) sent by e-invoice through Qonto.")
        self.assertTrue(all(moves.mapped("qonto_sent_at")))

    def test_unreachable_customer_by_odoo_email(self):
        # A company whose document layout is set: Odoo's Send wizard opens straight away.
        self.company.external_report_layout_id = self.env.ref("web.external_layout_standard")
        move = self.create_invoice(self.buyer_unreachable)
        action = self.click("account.move", "action_qonto_send", move.ids,
                            {"default_move_type": "out_invoice"})
        self.assertEqual(action["res_model"], "qonto.send.fallback")
        wizard_id = self.save_dialog("qonto.send.fallback", {}, action["context"])
        action = self.click("qonto.send.fallback", "action_send_by_odoo_email", [wizard_id],
                            action["context"])
        self.assertEqual(action["res_model"], "account.move.send.wizard")
        self.assertFalse(move.qonto_sent_at)

    def test_settings_buttons(self):
        settings_id = self.save_dialog("res.config.settings", {}, {})
        action = self.click("res.config.settings", "action_qonto_test_connection",
                            [settings_id])
        self.assertIn("Démo Simulateur SAS", action["params"]["message"])
        self.click("res.config.settings", "action_qonto_register_webhook", [settings_id])
        self.assertTrue(self.company.qonto_webhook_subscription_id)
        self.buyer.customer_rank = 1
        action = self.click("res.config.settings", "action_qonto_open_customers",
                            [settings_id], {"qonto_reachability": "not_checked"})
        self.assertEqual(action["res_model"], "res.partner")
        self.assertIn(self.buyer.id, self.env["res.partner"].search(action["domain"]).ids)
        # The SIREN line of the checklist opens the company, where the number is fixed.
        action = self.click("res.config.settings", "open_company", [settings_id])
        self.assertEqual((action["res_model"], action["res_id"]), ("res.company", self.company.id))

    # ------------------------------------------------------------------ vendor bills

    def _received_bill(self, number):
        self.sim("POST", "supplier_invoices", {"kind": "ubl", "number": number})
        bills = self.env["account.move"]._qonto_receive_company(self.company)
        return bills.filtered(lambda bill: bill.ref == number)

    def test_fetch_from_qonto_in_the_bills_list(self):
        bills_list = {"default_move_type": "in_invoice", "display_account_trust": True}
        domain = [("move_type", "=", "in_invoice")]
        self.sim("POST", "supplier_invoices", {"kind": "ubl", "number": "FAC-LIST-1"})
        # Nothing ticked: the header button still works (display="always").
        action = self.click_list_header("account.move", "action_qonto_fetch_received", [],
                                        bills_list, domain)
        bills = self.env["account.move"].search([("qonto_einvoice_id.direction", "=",
                                                  "received")])
        self.assertIn("FAC-LIST-1", bills.mapped("ref"))
        self.assertEqual(action["params"]["message"],
                         f"{len(bills)} e-invoice(s) received from Qonto.")
        bill = bills[0]
        # A bill ticked in the list: the selection does not matter, Qonto's inbox does.
        self.sim("POST", "supplier_invoices", {"kind": "ubl", "number": "FAC-LIST-2"})
        action = self.click_list_header("account.move", "action_qonto_fetch_received",
                                        bill.ids, bills_list, domain)
        self.assertEqual(action["params"]["message"], "1 e-invoice(s) received from Qonto.")

    def test_refuse_a_received_bill_in_its_dialog(self):
        bill = self._received_bill("FAC-REFUSE-1")
        action = self.click("account.move", "action_qonto_refuse", bill.ids,
                            {"default_move_type": "in_invoice"})
        self.assertEqual(action["res_model"], "qonto.refuse.wizard")
        wizard_id = self.save_dialog("qonto.refuse.wizard", {
            "reason_code": "DOUBLON", "note": "Déjà reçue"}, action["context"])
        self.click("qonto.refuse.wizard", "action_refuse", [wizard_id], action["context"])
        self.assertEqual(bill.qonto_supplier_status, "rejected")
        self.assertEqual(self.request_counts()["POST /v2/supplier_invoices/{id}/reject"], 1)

    def test_report_then_withdraw_a_bill_payment(self):
        bill = self._received_bill("FAC-PAY-1")
        self.click("account.move", "action_qonto_report_payment", bill.ids,
                   {"default_move_type": "in_invoice"})
        self.assertEqual(bill.qonto_supplier_status, "paid")
        self.click("account.move", "action_qonto_cancel_payment_report", bill.ids,
                   {"default_move_type": "in_invoice"})
        self.assertNotEqual(bill.qonto_supplier_status, "paid")
