"""``/v2/credit_notes``: credit an issued invoice, list and retrieve credit notes.

Quantities are sent positive and stored negated, as Qonto does. The credited amounts of
an invoice add up to at most its total (422 ``/items`` otherwise); the credit note that
brings them to the total cancels the invoice. The invoice lists its credit notes in
``credit_notes_ids``. Numbers are unique among the organization's credit notes (409), and
generated (``AV-<year>-<00001>``) when missing. A credit note is final at once, so its
PDF is an attachment from the start (``attachment_id``, read with ``GET
/v2/attachments/{id}``); ``terms_and_conditions`` and ``contact_email`` of the body are
kept. The shape follows *Retrieve a credit note*
(https://docs.qonto.com/api-reference/business-api/invoicing/credit-notes/retrieve-a-credit-note;
see ``render.render_credit_note``). A public client expects ``first_name``/``last_name``
on a credit note's company client: no Qonto page shows them for a company, so the client
is the invoice's embedded client, as Qonto's ``EmbeddedClient`` has it.
"""

from __future__ import annotations

import uuid

from werkzeug.wrappers import Response

from ..models import CreditNoteCreatePayload
from .api_invoices import number_conflict
from .clock import iso
from .files import new_file
from .identifiers import next_number
from .jsonapi import ApiError, get_or_404, json_response, paginate, sort_records
from .pdf import render_pdf
from .render import render_credit_note
from .routing import Call, Route
from .state import Record
from .totals import DiscountError, compute
from .validation import validated

__all__ = ["ROUTES"]


def _number_taken(org: Record, number: str) -> bool:
    return any(note["number"] == number for note in org["credit_notes"].values())


def _attach_pdf(org: Record, note: Record, invoice: Record, at: float) -> str:
    """Store the credit note's PDF as an attachment; its id."""
    total = note["totals"]["total_amount"]
    lines = [
        f"{org['legal_name']} - SIREN {org['legal_number']}",
        f"Avoir {note['number']} du {note['issue_date']}",
        f"Facture d'origine : {invoice['number']}",
        f"Total TTC : {total['value']} {total['currency']}",
        "Document produced by the Qonto simulator.",
    ]
    attachment = new_file(f"{note['number']}.pdf", "application/pdf", render_pdf(lines), at)
    org["attachments"][attachment["id"]] = attachment
    return str(attachment["id"])


def create_credit_note(call: Call) -> Response:
    """Credit (part of) an invoice (201)."""
    org, sim = call.org, call.sim
    payload = validated(CreditNoteCreatePayload, call.json())
    invoice = org["client_invoices"].get(payload["invoice_id"])
    if invoice is None:
        raise ApiError.one(422, "invalid", f"No client invoice {payload['invoice_id']}",
                           pointer="/invoice_id")
    if invoice["status"] in ("draft", "canceled"):
        raise ApiError.one(412, "forbidden_invoice_update",
                           f"A {invoice['status']} invoice cannot be credited")
    if payload["currency"] != invoice["payload"]["currency"]:
        raise ApiError.one(422, "invalid", "The currency must be the invoice's",
                           pointer="/currency")
    try:
        totals = compute(payload["items"], payload["currency"], sign=-1)
    except DiscountError as exc:
        raise ApiError.one(422, "invalid", str(exc), pointer=exc.pointer) from None
    credited = sum(-org["credit_notes"][n]["totals"]["total_amount_cents"]
                   for n in invoice["credit_notes_ids"])
    credit = -totals.fields(payload["currency"])["total_amount_cents"]
    invoice_total = invoice["totals"]["total_amount_cents"]
    if credited + credit > invoice_total:
        raise ApiError.one(
            422, "invalid",
            f"The credit notes would total more than the invoice "
            f"({(credited + credit) / 100:.2f} > {invoice_total / 100:.2f})",
            pointer="/items")
    number = payload.get("number")
    if number and _number_taken(org, number):
        raise number_conflict(number)
    now = sim.now()
    note: Record = {
        "id": str(uuid.uuid4()),
        "seq": sim.store.next_seq(),
        "invoice_id": invoice["id"],
        "number": number or next_number(
            org, "credit_note_counter", "AV", payload["issue_date"][:4],
            lambda taken: _number_taken(org, taken)),
        "issue_date": payload["issue_date"],
        "reason": payload.get("reason"),
        "currency": payload["currency"],
        "items": totals.items,
        "totals": totals.fields(payload["currency"]),
        "client_snapshot": invoice["client_snapshot"],
        "terms_and_conditions": payload.get("terms_and_conditions"),
        "contact_email": payload.get("contact_email"),
        "created_at": iso(now),
        "updated_at": iso(now),
    }
    note["attachment_id"] = _attach_pdf(org, note, invoice, now)
    org["credit_notes"][note["id"]] = note
    invoice["credit_notes_ids"].append(note["id"])
    if credited + credit == invoice_total:
        invoice["status"] = "canceled"
    sim.invoice_changed(org, invoice, now)
    return json_response({"credit_note": render_credit_note(org, note)}, 201)


def list_credit_notes(call: Call) -> Response:
    """Credit notes, sorted and paginated."""
    notes = sort_records(list(call.org["credit_notes"].values()), call.args,
                         ("created_at", "updated_at"), "created_at:desc")
    page, meta = paginate(notes, call.args)
    return json_response({"credit_notes": [render_credit_note(call.org, n) for n in page],
                          "meta": meta})


def get_credit_note(call: Call) -> Response:
    """One credit note."""
    note = get_or_404(call.org["credit_notes"], call.params["id"], "Credit note")
    return json_response({"credit_note": render_credit_note(call.org, note)})


ROUTES = [
    Route("GET", "/v2/credit_notes", list_credit_notes),
    Route("POST", "/v2/credit_notes", create_credit_note),
    Route("GET", "/v2/credit_notes/{id}", get_credit_note),
]
