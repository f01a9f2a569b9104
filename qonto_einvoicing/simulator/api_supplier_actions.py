"""The buyer's answers to a received supplier invoice: reject, mark as paid, unmark.

- ``POST /v2/supplier_invoices/{id}/reject`` with ``{"supplier_invoice":
  {"declined_note", "declined_reason_code"}}``: only ``to_review``, ``to_approve`` and
  ``awaiting_payment`` invoices may be rejected; the status becomes ``rejected``; any
  other status answers ``400`` (invalid transition), so a second reject is a 400, not a
  no-op. From 1 September 2026 a French e-invoice (``is_einvoice`` in a French
  organization) rejected without a ``declined_reason_code`` answers ``422``. Scope
  ``supplier_invoice.write``. The answer is the bare supplier invoice
  (https://docs.qonto.com/api-reference/business-api/spend-management/supplier-invoices/reject-supplier-invoice).
  The simulator appends the refusal to the lifecycle, as the network would carry it:
  event 210 *Refusée* whose ``reason`` is the code and ``reason_message`` the note.
- ``POST /v2/supplier_invoices/{id}/mark_as_paid`` with ``{"supplier_invoice":
  {"payment_date": "YYYY-MM-DD"}}``
  (https://docs.qonto.com/api-reference/business-api/spend-management/supplier-invoices/mark-supplier-invoice-as-paid);
  ``POST .../unmark_as_paid`` without a body
  (https://docs.qonto.com/api-reference/business-api/spend-management/supplier-invoices/unmark-supplier-invoice-as-paid).
  The pages do not say which statuses are eligible, nor that a lifecycle event follows:
  the simulator refuses a rejected invoice (400), a date in the future (422, as for client
  invoices), unmarks only a paid one (400 otherwise), and appends no event.

Errors are JSON:API error objects, like every other endpoint.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from werkzeug.wrappers import Response

from ..receiving import REFUSAL_CODES
from .clock import iso
from .jsonapi import ApiError, get_or_404, json_response, payment_date
from .routing import Call, Route
from .state import Record

__all__ = ["REASON_CODE_REQUIRED_FROM", "ROUTES"]

REJECTABLE = ("to_review", "to_approve", "awaiting_payment")
PAYABLE = ("to_review", "to_approve", "awaiting_payment", "to_pay", "scheduled", "paid")
# "From 1 September 2026, rejecting a French e-invoice requires a declined_reason_code".
REASON_CODE_REQUIRED_FROM = dt.date(2026, 9, 1)
NOTE_MAX = 500


def _invoice(call: Call) -> Record:
    return get_or_404(call.org.get("supplier_invoices", {}), call.params["id"],
                      "Supplier invoice")


def _body(call: Call) -> dict[str, Any]:
    body = call.json()
    inner = body.get("supplier_invoice", body)
    if not isinstance(inner, dict):
        raise ApiError.one(400, "invalid_request_format",
                           "supplier_invoice must be an object", pointer="/supplier_invoice")
    return inner


def _answer(invoice: Record) -> Response:
    return json_response({k: v for k, v in invoice.items() if k != "seq"})


def _transition(invoice: Record, action: str) -> ApiError:
    return ApiError.one(400, "bad_request",
                        f"Invalid transition: a {invoice['status']} supplier invoice "
                        f"cannot be {action}")


def reject(call: Call) -> Response:
    """Reject: eligible statuses only, a reason code for French e-invoices, event 210."""
    invoice = _invoice(call)
    body = _body(call)
    if invoice["status"] not in REJECTABLE:
        raise _transition(invoice, "rejected")
    code = body.get("declined_reason_code")
    note = body.get("declined_note")
    if note is not None and (not isinstance(note, str) or len(note) > NOTE_MAX):
        raise ApiError.one(422, "invalid", f"declined_note is a text of at most "
                           f"{NOTE_MAX} characters", pointer="/supplier_invoice/declined_note")
    french = (call.org.get("legal_country") or "FR") == "FR"
    if code is None:
        if (invoice.get("is_einvoice") and french
                and call.sim.clock.today() >= REASON_CODE_REQUIRED_FROM):
            raise ApiError.one(422, "missing_field",
                               "declined_reason_code is required to reject a French "
                               "e-invoice", pointer="/supplier_invoice/declined_reason_code")
    elif code not in REFUSAL_CODES:
        raise ApiError.one(422, "invalid", "declined_reason_code is not a code of the "
                           "AFNOR list", pointer="/supplier_invoice/declined_reason_code")
    now = call.sim.now()
    invoice["status"] = "rejected"
    invoice["declined_note"] = note or ""
    invoice["declined_reason_code"] = code
    invoice["updated_at"] = iso(now)
    if invoice.get("is_einvoice"):
        invoice.setdefault("einvoicing_lifecycle_events", []).append(
            {"status_code": 210, "reason": code, "reason_message": note or None,
             "timestamp": iso(now)})
    call.sim.store.mark_changed()
    return _answer(invoice)


def mark_as_paid(call: Call) -> Response:
    """Paid on ``payment_date`` (today when omitted, never in the future)."""
    invoice = _invoice(call)
    paid_on = payment_date(_body(call).get("payment_date"), call.sim.clock.today(),
                           name="payment_date", pointer="/supplier_invoice/payment_date")
    if invoice["status"] not in PAYABLE:
        raise _transition(invoice, "marked as paid")
    invoice["status"] = "paid"
    invoice["payment_date"] = paid_on.isoformat()
    invoice["updated_at"] = iso(call.sim.now())
    call.sim.store.mark_changed()
    return _answer(invoice)


def unmark_as_paid(call: Call) -> Response:
    """Paid → to pay."""
    invoice = _invoice(call)
    if invoice["status"] != "paid":
        raise _transition(invoice, "unmarked as paid")
    invoice["status"] = "to_pay"
    invoice["payment_date"] = None
    invoice["updated_at"] = iso(call.sim.now())
    call.sim.store.mark_changed()
    return _answer(invoice)


ROUTES = [
    Route("POST", "/v2/supplier_invoices/{id}/reject", reject),
    Route("POST", "/v2/supplier_invoices/{id}/mark_as_paid", mark_as_paid),
    Route("POST", "/v2/supplier_invoices/{id}/unmark_as_paid", unmark_as_paid),
]
