from lxml import etree
from odoo.exceptions import UserError
from odoo.tests import tagged
from odoo.tools import format_date

from .common import QontoTestCommon


@tagged("post_install", "-at_install")
class TestOneTruth(QontoTestCommon):
    """What an accountant's day in the demo found: each screen says one thing, in the
    company's language, and offers the next step."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.abroad = cls._create_customer(
            "Acme Corp", email="ap@acme.example", country_id=cls.env.ref("base.us").id,
            vat=False, city="Austin", zip="78701", street="1 Congress Ave")

    def _run_cron(self):
        with self.enter_registry_test_mode():
            self.env.ref("account_qonto_einvoicing.ir_cron_qonto_refresh").method_direct_trigger()

    def test_sent_by_email_shows_no_pending_einvoice(self):
        move = self.create_invoice(self.buyer_unreachable)
        action = move.action_qonto_send()
        wizard = self.env[action["res_model"]].with_context(**action["context"]).create({})
        self.assertFalse(wizard.qonto_holds_invoice, "nothing in Qonto yet: said so")
        result = wizard.action_send_by_qonto_email()
        # The dialog closes on a message and the invoice behind it is reloaded.
        self.assertEqual(result["params"]["next"]["tag"], "soft_reload")
        self.assertEqual(move.qonto_channel, "email")
        self.assertFalse(move.qonto_einvoicing_status, "no e-invoice is pending")
        self.assertTrue(move.is_move_sent, "Odoo's Sent ribbon and filter")
        move.action_qonto_refresh()
        self.assertFalse(move.qonto_einvoicing_status, "a read keeps it so")

    def test_fallback_dialog_after_a_draft_was_left_in_qonto(self):
        move = self.create_invoice(self.buyer_unreachable)
        move.action_qonto_send()
        einvoice = self.env["qonto.einvoice"].sudo().create(
            {"move_id": move.id, "company_id": self.company.id, "qonto_id": "draft-left"})
        wizard = self.env["qonto.send.fallback"].create({"move_id": move.id})
        self.assertTrue(wizard.qonto_holds_invoice,
                        "the dialog no longer claims nothing was created in Qonto")
        einvoice.unlink()

    def test_customer_abroad_is_not_offered_the_network(self):
        move = self.create_invoice(self.abroad)
        self.assertFalse(self.env["account.move.send"]._is_applicable_to_move("qonto", move))
        action = self.abroad.action_qonto_check_reachability()
        self.assertIn("Acme Corp has no SIREN", action["params"]["message"])
        self.assertEqual(self.abroad.with_company(self.company).qonto_reachability,
                         "not_reachable")
        self.assertEqual(self.sim("GET", "requests")["total"], 0, "no Qonto client created")
        # Send via e-invoice: the e-mail choices, before anything reaches Qonto.
        action = move.action_qonto_send()
        self.assertEqual(action["res_model"], "qonto.send.fallback")
        self.assertEqual(self.organization_summary()["clients"], 0)

    def test_lines_written_by_the_scheduled_action_speak_the_company_language(self):
        self.env["res.lang"]._activate_lang("fr_FR")
        self.env["ir.module.module"]._load_module_terms(["account_qonto_einvoicing"], ["fr_FR"])
        self.company.partner_id.lang = "fr_FR"
        move = self.create_invoice()
        move.action_qonto_send()
        self.set_scenario("refused", invoice_id=move.qonto_invoice_id, reason="TX_TVA_ERR")
        self.advance_steps(5)
        self._run_cron()

        line = next((m for m in self.last_messages(move, 4) if "Cycle de vie" in m and "210" in m),
                    self.last_messages(move, 4))
        self.assertIn("Cycle de vie de la facture électronique : 210 Refusée", line)
        self.assertIn("Taux de TVA erroné (TX_TVA_ERR)", line)
        [activity] = self.qonto_activities(move)
        self.assertEqual(activity.summary, "210 Refusée")

        paid = self.create_invoice()
        paid.action_qonto_send()
        self._register_payment(paid)
        self._run_cron()
        french = self.env(context={**self.env.context, "lang": "fr_FR"})
        paid_on = format_date(french, paid._qonto_payment_date())
        self.assertEqual(self.last_messages(paid)[0],
                         f"Marquée comme payée dans Qonto le {paid_on}.")

    def test_odoo_platform_state_is_hidden_for_a_company_on_qonto(self):
        if "l10n_fr_pdp_status" not in self.env["account.move"]._fields:
            self.skipTest("l10n_fr_pdp is not installed")
        arch = etree.fromstring(self.env["account.move"].get_views(
            [(self.env.ref("account.view_out_invoice_tree").id, "list")])["views"]["list"]["arch"])
        [pdp] = arch.xpath("//field[@name='l10n_fr_pdp_status']")
        self.assertEqual(pdp.get("column_invisible"), "1")
        [ours] = arch.xpath("//field[@name='qonto_einvoicing_status']")
        self.assertFalse(ours.get("column_invisible"))
        settings = etree.fromstring(self.env["res.config.settings"].get_views(
            [(False, "form")])["views"]["form"]["arch"])
        [block] = settings.xpath("//block[@id='pdp']") or [None]
        self.assertTrue(block is None or block.get("invisible") == "1",
                        "no 'Activate Electronic Invoicing' above Qonto's settings")

    def test_test_connection_failure_clears_what_was_shown(self):
        self.assertTrue(self.company.qonto_organization_name)
        self.company.qonto_secret_key = "wrong"
        settings = self.env["res.config.settings"].create({})
        action = settings.action_qonto_test_connection()
        self.assertEqual(action["params"]["type"], "danger")
        self.assertNotIn("wrong", action["params"]["message"], "no secret in a message")
        self.assertFalse(self.company.qonto_organization_name, "no stale badge")
        with self.assertRaises(UserError):
            self.company._qonto_test_connection()
