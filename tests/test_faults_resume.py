import time

from odoo.tests import tagged

from .common import QontoTestCommon

CREATE = "POST /v2/client_invoices"
FINALIZE = "POST /v2/client_invoices/{id}/finalize"
SEND = "POST /v2/client_invoices/{id}/send_by_einvoice"


@tagged("post_install", "-at_install")
class TestFaultsResume(QontoTestCommon):
    """A failure in the middle leaves the invoice where the same button resumes it, at the
    step that failed, and Qonto never holds a second invoice."""

    read_timeout = 1.5  # seconds: a "slow" answer of 2.5 s is a timeout

    def _send_fails(self, move, *fragments):
        """Click Send via e-invoice; it fails, and says so on the invoice."""
        action = move.action_qonto_send()
        self.assertEqual(action["params"]["type"], "danger")
        self.assertIn(move.name, action["params"]["message"])
        for fragment in fragments:
            self.assertIn(fragment, action["params"]["message"])
        self.assertIn(move.name, move.qonto_error, "the banner names the invoice")
        self.assertEqual(self.last_messages(move)[0], move.qonto_error, "and the chatter")
        self.assertFalse(move.qonto_sent_at)
        self.assertFalse(self.qonto_activities(move), "a passing failure needs no one")

    def _resume(self, move):
        """The same button again: the invoice goes out, once."""
        action = move.action_qonto_send()
        self.assertEqual(action["params"]["type"], "success", action["params"]["message"])
        self.assertTrue(move.qonto_sent_at)
        self.assertFalse(move.qonto_error)
        self.assertEqual(move.qonto_status, "unpaid")
        [invoice] = self.qonto_invoices()
        self.assertEqual(invoice.id, move.qonto_invoice_id)
        self.assertEqual(invoice.number, move.name)
        return self.request_counts()

    def test_rate_limited_create_is_repeated_in_the_same_click(self):
        # A 429 means "not processed": even a create is asked again, after a wait.
        move = self.create_invoice()
        self.add_fault("POST", "/v2/client_invoices", "429", count=2)
        counts = self._resume(move)
        self.assertEqual(counts[CREATE], 3, "two 429, then the create")
        self.assertEqual(counts[FINALIZE], 1)

    def test_rate_limited_client_lookup_is_repeated(self):
        move = self.create_invoice()
        self.add_fault("GET", "/v2/clients", "429", count=3)
        self._resume(move)
        self.assertEqual(self.organization_summary()["clients"], 1)

    def test_a_long_rate_limit_postpones_without_failing(self):
        move = self.create_invoice()
        self.sim("POST", "faults", {"method": "POST", "path": "/v2/client_invoices",
                                    "fault": "429", "count": 100, "retry_after": 600})
        action = move.action_qonto_send()
        self.assertIn("will be sent automatically", action["params"]["message"])
        self.assertFalse(move.qonto_error, "not a failure: no banner")
        self.assertFalse(self.qonto_activities(move), "and no one to call")
        self.assertTrue(move.qonto_einvoice_id.send_postponed_until)
        self.assert_qonto_invoice_count(0)

        # Qonto allows again; the scheduled refresh sends it when its time has come.
        self.sim("DELETE", "faults")
        move.qonto_einvoice_id.sudo().send_postponed_until = "2020-01-01 00:00:00"
        with self.enter_registry_test_mode():
            self.env.ref("account_qonto_einvoicing.ir_cron_qonto_refresh") \
                .method_direct_trigger()
        self.assertTrue(move.qonto_sent_at)
        self.assertFalse(move.qonto_einvoice_id.send_postponed_until)
        self.assertEqual([i.number for i in self.qonto_invoices()], [move.name])

    def test_server_error_on_finalize_is_resolved_by_reading_the_invoice(self):
        # Qonto documents no answer for finalize: after a 500 the client reads the
        # invoice; still a draft, it asks once more, in the same click.
        move = self.create_invoice()
        self.add_fault("POST", "/v2/client_invoices/{id}/finalize", "500")
        counts = self._resume(move)
        self.assertEqual(counts[CREATE], 1, "the draft was not created again")
        self.assertEqual(counts[FINALIZE], 2)
        self.assertEqual(counts[SEND], 1)

    def test_server_errors_on_send_are_retried(self):
        move = self.create_invoice()
        self.add_fault("POST", "/v2/client_invoices/{id}/send_by_einvoice", "503", count=2)
        counts = self._resume(move)
        self.assertEqual(counts[SEND], 3, "two 503 then the 204, in one click")

    def test_server_errors_on_send_resume_at_send(self):
        move = self.create_invoice()
        self.add_fault("POST", "/v2/client_invoices/{id}/send_by_einvoice", "502", count=5)
        self._send_fails(move, "HTTP 502")
        self.assertEqual(move.qonto_status, "unpaid", "finalized, not sent")

        counts = self._resume(move)
        self.assertEqual(counts[CREATE], 1)
        self.assertEqual(counts[FINALIZE], 1)
        self.assertEqual(counts[SEND], 6)

    def test_timeout_on_create(self):
        move = self.create_invoice()
        self.add_fault("POST", "/v2/client_invoices", "slow", delay=2.5)
        self._send_fails(move, "could not be reached")
        # Qonto finishes the create after the client gave up waiting.
        deadline = time.monotonic() + 10
        while self.organization_summary()["client_invoices"] == 0:
            self.assertLess(time.monotonic(), deadline, "the slow create never landed")
            time.sleep(0.2)

        counts = self._resume(move)
        self.assertEqual(counts[CREATE], 2, "the slow create, then a 409 that adopts it")
        self.assertEqual(counts[FINALIZE], 1)

    def test_dropped_create(self):
        move = self.create_invoice()
        self.add_fault("POST", "/v2/client_invoices", "drop")
        self._send_fails(move, "could not be reached")
        self.assert_qonto_invoice_count(0)

        counts = self._resume(move)
        self.assertEqual(counts[CREATE], 2)

    def test_create_whose_answer_was_lost_is_adopted(self):
        move = self.create_invoice()
        self.add_fault("POST", "/v2/client_invoices", "lost_answer")
        counts = self._resume(move)
        self.assertEqual(counts[CREATE], 1, "found by its number, not created again")
        self.assertEqual(counts[FINALIZE], 1)

    def test_finalize_whose_answer_was_lost(self):
        move = self.create_invoice()
        self.add_fault("POST", "/v2/client_invoices/{id}/finalize", "lost_answer")
        counts = self._resume(move)
        self.assertEqual(counts[CREATE], 1)
        self.assertEqual(counts[FINALIZE], 1, "Qonto had finalized it: not asked again")
        self.assertEqual(counts[SEND], 1)

    def test_send_whose_answer_was_lost_is_asked_again(self):
        move = self.create_invoice()
        self.add_fault("POST", "/v2/client_invoices/{id}/send_by_einvoice", "lost_answer")
        counts = self._resume(move)
        self.assertEqual(counts[SEND], 2, "Qonto makes a second send a no-op")
        self.advance_steps(1)
        move.action_qonto_refresh()
        self.assertEqual(move.qonto_lifecycle_event_ids.mapped("status_code"), [200],
                         "sent once on the network")

    def test_client_create_whose_answer_was_lost(self):
        move = self.create_invoice()
        self.add_fault("POST", "/v2/clients", "lost_answer")
        self._send_fails(move, "could not be reached")

        self._resume(move)
        self.assertEqual(self.organization_summary()["clients"], 1,
                         "found by its SIRET, not created twice")
