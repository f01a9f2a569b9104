from lxml import etree

from odoo.service.model import call_kw
from odoo.tests import tagged
from odoo.tools.safe_eval import safe_eval

from .common import QontoTestCommon


@tagged("post_install", "-at_install")
class TestWalkUi(QontoTestCommon):
    """What an accountant reads on the screens: one thing, in their language, with the
    next step; each button clicked as the web client does (the view's context, then
    Odoo's call_button)."""

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
