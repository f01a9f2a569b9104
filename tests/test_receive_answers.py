import datetime as dt

from odoo.exceptions import UserError
from odoo.tests import Form, freeze_time, tagged

from .common import QontoTestCommon


@tagged("post_install", "-at_install")
class TestReceiveAnswers(QontoTestCommon):
    """Refuse and report payment of a received e-invoice, through Qonto's own calls."""

    def setUp(self):
        super().setUp()
        self.sim("POST", "supplier_invoices/arrivals", {"every_seconds": 0})
        self.bill = self.env["account.move"]._qonto_receive_company(self.company)[:1]

    def supplier_invoice(self):
        with self.qonto_api() as qonto:
            return qonto.get_supplier_invoice(self.bill.qonto_invoice_id)

    def refuse(self, code, note=None):
        action = self.bill.action_qonto_refuse()
        wizard = Form(self.env[action["res_model"]].with_context(**action["context"]))
        wizard.reason_code = code
        if note:
            wizard.note = note
        return wizard.save().action_refuse()

    def test_refuse_with_a_reason_of_the_reform(self):
        self.assertEqual(self.bill.qonto_supplier_status, "to_review")
        self.refuse("MONTANTTOTAL_ERR", "Le total ne correspond pas au bon de commande")
        remote = self.supplier_invoice()
        self.assertEqual(remote.status, "rejected")
        self.assertEqual(remote.declined_note, "Le total ne correspond pas au bon de commande")
        self.assertEqual(self.bill.qonto_supplier_status, "rejected")
        self.assertEqual(self.bill.qonto_einvoicing_status, "declined")
        refusal = self.bill.qonto_lifecycle_event_ids.filtered(lambda e: e.status_code == 210)
        self.assertEqual(len(refusal), 1)
        self.assertEqual(refusal.reason, "MONTANTTOTAL_ERR")
        self.assertIn("Wrong total amount", " ".join(self.last_messages(self.bill, 3)))
        # Qonto answers a second refusal with 400: no button offers it, and a forced call
        # says why instead of pretending.
        with self.assertRaises(UserError):
            self.bill.action_qonto_refuse()

    def test_second_reject_in_qonto_is_said(self):
        with self.qonto_api() as qonto:
            qonto.reject_supplier_invoice(self.bill.qonto_invoice_id, reason_code="DOUBLON")
        # The bill still believes it is to review: Qonto's 400 becomes a clear error.
        with self.assertRaises(UserError):
            self.refuse("DOUBLON")
        self.assertEqual(self.bill.qonto_supplier_status, "to_review")

    def test_report_payment_then_withdraw_it(self):
        self.bill.action_qonto_report_payment()
        remote = self.supplier_invoice()
        self.assertEqual(remote.status, "paid")
        self.assertEqual(remote.payment_date, self.bill._qonto_payment_date())
        self.assertEqual(self.bill.qonto_supplier_status, "paid")
        with self.assertRaises(UserError):
            self.bill.action_qonto_refuse()
        self.bill.action_qonto_cancel_payment_report()
        self.assertEqual(self.supplier_invoice().status, "to_pay")
        self.assertEqual(self.bill.qonto_supplier_status, "to_pay")

    def test_a_payment_reported_after_midnight_in_paris_is_not_in_qontos_future(self):
        # 23:30 UTC: the accountant's Paris is already tomorrow; a Qonto that reads its
        # "not in the future" in UTC (the simulator's default) is still today.
        late = dt.datetime.now(dt.timezone.utc).replace(hour=23, minute=30, tzinfo=None)
        with freeze_time(late):
            self.assertEqual(self.sim("GET", "clock")["today"], late.date().isoformat())
            self.bill.with_context(tz="Europe/Paris").action_qonto_report_payment()
        self.assertEqual(self.bill.qonto_supplier_status, "paid")
        self.assertEqual(self.supplier_invoice().payment_date, late.date())

    def test_sent_invoice_is_not_refused(self):
        invoice = self.init_invoice("out_invoice", amounts=[100.0], post=True)
        with self.assertRaises(UserError):
            invoice.action_qonto_refuse()
        with self.assertRaises(UserError):
            invoice.action_qonto_report_payment()

    def test_no_approve_button(self):
        # Qonto documents no call that approves a received e-invoice.
        self.assertFalse([name for name in dir(type(self.bill))
                          if name.startswith("action_qonto_approve")])
