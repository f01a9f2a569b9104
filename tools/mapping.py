"""Odoo records to Qonto payloads: the only place that knows both shapes.

Every check that can be made before a request leaves Odoo is made here, and each
failure names the record and the Odoo field to correct.
"""

from decimal import Decimal

from odoo.tools import float_round, html2plaintext

from ..qonto_einvoicing.errors import PayloadError
from ..qonto_einvoicing.identifiers import is_siren, is_siret
from ..qonto_einvoicing.models import (
    CLIENT_INVOICE_CURRENCIES,
    ClientInvoiceCreatePayload,
    ClientPayload,
)
from .errors import describe_error_objects

TITLE_MAX = 40
DESCRIPTION_MAX = 1800


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
    account = move.company_id.qonto_bank_account_id
    if not account:
        problems.append(env._("Qonto account for payments: choose one in Settings > Invoicing > "
                              "Qonto (Test connection lists them)."))
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
