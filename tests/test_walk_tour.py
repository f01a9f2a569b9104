from odoo.tests import tagged

from .common import QontoHttpTestCommon


@tagged("post_install", "-at_install")
class TestWalkTours(QontoHttpTestCommon):
    """In Chromium, the paths of the accountant's second walk through the demo."""

    def test_vendor_bill_fetched_opened_and_refused(self):
        self.sim("POST", "supplier_invoices", {"kind": "ubl", "number": "FAC-TOUR-1"})
        self.start_tour("/odoo/bills", "account_qonto_einvoicing_vendor_bill",
                        login=self.env.user.login)

        self.env.invalidate_all()
        bills = self.env["account.move"].search([
            ("company_id", "=", self.company.id), ("qonto_einvoice_id.direction", "=", "received")])
        self.assertIn("FAC-TOUR-1", bills.mapped("ref"), "the list's button fetched it")
        [bill] = bills.filtered(lambda b: b.qonto_supplier_status == "rejected")
        with self.qonto_api() as qonto:
            remote = qonto.get_supplier_invoice(bill.qonto_invoice_id)
        self.assertEqual(remote.status, "rejected")
        self.assertEqual(remote.declined_note, "Déjà reçue le 3 novembre")
        self.assertEqual(self.request_counts()["POST /v2/supplier_invoices/{id}/reject"], 1)

    def test_buyer_paid_banner_registers_the_payment(self):
        move = self.create_invoice()
        move.action_qonto_send()
        self.set_scenario("paid", invoice_id=move.qonto_invoice_id)
        self.advance_steps(7)  # up to 211: the buyer says it paid; Qonto has no money yet
        move.action_qonto_refresh()
        self.assertEqual(max(move.qonto_lifecycle_event_ids.mapped("status_code")), 211)
        self.assertTrue(move.qonto_paid_not_in_odoo)
        self.start_tour(f"/odoo/customer-invoices/{move.id}",
                        "account_qonto_einvoicing_buyer_paid", login=self.env.user.login)

        self.env.invalidate_all()
        self.assertIn(move.payment_state, ("paid", "in_payment"))
        self.assertFalse(move.qonto_paid_not_in_odoo)
