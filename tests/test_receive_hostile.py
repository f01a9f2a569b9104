"""A received invoice is the sender's text: its supplier name is no key, its file no
bomb. Against the simulator, in real Odoo."""

from odoo.tests import tagged

from ..qonto_einvoicing.receiving import SupplierInvoice
from .common import QontoTestCommon

MIB = 1024 * 1024


@tagged("post_install", "-at_install")
class TestReceiveHostileInput(QontoTestCommon):

    def setUp(self):
        super().setUp()
        self.sim("POST", "supplier_invoices/arrivals", {"every_seconds": 0})
        # The simulator's first supplier signs with the SIRET and VAT number of the
        # class's customer: take them away, so that nothing but a name can match.
        self.buyer.write({"company_registry": False, "vat": False})
        self.legit = self.env["res.partner"].create({
            "name": "Fournisseur Légitime SAS", "is_company": True})

    def receive(self):
        return self.env["account.move"]._qonto_receive_company(self.company)

    def namesakes(self, name):
        invoice = SupplierInvoice(id="si-test", supplier_name=name)
        move = self.env["account.move"]
        self.assertFalse(move._qonto_match_supplier(self.company, invoice))
        return move._qonto_namesakes(self.company, invoice)

    def test_a_wildcard_in_the_supplier_name_matches_no_one(self):
        for name in ("%", "_%", "Fournisseur L_gitime%", "%Légitime%", "Fournisseur"):
            self.assertFalse(self.namesakes(name), name)

    def test_the_same_name_written_differently_is_a_namesake(self):
        for name in ("Fournisseur Légitime SAS", "FOURNISSEUR LEGITIME S.A.S.",
                     "  fournisseur   légitime  sas"):
            self.assertEqual(self.namesakes(name), self.legit, name)
        self.assertFalse(self.namesakes("Fournisseur Légitime SARL"))

    def test_a_name_only_match_is_not_set_as_the_vendor(self):
        namesake = self.env["res.partner"].create({
            "name": "Fournitures Rhône SARL", "is_company": True})
        self.sim("POST", "supplier_invoices", {"kind": "ubl", "supplier": 0,
                                               "number": "NAME-ONLY-1"})
        bill = self.receive().filtered(lambda b: b.ref == "NAME-ONLY-1")
        self.assertEqual(len(bill), 1)
        self.assertNotEqual(bill.partner_id, namesake,
                            "a name is not enough to make it this contact's bill")
        self.assertFalse(namesake.bank_ids, "the file's IBAN is not added to the namesake")
        self.assertIn("same name only", bill.qonto_import_note)
        self.assertIn("Fournitures Rhône SARL", bill.qonto_import_note)
        self.assertTrue(any("same name only" in m for m in self.last_messages(bill, 10)))

    def test_an_unreadable_file_with_a_namesake_leaves_the_choice_to_a_person(self):
        namesake = self.env["res.partner"].create({"name": "Fournitures Rhône SARL",
                                                   "is_company": True})
        self.sim("POST", "supplier_invoices", {"kind": "pdf", "supplier": 0,
                                               "number": "NAME-ONLY-2"})
        bill = self.receive().filtered(lambda b: b.ref == "NAME-ONLY-2")
        self.assertFalse(bill.partner_id, f"{namesake.name} is for a person to choose")
        # A contact made from what Qonto says would carry the supplier's SIRET.
        self.assertFalse(self.env["res.partner"].search(
            [("company_registry", "=", "55210055400013")]),
            "no second contact of that name is made from Qonto's figures")
        self.assertIn("same name only", bill.qonto_import_note)
        self.assertIn("could not be read", bill.qonto_import_note)

    def test_an_oversized_file_is_not_imported_and_the_log_names_the_invoice(self):
        with self.qonto_api() as qonto:
            inbox = [i for i in qonto.list_supplier_invoices() if i.is_einvoice]
        self.sim("POST", "attachments/oversize", {"count": 1, "size": 20 * MIB + 1})
        with self.assertLogs("odoo.addons.account_qonto_einvoicing", "WARNING") as logs:
            bills = self.receive()
        self.assertEqual(len(bills), len(inbox) - 1)
        skipped = [i for i in inbox if i.id not in bills.mapped("qonto_invoice_id")]
        self.assertEqual(len(skipped), 1)
        self.assertIn(skipped[0].label, "\n".join(logs.output))
        self.assertIn("20 MiB", "\n".join(logs.output))
        # The last-import time did not move: the next run fetches it (now a normal file).
        self.assertEqual(self.receive().qonto_invoice_id, skipped[0].id)
