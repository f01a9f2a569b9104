from odoo.tests import tagged

from .common import QontoHttpTestCommon


@tagged("post_install", "-at_install")
class TestUiTour(QontoHttpTestCommon):
    """In Chromium: Send via e-invoice on an invoice, and its lifecycle appears."""

    step_seconds = 0.25  # the tour waits 2.5 s: every step of the approval passes

    def test_send_via_einvoice_then_lifecycle(self):
        move = self.create_invoice()
        self.start_tour(f"/odoo/customer-invoices/{move.id}", "account_qonto_einvoicing_send",
                        login=self.env.user.login)

        self.env.invalidate_all()
        self.assertTrue(move.qonto_sent_at)
        self.assertEqual(move.qonto_einvoicing_status, "approved")
        self.assertEqual(sorted(move.qonto_lifecycle_event_ids.mapped("status_code")),
                         [200, 201, 202, 203, 204, 205])
        self.assert_qonto_invoice_count(1)
