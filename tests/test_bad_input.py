from odoo import Command, fields
from odoo.exceptions import UserError
from odoo.tests import tagged

from ..qonto_einvoicing.models import ClientInvoiceCreatePayload, ClientPayload
from .common import QontoTestCommon


@tagged("post_install", "-at_install")
class TestBadInput(QontoTestCommon):
    """Each bad input is said clearly, naming the invoice (or contact) and the field,
    and leaves nothing half-done in Qonto."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.usd = cls.setup_other_currency("USD")

    def assert_nothing_in_qonto(self, client_invoice_requests=0):
        self.assert_qonto_invoice_count(0)
        counts = self.request_counts()
        self.assertEqual(counts.get("POST /v2/client_invoices", 0), client_invoice_requests)
        self.assertFalse(counts.get("POST /v2/client_invoices/{id}/finalize"))
        self.assertFalse(counts.get("POST /v2/client_invoices/{id}/send_by_einvoice"))

    def assert_refused(self, move, *fragments):
        """``action_qonto_send`` raises a UserError naming the invoice and ``fragments``."""
        with self.assertRaises(UserError) as caught:
            move.action_qonto_send()
        message = caught.exception.args[0]
        self.assertIn(move.display_name, message)
        for fragment in fragments:
            self.assertIn(fragment, message)
        return message

    def test_draft_invoice(self):
        move = self.create_invoice(post=False)
        self.assert_refused(move, "confirm the invoice", "(field: Status)")
        self.assertEqual(self.sim("GET", "requests")["total"], 0, "nothing left Odoo")

    def test_vendor_bill_and_credit_note(self):
        bill = self.env["account.move"].create({
            "move_type": "in_invoice",
            "partner_id": self.buyer.id,
            "invoice_date": fields.Date.today(),
            "invoice_line_ids": [Command.create({"name": "Farine", "price_unit": 80.0})],
        })
        bill.action_post()
        self.assert_refused(bill, "only customer invoices", "(field: Type)")
        # A credit note goes through Qonto only with the invoice it corrects.
        refund = self.create_invoice(move_type="out_refund")
        self.assert_refused(refund, "say which invoice this credit note corrects",
                            "(field: Reversal of)")
        self.assertEqual(self.sim("GET", "requests")["total"], 0)

    def test_qonto_not_enabled(self):
        move = self.create_invoice()
        self.company.qonto_enabled = False
        self.assert_refused(move, "not enabled", self.company.name,
                           "Settings > Invoicing > Qonto")
        self.assertEqual(self.sim("GET", "requests")["total"], 0)

    def test_no_credentials(self):
        move = self.create_invoice()
        self.company.write({"qonto_environment": "production", "qonto_login": False,
                            "qonto_secret_key": False})
        self.assert_refused(move, self.company.name, "API login", "Secret key")
        self.assertFalse(move.qonto_invoice_id)

    def test_wrong_key(self):
        move = self.create_invoice()
        self.company.qonto_secret_key = "not-the-secret"
        action = move.action_qonto_send()

        self.assertEqual(action["params"]["type"], "danger")
        message = action["params"]["message"]
        for fragment in (move.name, self.company.name, "HTTP 401", "API login", "Secret key"):
            self.assertIn(fragment, message)
        self.assertNotIn("not-the-secret", message)
        self.assertIn("HTTP 401", move.qonto_error, "the banner says it too")
        self.assertFalse(move.qonto_sent_at)
        [activity] = self.qonto_activities(move)
        self.assertEqual(activity.summary, "E-invoice not sent")
        self.assertEqual(activity.user_id, move.invoice_user_id)
        self.assert_nothing_in_qonto()

    def test_customer_without_siret_or_vat(self):
        move = self.create_invoice(self.buyer_anonymous)
        self.assert_refused(move, self.buyer_anonymous.name, "Company ID (SIRET)", "Tax ID")
        self.assertEqual(self.sim("GET", "requests")["total"], 0, "nothing left Odoo")

    def test_customer_with_a_malformed_company_id(self):
        self.buyer_anonymous.company_registry = "552 100"
        move = self.create_invoice(self.buyer_anonymous)
        self.assert_refused(move, self.buyer_anonymous.name, "Company ID", "552 100")
        self.assertEqual(self.sim("GET", "requests")["total"], 0)

    def test_customer_with_a_wrong_siret_key_is_said_once(self):
        # The demo's Transports Lefèvre had this SIRET: one line about it, not two.
        self.buyer_anonymous.company_registry = "91234567400011"
        move = self.create_invoice(self.buyer_anonymous)
        message = self.assert_refused(move, self.buyer_anonymous.name, "Company ID",
                                      "91234567400011", "not a valid SIRET")
        self.assertEqual(message.count("91234567"), 1, message)
        self.assertEqual(self.sim("GET", "requests")["total"], 0)

    def test_currency_qonto_refuses(self):
        move = self.create_invoice(currency_id=self.usd.id)
        self.assert_refused(move, "Currency", "USD", "EUR")
        self.assertEqual(self.sim("GET", "requests")["total"], 0, "nothing left Odoo")

    def test_line_without_tax(self):
        move = self.create_invoice(lines=[
            {"name": "Pain de campagne", "quantity": 3, "price_unit": 4.5},
            {"name": "Livraison", "quantity": 1, "price_unit": 10.0,
             "tax_ids": [Command.clear()]},
        ])
        self.assert_refused(move, "Line 2 (Livraison)", "Taxes", "it has none")
        self.assertEqual(self.sim("GET", "requests")["total"], 0)

    def test_line_with_several_taxes(self):
        move = self.create_invoice(lines=[{
            "name": "Viennoiseries", "quantity": 10, "price_unit": 1.2,
            "tax_ids": [Command.set((self.tax_20 + self.tax_sale_b).ids)],
        }])
        # Qonto's invoice data cannot say it: the invoice goes as Odoo's Factur-X, whose
        # check refuses two VAT rates on one line with the rule and the field to fix.
        self.assertEqual(move.qonto_flow, "facturx")
        self.assert_refused(move, "Rule BR-", "Fix: Invoice lines, Taxes")
        self.assertEqual(self.sim("GET", "requests")["total"], 0)

    def test_no_qonto_account_for_payments(self):
        move = self.create_invoice()
        move.partner_bank_id = False
        self.assert_refused(move, "Recipient Bank (tab Other Info): empty")
        self.company.qonto_bank_account_ids.unlink()
        self.assert_refused(move, "Qonto account for payments")
        self.assertEqual(self.sim("GET", "requests")["total"], 0)

    def test_long_label_is_shortened_and_kept_in_the_description(self):
        label = ("Formation à la fabrication du pain au levain naturel, "
                 "deux journées en atelier avec support de cours")
        move = self.create_invoice(lines=[{"name": label, "quantity": 1, "price_unit": 900}])
        action = move.action_qonto_send()

        self.assertEqual(action["params"]["type"], "success")
        [invoice] = self.qonto_invoices()
        [item] = invoice.items
        self.assertLessEqual(len(item.title), 40)
        self.assertTrue(label.startswith(item.title.rstrip("…")))
        self.assertEqual(item.description, label)
        self.assertTrue(any("shortened" in body for body in self.last_messages(move, 3)))

    def test_totals_that_differ_from_qonto(self):
        # Odoo rounds the VAT once on the total (0.99 x 20 % = 0.20); Qonto rounds it on
        # each line (3 x 0.066 = 3 x 0.07 = 0.21): a cent apart.
        self.company.tax_calculation_rounding_method = "round_globally"
        move = self.create_invoice(lines=[
            {"name": f"Croissant {n}", "quantity": 1, "price_unit": 0.33} for n in range(3)
        ])
        self.assertEqual(move.amount_total, 1.19)
        message = self.assert_refused(move, "1.20", "1.19", "Unit Price", "Taxes")
        self.assertIn("Nothing was sent", message)

        self.assert_nothing_in_qonto(client_invoice_requests=1)
        self.assertEqual(self.request_counts()["DELETE /v2/client_invoices/{id}"], 1)
        self.assertFalse(move.qonto_invoice_id)
        self.assertFalse(move.qonto_sent_at)

    def test_number_already_issued_in_qonto_with_other_totals(self):
        move = self.create_invoice()
        # Someone typed an invoice with this number in Qonto's app and issued it.
        with self.qonto_api() as qonto:
            client = qonto.create_client(ClientPayload(kind="company", name="Autre client"))
            iban = qonto.get_organization().bank_accounts[0].iban
            issued = qonto.create_client_invoice(ClientInvoiceCreatePayload.model_validate({
                "client_id": client.id, "number": move.name, "status": "unpaid",
                "issue_date": move.invoice_date, "due_date": move.invoice_date,
                "currency": "EUR", "payment_methods": {"iban": iban},
                "items": [{"title": "Autre chose", "quantity": "1", "vat_rate": "0.2",
                           "unit_price": {"value": "10.00", "currency": "EUR"}}]}))
        self.sim("DELETE", "requests")

        message = self.assert_refused(move, "already holds an issued invoice", "(field: Number)")
        self.assertIn("Nothing was sent", message)
        counts = self.request_counts()
        self.assertFalse(counts.get("POST /v2/client_invoices/{id}/send_by_einvoice"))
        self.assertFalse(counts.get("DELETE /v2/client_invoices/{id}"))
        [still_there] = self.qonto_invoices()
        self.assertEqual((still_there.id, still_there.status), (issued.id, "unpaid"))
        self.assertFalse(move.qonto_sent_at)

    def test_list_send_names_each_refused_invoice(self):
        good = self.create_invoice()
        unreachable = self.create_invoice(self.buyer_unreachable)
        no_tax = self.create_invoice(lines=[{"name": "Sans TVA", "price_unit": 5.0,
                                             "tax_ids": [Command.clear()]}])
        action = (good + unreachable + no_tax).action_qonto_send()

        message = action["params"]["message"]
        self.assertEqual(action["params"]["type"], "danger")
        self.assertIn("1 invoice(s) sent", message)
        self.assertIn(f"{unreachable.name}: the customer is not reachable", message)
        self.assertIn(f"{no_tax.name} cannot be sent", message)
        self.assertTrue(good.qonto_sent_at)
        self.assertFalse(unreachable.qonto_invoice_id or no_tax.qonto_invoice_id)
        self.assert_qonto_invoice_count(1)
