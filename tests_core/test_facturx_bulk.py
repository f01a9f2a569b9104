"""Flow 2 in the core: Factur-X checks on Odoo 19's own output, the simulator's ``/bulk``
as Qonto documents it, and the import job of ``sending`` -- over real HTTP.

The XML fixtures are Odoo 19's Factur-X as ``account_edi_ubl_cii`` exports it
(``fixtures/make_fixtures.py`` made them, unedited); each test embeds one in a PDF with
the ``factur-x`` library, as Odoo does in its invoice PDF.
"""

from __future__ import annotations

import io
import os
from datetime import date
from decimal import Decimal

import facturx
import pytest
from conftest import SIM_API_KEY, SimulatorAPI

from qonto_einvoicing import PayloadError, QontoClient
from qonto_einvoicing.demo_flow2 import run_flow2
from qonto_einvoicing.facturx_check import (
    FacturxError,
    check_xsd,
    read_facturx,
)
from qonto_einvoicing.facturx_fr import FrenchMentions, add_french_mentions
from qonto_einvoicing.schematron import SchematronValidator
from qonto_einvoicing.sending import ImportDocument, SendJob, send_einvoice
from qonto_einvoicing.simulator.pdf import render_pdf

HERE = os.path.join(os.path.dirname(__file__), "fixtures")
REGISTERED_SIREN = "552100554"


def _xml(name: str) -> bytes:
    with open(os.path.join(HERE, name), "rb") as handle:
        return handle.read()


def _pdf(xml: bytes, title: str = "Facture") -> bytes:
    base = render_pdf([title])
    return facturx.generate_from_binary(base, xml, check_xsd=False)


@pytest.fixture(scope="module")
def validator():
    with SchematronValidator() as running:
        yield running


def test_read_odoo_facturx_from_a_pdf():
    document = read_facturx(_pdf(_xml("odoo_invoice_multirate.xml")))
    assert document.number == "FAC/2026/00042"
    assert document.type_code == "380" and not document.is_credit_note
    assert document.buyer_siren == "552100554"
    assert document.total_amount == Decimal("487.56")
    assert document.currency == "EUR"


def test_a_pdf_without_xml_is_refused_by_name():
    with pytest.raises(FacturxError, match=r"plain\.pdf: the PDF carries no Factur-X"):
        read_facturx(render_pdf(["no xml"]), "plain.pdf")


def test_odoo_raw_output_breaks_named_rules(validator: SchematronValidator):
    """Odoo 19's export as it is (no product on the lines, no French mentions) fails
    rules that the report names by id, with the business terms to fix."""
    xml = _xml("odoo_invoice_multirate.xml")
    assert check_xsd(xml), "ram:Description where ram:Name is expected"
    rules = {violation.rule: violation for violation in validator.validate(xml)}
    assert "BR-25" in rules and "BT-153" in rules["BR-25"].terms
    assert "BR-FR-10_BT-30" in rules and rules["BR-FR-10_BT-30"].source == "fr-ctc"
    assert rules["BR-FR-08_BT-23"].location.startswith("/")
    credit = {v.rule for v in validator.validate(_xml("odoo_credit_note_partial.xml"))}
    assert "BR-FR-CO-05_BT-3" in credit


def test_bulk_import_is_idempotent_and_sends(sim_url: str, sim_api: SimulatorAPI):
    sim_api.create_client(e_invoicing_address=REGISTERED_SIREN,
                          tax_identification_number="55210055400013")
    pdf = _pdf(_xml("odoo_invoice_multirate.xml"))
    with QontoClient(sim_url, SIM_API_KEY) as qonto:
        first = qonto.bulk_import_client_invoices([("FAC-2026-00042.pdf", pdf)])
        again = qonto.bulk_import_client_invoices([("FAC-2026-00042.pdf", pdf)])
        assert first[0].invoice_id == again[0].invoice_id
        invoice = qonto.get_client_invoice(first[0].invoice_id)
        assert invoice.number == "FAC/2026/00042" and invoice.status == "unpaid"
        assert invoice.total_amount_cents == 48756
        qonto.send_client_invoice_by_einvoice(invoice.id)
    sim_api.advance()
    events = sim_api.get(f"/v2/client_invoices/{invoice.id}").json()["client_invoice"]
    assert events["einvoicing_lifecycle_events"][0]["status_code"] == 200


def test_bulk_limits_all_or_nothing(sim_url: str, sim_api: SimulatorAPI):
    pdf = _pdf(_xml("odoo_invoice_multirate.xml"))
    files = [("client_invoices", ("a.pdf", pdf, "application/pdf")),
             ("client_invoices", ("b.txt", b"hello", "text/plain"))]
    answer = sim_api.post("/v2/client_invoices/bulk", files=files)
    assert answer.status_code == 422
    assert answer.json()["errors"][0]["source"]["pointer"] == "/client_invoices/1"
    assert sim_api.get("/v2/client_invoices").json()["client_invoices"] == []
    six = [("client_invoices", (f"{n}.pdf", pdf, "application/pdf")) for n in range(6)]
    assert sim_api.post("/v2/client_invoices/bulk", files=six).status_code == 422
    big = b"%PDF-" + b"0" * (5 * 1024 * 1024)
    with QontoClient(sim_url, SIM_API_KEY) as qonto, \
            pytest.raises(PayloadError, match=r"big\.pdf: 5\.0 MB, over Qonto's 5 MB"):
        qonto.bulk_import_client_invoices([("big.pdf", big)])
    refused = sim_api.post("/v2/client_invoices/bulk",
                           files=[("client_invoices", ("big.pdf", big, "application/pdf"))])
    assert refused.status_code == 422


def test_import_job_resumes_a_lost_answer_without_a_second_invoice(
        sim_url: str, sim_api: SimulatorAPI):
    sim_api.create_client(e_invoicing_address=REGISTERED_SIREN,
                          tax_identification_number="55210055400013")
    sim_api.control("POST", "/faults", {"method": "POST", "path": "/v2/client_invoices/bulk",
                                        "fault": "lost_answer"})
    pdf = _pdf(_xml("odoo_invoice_multirate.xml"))
    job = SendJob(key=1, payload=None, total_cents=48756, vat_cents=4256,
                  document=ImportDocument("FAC-2026-00042.pdf", pdf, "FAC/2026/00042"))
    with QontoClient(sim_url, SIM_API_KEY) as qonto:
        outcome = send_einvoice(qonto, job)
    assert outcome.sent and outcome.error is None, outcome.error
    listed = sim_api.get("/v2/client_invoices").json()["client_invoices"]
    assert [invoice["number"] for invoice in listed] == ["FAC/2026/00042"]


def test_imported_full_credit_note_cancels_the_invoice(sim_url: str, sim_api: SimulatorAPI):
    """A Factur-X credit note (381) naming the invoice in BT-25 is linked to it."""
    sim_api.create_client(e_invoicing_address=REGISTERED_SIREN,
                          tax_identification_number="55210055400013")
    invoice_xml = _xml("odoo_credit_note_partial.xml").replace(
        b"<ram:TypeCode>381</ram:TypeCode>", b"<ram:TypeCode>380</ram:TypeCode>").replace(
        b"RINV/2026/00001", b"FAC/2026/00043")
    note_xml = _xml("odoo_credit_note_partial.xml")
    note_xml = note_xml.replace(
        b"</ram:ApplicableHeaderTradeSettlement>",
        b"<ram:InvoiceReferencedDocument><ram:IssuerAssignedID>FAC/2026/00043"
        b"</ram:IssuerAssignedID></ram:InvoiceReferencedDocument>"
        b"</ram:ApplicableHeaderTradeSettlement>")
    with QontoClient(sim_url, SIM_API_KEY) as qonto:
        invoice_id = qonto.bulk_import_client_invoices(
            [("inv.pdf", _pdf(invoice_xml))])[0].invoice_id
        qonto.bulk_import_client_invoices([("note.pdf", _pdf(note_xml))])
        assert qonto.get_client_invoice(invoice_id).status == "canceled"


def test_bulk_needs_files(sim_api: SimulatorAPI):
    answer = sim_api.post("/v2/client_invoices/bulk", files={})
    assert answer.status_code == 422


MENTIONS = {
    "recovery_fee_note": "Indemnité forfaitaire pour frais de recouvrement : 40 €",
    "late_penalties_note": "Pénalités de retard : trois fois le taux d'intérêt légal",
    "discount_note": "Pas d'escompte pour paiement anticipé",
    "vat_on_debits": True,
}


def test_french_mentions_make_odoo_output_pass_every_rule(validator: SchematronValidator):
    """With the reform's mentions added, Odoo's own Factur-X passes the XSD, the EXTENDED
    schematron it declares and the BR-FR one: invoice and credit note."""
    invoice = add_french_mentions(_xml("odoo_invoice_multirate.xml"),
                                  FrenchMentions(category="mixed", **MENTIONS))
    note = add_french_mentions(_xml("odoo_credit_note_partial.xml"), FrenchMentions(
        corrected_invoice="FAC/2026/00042", corrected_invoice_date=date(2026, 11, 30),
        **MENTIONS))
    for xml in (invoice, note):
        assert check_xsd(xml) == []
        assert validator.validate(xml) == []
    assert b"<ram:ID>M1</ram:ID>" in invoice
    assert b"<ram:ID schemeID=\"0002\">552100554</ram:ID>" in invoice
    assert b"<ram:DueDateTypeCode>5</ram:DueDateTypeCode>" in invoice
    assert read_facturx(_pdf(note)).referenced_numbers == ("FAC/2026/00042",)


def test_demo_flow2_sends_a_facturx_and_its_credit_note(sim_url: str, sim_api: SimulatorAPI):
    sim_api.create_client(e_invoicing_address=REGISTERED_SIREN,
                          tax_identification_number="55210055400013")
    out = io.StringIO()
    with QontoClient(sim_url, SIM_API_KEY) as qonto:
        assert run_flow2(qonto, out) == "canceled"
    assert "Factur-X credit note" in out.getvalue()
