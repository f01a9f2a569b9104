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


@tagged("post_install", "-at_install")
class TestUiTourOneTruth(QontoHttpTestCommon):
    """In Chromium, the paths an accountant's day in the demo found contradictory."""

    def test_email_fallback_then_the_invoice_says_sent(self):
        move = self.create_invoice(self.buyer_unreachable)
        self.start_tour(f"/odoo/customer-invoices/{move.id}",
                        "account_qonto_einvoicing_email_fallback", login=self.env.user.login)
        self.env.invalidate_all()
        self.assertEqual(move.qonto_channel, "email")
        self.assertTrue(move.is_move_sent)

    def _sent_through(self, scenario, steps):
        move = self.create_invoice()
        move.action_qonto_send()
        self.set_scenario(scenario, invoice_id=move.qonto_invoice_id)
        self.advance_steps(steps)
        move.action_qonto_refresh()
        return move

    def test_refused_banner_and_collected_without_odoo_payment(self):
        refused = self._sent_through("refused", 5)
        self.start_tour(f"/odoo/customer-invoices/{refused.id}",
                        "account_qonto_einvoicing_refused", login=self.env.user.login)
        collected = self._sent_through("paid", 8)
        self.start_tour(f"/odoo/customer-invoices/{collected.id}",
                        "account_qonto_einvoicing_collected", login=self.env.user.login)
