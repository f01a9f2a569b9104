from odoo import fields
from odoo.tests import tagged

from .common import QontoTestCommon

GET_ONE = "GET /v2/client_invoices/{id}"
LIST = "GET /v2/client_invoices"


@tagged("post_install", "-at_install")
class TestRefreshCron(QontoTestCommon):
    """The scheduled action follows every invoice in flight, in committed batches, with one
    list call filtered on ``updated_at`` rather than a GET per invoice."""

    def _run_cron(self):
        cron = self.env.ref("account_qonto_einvoicing.ir_cron_qonto_refresh")
        self.sim("DELETE", "requests")
        with self.enter_registry_test_mode():
            cron.method_direct_trigger()
        return self.request_counts()

    def test_refresh_many_invoices(self):
        cron = self.env.ref("account_qonto_einvoicing.ir_cron_qonto_refresh")
        cron.code = "model._cron_qonto_refresh(batch_size=10)"
        moves = self.env["account.move"]
        for number in range(32):
            moves |= self.create_invoice(lines=[
                {"name": f"Commande {number}", "quantity": 1, "price_unit": 10.0 + number}])
        action = moves.action_qonto_send()
        self.assertEqual(action["params"]["message"],
                         "32 invoice(s) sent by e-invoice through Qonto.")
        self.assert_qonto_invoice_count(32)
        paid, approved = moves[:16], moves[16:]
        for move in paid:
            self.set_scenario("paid", invoice_id=move.qonto_invoice_id)

        # First run: no previous run to list from, each invoice is read once.
        self.advance_steps(6)
        counts = self._run_cron()
        self.assertEqual(counts[GET_ONE], 32)
        self.assertEqual(set(moves.mapped("qonto_einvoicing_status")), {"approved"})
        for move in moves:
            self.assertEqual(len(move.qonto_lifecycle_event_ids), 6, move.name)
        progress = self.env["ir.cron.progress"].search(
            [("cron_id", "=", cron.id)], order="id desc", limit=1)
        self.assertEqual((progress.done, progress.remaining), (32, 0))
        self.assertTrue(self.company.qonto_last_sync)

        # Then one list call finds what changed since, and only those 16 paid ones are
        # read in full (the list carries no lifecycle).
        self.advance_steps(2)
        counts = self._run_cron()
        self.assertEqual(counts[GET_ONE], 16, "one GET per changed invoice, none for the rest")
        self.assertEqual(counts[LIST], 1)
        self.assertEqual(set(paid.mapped("qonto_status")), {"paid"})
        self.assertEqual(set(approved.mapped("qonto_status")), {"unpaid"})
        self.assertFalse(any(paid.mapped("qonto_in_flight")))
        self.assertTrue(all(approved.mapped("qonto_in_flight")))
        for move in paid:
            self.assertEqual(move.qonto_last_event, "212 Collected", move.name)

        # Nothing changed: nothing read but the list, nothing posted.
        messages = len(moves.message_ids)
        counts = self._run_cron()
        self.assertEqual(counts, {LIST: 1})
        self.assertEqual(len(moves.message_ids), messages)

    def test_cron_leaves_finished_invoices_alone(self):
        move = self.create_invoice()
        move.action_qonto_send()
        self.set_scenario("refused", invoice_id=move.qonto_invoice_id)
        self.advance_steps(5)
        self._run_cron()
        self.assertEqual(move.qonto_einvoicing_status, "declined")
        self.assertFalse(move.qonto_in_flight)
        self.assertEqual(len(self.qonto_activities(move)), 1)

        self.company.qonto_last_sync = False
        counts = self._run_cron()
        self.assertEqual(counts, {}, "a refused invoice is not read again")
        self.assertEqual(len(self.qonto_activities(move)), 1)

    def test_cron_survives_qonto_being_down(self):
        move = self.create_invoice()
        move.action_qonto_send()
        self.advance_steps(1)
        self.add_fault("GET", "/v2/client_invoices/{id}", "503", count=5)
        self._run_cron()
        self.assertFalse(move.qonto_lifecycle_event_ids, "nothing read")
        self.assertFalse(self.company.qonto_last_sync, "the failed run is not a sync point")
        cron = self.env.ref("account_qonto_einvoicing.ir_cron_qonto_refresh")
        self.assertFalse(self.env["ir.cron.trigger"].search([
            ("cron_id", "=", cron.id), ("call_at", "<=", fields.Datetime.now())]),
            "not run again at once while Qonto fails")

        self._run_cron()
        self.assertEqual(move.qonto_lifecycle_event_ids.mapped("status_code"), [200])
