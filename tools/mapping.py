"""Odoo records to Qonto payloads: the only place that knows both shapes.

Every check that can be made before a request leaves Odoo is made here, and each
failure names the record and the Odoo field to correct.
"""

import re
from decimal import Decimal

from odoo.tools import float_round, html2plaintext

from ..qonto_einvoicing.errors import PayloadError
from ..qonto_einvoicing.identifiers import compact, is_siren, is_siret, siren_of
from ..qonto_einvoicing.models import (
    CLIENT_INVOICE_CURRENCIES,
    ClientInvoiceCreatePayload,
    ClientPayload,
)
from .errors import describe_error_objects

TITLE_MAX = 40
DESCRIPTION_MAX = 1800
# "SIRET : 123 456 789 00012" as people type it in a report footer.
_FOOTER_NUMBER = re.compile(r"SIRE[NT]\W{0,5}(\d[\d .]{7,20}\d)", re.IGNORECASE)


def partner_identifiers(partner):
    """``(siret, siren, vat)`` of a customer; a French SIRET is Odoo's Company ID."""
    registry = "".join((partner.company_registry or "").split())
    siret = registry if len(registry) == 14 and registry.isdigit() else None
    siren = registry[:9] if len(registry) in (9, 14) and registry.isdigit() else None
    vat = (partner.vat or "").replace(" ", "").upper() or None
    if not siren and vat and vat.startswith("FR") and len(vat) == 13 and vat[4:].isdigit():
        siren = vat[4:]
    return siret, siren, vat


def partner_problems(env, partner):
    """What prevents ``partner`` from being a Qonto client, one line per field."""
    problems = []
    siret, siren, vat = partner_identifiers(partner)
    registry = (partner.company_registry or "").strip()
    if registry and not siren:
        problems.append(env._("Company ID: %(value)s is neither a SIREN (9 digits) nor a SIRET "
                              "(14 digits).", value=registry))
    elif registry and partner.country_code in (False, "FR") \
            and not (is_siret(siret) if siret else is_siren(siren)):
        # Said once, here: the SIREN taken from it would fail again as the e-invoicing
        # address, a second line about the same mistyped number.
        problems.append(env._("Company ID: %(value)s is not a valid %(kind)s: its check "
                              "digit is wrong (a typing mistake?).", value=registry,
                              kind="SIRET" if siret else "SIREN"))
    elif not (siret or siren or vat) and partner.country_code in (False, "FR"):
        # A French customer is addressed by its SIREN; one abroad only gets e-mails.
        problems.append(env._("Company ID (SIRET) or Tax ID: one of them is needed to address an "
                              "e-invoice."))
    if not partner.name:
        problems.append(env._("Name: missing."))
    return problems


def client_payload(partner):
    """The Qonto client that represents ``partner`` (its commercial entity)."""
    siret, siren, vat = partner_identifiers(partner)
    street = ", ".join(filter(None, [partner.street, partner.street2])) or None
    data = {
        "email": partner.email or None,
        "vat_number": vat,
        "tax_identification_number": siret or siren,
        "e_invoicing_address": siren,
        # Odoo's empty fields are False, which Qonto would refuse as a string: None.
        "billing_address": {
            "street_address": street and street[:250],
            "city": (partner.city or "")[:50] or None,
            "zip_code": (partner.zip or "")[:20] or None,
            "country_code": partner.country_id.code or None,
        },
        "currency": "EUR",
        "locale": (partner.lang or "fr")[:2],
    }
    if partner.is_company or not partner.name or " " not in partner.name.strip():
        data.update(kind="company", name=partner.name)
    else:
        first, _sep, last = partner.name.strip().partition(" ")
        data.update(kind="individual", first_name=first[:60], last_name=last[:60])
    return data


def _decimal(value, digits):
    return Decimal(str(float_round(value, precision_digits=digits)))


def invoice_line_items(env, move):
    """``(items, problems)``: the Qonto items of the product lines of ``move``."""
    items, problems = [], []
    lines = move.invoice_line_ids.filtered(lambda line: line.display_type == "product")
    for index, line in enumerate(lines, start=1):
        where = env._("Line %(index)s (%(label)s)", index=index,
                      label=(line.name or line.product_id.display_name or "").split("\n")[0][:60])
        taxes = line.tax_ids
        if not taxes:
            problems.append(env._("%(line)s, Taxes: a line needs exactly one VAT tax; it has "
                                  "none.", line=where))
            continue
        if len(taxes) > 1:
            problems.append(env._("%(line)s, Taxes: a line needs exactly one VAT tax; it has "
                                  "%(count)s (%(taxes)s).", line=where, count=len(taxes),
                                  taxes=", ".join(taxes.mapped("name"))))
            continue
        if taxes.amount_type != "percent":
            problems.append(env._("%(line)s, Taxes: Qonto takes a VAT rate in percent; %(tax)s is "
                                  "not one.", line=where, tax=taxes.name))
            continue
        if not line.quantity:
            problems.append(env._("%(line)s, Quantity: zero.", line=where))
            continue
        text = (line.name or line.product_id.display_name or "").strip()
        first_line = text.split("\n")[0].strip() or line.product_id.display_name or "-"
        title = first_line if len(first_line) <= TITLE_MAX else first_line[:TITLE_MAX - 1] + "…"
        item = {
            "title": title,
            "quantity": _decimal(line.quantity, 6),
            "vat_rate": _decimal(taxes.amount / 100, 6),
            "unit_price": {"currency": move.currency_id.name},
        }
        # Qonto's subtotal is quantity x unit price, excluding VAT: derive the unit
        # price from Odoo's own subtotal when a discount or a tax-included price would
        # make Odoo's unit price differ from it.
        if line.discount or taxes.price_include:
            item["unit_price"]["value"] = _decimal(line.price_subtotal / line.quantity, 6)
        else:
            item["unit_price"]["value"] = _decimal(line.price_unit, 6)
        if text != title:
            item["description"] = text[:DESCRIPTION_MAX]
        items.append(item)
    if not lines:
        problems.append(env._("Invoice lines: the invoice has no product line."))
    return items, problems


def invoice_payload(env, move, client_id):
    """``(payload, problems)`` for creating ``move`` as a Qonto draft; no request made."""
    problems = []
    if move.currency_id.name not in CLIENT_INVOICE_CURRENCIES:
        problems.append(env._("Currency: Qonto accepts only %(allowed)s for client invoices, not "
                              "%(currency)s.", allowed=", ".join(sorted(CLIENT_INVOICE_CURRENCIES)),
                              currency=move.currency_id.name))
    problems += payment_problems(env, move)
    account = move._qonto_payee_account()
    items, item_problems = invoice_line_items(env, move)
    problems += item_problems
    if problems:
        return None, problems
    data = {
        "client_id": client_id,
        "number": move.name,
        "status": "draft",
        "issue_date": move.invoice_date,
        "due_date": move.invoice_date_due or move.invoice_date,
        "currency": move.currency_id.name,
        # The IBAN Odoo's PDF names (Recipient Bank), as Qonto spells it.
        "payment_methods": {"iban": account.iban},
        "items": items,
    }
    if move.ref:
        data["purchase_order"] = move.ref[:40]
    if move.narration:
        terms = html2plaintext(move.narration).strip()
        if terms:
            data["terms_and_conditions"] = terms[:525]
    return _validated(env, ClientInvoiceCreatePayload, data)


def payment_problems(env, move):
    """What makes the invoice Odoo prints name another account or reference than the
    e-invoice: the Recipient Bank must be one of the organization's Qonto accounts, and
    the Payment Reference must hold the number Qonto matches the buyer's transfer by."""
    if move.move_type != "out_invoice":
        return []  # a credit note's bank account is the customer's
    problems = []
    company = move.company_id
    accounts = company.qonto_bank_account_ids
    bank = move.partner_bank_id
    if not accounts:
        problems.append(env._("Qonto account for payments: choose one in Settings > Invoicing > "
                              "Qonto (Test connection lists them)."))
    elif not bank:
        problems.append(env._(
            "Recipient Bank (tab Other Info): empty; choose the Qonto account the customer "
            "pays to (%(iban)s), which the e-invoice names.",
            iban=(company.qonto_bank_account_id or accounts[:1]).iban))
    elif not move._qonto_payee_account():
        problems.append(env._(
            "Recipient Bank (tab Other Info): %(account)s is not an account of the Qonto "
            "organization, and the e-invoice can only name one of those (%(ibans)s): choose "
            "it, so that the PDF and the e-invoice name the same IBAN.",
            account=bank.acc_number, ibans=", ".join(accounts.mapped("iban"))))
    reference = move._qonto_payment_reference()
    if reference not in (move.payment_reference or ""):
        problems.append(env._(
            "Payment Reference: %(current)s does not hold the invoice number, by which Qonto "
            "matches the customer's transfer to the invoice: set it to %(reference)s.",
            current=move.payment_reference or env._("empty"), reference=reference))
    return problems


def seller_identity_problems(env, company):
    """What makes Odoo's invoices name another seller than Qonto's e-invoices, whose
    seller is the organization (its SIREN): one line per company field. Empty when the
    organization's SIREN is not known yet (the readiness checklist says so)."""
    expected = company.qonto_organization_siren
    if not expected:
        return []
    problems = []
    registry = (company.company_registry or "").strip()
    found = siren_of(registry)
    if not registry:
        problems.append(env._(
            "Company ID (SIRET): empty; the invoices must show the SIRET of the company "
            "whose SIREN is %(siren)s.", siren=expected))
    elif not found:
        problems.append(env._("Company ID (SIRET): %(value)s is not a valid SIRET.",
                              value=registry))
    elif found != expected:
        problems.append(env._(
            "Company ID (SIRET): %(value)s belongs to SIREN %(found)s, not to %(siren)s.",
            value=registry, found=found, siren=expected))
    vat = compact(company.vat)
    if vat.startswith("FR") and siren_of(vat) not in (None, expected):
        problems.append(env._(
            "Tax ID: %(value)s belongs to SIREN %(found)s, not to %(siren)s.",
            value=company.vat, found=siren_of(vat), siren=expected))
    footer = html2plaintext(company.report_footer or "")
    for number in _FOOTER_NUMBER.findall(footer):
        if siren_of(number) not in (None, expected):
            problems.append(env._(
                "Footer (Settings > Companies > Configure Document Layout): it shows SIRET "
                "%(value)s, of SIREN %(found)s, not %(siren)s.",
                value=number.strip(), found=siren_of(number), siren=expected))
    return problems


def _validated(env, model, data):
    """``(payload, [])``, or ``(None, problems)`` each naming the Odoo field: one
    validation, whose core error already lists every problem with its pointer."""
    try:
        return model.model_validate(data), []
    except PayloadError as error:
        return None, describe_error_objects(env, error.problems)


def client_payload_or_problems(env, partner):
    """``(payload, problems)`` for creating ``partner`` as a Qonto client."""
    problems = partner_problems(env, partner)
    if problems:
        return None, problems
    return _validated(env, ClientPayload, client_payload(partner))
