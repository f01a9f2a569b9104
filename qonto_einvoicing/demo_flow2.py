"""Flow 2 of the scripted demo: a Factur-X made by another tool, then its credit note.

Takes Odoo 19's own Factur-X (``samples/odoo_invoice.xml``), gives it a fresh number,
adds the French reform's mentions, checks it (XSD, EXTENDED and BR-FR schematrons),
embeds it in a PDF, imports it with ``POST /v2/client_invoices/bulk`` and sends it by
e-invoice; then does the same with a full credit note (type 381, BT-25 naming the
invoice), and shows Qonto's invoice cancelled by it.
"""

from __future__ import annotations

import datetime as dt
import os
from typing import TextIO

from .client import QontoClient
from .facturx_check import check_xsd, read_facturx
from .facturx_fr import FrenchMentions, add_french_mentions
from .schematron import SchematronValidator
from .sending import ImportDocument, SendJob, send_einvoice
from .simulator.pdf import render_pdf

__all__ = ["run_flow2"]

_MENTIONS = {
    "recovery_fee_note": "Indemnité forfaitaire pour frais de recouvrement : 40 €",
    "late_penalties_note": "Pénalités de retard : trois fois le taux d'intérêt légal",
    "discount_note": "Pas d'escompte pour paiement anticipé",
}


def _pdf(xml: bytes, title: str) -> bytes:
    import facturx  # noqa: PLC0415 (outside Odoo, the library embeds the XML)

    return facturx.generate_from_binary(render_pdf([title]), xml, check_xsd=False)


def _send(qonto: QontoClient, validator: SchematronValidator, xml: bytes, title: str,
          out: TextIO) -> str:
    problems = [v for v in check_xsd(xml) + validator.validate(xml) if v.fatal]
    for problem in problems:
        print(f"  rule {problem.rule}: {problem.text}", file=out)
    if problems:
        raise SystemExit(f"{title}: not sent, {len(problems)} rule(s) broken")
    pdf = _pdf(xml, title)
    document = read_facturx(pdf)
    print(f"{title}: {document.number}, type {document.type_code}, total "
          f"{document.total_amount} {document.currency} — checked: XSD, EXTENDED, BR-FR",
          file=out)
    outcome = send_einvoice(qonto, SendJob(
        key=document.number, payload=None, total_cents=0, vat_cents=0,
        document=ImportDocument(f"{document.number.replace('/', '-')}.pdf", pdf,
                                document.number)))
    if outcome.error or not outcome.invoice_id:
        raise SystemExit(f"{title}: {outcome.error}")
    print(f"  imported through /bulk as {outcome.invoice_id}, sent by e-invoice", file=out)
    return outcome.invoice_id


def run_flow2(qonto: QontoClient, out: TextIO) -> str:
    """Send a Factur-X invoice and its full credit note; return the invoice's status."""
    here = os.path.join(os.path.dirname(__file__), "samples", "odoo_invoice.xml")
    with open(here, "rb") as handle:
        template = handle.read()
    stamp = f"{dt.datetime.now():%Y%m%d-%H%M%S}"
    number, note_number = f"FX-{stamp}", f"AV-{stamp}"
    invoice_xml = add_french_mentions(
        template.replace(b"FAC/2026/00042", number.encode()),
        FrenchMentions(category="mixed", **_MENTIONS))
    note_xml = add_french_mentions(
        template.replace(b"FAC/2026/00042", note_number.encode()).replace(
            b"<ram:TypeCode>380</ram:TypeCode>", b"<ram:TypeCode>381</ram:TypeCode>"),
        FrenchMentions(category="mixed", corrected_invoice=number,
                       corrected_invoice_date=dt.date(2026, 11, 30), **_MENTIONS))
    with SchematronValidator() as validator:
        invoice_id = _send(qonto, validator, invoice_xml, "Factur-X invoice", out)
        _send(qonto, validator, note_xml, "Factur-X credit note", out)
    status = qonto.get_client_invoice(invoice_id).status
    print(f"Invoice {number} in Qonto after the full credit note: {status}", file=out)
    return status
