import datetime as dt

from odoo import fields
from odoo.exceptions import UserError
from odoo.tests import tagged
from odoo.tools import format_date

from .common import OtherActionAnswers, QontoTestCommon


@tagged("post_install", "-at_install")
class TestPayment(QontoTestCommon):
    """Mark as paid in Qonto (on the payment date, never in the future), unmark, and the
    scheduled action that tells Qonto what Odoo's payments did."""

    def setUp(self):
        super().setUp()
        self.today = fields.Date.context_today(self.env.user)
        self.move = self.create_invoice(invoice_date=self.today - dt.timedelta(days=10))
        self.move.action_qonto_send()

    def _qonto_invoice(self):
        with self.qonto_api() as qonto:
            return qonto.get_client_invoice(self.move.qonto_invoice_id)

    def _pay(self, date):
        return self._register_payment(self.move, payment_date=date)

    def _run_cron(self):
        with self.enter_registry_test_mode():
            self.env.ref("account_qonto_einvoicing.ir_cron_qonto_refresh").method_direct_trigger()

    def test_mark_as_paid_on_the_payment_date(self):
        paid_on = self.today - dt.timedelta(days=3)
        self._pay(paid_on)
        self.assertEqual(self.move.qonto_payment_to_sync, "mark")
        self.move.action_qonto_mark_paid()

        self.assertEqual(self.move.qonto_status, "paid")
        self.assertEqual(self._qonto_invoice().paid_at.date(), paid_on)
        self.assertTrue(self.move.qonto_paid_by_odoo)
        self.assertFalse(self.move.qonto_payment_to_sync)
        self.assertEqual(self.last_messages(self.move)[0],
                         f"Marked as paid in Qonto on {format_date(self.env, paid_on)}.")

    def test_mark_as_paid_never_in_the_future(self):
        self._pay(self.today + dt.timedelta(days=10))
        self.move.action_qonto_mark_paid()
        self.assertEqual(self._qonto_invoice().paid_at.date(), self.today)

    def test_mark_as_paid_without_payment_in_odoo(self):
        # Odoo says unpaid: the button is not offered, and the method says what to do.
        with self.assertRaisesRegex(UserError, f"{self.move.name}.*no payment.*Register the "
                                               "payment in Odoo"):
            self.move.action_qonto_mark_paid()
        self.assertEqual(self._qonto_invoice().status, "unpaid", "Qonto untouched")
        # A script may still say it outright.
        self.move.with_context(qonto_mark_paid_without_payment=True).action_qonto_mark_paid()
        self.assertEqual(self.move.qonto_status, "paid")
        self.assertEqual(self._qonto_invoice().paid_at.date(), self.today)
        # The accountant's word stands: the scheduled action does not undo it.
        self.assertFalse(self.move.qonto_payment_to_sync)
        self._run_cron()
        self.assertEqual(self._qonto_invoice().status, "paid")

    def test_unmark_as_paid(self):
        payment = self._pay(self.today)
        self.move.action_qonto_mark_paid()
        (self.move.line_ids | payment.move_id.line_ids).remove_move_reconcile()
        self.assertEqual(self.move.qonto_payment_to_sync, "unmark")
        self.move.action_qonto_unmark_paid()
        self.assertEqual(self.move.qonto_status, "unpaid")
        self.assertFalse(self._qonto_invoice().paid_at)
        self.assertEqual(self.last_messages(self.move)[0], "Marked as unpaid in Qonto.")

    def test_buttons_refuse_an_invoice_not_issued_in_qonto(self):
        other = self.create_invoice()
        for action in (other.action_qonto_mark_paid, other.action_qonto_unmark_paid):
            with self.assertRaisesRegex(UserError, f"{other.name}.*Qonto invoice"):
                action()

    def test_cron_pushes_odoo_payments(self):
        paid_on = self.today - dt.timedelta(days=1)
        payment = self._pay(paid_on)
        self._run_cron()
        self.assertEqual(self.move.qonto_status, "paid")
        self.assertEqual(self._qonto_invoice().paid_at.date(), paid_on)

        # The payment is undone in Odoo: Qonto is told too.
        (self.move.line_ids | payment.move_id.line_ids).remove_move_reconcile()
        self.assertEqual(self.move.qonto_payment_to_sync, "unmark")
        self._run_cron()
        self.assertEqual(self.move.qonto_status, "unpaid")
        self.assertFalse(self._qonto_invoice().paid_at)

    def test_cron_keeps_a_payment_qonto_saw_itself(self):
        self.set_scenario("paid", invoice_id=self.move.qonto_invoice_id)
        self.advance_steps(8)
        self._run_cron()
        self.assertEqual(self.move.qonto_status, "paid")
        self.assertFalse(self.move.qonto_payment_to_sync, "not Odoo's payment to undo")
        self._run_cron()
        self.assertEqual(self._qonto_invoice().status, "paid")

    def test_a_refused_invoice_is_never_marked_paid(self):
        self.set_scenario("refused", invoice_id=self.move.qonto_invoice_id)
        self.advance_steps(5)
        self.move.action_qonto_refresh()
        self.assertEqual(self.move.qonto_einvoicing_status, "declined")
        self._pay(self.today)
        with self.assertRaisesRegex(UserError, f"{self.move.name}.*Refused.*credit note"):
            self.move.with_context(qonto_mark_paid_without_payment=True) \
                .action_qonto_mark_paid()
        self.assertEqual(self._qonto_invoice().status, "unpaid")

    def test_collected_in_qonto_without_payment_in_odoo(self):
        """212 Encaissée while Odoo has no payment: register it in Odoo, never undo Qonto."""
        self.set_scenario("paid", invoice_id=self.move.qonto_invoice_id)
        self.advance_steps(8)
        self.move.action_qonto_refresh()
        self.assertIn(212, self.move.qonto_lifecycle_event_ids.mapped("status_code"))
        self.assertTrue(self.move.qonto_paid_not_in_odoo)
        self.assertFalse(self.move.qonto_payment_to_sync, "no Qonto button offered")
        with self.assertRaisesRegex(UserError, "register the payment in Odoo"):
            self.move.action_qonto_unmark_paid()
        self.assertEqual(self._qonto_invoice().status, "paid")

        self._pay(self.today)
        self.assertFalse(self.move.qonto_paid_not_in_odoo, "one truth once Odoo has it")
        self.assertFalse(self.move.qonto_payment_to_sync, "Qonto already says paid")


@tagged("post_install", "-at_install")
class TestPaymentOtherActionAnswers(OtherActionAnswers, TestPayment):
    """The same, with the other answer to ``unmark_as_paid``."""
