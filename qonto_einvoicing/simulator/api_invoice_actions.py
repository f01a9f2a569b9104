"""What can happen to a client invoice after it is written.

=====================  ===========================  =========================================
action                 allowed from                 otherwise
=====================  ===========================  =========================================
``finalize``           draft → unpaid               412 ``invoice_not_in_draft_status``
``send_by_einvoice``   unpaid, paid                 draft: 412 ``invoice_not_in_draft_status``;
                                                    canceled: 412 ``forbidden_invoice_update``;
                                                    client unreachable: 412
                                                    ``recipient_not_reachable_on_einvoicing``;
                                                    sending disabled: 403 ``forbidden``
``send`` (e-mail)      unpaid, paid                 as ``send_by_einvoice`` for the status
``mark_as_paid``       unpaid, paid (moves paid_at)  412 ``forbidden_invoice_update``
``unmark_as_paid``     paid → unpaid                412 ``forbidden_invoice_update``
``mark_as_canceled``   unpaid → canceled            412 ``forbidden_invoice_update``
=====================  ===========================  =========================================

``send_by_einvoice`` answers 204 and starts the lifecycle (see ``lifecycle_engine``); a
second call answers 204 and does nothing; a client that is not ``e_invoicing_reachable``
(see ``annuaire``) gets 412 ``recipient_not_reachable_on_einvoicing``
(https://docs.qonto.com/guides/invoicing/e-invoicing.md).

``mark_as_paid`` takes ``paid_at`` (``YYYY-MM-DD``, today by default, never after today
on the simulator clock: 422 ``/paid_at``).

``finalize``, ``unmark_as_paid`` and ``mark_as_canceled`` have no documented answer body
(the client-invoice pages of https://docs.qonto.com, e.g.
https://docs.qonto.com/guides/invoicing/e-invoicing.md, show none). Two public clients
written independently (``qodev-qonto-api`` on PyPI, and a TypeScript command-line client
whose schemas were checked against the live API) parse ``{"client_invoice": ...}`` from
all three: that is the better evidence, so they answer 200 with the invoice. The option
``undocumented_bodies="none"`` answers 204 without a body, the pages' reading; a client
must work with both, and the addon re-reads the invoice rather than trust either.
"""

from __future__ import annotations

from werkzeug.wrappers import Response

from .api_invoices import invoice_response
from .clock import iso, iso_date
from .jsonapi import ApiError, error_object, get_or_404, no_content, payment_date
from .payments import collected_on_mark
from .render import embedded_client
from .routing import Call, Route
from .state import Record

__all__ = ["ROUTES"]


def _invoice(call: Call) -> Record:
    invoice: Record = get_or_404(call.org["client_invoices"], call.params["id"],
                                 "Client invoice")
    return invoice


def _undocumented_answer(call: Call, invoice: Record) -> Response:
    """The invoice, or 204 under ``undocumented_bodies="none"``."""
    if call.sim.options.undocumented_bodies == "none":
        return no_content()
    return invoice_response(call, invoice)


def _require_issued(invoice: Record, what: str) -> None:
    if invoice["status"] == "draft":
        raise ApiError.one(412, "invoice_not_in_draft_status",
                           f"A draft cannot be {what}: finalize it first")
    if invoice["status"] == "canceled":
        raise ApiError.one(412, "forbidden_invoice_update",
                           f"A canceled invoice cannot be {what}")


def finalize(call: Call) -> Response:
    """Draft → unpaid; the PDF is ready one lifecycle step later."""
    org, sim = call.org, call.sim
    invoice = _invoice(call)
    if invoice["status"] != "draft":
        raise ApiError.one(412, "invoice_not_in_draft_status", "Only a draft can be finalized")
    now = sim.now()
    invoice["status"] = "unpaid"
    invoice["finalized_at"] = iso(now)
    client = org["clients"].get(invoice["client_id"])
    if client is not None:
        invoice["client_snapshot"] = embedded_client(client)
    invoice["attachment_due_at"] = now + sim.engine.step_seconds
    sim.engine.watch(org, invoice)
    sim.invoice_changed(org, invoice, now)
    return _undocumented_answer(call, invoice)


def send_by_einvoice(call: Call) -> Response:
    """Request the e-invoice send (204); idempotent."""
    org, sim = call.org, call.sim
    invoice = _invoice(call)
    if invoice.get("einvoicing"):
        return no_content()
    _require_issued(invoice, "sent by e-invoice")
    if not org["sending_enabled"]:
        raise ApiError.one(403, "forbidden",
                           "E-invoicing sending is disabled for this organization")
    client = org["clients"].get(invoice["client_id"])
    if client is None or not sim.annuaire.reachable(client):
        raise ApiError.one(412, "recipient_not_reachable_on_einvoicing",
                           "The client cannot receive e-invoices: send it by e-mail instead")
    sim.engine.start(org, invoice)
    sim.invoice_changed(org, invoice)
    return no_content()


def send_by_email(call: Call) -> Response:
    """Send the invoice by e-mail (204); recorded, visible at ``GET /_simulator/emails``."""
    invoice = _invoice(call)
    body = call.json()
    send_to = body.get("send_to")
    errors = []
    if not isinstance(send_to, list) or not send_to:
        errors.append(error_object(422, "missing_field", "send_to is a non-empty list",
                                   pointer="/send_to"))
    else:
        errors += [error_object(422, "invalid", "not an e-mail address",
                                pointer=f"/send_to/{index}")
                   for index, address in enumerate(send_to)
                   if not isinstance(address, str) or "@" not in address]
    for key in ("email_title", "email_body"):
        if key in body and not isinstance(body[key], str):
            errors.append(error_object(422, "invalid", f"{key} is a string",
                                       pointer=f"/{key}"))
    if "copy_to_self" in body and not isinstance(body["copy_to_self"], bool):
        errors.append(error_object(422, "invalid", "copy_to_self is a boolean",
                                   pointer="/copy_to_self"))
    if errors:
        raise ApiError(422, errors)
    _require_issued(invoice, "sent")
    call.org["emails"].append({
        "invoice_id": invoice["id"],
        "send_to": send_to,
        "email_title": body.get("email_title"),
        "email_body": body.get("email_body"),
        "copy_to_self": bool(body.get("copy_to_self", False)),
        "sent_at": iso(call.sim.now()),
    })
    call.sim.store.mark_changed()
    return no_content()


def mark_as_paid(call: Call) -> Response:
    """Mark paid on ``paid_at`` (default today); again on a paid invoice moves the date."""
    invoice = _invoice(call)
    paid_on = payment_date(call.json().get("paid_at"), call.sim.clock.today(),
                           name="paid_at", pointer="/paid_at")
    if invoice["status"] not in ("unpaid", "paid"):
        raise ApiError.one(412, "forbidden_invoice_update",
                           f"A {invoice['status']} invoice cannot be marked as paid")
    invoice["status"] = "paid"
    invoice["paid_at"] = iso_date(paid_on)
    invoice["amount_paid"] = "0.00"  # as Qonto, for a payment not linked to a transaction
    collected_on_mark(call.sim.store, invoice, iso(call.sim.now()), call.sim.engine.append_event)
    call.sim.invoice_changed(call.org, invoice)
    return invoice_response(call, invoice)


def unmark_as_paid(call: Call) -> Response:
    """Paid → unpaid."""
    invoice = _invoice(call)
    if invoice["status"] != "paid":
        raise ApiError.one(412, "forbidden_invoice_update", "The invoice is not paid")
    invoice["status"] = "unpaid"
    invoice["paid_at"] = ""
    invoice["amount_paid"] = "0.00"
    call.sim.invoice_changed(call.org, invoice)
    return _undocumented_answer(call, invoice)


def mark_as_canceled(call: Call) -> Response:
    """Unpaid → canceled."""
    invoice = _invoice(call)
    if invoice["status"] != "unpaid":
        raise ApiError.one(412, "forbidden_invoice_update",
                           f"A {invoice['status']} invoice cannot be canceled")
    invoice["status"] = "canceled"
    call.sim.invoice_changed(call.org, invoice)
    return _undocumented_answer(call, invoice)


ROUTES = [
    Route("POST", "/v2/client_invoices/{id}/finalize", finalize),
    Route("POST", "/v2/client_invoices/{id}/send_by_einvoice", send_by_einvoice),
    Route("POST", "/v2/client_invoices/{id}/send", send_by_email),
    Route("POST", "/v2/client_invoices/{id}/mark_as_paid", mark_as_paid),
    Route("POST", "/v2/client_invoices/{id}/unmark_as_paid", unmark_as_paid),
    Route("POST", "/v2/client_invoices/{id}/mark_as_canceled", mark_as_canceled),
]
