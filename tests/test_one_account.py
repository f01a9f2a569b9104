from lxml import etree
from odoo.tests import tagged
from odoo.tools import html2plaintext

from ..qonto_einvoicing.facturx_check import read_facturx
from ..qonto_einvoicing.identifiers import compact
from .common import COMPANY_SIREN, QontoHttpTestCommon

CII = {"ram": "urn:un:unece:uncefact:data:standard:ReusableAggregateBusinessInformationEntity:100"}
OTHER_BANK = "FR5730003000507963949549B56"  # Odoo's demo bank of its French company


@tagged("post_install", "-at_install")
class TestOneAccountOneSeller(QontoHttpTestCommon):
    """The invoice Odoo prints and e-mails and the e-invoice name one account, one
    payment reference and one seller; where the company's data cannot make them agree,
    the readiness checklist says so and sending stops on the field to fix, before
    anything reaches Qonto. Buttons are clicked through Odoo's own RPC route."""

    def setUp(self):
        super().setUp()
        self.authenticate(self.env.user.login, self.env.user.login)
        # The account the company had before Qonto, first in Odoo's order: what Odoo's
        # PDF named while Qonto's e-invoice named the Qonto account.
        self.other_bank = self.env["res.partner.bank"].create({
            "acc_number": OTHER_BANK, "partner_id": self.company.partner_id.id,
            "company_id": self.company.id, "sequence": 1, "allow_out_payment": True})

    def click(self, record, method, context=None):
        """``(result, error message)`` of the button ``method`` as the web client calls it."""
        response = self.url_open("/web/dataset/call_button", json={
            "jsonrpc": "2.0", "method": "call", "id": 1, "params": {
                "model": record._name, "method": method, "args": [record.ids],
                "kwargs": {"context": {"allowed_company_ids": [self.company.id],
                                       **(context or {})}}}})
        answer = response.json()
        self.env.invalidate_all()
        if "error" in answer:
            return None, answer["error"]["data"]["message"]
        return answer["result"], None

    def settings(self):
        return self.env["res.config.settings"].create({})

    def qonto_ibans(self):
        with self.qonto_api() as qonto:
            return [account.iban for account in qonto.get_organization().bank_accounts]

    # ------------------------------------------------------------------ one account

    def test_the_sent_invoice_names_the_iban_and_reference_qonto_holds(self):
        move = self.create_invoice()
        main = self.company.qonto_bank_account_id
        self.assertEqual(move.partner_bank_id.sanitized_acc_number, compact(main.iban),
                         "a new invoice names the Qonto account chosen in Settings")
        self.assertEqual(move.payment_reference, move.name)

        _result, error = self.click(move, "action_qonto_send")
        self.assertFalse(error)
        [invoice] = self.qonto_invoices()
        self.assertEqual(compact(invoice.payment_methods[0].iban),
                         move.partner_bank_id.sanitized_acc_number)
        self.assertEqual(invoice.number, move.payment_reference,
                         "Qonto matches the customer's transfer by this number")
        # What Odoo prints and e-mails: the same IBAN and reference, in words.
        html = self.env["ir.actions.report"]._render_qweb_html(
            "account.account_invoices", move.ids)[0].decode()
        self.assertIn(move.partner_bank_id.acc_number, html)
        self.assertIn(move.name, html2plaintext(html))
        mail = self.env.ref("account.email_template_edi_invoice")._render_field(
            "body_html", move.ids)[move.id]
        self.assertIn(move.partner_bank_id.acc_number, mail)

    def test_another_qonto_account_named_on_the_invoice_is_the_one_qonto_gets(self):
        second = self.company.qonto_bank_account_ids - self.company.qonto_bank_account_id
        self.assertTrue(second.partner_bank_id, "each Qonto account is a bank account in Odoo")
        self.assertTrue(second.partner_bank_id.allow_out_payment,
                        "trusted: Odoo confirms no invoice naming an untrusted account")
        move = self.create_invoice()
        move.partner_bank_id = second.partner_bank_id
        _result, error = self.click(move, "action_qonto_send")
        self.assertFalse(error)
        [invoice] = self.qonto_invoices()
        self.assertEqual(invoice.payment_methods[0].iban, second.iban)

    def test_facturx_carries_the_same_iban_and_reference(self):
        self.company.qonto_flow = "facturx"
        move = self.create_invoice()
        _result, error = self.click(move, "action_qonto_send")
        self.assertFalse(error)
        xml = etree.fromstring(read_facturx(move.qonto_einvoice_id.document_id.raw).xml)
        settlement = "//ram:ApplicableHeaderTradeSettlement/"
        [iban] = xml.xpath(settlement + "ram:SpecifiedTradeSettlementPaymentMeans/"
                           "ram:PayeePartyCreditorFinancialAccount/ram:IBANID/text()",
                           namespaces=CII)  # BT-84
        [reference] = xml.xpath(settlement + "ram:PaymentReference/text()",
                                namespaces=CII)  # BT-83
        self.assertEqual(iban, move.partner_bank_id.sanitized_acc_number)
        self.assertIn(iban, [compact(i) for i in self.qonto_ibans()])
        self.assertEqual(reference, move.payment_reference)
        self.assertEqual(reference, move.name)

    def test_an_invoice_naming_another_bank_stops_before_qonto(self):
        other = self.other_bank
        move = self.create_invoice()
        move.partner_bank_id = other
        self.assertEqual(self.settings().qonto_ready_bank, "todo")
        self.assertIn("1 confirmed invoice(s)", self.settings().qonto_ready_bank_text)

        # Odoo's Send wizard says it before printing anything.
        self.buyer.action_qonto_check_reachability()
        wizard = self.env["account.move.send.wizard"].with_context(
            active_model="account.move", active_ids=move.ids).create({})
        self.assertIn("qonto", wizard.sending_methods)
        self.assertIn(f"{move.name}: Recipient Bank (tab Other Info): {other.acc_number}",
                      wizard.alerts["account_qonto_einvoicing_one_account"]["message"])

        _result, error = self.click(move, "action_qonto_send")
        self.assertIn(move.name, error)
        self.assertIn(f"Recipient Bank (tab Other Info): {other.acc_number} is not an account "
                      "of the Qonto organization", error)
        counts = self.request_counts()
        self.assertFalse([route for route in counts if "client_invoices" in route],
                         "no Qonto invoice made")
        self.assertFalse(move.qonto_invoice_id)

        # The checklist's button names the Qonto account on it, as one would by hand.
        settings = self.settings()
        result, error = self.click(settings, "action_qonto_use_qonto_bank_account")
        self.assertFalse(error)
        self.assertIn("1 invoice(s) now name", result["params"]["message"])
        self.assertEqual(move.partner_bank_id, self.company.qonto_bank_account_id.partner_bank_id)
        self.assertEqual(self.settings().qonto_ready_bank, "ok")
        _result, error = self.click(move, "action_qonto_send")
        self.assertFalse(error)
        self.assertTrue(move.qonto_sent_at)

    def test_an_untrusted_qonto_account_is_said(self):
        self.company.qonto_bank_account_id.partner_bank_id.allow_out_payment = False
        settings = self.settings()
        self.assertEqual(settings.qonto_ready_bank, "todo")
        self.assertIn("is not trusted in Odoo", settings.qonto_ready_bank_text)
        # Testing the connection again, as the line says, trusts it.
        _result, error = self.click(settings, "action_qonto_test_connection")
        self.assertFalse(error)
        self.assertEqual(self.settings().qonto_ready_bank, "ok")

    def test_the_reference_is_the_number_whatever_the_journal_says(self):
        self.company_data["default_journal_sale"].invoice_reference_model = "euro"
        move = self.create_invoice()
        self.assertEqual(move.payment_reference, move.name,
                         "an RF reference holds no number: Qonto would match no transfer")
        move.payment_reference = "RF18 5390 0754 7034"
        _result, error = self.click(move, "action_qonto_send")
        self.assertIn(move.name, error)
        self.assertIn(f"Payment Reference: RF18 5390 0754 7034 does not hold the invoice "
                      f"number, by which Qonto matches the customer's transfer to the invoice: "
                      f"set it to {move.name}.", error)
        self.assertEqual(self.sim("GET", "requests")["total"], 0)

    # ------------------------------------------------------------------ one seller

    def test_a_company_of_another_siren_is_said_and_not_sent(self):
        settings = self.settings()
        self.assertEqual(settings.qonto_ready_siren, "ok")
        self.assertIn(COMPANY_SIREN, settings.qonto_ready_siren_text)
        self.assertEqual(settings.qonto_ready_bank, "ok")

        self.company.write({"company_registry": "73282932000017", "vat": "FR44732829320",
                            "report_footer": "<p>SAS au capital de 10 000 € - SIRET : "
                                             "732 829 320 00017</p>"})
        settings = self.settings()
        self.assertEqual(settings.qonto_ready_siren, "todo")
        text = settings.qonto_ready_siren_text
        self.assertIn(f"The e-invoices name the seller of SIREN {COMPANY_SIREN}", text)
        self.assertIn("Company ID (SIRET): 73282932000017 belongs to SIREN 732829320", text)
        self.assertIn("Tax ID: FR44732829320 belongs to SIREN 732829320", text)
        self.assertIn("Footer (Settings > Companies > Configure Document Layout)", text)

        move = self.create_invoice()
        _result, error = self.click(move, "action_qonto_send")
        self.assertIn(move.name, error)
        self.assertIn(f"is not the seller its Qonto organization is (SIREN {COMPANY_SIREN})",
                      error)
        self.assertIn("Company ID (SIRET): 73282932000017", error)
        self.assertEqual(self.sim("GET", "requests")["total"], 0, "nothing reached Qonto")

    def test_an_organization_read_before_this_check_is_read_at_the_first_send(self):
        self.company.write({"qonto_organization_siren": False,
                            "company_registry": "73282932000017", "vat": False})
        self.assertEqual(self.settings().qonto_ready_siren, "todo")
        move = self.create_invoice()
        results = move._qonto_send_batch()
        self.assertEqual(results[move].state, "invalid")
        self.assertIn("Company ID (SIRET)", results[move].message)
        self.assertEqual(self.company.qonto_organization_siren, COMPANY_SIREN)
        self.assertEqual(self.request_counts(), {"GET /v2/organization": 1})
