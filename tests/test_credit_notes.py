from odoo import fields
from odoo.exceptions import UserError
from odoo.tests import tagged

from ..qonto_einvoicing.facturx_check import read_facturx
from .common import QontoTestCommon


@tagged("post_install", "-at_install")
class TestCreditNotes(QontoTestCommon):
    """A credit note for an invoice sent through Qonto: Odoo's Factur-X type 381, naming
    the invoice it corrects (BT-25), imported and sent; its own lifecycle."""

    def _sent_invoice(self):
        move = self.create_invoice()
        action = move.action_qonto_send()
        self.assertEqual(action["params"]["type"], "success", action["params"]["message"])
        return move

    def _credit_note(self, move, quantity=None, post=True):
        refund = move._reverse_moves([{
            "invoice_date": fields.Date.context_today(move), "ref": "Avoir"}])
        if quantity is not None:
            refund.invoice_line_ids[0].quantity = quantity
        if post:
            refund.action_post()
        return refund

    def test_partial_then_full_credit_note(self):
        move = self._sent_invoice()
        partial = self._credit_note(move, quantity=1)
        self.assertEqual(partial.qonto_flow, "facturx")
        action = partial.action_qonto_send()
        self.assertEqual(action["params"]["type"], "success", action["params"]["message"])

        document = read_facturx(partial.qonto_einvoice_id.document_id.raw)
        self.assertEqual(document.type_code, "381")
        self.assertEqual(document.referenced_numbers, (move.name,))
        self.assertTrue(partial.qonto_invoice_id)
        self.assertNotEqual(partial.qonto_invoice_id, move.qonto_invoice_id,
                            "the credit note has its own record in Qonto")
        self.assertEqual(move.qonto_status, "unpaid")

        rest = self._credit_note(move, quantity=1)
        rest.action_qonto_send()
        self.assertEqual(move.qonto_status, "canceled",
                         "a full credit shows Qonto's cancelled invoice")
        self.advance_steps(2)
        rest.action_qonto_refresh()
        self.assertIn(200, rest.qonto_lifecycle_event_ids.mapped("status_code"))
        self.assertIn(rest, move.reversal_move_ids)

    def test_credit_note_for_an_invoice_never_sent_is_refused(self):
        move = self.create_invoice()
        refund = self._credit_note(move)
        with self.assertRaisesRegex(UserError, "never sent through Qonto.*Reversal of"):
            refund.action_qonto_send()
        self.assertFalse(self.request_counts())

    def test_credit_note_larger_than_what_is_left_is_refused(self):
        move = self._sent_invoice()
        self._credit_note(move).action_qonto_send()
        again = self._credit_note(move)
        with self.assertRaisesRegex(UserError, "more than the .* left to credit"):
            again.action_qonto_send()
        self.assertEqual(len(self.qonto_invoices()), 2)

    def test_refused_credit_note_says_its_own_next_step(self):
        move = self._sent_invoice()
        refund = self._credit_note(move)
        refund.action_qonto_send()
        self.set_scenario("refused", invoice_id=refund.qonto_invoice_id)
        self.advance_steps(5)
        refund.action_qonto_refresh()
        self.assertTrue(refund.qonto_needs_attention)
        text = refund.qonto_attention_text
        self.assertIn("refused this credit note", text)
        self.assertNotIn("Issue a credit note", text)
        [activity] = self.qonto_activities(refund)
        self.assertIn("send a corrected credit note", activity.note)
        self.assertNotIn("Issue a credit note", activity.note)

    def test_credit_note_goes_by_qonto_from_odoo_send_wizard(self):
        move = self._sent_invoice()
        refund = self._credit_note(move)
        wizard = self._create_account_move_send_wizard_single(refund)
        self.assertTrue(wizard.sending_method_checkboxes["qonto"]["checked"],
                        "the Send wizard ticks Qonto for the credit note, as for its invoice")
        self.assertIn("qonto", wizard.sending_methods)
        wizard.action_send_and_print()
        self.assertTrue(refund.qonto_sent_at)
        self.assertEqual(refund.qonto_einvoice_id.flow, "facturx")
        self.assertEqual(move.qonto_status, "canceled", "the full credit reached Qonto")

        never_sent = self._credit_note(self.create_invoice())
        wizard = self._create_account_move_send_wizard_single(never_sent)
        self.assertFalse(wizard.sending_method_checkboxes["qonto"]["checked"],
                         "not for a credit note whose invoice Qonto never had")
