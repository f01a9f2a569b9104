from odoo.exceptions import UserError
from odoo.tests import tagged

from .common import QontoTestCommon


@tagged("post_install", "-at_install")
class TestCoexistencePdp(QontoTestCommon):
    """Beside Odoo's own Approved Platform (l10n_fr_pdp, on the Peppol channel): once
    Qonto is configured for a company, an invoice never goes out through both, and the
    user sees which platform took it."""

    def _register_on_odoo_platform(self):
        """The company is also registered on Odoo's platform; the buyer is found there."""
        self.company.account_peppol_proxy_state = "receiver"
        self.buyer.with_company(self.company).peppol_verification_state = "valid"

    def test_platform_shown_on_the_invoice(self):
        move = self.create_invoice()
        self.assertFalse(move.qonto_einvoicing_platform)
        move.action_qonto_send()
        self.assertEqual(move.qonto_einvoicing_platform, "qonto")

    def test_invoice_sent_by_odoo_platform_is_not_sent_by_qonto(self):
        move = self.create_invoice()
        move.write({"peppol_message_uuid": "c0ffee00-0000-4000-8000-000000000001",
                    "peppol_move_state": "processing"})
        self.assertEqual(move.qonto_einvoicing_platform, "odoo")
        with self.assertRaisesRegex(UserError, f"{move.name}: already sent through "
                                               "Odoo's Approved Platform"):
            move.action_qonto_send()
        self.assertEqual(self.sim("GET", "requests")["total"], 0)
        send = self.env["account.move.send"]
        self.assertFalse(send._is_applicable_to_move("qonto", move))

    def test_send_wizard_offers_one_platform(self):
        self._register_on_odoo_platform()
        self.buyer.action_qonto_check_reachability()
        move = self.create_invoice()
        send = self.env["account.move.send"]
        self.assertTrue(send._is_applicable_to_company("peppol", self.company),
                        "registered on Odoo's platform too")

        wizard = self._create_account_move_send_wizard_single(move)
        self.assertNotIn("peppol", wizard.sending_method_checkboxes)
        self.assertIn("qonto", wizard.sending_methods)
        wizard.action_send_and_print()

        self.assertTrue(move.qonto_sent_at)
        self.assertEqual(move.qonto_einvoicing_platform, "qonto")
        self.assertFalse(move.peppol_message_uuid)
        self.assertEqual(move.peppol_move_state, "ready")
        self.assert_qonto_invoice_count(1)

    def test_batch_send_goes_through_qonto_only(self):
        self._register_on_odoo_platform()
        self.buyer.action_qonto_check_reachability()
        moves = self.create_invoice() + self.create_invoice()
        self.assertNotIn("peppol",
                         self.env["account.move.send"]._get_default_sending_methods(moves[0]),
                         "a company on Qonto never defaults to Odoo's platform")
        wizard = self._create_account_move_send_wizard_multi(moves)
        wizard.action_send_and_print()
        with self.enter_registry_test_mode():
            self.env.ref("account.ir_cron_account_move_send").method_direct_trigger()

        for move in moves:
            self.assertTrue(move.qonto_sent_at)
            self.assertEqual(move.qonto_einvoicing_platform, "qonto")
            self.assertFalse(move.peppol_message_uuid)
            self.assertNotIn(move.peppol_move_state, ("to_send", "processing", "done"))
        self.assert_qonto_invoice_count(2)

    def test_both_platforms_ticked_by_hand_are_warned_about(self):
        self._register_on_odoo_platform()
        self.buyer.action_qonto_check_reachability()
        move = self.create_invoice()
        wizard = self._create_account_move_send_wizard_single(
            move, sending_methods=["peppol", "qonto"])
        self.assertIn("account_qonto_einvoicing_one_platform", wizard.alerts)

    def test_sending_with_both_methods_goes_through_qonto_only(self):
        move = self.create_invoice()
        self.env["account.move.send"]._generate_and_send_invoices(
            move, sending_methods=["peppol", "qonto"])
        self.assertTrue(move.qonto_sent_at)
        self.assertEqual(move.qonto_einvoicing_platform, "qonto")
        self.assertFalse(move.peppol_message_uuid)
        self.assertNotIn(move.peppol_move_state, ("to_send", "processing", "done"))
