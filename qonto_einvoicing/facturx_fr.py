"""The French reform's mentions in a CII (Factur-X) invoice, added to another tool's XML.

Odoo 19's Factur-X is EN 16931 content; the French CTC rules (BR-FR, "Flux 2") ask for
more. :func:`add_french_mentions` adds, where the document lacks them:

- **BT-23** (business process, ``ram:BusinessProcessSpecifiedDocumentContextParameter``):
  the *cadre de facturation*, whose letter is the **category of the operation**:
  ``B1`` goods, ``S1`` services, ``M1`` both (BR-FR-08);
- **BG-1** notes ``PMT`` (fixed recovery indemnity), ``PMD`` (late-payment penalties) and
  ``AAB`` (early-payment discount, or none) (BR-FR-05);
- **BT-30 / BT-47**: the seller's and buyer's legal registration as the 9-digit
  **SIREN**, scheme ``0002`` (BR-FR-10, BR-FR-32), where a SIRET was given;
- **BT-8** (``ram:DueDateTypeCode`` ``5``, VAT due at the invoice date) on each VAT
  breakdown when the seller opted for **VAT on debits**;
- **BT-25 / BT-26** on a credit note: the invoice it corrects and its date (BR-FR-CO-05);
- **BT-153**: the item name, where the line carries its label only as a description.

The delivery address (BG-13, ``ram:ShipToTradeParty``) is Odoo's own: it already writes
the delivery partner there. Nothing else is changed: amounts and lines stay the tool's.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

from . import safe_xml

__all__ = ["FrenchMentions", "add_french_mentions"]

_RSM = "urn:un:unece:uncefact:data:standard:CrossIndustryInvoice:100"
_RAM = "urn:un:unece:uncefact:data:standard:ReusableAggregateBusinessInformationEntity:100"
_QDT = "urn:un:unece:uncefact:data:standard:QualifiedDataType:100"
_NS = {"rsm": _RSM, "ram": _RAM, "qdt": _QDT}
CATEGORIES = {"goods": "B1", "services": "S1", "mixed": "M1"}


@dataclass(frozen=True)
class FrenchMentions:
    """What the seller's tool knows and the XML must say."""

    category: str = "services"
    """``goods``, ``services`` or ``mixed`` (BT-23: B1, S1, M1)."""
    recovery_fee_note: str = ""
    late_penalties_note: str = ""
    discount_note: str = ""
    vat_on_debits: bool = False
    corrected_invoice: str | None = None
    corrected_invoice_date: date | None = None


def _q(prefix: str, name: str) -> str:
    return f"{{{_NS[prefix]}}}{name}"


def _fix_siren(party) -> None:
    for node in party.xpath("ram:SpecifiedLegalOrganization/ram:ID[@schemeID='0002']",
                            namespaces=_NS):
        digits = re.sub(r"\D", "", node.text or "")
        if len(digits) == 14:  # a SIRET: its first nine digits are the SIREN
            node.text = digits[:9]


def _add_process(tree, etree, mentions: FrenchMentions) -> None:
    context = tree.find("rsm:ExchangedDocumentContext", _NS)
    if context is not None and context.find(
            "ram:BusinessProcessSpecifiedDocumentContextParameter", _NS) is None:
        process = etree.Element(_q("ram", "BusinessProcessSpecifiedDocumentContextParameter"))
        etree.SubElement(process, _q("ram", "ID")).text = CATEGORIES[mentions.category]
        context.insert(0, process)


def _add_notes(tree, etree, mentions: FrenchMentions) -> None:
    document = tree.find("rsm:ExchangedDocument", _NS)
    if document is None:
        return
    present = {node.text for node in document.findall("ram:IncludedNote/ram:SubjectCode", _NS)}
    anchor = document.find("ram:IssueDateTime", _NS)
    position = list(document).index(anchor) + 1 if anchor is not None else len(document)
    for code, text in (("PMT", mentions.recovery_fee_note),
                       ("PMD", mentions.late_penalties_note),
                       ("AAB", mentions.discount_note)):
        if code in present or not text:
            continue
        note = etree.Element(_q("ram", "IncludedNote"))
        etree.SubElement(note, _q("ram", "Content")).text = text
        etree.SubElement(note, _q("ram", "SubjectCode")).text = code
        document.insert(position, note)
        position += 1


def _name_items(transaction, etree) -> None:
    for product in transaction.findall(
            "ram:IncludedSupplyChainTradeLineItem/ram:SpecifiedTradeProduct", _NS):
        if product.find("ram:Name", _NS) is not None:
            continue
        description = product.find("ram:Description", _NS)
        name = etree.Element(_q("ram", "Name"))
        text = (description.text or "") if description is not None else ""
        name.text = text.split("\n")[0][:200] or "-"
        if description is not None and text.strip() == name.text:
            product.remove(description)
        # Name comes after the identifiers (GlobalID, SellerAssignedID, BuyerAssignedID).
        ids = [n for n in product if etree.QName(n).localname.endswith("ID")]
        product.insert(len(ids), name)


def _vat_on_debits(settlement, etree) -> None:
    for tax in settlement.findall("ram:ApplicableTradeTax", _NS):
        if tax.find("ram:DueDateTypeCode", _NS) is not None:
            continue
        code = etree.Element(_q("ram", "DueDateTypeCode"))
        code.text = "5"
        # The XSD puts DueDateTypeCode right before RateApplicablePercent.
        rate = tax.find("ram:RateApplicablePercent", _NS)
        if rate is not None:
            rate.addprevious(code)
        else:
            tax.append(code)


def _reference(settlement, etree, mentions: FrenchMentions) -> None:
    if settlement.find("ram:InvoiceReferencedDocument", _NS) is not None:
        return
    reference = etree.Element(_q("ram", "InvoiceReferencedDocument"))
    etree.SubElement(reference, _q("ram", "IssuerAssignedID")).text = \
        mentions.corrected_invoice
    if mentions.corrected_invoice_date:
        when = etree.SubElement(reference, _q("ram", "FormattedIssueDateTime"))
        stamp = etree.SubElement(when, _q("qdt", "DateTimeString"), format="102")
        stamp.text = mentions.corrected_invoice_date.strftime("%Y%m%d")
    summation = settlement.find("ram:SpecifiedTradeSettlementHeaderMonetarySummation", _NS)
    if summation is not None:
        summation.addnext(reference)
    else:
        settlement.append(reference)


def add_french_mentions(xml: bytes, mentions: FrenchMentions) -> bytes:
    """``xml`` with the French mentions it lacks (see the module docstring)."""
    from lxml import etree  # noqa: PLC0415

    tree = safe_xml.parse(xml)  # Odoo's own export, read all the same without a DTD
    _add_process(tree, etree, mentions)
    _add_notes(tree, etree, mentions)
    transaction = tree.find("rsm:SupplyChainTradeTransaction", _NS)
    if transaction is not None:
        agreement = transaction.find("ram:ApplicableHeaderTradeAgreement", _NS)
        for role in ("SellerTradeParty", "BuyerTradeParty"):
            party = agreement.find(f"ram:{role}", _NS) if agreement is not None else None
            if party is not None:
                _fix_siren(party)
        _name_items(transaction, etree)
        settlement = transaction.find("ram:ApplicableHeaderTradeSettlement", _NS)
        if settlement is not None and mentions.vat_on_debits:
            _vat_on_debits(settlement, etree)
        if settlement is not None and mentions.corrected_invoice:
            _reference(settlement, etree, mentions)
    return etree.tostring(tree, xml_declaration=True, encoding="UTF-8")
