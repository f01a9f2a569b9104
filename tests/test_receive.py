from odoo.tests import tagged

from .common import QontoTestCommon

LOGIN_B, SECRET_B = "fournil-recoit", "secret-du-fournil-recoit"


@tagged("post_install", "-at_install")
class TestReceive(QontoTestCommon):
    """Supplier e-invoices received in Qonto become vendor bills, decoded, once each."""

    def setUp(self):
        super().setUp()
        # The simulator's inbox holds three e-invoices at start (Factur-X, UBL, Factur-X);
        # none arrives by itself during a test.
        self.sim("POST", "supplier_invoices/arrivals", {"every_seconds": 0})

    def receive(self, company=None):
        return self.env["account.move"]._qonto_receive_company(company or self.company)

    def bills(self, company=None):
        return self.env["account.move"].search([
            ("company_id", "=", (company or self.company).id),
            ("qonto_einvoice_id.direction", "=", "received")])

    def test_facturx_and_ubl_become_bills(self):
        bills = self.receive()
        self.assertEqual(len(bills), 3)
        with self.qonto_api() as qonto:
            received = {i.id: i for i in qonto.list_supplier_invoices()}
        for bill in bills:
            invoice = received[bill.qonto_invoice_id]
            self.assertEqual(bill.move_type, "in_invoice")
            self.assertEqual(bill.journal_id.type, "purchase")
            self.assertEqual(bill.ref, invoice.invoice_number)
            self.assertEqual(bill.partner_id.vat, invoice.vat_number)
            self.assertAlmostEqual(bill.amount_total, float(invoice.total_amount.value))
            self.assertAlmostEqual(bill.amount_tax, float(invoice.total_tax_amount.value))
            self.assertTrue(bill.invoice_line_ids)
            self.assertEqual(bill.invoice_date, invoice.issue_date)
            self.assertFalse(bill.qonto_import_note)
            self.assertFalse(bill.qonto_total_difference)
            self.assertEqual(bill.qonto_einvoicing_status, "submitted")
            self.assertEqual(sorted(bill.qonto_lifecycle_event_ids.mapped("status_code")),
                             [200, 202, 203])
            self.assertTrue(bill.attachment_ids or bill.ubl_cii_xml_id, "the file is kept")
        ubl = bills.filtered(lambda b: received[b.qonto_invoice_id].e_invoice_type == "ubl")
        self.assertEqual(len(ubl), 1)
        self.assertEqual(ubl.invoice_line_ids.mapped("name"),
                         ["Ramettes de papier A4", "Livraison"])
        self.assertEqual(ubl.invoice_line_ids.tax_ids.mapped("amount"), [20.0])
        self.assertEqual(ubl.amount_untaxed, 57.0)
        facturx = bills - ubl
        self.assertEqual(len(facturx), 2)
        self.assertEqual(facturx.partner_id, self.buyer, "matched by SIRET")

    def test_second_run_imports_nothing(self):
        self.assertEqual(len(self.receive()), 3)
        self.assertFalse(self.receive())
        self.sim("POST", "supplier_invoices", {"kind": "ubl"})
        self.assertEqual(len(self.receive()), 1)
        self.assertEqual(len(self.bills()), 4)

    def test_supplier_matched_by_siret_before_name(self):
        # The class's customer "Boulangerie Lumière" has the SIRET the simulator's first
        # supplier signs with: the SIRET wins over the name on the document.
        self.sim("POST", "supplier_invoices", {"kind": "ubl", "supplier": 0})
        bills = self.receive()
        matched = bills.filtered(lambda b: b.partner_id == self.buyer)
        self.assertEqual(len(matched), 3, "every invoice of that SIRET goes to it")

    def test_undecodable_files_still_make_bills(self):
        self.receive()
        for kind in ("corrupt", "pdf", "unknown_xml"):
            self.sim("POST", "supplier_invoices", {"kind": kind, "number": f"BAD-{kind}"})
        bills = self.receive()
        self.assertEqual(len(bills), 3)
        for bill in bills:
            self.assertTrue(bill.qonto_import_note, bill.ref)
            self.assertTrue(bill.ref.startswith("BAD-"))
            self.assertTrue(bill.partner_id, "the supplier comes from Qonto's data")
            self.assertTrue(bill.attachment_ids, "the file is attached")
            self.assertFalse(bill.invoice_line_ids)

    def test_total_differing_from_qonto_is_shown(self):
        self.receive()
        self.sim("POST", "supplier_invoices", {"kind": "facturx", "qonto_total": "1.00"})
        bill = self.receive()
        self.assertAlmostEqual(bill.qonto_total_difference, 1.0 - bill.amount_total)
        self.assertIn("differs", " ".join(self.last_messages(bill, 5)))

    def test_expired_download_url_is_asked_again(self):
        self.sim("POST", "attachments/expire", {"count": 1})
        self.assertEqual(len(self.receive()), 3)
        self.assertFalse(any(self.bills().mapped("qonto_import_note")))

    def test_run_stopped_half_way_resumes_without_duplicates(self):
        # A run that died after its first bill: that bill exists, nothing else.
        with self.qonto_api() as qonto:
            first = next(iter(qonto.list_supplier_invoices()))
            content = qonto.download_attachment(first.attachment_id)
        journal = self.company_data["default_journal_purchase"]
        self.env["account.move"]._qonto_create_received_bill(
            self.company, journal, first, content)
        # A second worker holding the same invoice makes nothing.
        self.assertFalse(self.env["account.move"]._qonto_create_received_bill(
            self.company, journal, first, content))
        # And a download that fails leaves the last-import time where it was.
        self.sim("POST", "attachments/expire", {"count": 2})
        self.assertEqual(len(self.receive()), 1)
        self.assertFalse(self.company.qonto_receive_last_sync)
        self.assertEqual(len(self.receive()), 1)
        self.assertTrue(self.company.qonto_receive_last_sync)
        self.assertEqual(len(self.bills()), 3)
        self.assertEqual(len(set(self.bills().mapped("qonto_invoice_id"))), 3)

    def test_two_companies_stay_apart(self):
        company_b = self.setup_other_company(name="Fournil Receveur")["company"]
        self._sim_request("POST", "organizations", {
            "api_key": f"{LOGIN_B}:{SECRET_B}", "legal_name": "Fournil Receveur SAS",
            "siren": "443061841"}).raise_for_status()
        self._qonto_configure(company_b, LOGIN_B, SECRET_B)
        self.sim("POST", "supplier_invoices", {"kind": "ubl", "api_key_login": LOGIN_B})
        bills_a = self.receive()
        bills_b = self.receive(company_b)
        self.assertEqual(len(bills_a), 3)
        self.assertEqual(len(bills_b), 1)
        self.assertEqual(bills_b.journal_id.company_id, company_b)
        self.assertEqual(bills_a.journal_id.company_id, self.company)
        self.assertFalse(set(bills_a.mapped("qonto_invoice_id"))
                         & set(bills_b.mapped("qonto_invoice_id")))

    def test_button(self):
        action = self.env["account.move"].with_context(
            allowed_company_ids=self.company.ids).action_qonto_fetch_received()
        self.assertEqual(action["tag"], "display_notification")
        self.assertEqual(len(self.bills()), 3)
        self.env["account.move"].with_context(
            allowed_company_ids=self.company.ids).action_qonto_fetch_received()
        self.assertEqual(len(self.bills()), 3)

    def test_scheduled_action(self):
        """The hourly action, run as the scheduler runs it (its own cursor, its user)."""
        cron = self.env.ref("account_qonto_einvoicing.ir_cron_qonto_receive")
        with self.enter_registry_test_mode():
            cron.method_direct_trigger()
        self.assertEqual(len(self.bills()), 3)
        self.assertTrue(self.company.qonto_receive_last_sync)
        self.sim("POST", "supplier_invoices", {"kind": "ubl"})
        with self.enter_registry_test_mode():
            cron.method_direct_trigger()
        self.assertEqual(len(self.bills()), 4)
        self.assertEqual(len(set(self.bills().mapped("qonto_invoice_id"))), 4)
