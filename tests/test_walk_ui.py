import unittest

from lxml import etree
from odoo.service.model import call_kw
from odoo.tests import tagged
from odoo.tools import config
from odoo.tools.safe_eval import safe_eval

from .common import QontoTestCommon


class UiClicks:
    """Views as the web client gets them, and buttons clicked as it clicks them."""

    def _arch(self, model, view_type="form"):
        views = self.env[model].get_views([(False, view_type)])
        return etree.fromstring(views["views"][view_type]["arch"])

    def click(self, record, xpath, view_type="form"):
        """Click the button ``xpath`` of ``record``'s view: the RPC the web client makes,
        with the button's context; the returned action carries that context on, as the
        web client merges it."""
        [button] = self._arch(record._name, view_type).xpath(xpath)
        context = safe_eval(button.get("context") or "{}")
        action = call_kw(record.with_context(**context), button.get("name"),
                         [record.ids], {})
        if isinstance(action, dict):
            action["context"] = {**context, "active_model": record._name,
                                 "active_id": record.id, "active_ids": record.ids,
                                 **(action.get("context") or {})}
        return action


@tagged("post_install", "-at_install")
class TestWalkUi(UiClicks, QontoTestCommon):
    """What an accountant reads on the screens: one thing, in their language, with the
    next step; each button clicked as the web client does (the view's context, then
    Odoo's call_button)."""

    # ------------------------------------------------------------------ payment banner

    def test_211_banner_agrees_with_qonto_status_and_returns_to_the_invoice(self):
        move = self.create_invoice()
        move.action_qonto_send()
        self.set_scenario("paid", invoice_id=move.qonto_invoice_id)
        self.advance_steps(7)  # 200 to 205, then 211 Payment sent
        move.action_qonto_refresh()
        self.assertEqual(max(move.qonto_lifecycle_event_ids.mapped("status_code")), 211)
        self.assertEqual(move.qonto_status, "unpaid")
        self.assertTrue(move.qonto_paid_not_in_odoo)
        text = move.qonto_paid_not_in_odoo_text
        self.assertIn("211 Payment sent", text)
        self.assertIn("unpaid", text, "the banner says what the Qonto status field says")
        self.assertNotIn("paid this invoice", text)
        self.env["res.lang"]._activate_lang("fr_FR")
        self.env["ir.module.module"]._load_module_terms(["account_qonto_einvoicing"], ["fr_FR"])
        self.assertIn("211 Paiement transmis",
                      move.with_context(lang="fr_FR").qonto_paid_not_in_odoo_text)

        action = self.click(
            move, "//div[hasclass('o_qonto_paid_not_in_odoo')]"
                  "/button[@name='action_register_payment']")
        wizard = self.env[action["res_model"]].with_context(**action["context"]).create({})
        self.assertIs(wizard.action_create_payments(), True,
                      "the wizard closes back on the invoice, not on the payment")
        self.assertIn(move.payment_state, ("paid", "in_payment"))
        self.assertFalse(move.qonto_paid_not_in_odoo)

    # ------------------------------------------------------------------ invoices

    def test_refusal_activity_reads_as_one_text(self):
        move = self.create_invoice()
        move.action_qonto_send()
        self.set_scenario("refused", invoice_id=move.qonto_invoice_id)
        self.advance_steps(5)
        move.action_qonto_refresh()
        [activity] = self.qonto_activities(move)
        note = activity.note.striptags()
        self.assertIn("send a corrected invoice. To correct it: Correct and resend", note)
        self.assertNotIn("..", note)


    def _french(self):
        self.env["res.lang"]._activate_lang("fr_FR")
        self.env["ir.module.module"]._load_module_terms(["account_qonto_einvoicing"], ["fr_FR"])

    def test_email_through_qonto_is_not_labelled_e_invoice(self):
        arch = self._arch("account.move")
        labels = {node.get("string"): node.get("invisible")
                  for node in arch.xpath("//page[@id='qonto_lifecycle_tab']"
                                         "//field[@name='qonto_sent_at']")}
        self.assertEqual(labels, {None: "qonto_channel == 'email'",
                                  "E-mailed through Qonto on": "qonto_channel != 'email'"})

    def test_send_again_after_odoo_email_says_it_was_sent(self):
        move = self.create_invoice(partner=self.buyer_unreachable)
        move.is_move_sent = True  # Odoo's own e-mail went out, from the fallback dialog
        action = self.click(move, "//button[@name='action_qonto_send']")
        self.assertEqual(action["res_model"], "qonto.send.fallback")
        wizard = self.env[action["res_model"]].with_context(**action["context"]).create({})
        self.assertTrue(wizard.already_sent)
        [note] = self._arch("qonto.send.fallback").xpath(
            "//div[hasclass('o_qonto_already_sent')]")
        self.assertEqual(note.get("invisible"), "not already_sent")

    def test_group_by_e_invoicing_status_names_the_invoices_not_sent(self):
        sent = self.create_invoice()
        sent.action_qonto_send()
        unsent = self.create_invoice()
        [group_by] = self._arch("account.move", "search").xpath(
            "//filter[@name='group_by_qonto_einvoicing_status']")
        field = safe_eval(group_by.get("context"))["group_by"]
        groups = dict(self.env["account.move"]._read_group(
            [("id", "in", (sent | unsent).ids)], [field], ["__count"]))
        self.assertEqual(groups, {"not_sent": 1, "pending": 1})
        labels = dict(self.env["account.move"].fields_get([field])[field]["selection"])
        self.assertEqual(labels["not_sent"], "Not sent")

    # ------------------------------------------------------------------ Odoo's platform

    def test_odoo_platform_filters_and_contact_items_hidden_on_qonto(self):
        if "l10n_fr_pdp_status" not in self.env["account.move"]._fields:
            self.skipTest("l10n_fr_pdp is not installed")
        search = self._arch("account.move", "search")
        for name in ("l10n_fr_pdp_status_pending", "l10n_fr_pdp_status_error",
                     "l10n_fr_pdp_status_out_of_scope", "l10n_fr_pdp_group_by_status",
                     "l10n_fr_pdp_group_by_flow"):
            [node] = search.xpath(f"//filter[@name='{name}']")
            self.assertEqual(node.get("invisible"), "1", name)
        self.assertFalse(search.xpath("//filter[@name='group_by_qonto_einvoicing_status']"
                                      "[@invisible]"), "ours stays")
        form = self._arch("res.partner")
        for node in form.xpath("//button[@name='button_account_peppol_check_partner_endpoint']"
                               " | //field[@name='peppol_eas'] | //field[@name='peppol_endpoint']"):
            self.assertEqual(node.get("invisible"), "1", etree.tostring(node))

        count = len(self.buyer.message_ids)
        self.buyer._log_verification_state_update(self.company, "not_verified", "not_valid_format")
        self.assertEqual(len(self.buyer.message_ids), count,
                         "no 'Partner cannot receive format' beside Qonto's reachability")

    def test_customer_abroad_is_not_offered_the_reachability_check(self):
        abroad = self.env["res.partner"].create({
            "name": "Acme Corp", "country_id": self.env.ref("base.us").id,
            "email": "ap@acme.example"})
        self.assertFalse(abroad.qonto_network_addressable)
        self.assertTrue(self.buyer.qonto_network_addressable)
        [button] = self._arch("res.partner").xpath(
            "//button[@name='action_qonto_check_reachability']")
        self.assertEqual(button.get("invisible"), "not qonto_network_addressable")


@tagged("post_install", "-at_install")
class TestWalkUiBills(QontoTestCommon):
    """A received bill, as an accountant reads it."""

    def setUp(self):
        super().setUp()
        self.sim("POST", "supplier_invoices/arrivals", {"every_seconds": 0})
        self.bill = self.env["account.move"]._qonto_receive_company(self.company)[:1]

    def test_qonto_status_in_words_on_one_line(self):
        self.assertEqual(self.bill.qonto_supplier_status, "to_review")
        self.assertEqual(self.bill.qonto_supplier_status_label, "To review")
        arch = etree.fromstring(self.env["account.move"].get_views(
            [(False, "form")])["views"]["form"]["arch"])
        [status] = arch.xpath("//field[@name='qonto_status']")
        self.assertEqual(status.get("invisible"), "qonto_direction == 'received'")
        [words] = arch.xpath("//field[@name='qonto_supplier_status_label']")
        self.assertEqual(words.get("invisible"), "qonto_direction != 'received'")
        self.assertFalse(arch.xpath("//field[@name='qonto_supplier_status'][not(@invisible)]"))

    def test_refusal_is_logged_in_the_language_of_the_user(self):
        self.env["res.lang"]._activate_lang("fr_FR")
        self.env["ir.module.module"]._load_module_terms(["account_qonto_einvoicing"], ["fr_FR"])
        self.company.partner_id.lang = "fr_FR"
        self.env.user.lang = "en_US"
        action = self.bill.action_qonto_refuse()
        wizard = self.env[action["res_model"]].with_context(**action["context"]).create(
            {"reason_code": "MONTANTTOTAL_ERR"})
        wizard.action_refuse()
        messages = " ".join(self.last_messages(self.bill, 3))
        self.assertIn("Refused in Qonto: Wrong total amount (MONTANTTOTAL_ERR)", messages)
        self.assertNotIn("Refusée", messages)
        self.assertEqual(self.bill.with_context(lang="fr_FR").qonto_supplier_status_label,
                         "Refusée")


@tagged("post_install", "-at_install")
class TestWalkUiSettings(UiClicks, QontoTestCommon):
    """Settings > Qonto says what each click did."""

    # The webhook's callback is this test server, in plain HTTP: Qonto takes HTTPS only.
    simulator_options = {"allow_http_callbacks": True}

    def test_webhook_button_says_it_worked(self):
        settings = self.env["res.config.settings"].create({})
        action = self.click(settings, "//setting[@id='qonto_enabled']"
                                      "//button[@name='action_qonto_register_webhook']")
        self.assertEqual(action["tag"], "display_notification")
        self.assertEqual(action["params"]["type"], "success")
        self.assertIn("Webhook registered", action["params"]["message"])
        self.assertTrue(self.company.sudo().qonto_webhook_subscription_id)

    def test_simulator_connection_says_which_key(self):
        self.company.sudo().write({"qonto_login": False, "qonto_secret_key": False})
        self.company.qonto_organization_name = "Démo Simulateur SAS"
        settings = self.env["res.config.settings"].create({})
        self.assertEqual(settings.qonto_ready_connection, "ok")
        self.assertIn("simulator's demo API key", settings.qonto_ready_connection_text)

    def test_ten_invoices_through_the_send_wizard_with_real_pdfs(self):
        """Odoo's tests never run wkhtmltopdf unless asked (force_report_rendering):
        here it renders for real, as on the demo's machine, ten invoices in one run of
        the sending job."""
        settings = self.env["res.config.settings"].create({})
        if settings.qonto_ready_pdf == "todo":
            self.assertIn("patched Qt", settings.qonto_ready_pdf_text)
            action = self.click(settings, "//button[@name='action_qonto_pdf_one_per_call']")
            self.assertEqual(action["params"]["type"], "success")
            self.assertEqual(self.env["res.config.settings"].create({}).qonto_ready_pdf, "ok")
        self.buyer.action_qonto_check_reachability()
        moves = self.env["account.move"].union(*(self.create_invoice() for _i in range(10)))
        wizard = self._create_account_move_send_wizard_multi(moves)
        wizard.action_send_and_print()
        # wkhtmltopdf fetches the report's stylesheets from this test server, which
        # answers only inside allow_pdf_render(): without it the server waits for the
        # test's transaction and the test waits for wkhtmltopdf, for ever.
        self.env["ir.config_parameter"].set_param(
            "report.url", f"http://127.0.0.1:{config['http_port']}")
        try:
            with self.allow_pdf_render():
                # What the sending job (account.ir_cron_account_move_send) runs, in one go.
                self.env["account.move.send"].with_context(
                    force_report_rendering=True)._generate_and_send_invoices(
                    moves, from_cron=True)
        except unittest.SkipTest as error:
            self.fail(f"Odoo refused to render the batch: {error}")
        for move in moves:
            self.assertTrue(move.qonto_sent_at, move.name)
            self.assertTrue(move.invoice_pdf_report_id.raw.startswith(b"%PDF"), move.name)
        self.assert_qonto_invoice_count(10)
