"""Supplier invoices: the e-invoices the organization receives through Qonto.

- ``GET /v2/supplier_invoices``: ``{"supplier_invoices": [...], "meta": {...}}``; filters
  ``filter[status]`` (comma-separated), ``filter[created_at_from]``/``_to``,
  ``filter[updated_at_from]``/``_to``; ``sort_by`` on Qonto's fields; ``page``,
  ``per_page`` ≤ 100
  (https://docs.qonto.com/api-reference/business-api/expense-management/supplier-invoices/list-supplier-invoices,
  https://docs.qonto.com/get-started/business-api/use-cases/sync-supplier-invoices).
- ``GET /v2/supplier_invoices/{id}``: ``{"supplier_invoice": {...}}``.
- Each invoice has ``source`` (a string; see :func:`render_supplier_invoice`).
- The file is the invoice's ``attachment_id``, read with ``GET /v2/attachments/{id}``
  whose URL expires after 30 minutes (:mod:`.api_files`).

The inbox: the default organization finds :data:`AT_START` supplier e-invoices after a
reset, and one more every :data:`ARRIVAL_SECONDS` of simulator time (at most
:data:`MAX_ARRIVALS`), so that a demo sees invoices come in. Control API:

- ``POST /_simulator/supplier_invoices`` drops one in: ``kind`` (``facturx``, ``ubl``,
  ``corrupt``, ``pdf``, ``unknown_xml``), optional ``api_key_login``, ``supplier``
  (0 or 1), ``number``, ``lines`` (``[{"name", "quantity", "price", "vat_rate"}]``),
  ``qonto_total`` (what Qonto's object says, to play a total that differs from the file).
- ``POST /_simulator/supplier_invoices/arrivals``: ``{"every_seconds": N}`` (0 stops).
- ``POST /_simulator/attachments/expire``: ``{"count": N}``: the next N download URLs
  handed out are already expired, as one read 30 minutes late would be.
"""

from __future__ import annotations

import datetime as dt
import uuid
from decimal import Decimal, InvalidOperation
from typing import Any

from werkzeug.wrappers import Response

from .clock import iso
from .files import new_file
from .jsonapi import (
    ApiError,
    error_object,
    get_or_404,
    json_response,
    paginate,
    sort_records,
    time_filter,
)
from .routing import Call, Route
from .state import Record
from .supplier_documents import KINDS, SUPPLIERS, build_document

__all__ = ["AT_START", "CONTROL_ROUTES", "ROUTES", "receive", "receive_due", "seed"]

AT_START = ("facturx", "ubl", "facturx")
ARRIVAL_SECONDS = 3600.0
MAX_ARRIVALS = 50
STATUSES = ("to_review", "to_approve", "awaiting_payment", "to_pay", "scheduled", "paid",
            "rejected", "archived")
SORTABLE = ("created_at", "updated_at", "file_name", "supplier_name", "payment_date",
            "due_date", "scheduled_date", "total_amount")
_DEFAULT_LINES = (
    [("Ramettes de papier A4", "10", "4.50", "20"), ("Livraison", "1", "12.00", "20")],
    [("Maintenance photocopieur", "1", "180.00", "20"), ("Toner noir", "2", "39.90", "20"),
     ("Café (alimentation)", "3", "8.00", "5.5")],
)


def _invalid(pointer: str, detail: str) -> ApiError:
    return ApiError(422, [error_object(422, "invalid", detail, pointer=pointer)])


def _money(value: Decimal) -> dict[str, str]:
    return {"value": f"{value:.2f}", "currency": "EUR"}


def receive(sim: Any, org: Record, kind: str, at: float, *, supplier: int = 0,
            number: str | None = None, lines: list[tuple[str, str, str, str]] | None = None,
            qonto_total: str | None = None) -> Record:
    """Store a received supplier e-invoice and its file in ``org`` (store lock held)."""
    org.setdefault("supplier_invoices", {})
    seq = sim.store.next_seq()
    number = number or f"FR-{seq:05d}"
    chosen = lines or _DEFAULT_LINES[seq % len(_DEFAULT_LINES)]
    parsed = [(n, Decimal(q), Decimal(p), Decimal(r)) for n, q, p, r in chosen]
    day = dt.datetime.fromtimestamp(at, dt.timezone.utc).date()
    key = (kind, number, supplier, day.isoformat(), org["id"], repr(parsed))
    # Documents are made once per simulator: a reset makes the same three again.
    cache = sim.__dict__.setdefault("_supplier_documents", {})
    if key not in cache:
        cache[key] = build_document(kind, number, SUPPLIERS[supplier % len(SUPPLIERS)], day,
                                    buyer_name=org["legal_name"],
                                    buyer_siren=org["legal_number"],
                                    buyer_vat=org["vat_number"], lines=parsed)
    doc = cache[key]
    attachment = new_file(doc.file_name, doc.content_type, doc.data, at)
    org["attachments"][attachment["id"]] = attachment
    total = Decimal(qonto_total) if qonto_total is not None else doc.total
    invoice = {
        "id": str(uuid.uuid4()),
        "seq": seq,
        "organization_id": org["id"],
        "is_einvoice": True,
        "e_invoice_type": doc.e_invoice_type,
        "source_type": "e_invoicing",
        "status": "to_review",
        "file_name": doc.file_name,
        "attachment_id": attachment["id"],
        "display_attachment_id": attachment["id"],
        "invoice_number": number,
        "supplier_name": doc.supplier.name,
        "vat_number": doc.supplier.vat,
        "tin": doc.supplier.siret,
        "total_amount": _money(total),
        "total_amount_excluding_taxes": _money(doc.untaxed),
        "total_tax_amount": _money(doc.tax),
        "issue_date": doc.issue_date.isoformat(),
        "due_date": doc.due_date.isoformat(),
        "payment_date": None,
        "declined_note": "",
        "has_discrepancies": False,
        "has_duplicates": False,
        "created_at": iso(at),
        "updated_at": iso(at),
        "einvoicing_lifecycle_events": [
            {"status_code": 200, "reason": None, "reason_message": None,
             "timestamp": iso(at - 2)},
            {"status_code": 202, "reason": None, "reason_message": None,
             "timestamp": iso(at - 1)},
            {"status_code": 203, "reason": None, "reason_message": None,
             "timestamp": iso(at)},
        ],
    }
    org["supplier_invoices"][invoice["id"]] = invoice
    sim.store.mark_changed()
    return invoice


def seed(sim: Any, org: Record) -> None:
    """The supplier e-invoices the default organization holds at start (lock held)."""
    org["supplier_invoices"] = {}
    now = sim.now()
    for index, kind in enumerate(AT_START):
        receive(sim, org, kind, now - 86400 * (len(AT_START) - index), supplier=index)
    org["supplier_arrivals"] = {"every": ARRIVAL_SECONDS, "next_at": now + ARRIVAL_SECONDS,
                                "count": 0}


def receive_due(sim: Any) -> None:
    """Let the invoices whose time has come arrive (store lock held)."""
    now = sim.now()
    for org in sim.store.organizations():
        arrivals = org.get("supplier_arrivals")
        if not arrivals or not arrivals["every"]:
            continue
        while arrivals["next_at"] <= now and arrivals["count"] < MAX_ARRIVALS:
            kind = ("facturx", "ubl")[arrivals["count"] % 2]
            receive(sim, org, kind, arrivals["next_at"], supplier=arrivals["count"])
            arrivals["count"] += 1
            arrivals["next_at"] += arrivals["every"]
            sim.store.mark_changed()


def render_supplier_invoice(invoice: Record) -> dict[str, Any]:
    """The stored invoice, with ``source``: where it came from, a string that a public
    client's schema (checked against the live API) requires. Qonto's pages name the
    field without listing its values; ``"e_invoicing"``, as ``source_type``, is the
    simulator's choice."""
    rendered = {key: value for key, value in invoice.items() if key != "seq"}
    rendered.setdefault("source", rendered.get("source_type") or "e_invoicing")
    return rendered


# ------------------------------------------------------------------ API


def list_supplier_invoices(call: Call) -> Response:
    """Supplier invoices, filtered on status and dates, sorted and paginated."""
    args = call.args
    filters = []
    raw_status = args.get("filter[status]")
    if raw_status:
        statuses = [s.strip() for s in raw_status.split(",") if s.strip()]
        if not statuses or any(s not in STATUSES for s in statuses):
            raise ApiError.one(400, "invalid_request_format",
                               f"filter[status] is a comma-separated list of "
                               f"{', '.join(STATUSES)}", parameter="filter[status]")
        filters.append(lambda invoice: invoice["status"] in statuses)
    filters += time_filter(args, "created_at", "created_at")
    filters += time_filter(args, "updated_at", "updated_at")
    invoices = [i for i in call.org.get("supplier_invoices", {}).values()
                if all(f(i) for f in filters)]

    def key_of(record: Record, field: str) -> Any:
        value = record.get(field)
        return Decimal(value["value"]) if isinstance(value, dict) else value

    invoices = sort_records(invoices, args, SORTABLE, "created_at:desc", key_of=key_of)
    page, meta = paginate(invoices, args)
    return json_response({"supplier_invoices": [render_supplier_invoice(i) for i in page],
                          "meta": meta})


def get_supplier_invoice(call: Call) -> Response:
    invoice = get_or_404(call.org.get("supplier_invoices", {}), call.params["id"],
                         "Supplier invoice")
    return json_response({"supplier_invoice": render_supplier_invoice(invoice)})


ROUTES = [
    Route("GET", "/v2/supplier_invoices", list_supplier_invoices),
    Route("GET", "/v2/supplier_invoices/{id}", get_supplier_invoice),
]


# ------------------------------------------------------------------ control


def _lines(body: dict[str, Any]) -> list[tuple[str, str, str, str]] | None:
    raw = body.get("lines")
    if raw is None:
        return None
    if not isinstance(raw, list) or not raw:
        raise _invalid("/lines", "lines is a non-empty list")
    lines = []
    for index, line in enumerate(raw):
        try:
            lines.append((str(line["name"]), str(Decimal(str(line["quantity"]))),
                          str(Decimal(str(line["price"]))),
                          str(Decimal(str(line.get("vat_rate", "20"))))))
        except (KeyError, TypeError, InvalidOperation):
            raise _invalid(f"/lines/{index}", "a line has name, quantity, price and "
                           "vat_rate") from None
    return lines


def drop_in(call: Call) -> Response:
    """Receive one supplier e-invoice now (201 with it)."""
    from .control import _org_by_login  # noqa: PLC0415 (control imports this module)

    body = call.json()
    kind = body.get("kind", "facturx")
    if kind not in KINDS:
        raise _invalid("/kind", f"kind is one of {', '.join(KINDS)}")
    org = _org_by_login(call, body)
    supplier = body.get("supplier", 0)
    if supplier not in (0, 1):
        raise _invalid("/supplier", "supplier is 0 or 1")
    number = body.get("number")
    qonto_total = body.get("qonto_total")
    invoice = receive(call.sim, org, kind, call.sim.now(), supplier=supplier,
                      number=str(number) if number else None, lines=_lines(body),
                      qonto_total=str(qonto_total) if qonto_total is not None else None)
    return json_response({"supplier_invoice": render_supplier_invoice(invoice)}, 201)


def set_arrivals(call: Call) -> Response:
    from .control import _number, _org_by_login  # noqa: PLC0415

    body = call.json()
    org = _org_by_login(call, body)
    every = _number(body, "every_seconds")
    org["supplier_arrivals"] = {"every": every, "next_at": call.sim.now() + every,
                                "count": 0}
    call.sim.store.mark_changed()
    return json_response({"every_seconds": every})


def expire_urls(call: Call) -> Response:
    from .control import _number  # noqa: PLC0415

    count = int(_number(call.json(), "count"))
    call.sim.store.data["expire_next_urls"] = count
    call.sim.store.mark_changed()
    return json_response({"count": count})


CONTROL_ROUTES = [
    Route("POST", "/_simulator/supplier_invoices", drop_in),
    Route("POST", "/_simulator/supplier_invoices/arrivals", set_arrivals),
    Route("POST", "/_simulator/attachments/expire", expire_urls),
]
