from odoo import Command
from odoo.exceptions import UserError
from odoo.tests import tagged

from ..qonto_einvoicing.facturx_check import read_facturx
from .common import QontoTestCommon


@tagged("post_install", "-at_install")
class TestFlow2(QontoTestCommon):
    """Odoo's own Factur-X, checked and imported through ``/bulk``, then followed like a
    Flow-1 invoice. The XML is Odoo's real export (``account_edi_ubl_cii``); Odoo renders
    no PDF in test mode, so a one-page PDF carries it (said in tools/facturx.py)."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.tax_10 = cls.env["account.tax"].create({
            "name": "TVA 10 %", "amount": 10.0, "amount_type": "percent",
            "type_tax_use": "sale", "company_id": cls.company.id,
            "tax_group_id": cls.tax_20.tax_group_id.id})
        cls.eco_tax = cls.env["account.tax"].create({
            "name": "Éco-participation", "amount": 0.5, "amount_type": "fixed",
            "type_tax_use": "sale", "company_id": cls.company.id,
            "include_base_amount": True, "sequence": 1,
            "tax_group_id": cls.tax_20.tax_group_id.id})

    def _multi_tax_invoice(self):
        move = self.create_invoice(post=False, lines=[
            {"name": "Conseil en boulangerie", "quantity": 2, "price_unit": 150.0},
            {"name": "Formation hygiène", "quantity": 1, "price_unit": 80.0},
        ])
        move.invoice_line_ids[1].tax_ids = [Command.set(self.tax_10.ids)]
        move.invoice_line_ids[0].tax_ids = [Command.set((self.tax_20 | self.tax_10).ids)]
        move.action_post()
        return move

    def test_multi_tax_invoice_goes_as_odoo_facturx_end_to_end(self):
        move = self._multi_tax_invoice()
        self.assertEqual(move.qonto_flow, "facturx")
        self.assertIn("Qonto's invoice data cannot express this invoice", move.qonto_flow_reason)

        action = move.action_qonto_send()
        self.assertEqual(action["params"]["type"], "success", action["params"]["message"])

        einvoice = move.qonto_einvoice_id
        self.assertEqual(einvoice.flow, "facturx")
        self.assertTrue(move.qonto_invoice_id and move.qonto_sent_at)
        document = read_facturx(einvoice.document_id.raw)
        self.assertEqual(document.number, move.name)
        self.assertEqual(document.buyer_siren, self.buyer.company_registry[:9])
        counts = self.request_counts()
        self.assertEqual(counts["POST /v2/client_invoices/bulk"], 1)
        self.assertNotIn("POST /v2/client_invoices", counts, "Flow 2 creates nothing from data")
        self.assertEqual(counts["POST /v2/client_invoices/{id}/send_by_einvoice"], 1)
        [invoice] = self.qonto_invoices()
        self.assertEqual(invoice.number, move.name)
        self.assertEqual(invoice.total_amount_cents, round(move.amount_total * 100))

        # Followed like any invoice: the same refresh, lifecycle tab and badge.
        self.advance_steps(3)
        move.action_qonto_refresh()
        self.assertEqual(sorted(move.qonto_lifecycle_event_ids.mapped("status_code"))[:1],
                         [200])
        self.assertTrue(move.qonto_einvoicing_status)

    def test_company_setting_sends_every_invoice_as_facturx(self):
        self.company.qonto_flow = "facturx"
        move = self.create_invoice()
        self.assertEqual(move.qonto_flow, "facturx")
        move.action_qonto_send()
        self.assertEqual(move.qonto_einvoice_id.flow, "facturx")
        self.assertEqual(self.request_counts()["POST /v2/client_invoices/bulk"], 1)

    def test_a_failing_document_names_each_rule_and_sends_nothing(self):
        self.company.qonto_flow = "facturx"
        self.company.qonto_note_discount = False  # BR-FR-05: the AAB note is required
        move = self.create_invoice()
        with self.assertRaises(UserError) as caught:
            move.action_qonto_send()
        message = str(caught.exception)
        self.assertIn(move.name, message)
        self.assertIn("Rule BR-FR-05_BT-22_AAB", message)
        self.assertIn("Settings > Invoicing > Qonto", message)
        self.assertFalse(self.request_counts(), "nothing leaves Odoo")
        self.assertFalse(move.qonto_invoice_id)

    def test_a_lost_bulk_answer_is_resumed_without_a_second_invoice(self):
        self.company.qonto_flow = "facturx"
        move = self.create_invoice()
        self.add_fault("POST", "/v2/client_invoices/bulk", "lost_answer")
        action = move.action_qonto_send()
        self.assertEqual(action["params"]["type"], "success", action["params"]["message"])
        self.assertEqual(len(self.qonto_invoices()), 1)
        self.assertEqual(self.request_counts()["POST /v2/client_invoices/bulk"], 2)
        self.assertTrue(move.qonto_sent_at)
