"""``POST /v2/client_invoices/bulk``: import invoices issued elsewhere (Flow 2).

As Qonto documents it
(https://docs.qonto.com/api-reference/business-api/expense-management/client-quotes-notes/client-invoices/bulk-import-client-invoices,
and the e-invoicing guide https://docs.qonto.com/guides/invoicing/e-invoicing.md):

- ``multipart/form-data``, the field ``client_invoices`` repeated once per file, 1 to 5
  files (422 ``/client_invoices`` otherwise);
- each file at most 5 MB, all of them at most 15 MB (422 naming the file);
- PDF, JPEG or PNG, recognized by content (422 naming the file);
- all or nothing: one refused file and none is imported;
- the same file again gives the same invoice (its id comes back, nothing is created);
- the answer is ``{"client_invoices": [{"invoice_id", "file_name"}]}`` (200).

From a Factur-X PDF the simulator reads, with the ``factur-x`` library, the number, type,
buyer (SIREN), dates and totals; the imported invoice is then ``unpaid`` (issued
elsewhere), keeps the file as its attachment, and goes through ``send_by_einvoice`` and
the lifecycle like any other. Its client is the organization's client with the buyer's
SIREN, or a new one. A JPEG, PNG or PDF without XML is imported as a document with no
structured data: it cannot be sent by e-invoice (412 on ``send_by_einvoice``), as
Qonto's guide asks for a structured invoice there. A number already used by another
invoice is refused (409), as on create.

Not documented by Qonto, so an assumption of this simulator: a Factur-X **credit note**
(type 381) whose BT-25 names an invoice of the organization is listed in that invoice's
``credit_notes_ids``, and a credit that reaches the invoice's total cancels it, the rule
of ``POST /v2/credit_notes``.
"""

from __future__ import annotations

import hashlib
import uuid
from decimal import Decimal
from typing import Any

from werkzeug.wrappers import Response

from ..bulk import MAX_BULK_BYTES, MAX_BULK_FILES, MAX_FILE_BYTES
from ..facturx_check import FacturxDocument, FacturxError, read_facturx
from .api_clients import add_client
from .api_invoices import number_conflict
from .clock import iso
from .files import new_file, sniff_content_type
from .jsonapi import ApiError, error_object, json_response
from .render import embedded_client, embedded_organization
from .routing import Call, Route
from .state import Record
from .totals import cents, money

__all__ = ["MAX_BULK_BYTES", "MAX_BULK_FILES", "MAX_FILE_BYTES", "ROUTES"]

FIELD = "client_invoices"


def _client_for(call: Call, document: FacturxDocument, stamp: str) -> Record:
    org = call.org
    siren = document.buyer_siren
    if siren:
        for client in org["clients"].values():
            address = client.get("e_invoicing_address") or ""
            tax_id = client.get("tax_identification_number") or ""
            if address.split("_")[0] == siren or tax_id[:9] == siren:
                return client
    return add_client(call.sim, org, {
        "kind": "company",
        "name": document.buyer_name or "Imported client",
        "tax_identification_number": siren,
        "e_invoicing_address": siren,
        "currency": document.currency or "EUR",
    }, stamp)


def _read(files: list[Any]) -> list[tuple[str, bytes, str, FacturxDocument | None]]:
    """Every file checked, or a 422 naming each one refused (nothing imported)."""
    if not 1 <= len(files) <= MAX_BULK_FILES:
        raise ApiError.one(422, "invalid",
                           f"Send 1 to {MAX_BULK_FILES} files in the field {FIELD}",
                           pointer=f"/{FIELD}")
    errors, read, total = [], [], 0
    for index, upload in enumerate(files):
        name = upload.filename or f"file-{index + 1}"
        data = upload.read(MAX_FILE_BYTES + 1)
        total += len(data)
        pointer = f"/{FIELD}/{index}"
        if len(data) > MAX_FILE_BYTES:
            errors.append(error_object(422, "invalid", f"{name} is larger than 5 MB",
                                       pointer=pointer))
            continue
        content_type = sniff_content_type(data)
        if content_type is None:
            errors.append(error_object(422, "invalid",
                                       f"{name}: only PDF, JPEG and PNG files are accepted",
                                       pointer=pointer))
            continue
        document = None
        if content_type == "application/pdf":
            try:
                document = read_facturx(data, name)
            except FacturxError:
                document = None  # a plain PDF: imported without structured data
        read.append((name, data, content_type, document))
    if total > MAX_BULK_BYTES:
        errors.append(error_object(422, "invalid", "The files total more than 15 MB",
                                   pointer=f"/{FIELD}"))
    if errors:
        raise ApiError(422, errors)
    return read


def _credit(org: Record, note: Record, document: FacturxDocument) -> None:
    """Link an imported credit note to the invoice it names; cancel it when fully credited."""
    for number in document.referenced_numbers:
        invoice = next((i for i in org["client_invoices"].values()
                        if i["number"] == number and not i.get("is_credit_note")), None)
        if invoice is None:
            continue
        invoice.setdefault("credit_notes_ids", []).append(note["id"])
        credited = sum(org["client_invoices"][n]["totals"]["total_amount_cents"]
                       for n in invoice["credit_notes_ids"] if n in org["client_invoices"])
        if credited >= invoice["totals"]["total_amount_cents"] \
                and invoice["status"] in ("unpaid", "paid"):
            invoice["status"] = "canceled"
        note["credited_invoice_id"] = invoice["id"]
        return


def bulk_import(call: Call) -> Response:
    """Import 1 to 5 invoice files, all or nothing (200)."""
    org, sim = call.org, call.sim
    files = call.request.files.getlist(FIELD)
    read = _read(files)
    imports = org.setdefault("imports", {})
    answers, to_create = [], []
    for name, data, content_type, document in read:
        digest = hashlib.sha256(data).hexdigest()
        known = imports.get(digest)
        if known and known in org["client_invoices"]:
            answers.append({"invoice_id": known, "file_name": name})
            continue
        if document and document.number and any(
                i["number"] == document.number for i in org["client_invoices"].values()):
            raise number_conflict(document.number)
        to_create.append((name, data, content_type, document, digest))
        answers.append({"invoice_id": None, "file_name": name})
    now = sim.now()
    stamp = iso(now)
    created = iter(to_create)
    for answer in answers:
        if answer["invoice_id"] is not None:
            continue
        name, data, content_type, document, digest = next(created)
        invoice = _new_invoice(call, name, data, content_type, document=document,
                               stamp=stamp)
        imports[digest] = invoice["id"]
        answer["invoice_id"] = invoice["id"]
        sim.invoice_changed(org, invoice, now, created=True)
    sim.store.mark_changed()
    return json_response({"client_invoices": answers})


def _new_invoice(call: Call, name: str, data: bytes, content_type: str, *,
                 document: FacturxDocument | None, stamp: str) -> Record:
    org, sim = call.org, call.sim
    attachment = new_file(name, content_type, data, sim.now())
    org["attachments"][attachment["id"]] = attachment
    currency = (document.currency if document else "") or "EUR"
    issue = document.issue_date.isoformat() if document and document.issue_date else stamp[:10]
    due = document.due_date.isoformat() if document and document.due_date else issue
    total = document.total_amount if document else Decimal(0)
    vat = document.tax_amount if document else Decimal(0)
    client = _client_for(call, document, stamp) if document else None
    account = org["bank_accounts"][0]
    invoice: Record = {
        "id": str(uuid.uuid4()),
        "seq": sim.store.next_seq(),
        "number": (document.number if document else "") or name,
        "status": "unpaid",
        "created_at": stamp,
        "updated_at": stamp,
        "finalized_at": stamp,
        "paid_at": "",
        "amount_paid": "0.00",
        "attachment_id": attachment["id"],
        "attachment_due_at": None,
        "credit_notes_ids": [],
        "einvoicing_status": "pending",
        "einvoicing_lifecycle_events": [],
        "einvoicing": None,
        "scenario": None,
        "imported": True,
        "structured": document is not None,
        "is_credit_note": bool(document and document.is_credit_note),
        "document_type": document.type_code if document else None,
        "payload": {"currency": currency, "issue_date": issue, "due_date": due},
        "client_id": client["id"] if client else None,
        "client_snapshot": embedded_client(client) if client else {},
        "organization_snapshot": embedded_organization(org, None),
        "payment_account": {"iban": account["iban"], "bic": account["bic"]},
        "items": [],
        "totals": {
            "total_amount": money(total, currency),
            "total_amount_cents": cents(total),
            "vat_amount": money(vat, currency),
            "vat_amount_cents": cents(vat),
        },
        "discount": None,
        "upload_id": None,
    }
    org["client_invoices"][invoice["id"]] = invoice
    if document and document.is_credit_note:
        _credit(org, invoice, document)
    return invoice


ROUTES = [
    Route("POST", "/v2/client_invoices/bulk", bulk_import),
]
