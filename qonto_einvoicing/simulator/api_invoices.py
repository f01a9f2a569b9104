"""``/v2/client_invoices``: create, list, retrieve, update and delete (drafts only).

Create checks the body with :class:`~qonto_einvoicing.models.ClientInvoiceCreatePayload`
(422 with a pointer per field), then Qonto's business rules: ``client_id`` must be a
client of the organization (422 ``invalid_client_id``, ``/client_id``), the IBAN one of its
accounts (422 ``/payment_methods/iban``), ``upload_id`` one of its uploads
(422 ``/upload_id``), each item priced in the invoice's currency, discounts in range; and
the number must be unused in the organization (409 ``invoice_number_already_exists``,
pointer ``/data/attributes/number`` as in Qonto's example). Without a number, one is
generated (``F-<year>-<00001>``). Without a status, the invoice is ``unpaid``: finalized
at once, its PDF ready one lifecycle step later.
"""

from __future__ import annotations

import re
import uuid
from typing import Any

from werkzeug.wrappers import Response

from ..models import ClientInvoiceCreatePayload
from .clock import iso
from .identifiers import next_number
from .jsonapi import (
    ApiError,
    Filter,
    error_object,
    get_or_404,
    json_response,
    no_content,
    paginate,
    sort_records,
    time_filter,
)
from .render import embedded_client, embedded_organization, render_invoice
from .routing import Call, Route
from .state import Record
from .totals import DiscountError, Totals, compute
from .validation import validated

__all__ = ["INVOICE_STATUSES", "ROUTES", "invoice_response", "number_conflict"]

INVOICE_STATUSES = ("draft", "unpaid", "paid", "canceled")


def invoice_response(call: Call, invoice: Record, status: int = 200) -> Response:
    """``{"client_invoice": ...}``."""
    return json_response(
        {"client_invoice": render_invoice(call.org, invoice, call.base_url)}, status)


def number_conflict(number: str) -> ApiError:
    """The 409 of a number already used in the organization."""
    return ApiError(409, [{
        "status": "409",
        "code": "invoice_number_already_exists",
        "detail": f"The number {number} is already used by another document",
        "source": {"pointer": "/data/attributes/number"},
    }])


def _compact(iban: str) -> str:
    return re.sub(r"\s", "", iban).upper()


def _checked(org: Record, payload: dict[str, Any]) -> tuple[Record, Record, Totals]:
    """The client, bank account and totals of a valid payload; 422 on a broken rule."""
    errors = []
    client = org["clients"].get(payload["client_id"])
    if client is None:
        errors.append(error_object(422, "invalid_client_id",
                                   f"No client {payload['client_id']} in this organization",
                                   pointer="/client_id"))
    iban = _compact(payload["payment_methods"]["iban"])
    account = next((a for a in org["bank_accounts"] if _compact(a["iban"]) == iban), None)
    if account is None:
        errors.append(error_object(
            422, "invalid", "The IBAN must be the one of an account of the organization",
            pointer="/payment_methods/iban"))
    upload_id = payload.get("upload_id")
    if upload_id and upload_id not in org["uploads"]:
        errors.append(error_object(422, "invalid", f"No upload {upload_id}",
                                   pointer="/upload_id"))
    for index, item in enumerate(payload["items"]):
        if item["unit_price"]["currency"] != payload["currency"]:
            errors.append(error_object(422, "invalid",
                                       "The item's currency must be the invoice's currency",
                                       pointer=f"/items/{index}/unit_price/currency"))
    totals = None
    try:
        totals = compute(payload["items"], payload["currency"], payload.get("discount"))
    except DiscountError as exc:
        errors.append(error_object(422, "invalid", str(exc), pointer=exc.pointer))
    if errors or client is None or account is None or totals is None:
        raise ApiError(422, errors)
    return client, account, totals


def _number_taken(org: Record, number: str, except_id: str | None = None) -> bool:
    return any(inv["number"] == number and inv["id"] != except_id
               for inv in org["client_invoices"].values())




def _apply(org: Record, invoice: Record, payload: dict[str, Any], *, client: Record,
           account: Record, totals: Totals) -> None:
    """Write the payload and everything computed from it on the invoice."""
    invoice.update({
        "payload": payload,
        "client_id": client["id"],
        "client_snapshot": embedded_client(client),
        "organization_snapshot": embedded_organization(org, payload.get("settings")),
        "payment_account": {"iban": account["iban"], "bic": account["bic"]},
        "items": totals.items,
        "totals": totals.fields(payload["currency"]),
        "discount": totals.discount,
        "upload_id": payload.get("upload_id"),
    })


def create_invoice(call: Call) -> Response:
    """Create a client invoice (201), as a draft or finalized (``unpaid``)."""
    org, sim = call.org, call.sim
    payload = validated(ClientInvoiceCreatePayload, call.json())
    client, account, totals = _checked(org, payload)
    number = payload.get("number")
    if number and _number_taken(org, number):
        raise number_conflict(number)
    now = sim.now()
    stamp = iso(now)
    status = payload.get("status") or "unpaid"
    invoice: Record = {
        "id": str(uuid.uuid4()),
        "seq": sim.store.next_seq(),
        "number": number or next_number(
            org, "invoice_counter", "F", payload["issue_date"][:4],
            lambda taken: _number_taken(org, taken)),
        "status": status,
        "created_at": stamp,
        "updated_at": stamp,
        "finalized_at": stamp if status == "unpaid" else "",
        "paid_at": "",
        "amount_paid": "0.00",
        "attachment_id": None,
        "attachment_due_at": now + sim.engine.step_seconds if status == "unpaid" else None,
        "credit_notes_ids": [],
        "einvoicing_status": "pending",
        "einvoicing_lifecycle_events": [],
        "einvoicing": None,
        "scenario": None,
    }
    _apply(org, invoice, payload, client=client, account=account, totals=totals)
    org["client_invoices"][invoice["id"]] = invoice
    if invoice["attachment_due_at"] is not None:
        sim.engine.watch(org, invoice)
    sim.invoice_changed(org, invoice, now, created=True)
    return invoice_response(call, invoice, 201)


def list_invoices(call: Call) -> Response:
    """Client invoices, filtered on status and dates, sorted and paginated.

    Without ``einvoicing_lifecycle_events`` (the list drops the heavier fields:
    https://docs.qonto.com/api-reference/business-api/invoicing/client-invoices/list-client-invoices.md);
    the option ``list_lifecycle_events`` includes them.
    """
    args = call.args
    filters: list[Filter] = []
    raw_status = args.get("filter[status]")
    if raw_status:
        statuses = [s.strip() for s in raw_status.split(",") if s.strip()]
        if not statuses or any(s not in INVOICE_STATUSES for s in statuses):
            raise ApiError.one(
                400, "invalid_request_format",
                f"filter[status] is a comma-separated list of {', '.join(INVOICE_STATUSES)}",
                parameter="filter[status]")
        filters.append(lambda invoice: invoice["status"] in statuses)
    filters += time_filter(args, "created_at", "created_at")
    filters += time_filter(args, "updated_at", "updated_at")
    invoices = [i for i in call.org["client_invoices"].values() if all(f(i) for f in filters)]
    invoices = sort_records(invoices, args, ("created_at", "updated_at"), "created_at:desc")
    page, meta = paginate(invoices, args)
    return json_response({
        "client_invoices": [render_invoice(call.org, i, call.base_url,
                                           with_events=call.sim.options.list_lifecycle_events)
                            for i in page],
        "meta": meta,
    })


def get_invoice(call: Call) -> Response:
    """One client invoice, with its lifecycle events."""
    return invoice_response(call, get_or_404(call.org["client_invoices"], call.params["id"],
                                             "Client invoice"))


def update_invoice(call: Call) -> Response:
    """Update a draft: the body's fields replace the invoice's (``null`` clears one)."""
    org = call.org
    invoice = get_or_404(org["client_invoices"], call.params["id"], "Client invoice")
    if invoice["status"] != "draft":
        raise ApiError.one(412, "forbidden_invoice_update", "Only a draft can be updated")
    body = call.json()
    if body.get("status", "draft") != "draft":
        raise ApiError.one(422, "invalid", "Finalize a draft with POST .../finalize",
                           pointer="/status")
    merged = {k: v for k, v in {**invoice["payload"], **body}.items() if v is not None}
    payload = validated(ClientInvoiceCreatePayload, merged)
    client, account, totals = _checked(org, payload)
    number = payload.get("number") or invoice["number"]
    if _number_taken(org, number, except_id=invoice["id"]):
        raise number_conflict(number)
    invoice["number"] = number
    _apply(org, invoice, payload, client=client, account=account, totals=totals)
    call.sim.invoice_changed(org, invoice)
    return invoice_response(call, invoice)


def delete_invoice(call: Call) -> Response:
    """Delete a draft (204)."""
    invoice = get_or_404(call.org["client_invoices"], call.params["id"], "Client invoice")
    if invoice["status"] != "draft":
        raise ApiError.one(412, "forbidden_invoice_deletion", "Only a draft can be deleted")
    del call.org["client_invoices"][invoice["id"]]
    call.sim.store.mark_changed()
    return no_content()


ROUTES = [
    Route("GET", "/v2/client_invoices", list_invoices),
    Route("POST", "/v2/client_invoices", create_invoice),
    Route("GET", "/v2/client_invoices/{id}", get_invoice),
    Route("PATCH", "/v2/client_invoices/{id}", update_invoice),
    Route("DELETE", "/v2/client_invoices/{id}", delete_invoice),
]
