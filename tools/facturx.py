"""Odoo's Factur-X of an invoice, the French mentions it carries, and its checks, as
messages that name the rule, where it points and the Odoo field to fix.

The schematrons run in one Saxon child process per Odoo process, started ahead (as soon
as the process sends anything through Qonto: :func:`warm_up_schematron`) and kept: it
compiles the stylesheets once, 2 to 6 s, while the user does something else; each
document then takes about 0.1 s. It never runs inside the Odoo worker itself.

The document may come from a user (a retry reuses the stored file): it is refused
unread when it declares a DTD, is not UTF-8 or is too large (``safe_xml``).
"""

import io
import logging
import threading

from odoo.tools import config
from odoo.tools.pdf import OdooPdfFileReader, OdooPdfFileWriter

from ..qonto_einvoicing.facturx_check import check_xsd, read_facturx
from ..qonto_einvoicing.facturx_fr import FrenchMentions
from ..qonto_einvoicing.schematron import SchematronValidator

_logger = logging.getLogger(__name__)
_validator = None
_validator_lock = threading.Lock()

def schematron_validator():
    """This process's validator (one Saxon child process, kept)."""
    global _validator  # noqa: PLW0603 (one child process per Odoo process, by design)
    with _validator_lock:
        if _validator is None:
            _validator = SchematronValidator()
        return _validator


def warm_up_schematron():
    """Start this process's Saxon child now, without waiting for it (see the module)."""
    schematron_validator().warm_up()


def stop_schematron():
    """End this process's Saxon child, if it runs; the next check starts another."""
    with _validator_lock:
        if _validator is not None:
            _validator.close()


def operation_category(move):
    """``goods``, ``services`` or ``mixed``: what the product lines sell (BT-23)."""
    kinds = set()
    for line in move.invoice_line_ids.filtered(lambda line: line.display_type == "product"):
        kinds.add("goods" if line.product_id.type == "consu" else "services")
    if len(kinds) == 1:
        return kinds.pop()
    return "mixed" if kinds else "services"


def french_mentions(move):
    """The :class:`FrenchMentions` of ``move`` from its company's settings."""
    company = move.company_id
    corrected = move.reversed_entry_id if move.move_type == "out_refund" else None
    return FrenchMentions(
        category=move.qonto_operation_category or operation_category(move),
        recovery_fee_note=company.qonto_note_recovery_fee or "",
        late_penalties_note=company.qonto_note_late_penalties or "",
        discount_note=company.qonto_note_discount or "",
        vat_on_debits=company.qonto_vat_on_debits,
        corrected_invoice=corrected.name if corrected else None,
        corrected_invoice_date=corrected.invoice_date if corrected else None,
    )


def _pdf_shell(env, move):
    """The invoice PDF Odoo prints. In test mode Odoo renders no PDF (no wkhtmltopdf):
    a one-page PDF naming the invoice stands in, and the XML is Odoo's real one."""
    if config["test_enable"]:
        from ..qonto_einvoicing.simulator.pdf import render_pdf  # noqa: PLC0415

        return render_pdf([f"{move.company_id.name}", f"{move.name}",
                           "PDF rendering is off in Odoo's test mode."])
    content, _ = env["ir.actions.report"]._render_qweb_pdf("account.account_invoices",
                                                          move.ids)
    return content


def facturx_document(env, move):
    """``(file_name, pdf)``: the invoice PDF with Odoo's Factur-X XML embedded, as
    ``account_edi_ubl_cii`` embeds it (Odoo's own PDF writer, ``factur-x.xml``)."""
    xml, _errors = env["account.edi.xml.cii"]._export_invoice(move)
    reader = OdooPdfFileReader(io.BytesIO(_pdf_shell(env, move)), strict=False)
    writer = OdooPdfFileWriter()
    writer.cloneReaderDocumentRoot(reader)
    writer.addAttachment("factur-x.xml", xml, subtype="text/xml")
    if not config["test_enable"] and not writer.is_pdfa:
        try:
            writer.convert_to_pdfa()
        except Exception:  # Odoo's own Factur-X does the same
            _logger.exception("Factur-X of %s: conversion to PDF/A failed", move.name)
    stream = io.BytesIO()
    writer.write(stream)
    name = (move.name or "invoice").replace("/", "-") + ".pdf"
    return name, stream.getvalue()


def _term_fields(env):
    """EN 16931 business terms -> the Odoo field that fills them."""
    company = env._("Company")
    customer = env._("Customer")
    return {
        "BT-1": env._("Invoice, Number"),
        "BT-2": env._("Invoice, Invoice Date"),
        "BT-3": env._("Invoice, Type"),
        "BT-9": env._("Invoice, Due Date"),
        "BT-22": env._("Settings > Invoicing > Qonto, mentions of the Factur-X"),
        "BT-23": env._("Invoice, Category of the operation"),
        "BT-25": env._("Credit note, Reversal of"),
        "BT-26": env._("Credit note, Reversal of (its Invoice Date)"),
        "BT-27": env._("%(who)s, Name", who=company),
        "BT-30": env._("%(who)s, Company ID (SIRET)", who=company),
        "BT-31": env._("%(who)s, Tax ID", who=company),
        "BT-35": env._("%(who)s, Address", who=company),
        "BT-44": env._("%(who)s, Name", who=customer),
        "BT-47": env._("%(who)s, Company ID (SIRET)", who=customer),
        "BT-48": env._("%(who)s, Tax ID", who=customer),
        "BT-50": env._("%(who)s, Address", who=customer),
        "BT-84": env._("Invoice, Recipient Bank"),
        "BT-118": env._("Invoice lines, Taxes"),
        "BT-151": env._("Invoice lines, Taxes"),
        "BT-153": env._("Invoice lines, Product or Label"),
        "BG-25": env._("Invoice lines"),
    }


def violation_messages(env, violations):
    """One line per broken rule: id, text, where, and the Odoo field to fix."""
    fields = _term_fields(env)
    lines = []
    for violation in violations:
        where = [fields[term] for term in violation.terms if term in fields]
        lines.append(env._(
            "Rule %(rule)s: %(text)s (at %(location)s). Fix: %(fields)s",
            rule=violation.rule or violation.source, text=violation.text,
            location=violation.location or "-",
            fields=", ".join(dict.fromkeys(where)) or env._("see the rule")))
    return lines


def check_document(env, move, pdf, name):
    """Every problem of the Factur-X ``pdf`` of ``move``, as messages (empty: valid)."""
    try:
        document = read_facturx(pdf, name)
        violations = [v for v in check_xsd(document.xml) if v.fatal]
        violations += [v for v in schematron_validator().validate(document.xml) if v.fatal]
    except ValueError as error:  # FacturxError: not a Factur-X, or refused unread
        return [str(error)]
    except RuntimeError as error:  # the check could not run: nothing is sent unchecked
        _logger.warning("Factur-X of %s: the schematron check failed: %s", move.name, error)
        return [env._("%(file)s: the Factur-X could not be checked (%(error)s); try again "
                      "later.", file=name, error=error)]
    problems = violation_messages(env, violations)
    if document.number != move.name:
        problems.append(env._("BT-1: the Factur-X is numbered %(found)s, the invoice %(move)s "
                              "(field: Number).", found=document.number, move=move.name))
    return problems
