from odoo.tests import tagged

from .common import QontoTestCommon

LINK = '<a href="https://evil.example/pay">Click here to fix the IBAN</a>'
IMAGE = '<img src="https://evil.example/pixel.png">'


@tagged("post_install", "-at_install")
class TestHostileText(QontoTestCommon):
    """Text from Qonto (a buyer's reason) lands in Html as text, never as markup."""

    def test_a_refusal_reason_is_text_in_the_activity_and_the_chatter(self):
        move = self.create_invoice()
        move.action_qonto_send()
        self.set_scenario("refused", invoice_id=move.qonto_invoice_id,
                          reason_message=f"{LINK} {IMAGE}")
        self.advance_steps(5)
        move.action_qonto_refresh()
        self.assertEqual(move.qonto_einvoicing_status, "declined")

        note = str(self.qonto_activities(move).note)
        bodies = [str(body) for body in self.env["mail.message"].search(
            [("model", "=", "account.move"), ("res_id", "=", move.id)]).mapped("body")]
        refusal = next(body for body in bodies if "210" in body)
        for html in (note, refusal):
            with self.subTest(html=html):
                self.assertNotIn("<a ", html)
                self.assertNotIn("<img", html)
                self.assertIn("&lt;a href=", html, "the reason is shown, as text")
        self.assertIn("Click here to fix the IBAN", move.qonto_attention_text)
