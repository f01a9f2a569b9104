"""Stored records → the JSON Qonto answers.

The shapes follow the OpenAPI schemas of the seeds: every ``required`` property of
``ClientInvoice`` is present, with Qonto's conventions for what is unset (an empty string
for a date or date-time not yet known, such as ``finalized_at`` on a draft, as Qonto does;
``"0.00"`` for the Italian-only ``stamp_duty_amount``, whose schema wants a string of at
least 4 characters). Optional properties that are unset are left out rather than sent
as ``null``, since their schemas do not allow ``null``. ``updated_at`` is an addition of
the simulator (extra properties are allowed) so that callers can sync incrementally.
"""

from __future__ import annotations

from typing import Any

from .state import Record

__all__ = [
    "embedded_client",
    "embedded_organization",
    "render_attachment",
    "render_bank_account",
    "render_client",
    "render_credit_note",
    "render_invoice",
    "render_organization",
    "render_subscription",
    "render_upload",
]

_ADDRESS_FIELDS = ("street_address", "city", "zip_code", "province_code", "country_code")
_FLAT_ADDRESS = {"address": "street_address", "city": "city", "zip_code": "zip_code",
                 "province_code": "province_code", "country_code": "country_code"}


def render_organization(org: Record) -> dict[str, Any]:
    """``GET /v2/organization``'s ``organization``."""
    return {
        "id": org["id"],
        "slug": org["slug"],
        "legal_name": org["legal_name"],
        "legal_number": org["legal_number"],
        "legal_country": org["legal_country"],
        "bank_accounts": [render_bank_account(account) for account in org["bank_accounts"]],
    }


def render_bank_account(account: Record) -> dict[str, Any]:
    """A bank account with its balances, which Qonto shows to owners and admins (the
    simulator's keys are the owner's)
    (https://docs.qonto.com/api-reference/business-api/organization-accounts/organizations/retrieve-the-authenticated-organization-and-list-bank-accounts).
    ``balance`` is the money on the account, ``authorized_balance`` what is available
    for payments; amounts as numbers in euros, and in cents. An account saved before
    balances were simulated shows zero."""
    rendered = {key: value for key, value in account.items() if not key.endswith("_cents")}
    for name in ("balance", "authorized_balance"):
        cents = int(account.get(f"{name}_cents", 0))
        rendered[name] = cents / 100
        rendered[f"{name}_cents"] = cents
    return rendered


def render_client(client: Record, reachable: bool) -> dict[str, Any]:
    """A client as ``GET /v2/clients/{id}`` answers it; ``reachable`` from the Annuaire."""
    billing = client.get("billing_address") or {}
    kind = client["kind"]
    return {
        "id": client["id"],
        "kind": kind,
        "type": kind,
        "name": client.get("name") if kind == "company" else None,
        "first_name": client.get("first_name"),
        "last_name": client.get("last_name"),
        "email": client.get("email"),
        "extra_emails": client.get("extra_emails") or [],
        "vat_number": client.get("vat_number"),
        "tax_identification_number": client.get("tax_identification_number"),
        "e_invoicing_address": client.get("e_invoicing_address"),
        "e_invoicing_reachable": reachable,
        "billing_address": client.get("billing_address"),
        "delivery_address": client.get("delivery_address"),
        # The flat address fields as sent; where a client was given only a billing
        # address, they mirror it (Qonto's pages are silent on how the two relate).
        **{flat: client.get(flat) or billing.get(nested)
           for flat, nested in _FLAT_ADDRESS.items()},
        "currency": client.get("currency") or "EUR",
        "locale": client.get("locale") or "fr",
        "recipient_code": client.get("recipient_code"),
        "created_at": client["created_at"],
        "updated_at": client["updated_at"],
    }


def embedded_client(client: Record) -> dict[str, Any]:
    """The ``EmbeddedClient`` of an invoice: a copy taken when the invoice is written."""
    full = render_client(client, False)
    embedded: dict[str, Any] = {"id": client["id"], "type": client["kind"]}
    keys = ["name"] if client["kind"] == "company" else ["first_name", "last_name"]
    keys += ["email", "vat_number", "tax_identification_number", "e_invoicing_address",
             "address", "city", "zip_code", "province_code", "country_code",
             "recipient_code", "locale"]
    embedded.update({key: full[key] for key in keys if full.get(key) is not None})
    for key in ("billing_address", "delivery_address"):
        address = full.get(key)
        if address:
            embedded[key] = {f: address[f] for f in _ADDRESS_FIELDS if address.get(f) is not None}
    return embedded


def embedded_organization(org: Record, settings: dict[str, Any] | None) -> dict[str, Any]:
    """The ``EmbeddedInvoiceOrganization`` of an invoice, with the invoice's overrides."""
    embedded: dict[str, Any] = {
        "id": org["id"],
        "legal_name": org["legal_name"],
        "legal_number": org["legal_number"],
        "legal_country": org["legal_country"],
        **org["address"],
        "vat_number": org["vat_number"],
        "commercial_register_number": org["commercial_register_number"],
    }
    overrides = settings or {}
    for key in ("vat_number", "company_leadership", "district_court",
                "commercial_register_number", "tax_number", "legal_capital_share",
                "transaction_type", "vat_payment_condition"):
        if overrides.get(key) is not None:
            embedded[key] = overrides[key]
    return embedded


def render_invoice(org: Record, invoice: Record, base_url: str, *,
                   with_events: bool = True) -> dict[str, Any]:
    """A ``ClientInvoice``; without the lifecycle list for a webhook's ``data``."""
    payload = invoice["payload"]
    settings = payload.get("settings") or {}
    mentions = org["legal_mentions"]
    account = invoice["payment_account"]
    rendered: dict[str, Any] = {
        "id": invoice["id"],
        "organization_id": org["id"],
        "number": invoice["number"],
        "purchase_order": payload.get("purchase_order") or "",
        "status": invoice["status"],
        "invoice_url": f"{base_url}/_simulator/invoices/{invoice['id']}",
        "contact_email": org["contact_email"],
        "terms_and_conditions": payload.get("terms_and_conditions") or "",
        "discount_conditions": settings.get("discount_conditions",
                                            mentions["discount_conditions"]),
        "late_payment_penalties": settings.get("late_payment_penalties",
                                               mentions["late_payment_penalties"]),
        "legal_fixed_compensation": settings.get("legal_fixed_compensation",
                                                 mentions["legal_fixed_compensation"]),
        "header": payload.get("header") or "",
        "footer": payload.get("footer") or "",
        "currency": payload["currency"],
        **invoice["totals"],
        "issue_date": payload["issue_date"],
        "due_date": payload["due_date"],
        "performance_date": payload.get("performance_start_date") or "",
        "performance_start_date": payload.get("performance_start_date") or "",
        "performance_end_date": payload.get("performance_end_date") or "",
        "created_at": invoice["created_at"],
        "updated_at": invoice["updated_at"],
        "finalized_at": invoice["finalized_at"],
        "paid_at": invoice["paid_at"],
        "amount_paid": {"value": invoice["amount_paid"], "currency": payload["currency"]},
        "stamp_duty_amount": "0.00",
        "items": invoice["items"],
        "client": invoice["client_snapshot"],
        "payment_methods": [{
            "beneficiary_name": org["legal_name"],
            "bic": account["bic"],
            "iban": account["iban"],
            "type": "transfer",
        }],
        "credit_notes_ids": list(invoice["credit_notes_ids"]),
        "organization": invoice["organization_snapshot"],
        "einvoicing_status": invoice["einvoicing_status"],
        "invoice_type": "standard",
    }
    if invoice.get("discount"):
        rendered["discount"] = invoice["discount"]
    if invoice.get("attachment_id"):
        rendered["attachment_id"] = invoice["attachment_id"]
    if invoice.get("upload_id"):
        rendered["upload_id"] = invoice["upload_id"]
    if with_events:
        rendered["einvoicing_lifecycle_events"] = [
            dict(event) for event in invoice["einvoicing_lifecycle_events"]]
    return rendered


def render_credit_note(org: Record, note: Record) -> dict[str, Any]:
    """A credit note (quantities and amounts negative, as Qonto shows them), with the
    fields of Qonto's *Retrieve a credit note* example
    (https://docs.qonto.com/api-reference/business-api/invoicing/credit-notes/retrieve-a-credit-note):
    ``attachment_id`` (its PDF), ``terms_and_conditions`` and ``contact_email`` (the
    create body's, else the organization's address), ``stamp_duty_amount`` (Italian
    only: ``"0.00"``, as on invoices)."""
    rendered = {
        "id": note["id"],
        "organization_id": org["id"],
        "invoice_id": note["invoice_id"],
        "number": note["number"],
        "issue_date": note["issue_date"],
        "reason": note.get("reason") or "",
        "terms_and_conditions": note.get("terms_and_conditions") or "",
        "contact_email": note.get("contact_email") or org["contact_email"],
        "stamp_duty_amount": "0.00",
        "currency": note["currency"],
        **note["totals"],
        "items": note["items"],
        "client": note["client_snapshot"],
        "einvoicing_status": "pending",
        "einvoicing_lifecycle_events": [],
        "created_at": note["created_at"],
        "finalized_at": note["created_at"],
        "updated_at": note["updated_at"],
    }
    if note.get("attachment_id"):
        rendered["attachment_id"] = note["attachment_id"]
    return rendered


def render_attachment(attachment: Record, url: str) -> dict[str, Any]:
    """``GET /v2/attachments/{id}``'s ``attachment``, with its expiring download URL."""
    return {
        "id": attachment["id"],
        "file_name": attachment["file_name"],
        "file_size": attachment["file_size"],
        "file_content_type": attachment["content_type"],
        "url": url,
        "created_at": attachment["created_at"],
    }


def render_upload(org: Record, upload: Record, url: str) -> dict[str, Any]:
    """A ``client_invoice_upload``, as *Create* and *Retrieve a client invoice upload*
    show it (https://docs.qonto.com/api-reference/business-api/invoicing/client-invoices/retrieve-a-client-invoice-upload)."""
    return {
        "id": upload["id"],
        "organization_id": org["id"],
        "filename": upload["file_name"],
        "content_type": upload["content_type"],
        "file_size": upload["file_size"],
        "url": url,
        "created_at": upload["created_at"],
        "updated_at": upload["created_at"],
    }


def render_subscription(org: Record, subscription: Record, *,
                        with_secret: bool = False) -> dict[str, Any]:
    """A webhook subscription as Qonto documents it; its secret only in the create answer.

    https://docs.qonto.com/api-reference/business-api/webhooks/create-a-webhook-subscription
    """
    rendered = {
        "id": subscription["id"],
        "organization_id": org["id"],
        "membership_id": org["membership_id"],
        "callback_url": subscription["callback_url"],
        "types": list(subscription["types"]),
        "description": subscription.get("description") or "",
        "created_at": subscription["created_at"],
        "updated_at": subscription.get("updated_at") or subscription["created_at"],
    }
    if with_secret:
        rendered["secret"] = subscription["secret"]
    return rendered
