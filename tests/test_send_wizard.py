from odoo.exceptions import UserError
from odoo.tests import tagged

from .common import QontoTestCommon


@tagged("post_install", "-at_install")
class TestSendWizard(QontoTestCommon):
    """*by Qonto e-invoice* in Odoo's Send wizard: one invoice at once, many through the
    sending cron (``account.ir_cron_account_move_send``)."""

    def _run_sending_cron(self):
        with self.enter_registry_test_mode():
            self.env.ref("account.ir_cron_account_move_send").method_direct_trigger()

    def test_single_wizard_defaults_to_qonto_for_a_reachable_customer(self):
        self.buyer.action_qonto_check_reachability()
        move = self.create_invoice()
        wizard = self._create_account_move_send_wizard_single(move)

        self.assertEqual(wizard.sending_method_checkboxes["qonto"],
                         {"checked": True, "label": "by Qonto e-invoice"})
        self.assertIn("qonto", wizard.sending_methods)
        self.assertNotIn("peppol", wizard.sending_methods)
        self.assertNotIn("email", wizard.sending_methods, "the e-invoice is the invoice")
        wizard.action_send_and_print()

        self.assertTrue(move.qonto_sent_at)
        self.assertTrue(move.is_move_sent)
        self.assertTrue(move.invoice_pdf_report_id, "the PDF is attached as usual")
        [invoice] = self.qonto_invoices()
        self.assertEqual(invoice.number, move.name)

        # Sent: Qonto is no longer offered for it.
        wizard = self._create_account_move_send_wizard_single(move)
        self.assertFalse(wizard.sending_method_checkboxes["qonto"]["checked"])

    def test_customer_who_asks_for_email_gets_both(self):
        self.buyer.with_company(self.company).invoice_sending_method = "email"
        self.buyer.action_qonto_check_reachability()
        move = self.create_invoice()
        wizard = self._create_account_move_send_wizard_single(move)

        self.assertEqual(set(wizard.sending_methods), {"qonto", "email"})

    def test_single_wizard_unreachable_customer(self):
        self.buyer_unreachable.action_qonto_check_reachability()
        move = self.create_invoice(self.buyer_unreachable)
        wizard = self._create_account_move_send_wizard_single(move, sending_methods=["qonto"])

        self.assertIn("account_qonto_einvoicing_unreachable", wizard.alerts)
        self.assertIn(self.buyer_unreachable.name,
                      wizard.alerts["account_qonto_einvoicing_unreachable"]["message"])
        with self.assertRaisesRegex(UserError, f"{move.name}.*not reachable"):
            wizard.action_send_and_print()
        self.assert_qonto_invoice_count(0)

    def test_single_wizard_failure_resumes_without_a_second_invoice(self):
        move = self.create_invoice()
        self.add_fault("POST", "/v2/client_invoices/{id}/send_by_einvoice", "502", count=5)
        wizard = self._create_account_move_send_wizard_single(move, sending_methods=["qonto"])
        # assertRaises (not assertRaisesRegex) rolls back, as Odoo does after an error.
        with self.assertRaises(UserError) as caught:
            wizard.action_send_and_print()
        self.assertIn(move.name, caught.exception.args[0])
        self.assertIn("HTTP 502", caught.exception.args[0])
        # The transaction was rolled back: Odoo forgot the invoice that Qonto kept.
        self.assertFalse(move.qonto_invoice_id)
        self.assert_qonto_invoice_count(1)

        wizard = self._create_account_move_send_wizard_single(move, sending_methods=["qonto"])
        wizard.action_send_and_print()
        self.assertTrue(move.qonto_sent_at)
        [invoice] = self.qonto_invoices()
        self.assertEqual(invoice.id, move.qonto_invoice_id, "the draft was adopted")

    def test_single_wizard_says_a_bad_input(self):
        move = self.create_invoice(self.buyer_anonymous)
        wizard = self._create_account_move_send_wizard_single(move, sending_methods=["qonto"])
        with self.assertRaisesRegex(UserError, "Company ID \\(SIRET\\) or Tax ID"):
            wizard.action_send_and_print()
        self.assertEqual(self.sim("GET", "requests")["total"], 0)

    def test_batch_during_a_rate_limit(self):
        self.buyer.invoice_sending_method = "qonto"
        self.buyer_unreachable.invoice_sending_method = "qonto"
        moves = self.create_invoice() + self.create_invoice() + self.create_invoice()
        unreachable = self.create_invoice(self.buyer_unreachable)
        wizard = self._create_account_move_send_wizard_multi(moves + unreachable)
        wizard.action_send_and_print()
        self.assertTrue(all((moves + unreachable).mapped("sending_data")))
        self.assertEqual(self.sim("GET", "requests")["total"], 0, "sent later, by the cron")

        # Qonto is rate-limiting for ten minutes: each invoice is tried once, never in a
        # loop, and none is a failure: the scheduled refresh sends them later.
        self.sim("POST", "faults", {"method": "POST", "path": "/v2/client_invoices",
                                    "fault": "429", "count": 100, "retry_after": 600})
        self._run_sending_cron()
        self.assert_qonto_invoice_count(0)
        self.assertEqual(self.request_counts()["POST /v2/client_invoices"], 3)
        for move in moves:
            self.assertFalse(move.qonto_sent_at)
            self.assertFalse(move.sending_data)
            self.assertFalse(move.qonto_error, "postponed, not failed")
            self.assertTrue(move.qonto_einvoice_id.send_postponed_until)
        self.assertFalse(unreachable.sending_data)
        self.assertFalse(unreachable.is_move_sent)
        self.assertIn("not reachable", unreachable.message_ids[0].body)

        # When Qonto allows again, the scheduled refresh sends each of them, once.
        self.sim("DELETE", "faults")
        moves.qonto_einvoice_id.sudo().send_postponed_until = "2020-01-01 00:00:00"
        with self.enter_registry_test_mode():
            self.env.ref("account_qonto_einvoicing.ir_cron_qonto_refresh") \
                .method_direct_trigger()
        self.assert_qonto_invoice_count(3)
        for move in moves:
            self.assertTrue(move.qonto_sent_at)
            self.assertFalse(move.qonto_error)
        self.assertEqual(sorted(i.number for i in self.qonto_invoices()),
                         sorted(moves.mapped("name")))

    def test_batch_sends_through_the_sending_cron(self):
        self.buyer.invoice_sending_method = "qonto"
        moves = self.create_invoice() + self.create_invoice()
        self._create_account_move_send_wizard_multi(moves).action_send_and_print()
        self._run_sending_cron()
        self.assert_qonto_invoice_count(2)
        for move in moves:
            self.assertTrue(move.qonto_sent_at)
            self.assertTrue(move.is_move_sent)
            self.assertFalse(move.sending_data)
