"""Qonto errors as messages an accountant can act on: which record, which field, why.

The core's typed errors carry Qonto's code, detail and ``source.pointer``; this module
only translates the pointer into the Odoo field the user can correct.
"""

import re

from ..qonto_einvoicing.errors import (
    AuthenticationError,
    ErrorObject,
    PermissionDeniedError,
    PreconditionFailedError,
    QontoAPIError,
    QontoError,
    RateLimitedError,
    ServerError,
    TransportError,
)

_ITEM = re.compile(r"^items\.(\d+)\.(\w+)")


def _field_labels(env):
    return {
        "number": env._("Number"),
        "currency": env._("Currency"),
        "issue_date": env._("Invoice Date"),
        "due_date": env._("Due Date"),
        "purchase_order": env._("Reference"),
        "client_id": env._("Customer"),
        "payment_methods.iban": env._("Qonto account for payments (Settings > Invoicing > Qonto)"),
        "paid_at": env._("Payment date"),
        "name": env._("Name"),
        "first_name": env._("Name"),
        "last_name": env._("Name"),
        "email": env._("Email"),
        "vat_number": env._("Tax ID"),
        "tax_identification_number": env._("Company ID (SIRET)"),
        "e_invoicing_address": env._("Company ID (SIRET)"),
        "items": env._("Invoice lines"),
    }


def _item_labels(env):
    return {
        "title": env._("Label"),
        "description": env._("Label"),
        "quantity": env._("Quantity"),
        "unit_price": env._("Unit Price"),
        "vat_rate": env._("Taxes"),
        "vat_exemption_reason": env._("Taxes"),
        "discount": env._("Discount"),
    }


def field_label(env, field):
    """The Odoo label of a Qonto field path such as ``items.0.title``."""
    if not field:
        return ""
    item = _ITEM.match(field)
    if item:
        label = _item_labels(env).get(item.group(2), item.group(2))
        return env._("invoice line %(line)s, %(field)s", line=int(item.group(1)) + 1, field=label)
    if field.startswith("billing_address"):
        return env._("Address")
    return _field_labels(env).get(field, field)


def describe_error_objects(env, errors: list[ErrorObject]) -> list[str]:
    """One line per error: ``<field>: <detail>``."""
    lines = []
    for error in errors:
        label = field_label(env, error.field)
        detail = error.detail or error.code or ""
        lines.append(env._("%(field)s: %(detail)s", field=label, detail=detail)
                     if label else detail)
    return lines


def is_transient(error: QontoError) -> bool:
    """Worth trying again later, as is: Qonto was busy, failing or out of reach."""
    return isinstance(error, RateLimitedError | ServerError | TransportError)


def qonto_error_message(env, error: QontoError, record, company=None) -> str:
    """A translated message naming ``record`` and, when Qonto says it, the field.

    ``company`` is the one whose Qonto organization answered: by default the record's
    company, or the record itself.
    """
    what = record.display_name
    if isinstance(error, AuthenticationError):
        company = company or (record if record._name == "res.company" else record.company_id)
        message = env._("Qonto refused the credentials of the company %(company)s (HTTP 401). "
                        "Check Settings > Invoicing > Qonto (fields: API login, Secret key).",
                        company=company.display_name)
        if record == company:
            return message
        return env._("%(record)s: %(message)s", record=what, message=message)
    if isinstance(error, PermissionDeniedError):
        return env._("%(record)s: the Qonto credentials lack a permission (%(detail)s).",
                     record=what, detail=error.detail or error.code)
    if isinstance(error, RateLimitedError):
        return env._("%(record)s: Qonto received too many requests. Nothing was lost: "
                     "try again in a minute.", record=what)
    if isinstance(error, ServerError):
        return env._("%(record)s: Qonto had an error (HTTP %(status)s). Nothing was lost: "
                     "try again later.", record=what, status=error.status)
    if isinstance(error, TransportError):
        return env._("%(record)s: Qonto could not be reached (%(detail)s). Nothing was lost: "
                     "try again later.", record=what, detail=str(error))
    if isinstance(error, PreconditionFailedError) and \
            error.code == "recipient_not_reachable_on_einvoicing":
        return env._("%(record)s: the customer is not reachable on the e-invoicing network. "
                     "Send the invoice by e-mail instead.", record=what)
    if isinstance(error, QontoAPIError):
        lines = describe_error_objects(env, error.errors) or [str(error)]
        return env._("%(record)s: Qonto refused the request: %(errors)s",
                     record=what, errors="; ".join(lines))
    return env._("%(record)s: %(message)s", record=what, message=str(error))
