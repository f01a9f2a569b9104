from odoo.tests import tagged

from .common import QontoHttpTestCommon


@tagged("post_install", "-at_install")
class TestCorrectAndResend(QontoHttpTestCommon):
    """In Chromium: a refused invoice is corrected and resent from its banner."""

    def _refused_invoice(self):
        move = self.create_invoice()
        move.action_qonto_send()
        self.set_scenario(invoice_id=move.qonto_invoice_id, scenario="refused")
        self.advance_steps(5)
        move.action_qonto_refresh()
        self.assertTrue(move.qonto_can_correct)
        [activity] = self.qonto_activities(move)
        self.assertIn("Correct and resend", activity.note)
        return move

    def test_correct_and_resend_tour(self):
        move = self._refused_invoice()
        self.start_tour(f"/odoo/customer-invoices/{move.id}",
                        "account_qonto_einvoicing_correct", login=self.env.user.login)

        self.env.invalidate_all()
        [credit_note] = move.reversal_move_ids
        [copy] = move.qonto_correction_move_ids
        self.assertEqual(credit_note.amount_total, move.amount_total)
        self.assertTrue(credit_note.qonto_sent_at, "the full credit note went through Qonto")
        self.assertEqual(credit_note.qonto_einvoice_id.flow, "facturx")
        self.assertEqual(move.qonto_status, "canceled")
        self.assertTrue(copy.qonto_sent_at)
        self.assertEqual(copy.qonto_corrected_move_id, move)
        self.assertFalse(self.qonto_activities(move), "sending the copy closed the activity")
        self.assertFalse(move.qonto_can_correct)
