# ruff: noqa: E501  (the XML templates keep one element per line)
"""The files of the supplier e-invoices the simulator receives: real Factur-X and UBL.

- ``facturx``: a PDF with its CII XML embedded by the ``factur-x`` library, profile
  EN 16931, the XML checked against the library's EN 16931 XSD when made.
- ``ubl``: a UBL 2.1 invoice, Peppol BIS Billing 3.0 customization.
- ``corrupt``, ``pdf``, ``unknown_xml``: what a platform may also hand over and an
  importer must survive (a truncated file, a PDF without XML, an XML of no known format).

Amounts are computed here once, to the cent, and returned with the file so that the
supplier invoice Qonto lists carries the same totals as its document.
"""

from __future__ import annotations

import datetime as dt
import os
import subprocess
import sys
import tempfile
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from xml.sax.saxutils import escape

from .pdf import render_pdf

__all__ = ["KINDS", "SUPPLIERS", "Document", "Supplier", "build_document"]

KINDS = ("facturx", "ubl", "corrupt", "pdf", "unknown_xml")
_CENT = Decimal("0.01")


@dataclass(frozen=True)
class Supplier:
    name: str
    siret: str
    vat: str
    iban: str
    city: str = "Lyon"
    zip: str = "69002"
    street: str = "5 quai Saint-Antoine"


# Suppliers with valid French identifiers (Luhn-checked SIRET, VAT key of the SIREN).
SUPPLIERS = (
    Supplier("Fournitures Rhône SARL", "55210055400013", "FR96552100554",
             "FR7630006000011234567890189"),
    Supplier("Papeterie Bellecour SAS", "73282932000074", "FR44732829320",
             "FR7610107001011234567890129", city="Villeurbanne", zip="69100"),
)


@dataclass
class Document:
    """A file and the figures a supplier invoice of Qonto shows for it."""

    file_name: str
    content_type: str
    data: bytes
    e_invoice_type: str | None
    number: str
    supplier: Supplier
    issue_date: dt.date
    due_date: dt.date
    untaxed: Decimal
    tax: Decimal
    total: Decimal
    lines: list[tuple[str, Decimal, Decimal, Decimal]] = field(default_factory=list)


def _amounts(lines: list[tuple[str, Decimal, Decimal, Decimal]]
             ) -> tuple[Decimal, Decimal, dict[Decimal, Decimal]]:
    untaxed = sum((q * p).quantize(_CENT, ROUND_HALF_UP) for _n, q, p, _r in lines)
    per_rate: dict[Decimal, Decimal] = {}
    for _name, quantity, price, rate in lines:
        per_rate[rate] = per_rate.get(rate, Decimal(0)) + (quantity * price).quantize(_CENT)
    tax = sum(((base * rate / 100).quantize(_CENT, ROUND_HALF_UP)
               for rate, base in per_rate.items()), Decimal(0))
    return Decimal(untaxed), tax, per_rate


def _cii(doc: Document, buyer_name: str, buyer_siren: str, buyer_vat: str,
         per_rate: dict[Decimal, Decimal]) -> bytes:
    s = doc.supplier
    lines = "".join(f"""
    <ram:IncludedSupplyChainTradeLineItem>
      <ram:AssociatedDocumentLineDocument><ram:LineID>{i}</ram:LineID></ram:AssociatedDocumentLineDocument>
      <ram:SpecifiedTradeProduct><ram:Name>{escape(name)}</ram:Name></ram:SpecifiedTradeProduct>
      <ram:SpecifiedLineTradeAgreement>
        <ram:NetPriceProductTradePrice><ram:ChargeAmount>{price}</ram:ChargeAmount></ram:NetPriceProductTradePrice>
      </ram:SpecifiedLineTradeAgreement>
      <ram:SpecifiedLineTradeDelivery><ram:BilledQuantity unitCode="C62">{qty}</ram:BilledQuantity></ram:SpecifiedLineTradeDelivery>
      <ram:SpecifiedLineTradeSettlement>
        <ram:ApplicableTradeTax><ram:TypeCode>VAT</ram:TypeCode><ram:CategoryCode>S</ram:CategoryCode><ram:RateApplicablePercent>{rate}</ram:RateApplicablePercent></ram:ApplicableTradeTax>
        <ram:SpecifiedTradeSettlementLineMonetarySummation><ram:LineTotalAmount>{(qty * price).quantize(_CENT)}</ram:LineTotalAmount></ram:SpecifiedTradeSettlementLineMonetarySummation>
      </ram:SpecifiedLineTradeSettlement>
    </ram:IncludedSupplyChainTradeLineItem>""" for i, (name, qty, price, rate) in enumerate(doc.lines, 1))
    taxes = "".join(f"""
      <ram:ApplicableTradeTax><ram:CalculatedAmount>{(base * rate / 100).quantize(_CENT, ROUND_HALF_UP)}</ram:CalculatedAmount><ram:TypeCode>VAT</ram:TypeCode><ram:BasisAmount>{base}</ram:BasisAmount><ram:CategoryCode>S</ram:CategoryCode><ram:RateApplicablePercent>{rate}</ram:RateApplicablePercent></ram:ApplicableTradeTax>"""
                    for rate, base in per_rate.items())
    return f"""<?xml version="1.0" encoding="UTF-8"?>
<rsm:CrossIndustryInvoice xmlns:rsm="urn:un:unece:uncefact:data:standard:CrossIndustryInvoice:100" xmlns:ram="urn:un:unece:uncefact:data:standard:ReusableAggregateBusinessInformationEntity:100" xmlns:udt="urn:un:unece:uncefact:data:standard:UnqualifiedDataType:100">
  <rsm:ExchangedDocumentContext>
    <ram:GuidelineSpecifiedDocumentContextParameter><ram:ID>urn:cen.eu:en16931:2017</ram:ID></ram:GuidelineSpecifiedDocumentContextParameter>
  </rsm:ExchangedDocumentContext>
  <rsm:ExchangedDocument>
    <ram:ID>{escape(doc.number)}</ram:ID>
    <ram:TypeCode>380</ram:TypeCode>
    <ram:IssueDateTime><udt:DateTimeString format="102">{doc.issue_date:%Y%m%d}</udt:DateTimeString></ram:IssueDateTime>
  </rsm:ExchangedDocument>
  <rsm:SupplyChainTradeTransaction>{lines}
    <ram:ApplicableHeaderTradeAgreement>
      <ram:SellerTradeParty>
        <ram:Name>{escape(s.name)}</ram:Name>
        <ram:SpecifiedLegalOrganization><ram:ID schemeID="0002">{s.siret[:9]}</ram:ID></ram:SpecifiedLegalOrganization>
        <ram:PostalTradeAddress><ram:PostcodeCode>{s.zip}</ram:PostcodeCode><ram:LineOne>{escape(s.street)}</ram:LineOne><ram:CityName>{escape(s.city)}</ram:CityName><ram:CountryID>FR</ram:CountryID></ram:PostalTradeAddress>
        <ram:URIUniversalCommunication><ram:URIID schemeID="0009">{s.siret}</ram:URIID></ram:URIUniversalCommunication>
        <ram:SpecifiedTaxRegistration><ram:ID schemeID="VA">{s.vat}</ram:ID></ram:SpecifiedTaxRegistration>
      </ram:SellerTradeParty>
      <ram:BuyerTradeParty>
        <ram:Name>{escape(buyer_name)}</ram:Name>
        <ram:SpecifiedLegalOrganization><ram:ID schemeID="0002">{buyer_siren}</ram:ID></ram:SpecifiedLegalOrganization>
        <ram:PostalTradeAddress><ram:CountryID>FR</ram:CountryID></ram:PostalTradeAddress>
        <ram:SpecifiedTaxRegistration><ram:ID schemeID="VA">{buyer_vat}</ram:ID></ram:SpecifiedTaxRegistration>
      </ram:BuyerTradeParty>
    </ram:ApplicableHeaderTradeAgreement>
    <ram:ApplicableHeaderTradeDelivery/>
    <ram:ApplicableHeaderTradeSettlement>
      <ram:InvoiceCurrencyCode>EUR</ram:InvoiceCurrencyCode>
      <ram:SpecifiedTradeSettlementPaymentMeans><ram:TypeCode>58</ram:TypeCode><ram:PayeePartyCreditorFinancialAccount><ram:IBANID>{s.iban}</ram:IBANID></ram:PayeePartyCreditorFinancialAccount></ram:SpecifiedTradeSettlementPaymentMeans>{taxes}
      <ram:SpecifiedTradePaymentTerms><ram:DueDateDateTime><udt:DateTimeString format="102">{doc.due_date:%Y%m%d}</udt:DateTimeString></ram:DueDateDateTime></ram:SpecifiedTradePaymentTerms>
      <ram:SpecifiedTradeSettlementHeaderMonetarySummation>
        <ram:LineTotalAmount>{doc.untaxed}</ram:LineTotalAmount>
        <ram:TaxBasisTotalAmount>{doc.untaxed}</ram:TaxBasisTotalAmount>
        <ram:TaxTotalAmount currencyID="EUR">{doc.tax}</ram:TaxTotalAmount>
        <ram:GrandTotalAmount>{doc.total}</ram:GrandTotalAmount>
        <ram:DuePayableAmount>{doc.total}</ram:DuePayableAmount>
      </ram:SpecifiedTradeSettlementHeaderMonetarySummation>
    </ram:ApplicableHeaderTradeSettlement>
  </rsm:SupplyChainTradeTransaction>
</rsm:CrossIndustryInvoice>
""".encode()


def _ubl(doc: Document, buyer_name: str, buyer_siren: str, buyer_vat: str,
         per_rate: dict[Decimal, Decimal]) -> bytes:
    s = doc.supplier
    lines = "".join(f"""
  <cac:InvoiceLine>
    <cbc:ID>{i}</cbc:ID>
    <cbc:InvoicedQuantity unitCode="C62">{qty}</cbc:InvoicedQuantity>
    <cbc:LineExtensionAmount currencyID="EUR">{(qty * price).quantize(_CENT)}</cbc:LineExtensionAmount>
    <cac:Item><cbc:Name>{escape(name)}</cbc:Name><cac:ClassifiedTaxCategory><cbc:ID>S</cbc:ID><cbc:Percent>{rate}</cbc:Percent><cac:TaxScheme><cbc:ID>VAT</cbc:ID></cac:TaxScheme></cac:ClassifiedTaxCategory></cac:Item>
    <cac:Price><cbc:PriceAmount currencyID="EUR">{price}</cbc:PriceAmount></cac:Price>
  </cac:InvoiceLine>""" for i, (name, qty, price, rate) in enumerate(doc.lines, 1))
    subtotals = "".join(f"""
    <cac:TaxSubtotal><cbc:TaxableAmount currencyID="EUR">{base}</cbc:TaxableAmount><cbc:TaxAmount currencyID="EUR">{(base * rate / 100).quantize(_CENT, ROUND_HALF_UP)}</cbc:TaxAmount><cac:TaxCategory><cbc:ID>S</cbc:ID><cbc:Percent>{rate}</cbc:Percent><cac:TaxScheme><cbc:ID>VAT</cbc:ID></cac:TaxScheme></cac:TaxCategory></cac:TaxSubtotal>"""
                        for rate, base in per_rate.items())
    return f"""<?xml version="1.0" encoding="UTF-8"?>
<Invoice xmlns="urn:oasis:names:specification:ubl:schema:xsd:Invoice-2" xmlns:cac="urn:oasis:names:specification:ubl:schema:xsd:CommonAggregateComponents-2" xmlns:cbc="urn:oasis:names:specification:ubl:schema:xsd:CommonBasicComponents-2">
  <cbc:UBLVersionID>2.1</cbc:UBLVersionID>
  <cbc:CustomizationID>urn:cen.eu:en16931:2017#compliant#urn:fdc:peppol.eu:2017:poacc:billing:3.0</cbc:CustomizationID>
  <cbc:ProfileID>urn:fdc:peppol.eu:2017:poacc:billing:01:1.0</cbc:ProfileID>
  <cbc:ID>{escape(doc.number)}</cbc:ID>
  <cbc:IssueDate>{doc.issue_date.isoformat()}</cbc:IssueDate>
  <cbc:DueDate>{doc.due_date.isoformat()}</cbc:DueDate>
  <cbc:InvoiceTypeCode>380</cbc:InvoiceTypeCode>
  <cbc:DocumentCurrencyCode>EUR</cbc:DocumentCurrencyCode>
  <cac:AccountingSupplierParty><cac:Party>
    <cbc:EndpointID schemeID="0009">{s.siret}</cbc:EndpointID>
    <cac:PartyName><cbc:Name>{escape(s.name)}</cbc:Name></cac:PartyName>
    <cac:PostalAddress><cbc:StreetName>{escape(s.street)}</cbc:StreetName><cbc:CityName>{escape(s.city)}</cbc:CityName><cbc:PostalZone>{s.zip}</cbc:PostalZone><cac:Country><cbc:IdentificationCode>FR</cbc:IdentificationCode></cac:Country></cac:PostalAddress>
    <cac:PartyTaxScheme><cbc:CompanyID>{s.vat}</cbc:CompanyID><cac:TaxScheme><cbc:ID>VAT</cbc:ID></cac:TaxScheme></cac:PartyTaxScheme>
    <cac:PartyLegalEntity><cbc:RegistrationName>{escape(s.name)}</cbc:RegistrationName><cbc:CompanyID schemeID="0002">{s.siret[:9]}</cbc:CompanyID></cac:PartyLegalEntity>
  </cac:Party></cac:AccountingSupplierParty>
  <cac:AccountingCustomerParty><cac:Party>
    <cbc:EndpointID schemeID="0002">{buyer_siren}</cbc:EndpointID>
    <cac:PartyName><cbc:Name>{escape(buyer_name)}</cbc:Name></cac:PartyName>
    <cac:PostalAddress><cac:Country><cbc:IdentificationCode>FR</cbc:IdentificationCode></cac:Country></cac:PostalAddress>
    <cac:PartyTaxScheme><cbc:CompanyID>{buyer_vat}</cbc:CompanyID><cac:TaxScheme><cbc:ID>VAT</cbc:ID></cac:TaxScheme></cac:PartyTaxScheme>
    <cac:PartyLegalEntity><cbc:RegistrationName>{escape(buyer_name)}</cbc:RegistrationName></cac:PartyLegalEntity>
  </cac:Party></cac:AccountingCustomerParty>
  <cac:PaymentMeans><cbc:PaymentMeansCode>58</cbc:PaymentMeansCode><cac:PayeeFinancialAccount><cbc:ID>{s.iban}</cbc:ID></cac:PayeeFinancialAccount></cac:PaymentMeans>
  <cac:TaxTotal><cbc:TaxAmount currencyID="EUR">{doc.tax}</cbc:TaxAmount>{subtotals}
  </cac:TaxTotal>
  <cac:LegalMonetaryTotal>
    <cbc:LineExtensionAmount currencyID="EUR">{doc.untaxed}</cbc:LineExtensionAmount>
    <cbc:TaxExclusiveAmount currencyID="EUR">{doc.untaxed}</cbc:TaxExclusiveAmount>
    <cbc:TaxInclusiveAmount currencyID="EUR">{doc.total}</cbc:TaxInclusiveAmount>
    <cbc:PayableAmount currencyID="EUR">{doc.total}</cbc:PayableAmount>
  </cac:LegalMonetaryTotal>{lines}
</Invoice>
""".encode()


_SUBPROCESS = """
import sys
from facturx import generate_from_binary
pdf_path, xml_path, out_path = sys.argv[1:4]
with open(pdf_path, "rb") as pdf, open(xml_path, "rb") as xml:
    data = generate_from_binary(pdf.read(), xml.read(), flavor="factur-x",
                                level="en16931", check_xsd=True)
with open(out_path, "wb") as out:
    out.write(data)
"""


def facturx_pdf(pdf: bytes, xml: bytes) -> bytes:
    """``pdf`` with ``xml`` embedded as Factur-X EN 16931 by the ``factur-x`` library,
    the XML checked against the library's XSD.

    Inside some hosts (an Odoo worker) the library cannot be imported (its ``stdnum``
    dependency fails to open its data files there): it then runs in a subprocess.
    """
    try:
        from facturx import generate_from_binary  # noqa: PLC0415 (optional dependency)
    except (ImportError, OSError):
        generate_from_binary = None
    if generate_from_binary is not None:
        result: bytes = generate_from_binary(pdf, xml, flavor="factur-x", level="en16931",
                                             check_xsd=True)
        return result
    with tempfile.TemporaryDirectory() as folder:
        paths = [os.path.join(folder, name) for name in ("in.pdf", "in.xml", "out.pdf")]
        for path, data in zip(paths, (pdf, xml), strict=False):
            with open(path, "wb") as handle:
                handle.write(data)
        subprocess.run([sys.executable, "-c", _SUBPROCESS, *paths], check=True,
                       capture_output=True, timeout=120)
        with open(paths[2], "rb") as handle:
            return handle.read()


def build_document(kind: str, number: str, supplier: Supplier, issue_date: dt.date, *,
                   buyer_name: str, buyer_siren: str, buyer_vat: str,
                   lines: list[tuple[str, Decimal, Decimal, Decimal]]) -> Document:
    """The file of a received e-invoice of ``kind`` (one of :data:`KINDS`)."""
    if kind not in KINDS:
        raise ValueError(f"kind is one of {', '.join(KINDS)}")
    untaxed, tax, per_rate = _amounts(lines)
    doc = Document(file_name="", content_type="", data=b"", e_invoice_type=None,
                   number=number, supplier=supplier, issue_date=issue_date,
                   due_date=issue_date + dt.timedelta(days=30), untaxed=untaxed, tax=tax,
                   total=untaxed + tax, lines=lines)
    visible = render_pdf([f"{supplier.name} - SIRET {supplier.siret}",
                          f"Facture {number} du {issue_date.isoformat()}",
                          f"Client : {buyer_name}", "",
                          *(f"{n} : {q} x {p} (TVA {r} %)" for n, q, p, r in lines), "",
                          f"Total HT : {untaxed} EUR", f"TVA : {tax} EUR",
                          f"Total TTC : {doc.total} EUR"])
    if kind == "facturx":
        doc.data = facturx_pdf(visible, _cii(doc, buyer_name, buyer_siren, buyer_vat,
                                             per_rate))
        doc.file_name, doc.content_type, doc.e_invoice_type = (
            f"{number}.pdf", "application/pdf", "facturx")
    elif kind == "ubl":
        doc.data = _ubl(doc, buyer_name, buyer_siren, buyer_vat, per_rate)
        doc.file_name, doc.content_type, doc.e_invoice_type = (
            f"{number}.xml", "application/xml", "ubl")
    elif kind == "pdf":
        doc.data = visible
        doc.file_name, doc.content_type, doc.e_invoice_type = (
            f"{number}.pdf", "application/pdf", "facturx")
    elif kind == "corrupt":
        doc.data = b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj <</Type /Catalog"
        doc.file_name, doc.content_type, doc.e_invoice_type = (
            f"{number}.pdf", "application/pdf", "facturx")
    else:
        doc.data = (b'<?xml version="1.0"?><Facture xmlns="urn:example:not-an-einvoice">'
                    + number.encode() + b"</Facture>")
        doc.file_name, doc.content_type, doc.e_invoice_type = (
            f"{number}.xml", "application/xml", "cii")
    return doc
