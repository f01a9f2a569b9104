from odoo.exceptions import UserError
from odoo.tests import new_test_user, tagged

from .common import UNDOCUMENTED_BODIES, OtherActionAnswers, QontoTestCommon


@tagged("post_install", "-at_install")
class TestSendFlow(QontoTestCommon):
    """Send via e-invoice, from the button to each scenario's final status."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.salesperson = new_test_user(
            cls.env, login="lea_ventes", name="Léa Ventes",
            groups="account.group_account_invoice",
            company_id=cls.company.id, company_ids=[cls.company.id])

    def _send(self, **scenario):
        """A posted invoice of the salesperson, sent; the buyer answers ``scenario``."""
        move = self.create_invoice(invoice_user_id=self.salesperson.id)
        action = move.action_qonto_send()
        self.assertEqual(action["params"]["type"], "success", action["params"]["message"])
        if scenario:
            self.set_scenario(invoice_id=move.qonto_invoice_id, **scenario)
        return move

    def _walk(self, move, steps):
        self.advance_steps(steps)
        move.action_qonto_refresh()

    def _codes(self, move):
        return sorted(move.qonto_lifecycle_event_ids.mapped("status_code"))

    def test_finalize_meets_the_answer_the_class_runs_against(self):
        self._send()
        [finalize] = [r for r in self.sim("GET", "requests")["requests"]
                      if r["method"] == "POST" and r["path"].endswith("/finalize")]
        answer = self.simulator_options.get("undocumented_bodies", UNDOCUMENTED_BODIES)
        self.assertEqual(finalize["status"], {"invoice": 200, "none": 204}[answer])

    def test_send_creates_draft_checks_totals_finalizes_and_sends(self):
        move = self._send()

        self.assertTrue(move.qonto_invoice_id)
        self.assertEqual(move.qonto_status, "unpaid")
        self.assertEqual(move.qonto_einvoicing_status, "pending")
        self.assertTrue(move.qonto_sent_at)
        self.assertFalse(move.qonto_error)
        self.assertEqual(move.qonto_einvoicing_platform, "qonto")
        [invoice] = self.qonto_invoices()
        self.assertEqual(invoice.id, move.qonto_invoice_id)
        self.assertEqual(invoice.number, move.name, "the Qonto invoice bears the Odoo number")
        self.assertEqual(invoice.total_amount_cents, round(move.amount_total * 100))
        self.assertEqual(invoice.vat_amount_cents, round(move.amount_tax * 100))
        self.assertEqual(invoice.client_id, self.buyer.with_company(self.company).qonto_client_id)
        counts = self.request_counts()
        self.assertEqual(counts["POST /v2/client_invoices"], 1)
        # Finalize answers only for a draft: the invoice was created as a draft first.
        self.assertEqual(counts["POST /v2/client_invoices/{id}/finalize"], 1)
        self.assertEqual(counts["POST /v2/client_invoices/{id}/send_by_einvoice"], 1)
        self.assertIn("Sent by e-invoice through Qonto", self.last_messages(move)[0])
        self.assertFalse(self.qonto_activities(move))

    def test_approved(self):
        move = self._send()
        self._walk(move, 6)

        self.assertEqual(move.qonto_einvoicing_status, "approved")
        self.assertEqual(self._codes(move), [200, 201, 202, 203, 204, 205])
        self.assertEqual(move.qonto_last_event, "205 Approved")
        self.assertFalse(move.qonto_needs_attention)
        self.assertTrue(move.qonto_in_flight, "waiting for the payment steps")
        self.assertFalse(self.qonto_activities(move))
        self.assertEqual(self.last_messages(move, 6), [
            "E-invoice lifecycle: 205 Approved",
            "E-invoice lifecycle: 204 Taken over",
            "E-invoice lifecycle: 203 Made available",
            "E-invoice lifecycle: 202 Received from the platform",
            "E-invoice lifecycle: 201 Issued by the platform",
            "E-invoice lifecycle: 200 Submitted",
        ])

    def test_each_event_is_recorded_and_posted_once(self):
        move = self._send()
        self._walk(move, 2)
        self.assertEqual(self._codes(move), [200, 201])
        messages = len(move.message_ids)
        move.action_qonto_refresh()
        move.action_qonto_refresh()
        self.assertEqual(self._codes(move), [200, 201])
        self.assertEqual(len(move.message_ids), messages, "nothing new, nothing posted")
        self._walk(move, 1)
        self.assertEqual(self._codes(move), [200, 201, 202])
        self.assertEqual(len(move.message_ids), messages + 1)
        event = move.qonto_lifecycle_event_ids.filtered(lambda e: e.status_code == 202)
        self.assertEqual(event.label, "202 Received from the platform")
        self.assertTrue(event.timestamp)

    def test_refused_puts_an_activity_on_the_salesperson(self):
        move = self._send(scenario="refused", reason="TX_TVA_ERR",
                          reason_message="Le prix ne correspond pas au devis D-42")
        self._walk(move, 5)

        self.assertEqual(self._codes(move), [200, 201, 202, 203, 210])
        self.assertEqual(move.qonto_einvoicing_status, "declined")
        self.assertFalse(move.qonto_in_flight)
        self.assertTrue(move.qonto_needs_attention)
        event = move.qonto_lifecycle_event_ids.filtered(lambda e: e.status_code == 210)
        self.assertEqual(event.reason, "TX_TVA_ERR")
        # The reason in words, the code kept beside it.
        self.assertEqual(event.reason_label, "Wrong VAT rate (TX_TVA_ERR)")
        self.assertEqual(event.reason_message, "Le prix ne correspond pas au devis D-42")
        [activity] = self.qonto_activities(move)
        self.assertEqual(activity.user_id, self.salesperson)
        self.assertEqual(activity.summary, "210 Refused")
        self.assertIn("Le prix ne correspond pas au devis D-42", activity.note)
        self.assertIn("Issue a credit note", activity.note, "the next step is said")
        [line] = [m for m in self.last_messages(move, 3) if "E-invoice lifecycle: 210" in m]
        self.assertIn("E-invoice lifecycle: 210 Refused Wrong VAT rate (TX_TVA_ERR) — Le prix "
                      "ne correspond pas au devis D-42", line)
        self.assertIn("The buyer refused this invoice: it will not be paid as it is.", line)
        # The banner says the same, with the next step.
        self.assertIn("Wrong VAT rate (TX_TVA_ERR)", move.qonto_attention_text)
        self.assertIn("Issue a credit note", move.qonto_attention_text)

    def test_refusal_without_salesperson_goes_to_the_sender(self):
        move = self.create_invoice(invoice_user_id=False)
        move.with_user(self.salesperson).action_qonto_send()
        self.set_scenario(invoice_id=move.qonto_invoice_id, scenario="refused")
        self._walk(move, 5)

        self.assertEqual(move.qonto_sent_by_id, self.salesperson)
        [activity] = self.qonto_activities(move)
        self.assertEqual(activity.user_id, self.salesperson)
        self.assertEqual(activity.summary, "210 Refused")

    def test_rejected_puts_one_activity_with_the_reason(self):
        move = self._send(scenario="rejected", reason="DOUBLE_FACTURE",
                          reason_message="Facture déjà reçue")
        self._walk(move, 2)

        self.assertEqual(self._codes(move), [200, 213])
        self.assertEqual(move.qonto_einvoicing_status, "submission_failed")
        self.assertFalse(move.qonto_in_flight)
        [activity] = self.qonto_activities(move)
        self.assertEqual(activity.user_id, self.salesperson)
        self.assertEqual(activity.summary, "213 Rejected")
        self.assertIn("Facture déjà reçue", activity.note)

    def test_not_delivered_puts_an_activity(self):
        move = self._send(scenario="not_delivered")
        self._walk(move, 3)

        self.assertEqual(self._codes(move), [200, 201])
        self.assertEqual(move.qonto_einvoicing_status, "not_delivered")
        self.assertFalse(move.qonto_in_flight)
        self.assertTrue(move.qonto_needs_attention)
        [activity] = self.qonto_activities(move)
        self.assertEqual(activity.user_id, self.salesperson)
        self.assertEqual(activity.summary, "Not delivered")
        self.assertIn(move.name, activity.note)

    def test_paid(self):
        move = self._send(scenario="paid")
        self._walk(move, 8)

        self.assertEqual(self._codes(move), [200, 201, 202, 203, 204, 205, 211, 212])
        self.assertEqual(move.qonto_status, "paid")
        self.assertEqual(move.qonto_last_event, "212 Collected")
        self.assertFalse(move.qonto_in_flight, "212 is the last step")
        self.assertFalse(self.qonto_activities(move))

    def test_unknown_code_is_kept(self):
        move = self._send()
        self.sim("POST", f"invoices/{move.qonto_invoice_id}/events",
                 {"status_code": 221, "reason": "NOUVEAU"})
        move.action_qonto_refresh()
        event = move.qonto_lifecycle_event_ids.filtered(lambda e: e.status_code == 221)
        self.assertEqual(event.label, "221 Unknown status")
        self.assertEqual(event.attention, "needs_attention")
        self.assertEqual(len(self.qonto_activities(move)), 1)

    def test_reset_to_draft_blocked_once_sent(self):
        move = self.create_invoice()
        self.assertTrue(move.show_reset_to_draft_button)
        move.action_qonto_send()
        self.assertFalse(move.show_reset_to_draft_button)
        with self.assertRaisesRegex(UserError, f"{move.name}.*cannot be reset to draft"):
            move.button_draft()
        self.assertEqual(move.state, "posted")

    def test_second_click_sends_nothing_more(self):
        move = self._send()
        with self.assertRaisesRegex(UserError, f"{move.name}: already sent by e-invoice"):
            move.action_qonto_send()
        self.assert_qonto_invoice_count(1)

    def test_unreachable_customer_is_told_before_anything_is_created(self):
        move = self.create_invoice(self.buyer_unreachable)
        action = move.action_qonto_send()

        self.assertEqual(action["res_model"], "qonto.send.fallback")
        self.assert_qonto_invoice_count(0)
        self.assertFalse(move.qonto_invoice_id)
        self.assertFalse(move.qonto_sent_at)
        partner = self.buyer_unreachable.with_company(self.company)
        self.assertEqual(partner.qonto_reachability, "not_reachable")

        wizard = self.env[action["res_model"]].with_context(**action["context"]).create({})
        self.assertEqual(wizard.partner_id, self.buyer_unreachable)
        self.assertEqual(wizard.partner_email, "factures@ateliernord.example")
        wizard.action_send_by_qonto_email()

        [invoice] = self.qonto_invoices()
        self.assertEqual(invoice.number, move.name)
        self.assertEqual(invoice.status, "unpaid")
        [email] = self.sim("GET", "emails")["emails"]
        self.assertEqual(email["invoice_id"], invoice.id)
        self.assertEqual(email["send_to"], ["factures@ateliernord.example"])
        self.assertTrue(move.is_move_sent)
        self.assertEqual(move.qonto_einvoice_id.channel, "email", "not an e-invoice")
        self.assertFalse(move.qonto_in_flight, "e-mail has no network lifecycle")
        # The invoice says what happened: no second "Send via e-invoice" offering a
        # dialog that claims nothing is in Qonto.
        self.assertTrue(move.qonto_sent_at)
        with self.assertRaisesRegex(UserError, "already sent"):
            move.action_qonto_send()
        self.assertIn("Sent by e-mail through Qonto", self.last_messages(move)[0])
        self.assertEqual(self.request_counts().get(
            "POST /v2/client_invoices/{id}/send_by_einvoice"), None)

    def test_unreachable_customer_can_get_odoo_email(self):
        move = self.create_invoice(self.buyer_unreachable)
        action = move.action_qonto_send()
        wizard = self.env[action["res_model"]].with_context(**action["context"]).create({})
        odoo_send = wizard.action_send_by_odoo_email()
        self.assertEqual(odoo_send["res_model"], move.action_invoice_sent()["res_model"])
        self.assert_qonto_invoice_count(0)


@tagged("post_install", "-at_install")
class TestSendFlowOtherActionAnswers(OtherActionAnswers, TestSendFlow):
    """The same, with the other answer to ``finalize``."""
