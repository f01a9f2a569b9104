"""Transactions: the money that moved on the organization's accounts.

- ``GET /v2/transactions`` (scope ``organization.read``): the transactions of the account
  named by ``bank_account_id`` or ``iban`` (one is required); filters ``status[]``,
  ``side``, ``operation_type[]``, ``settled_at_from``/``_to``, ``updated_at_from``/``_to``,
  ``emitted_at_from``/``_to``; ``sort_by`` ``settled_at`` (default ``settled_at:desc``),
  ``updated_at`` or ``emitted_at``; pagination ``current_page``/``per_page`` ≤ 100; answer
  ``{"transactions": [...], "meta": {current_page, next_page, prev_page, total_pages,
  total_count, per_page}}``
  (https://docs.qonto.com/api-reference/business-api/transactions-statements/transactions/list-transactions).
- ``GET /v2/transactions/{id}``: ``{"transaction": {...}}``
  (https://docs.qonto.com/api-reference/business-api/transactions-statements/transactions/retrieve-a-transaction).

Control API (how a buyer pays; Qonto's matching is :mod:`.payments`):

- ``POST /_simulator/transactions``: an incoming transfer lands: ``amount`` (a string),
  ``reference`` (or null), ``label`` (the payer's name), optional ``iban`` (an account of
  the organization, its main one by default), ``api_key_login``, ``counterparty_iban``.
  Qonto's automatic matching runs on it; the answer names the invoice linked, if any.
- ``POST /_simulator/clients/{id}/payment`` and ``POST /_simulator/invoices/{id}/payment``:
  how that buyer pays in the ``paid`` scenario: ``reference`` (``number``,
  ``qonto_reference``, the default, or ``none``) and ``share`` (of the total, 0 < share ≤ 1).
- ``GET /_simulator/invoices/{id}/payment``: the invoice's reference number (what Qonto
  prints at the bottom of its invoice), ``amount_paid`` and the linked transactions.
- ``POST /_simulator/payments/settings``: ``{"collection_on_mark_as_paid": bool}``, whether
  ``mark_as_paid`` reports 212 (Qonto's pages are silent; true by default).
"""

from __future__ import annotations

import re
from decimal import Decimal, InvalidOperation
from typing import Any

from werkzeug.datastructures import MultiDict
from werkzeug.wrappers import Response

from .jsonapi import (
    ApiError,
    error_object,
    get_or_404,
    json_response,
    paginate,
    sort_records,
    time_filter,
)
from .payments import PAYMENT_REFERENCES, incoming_transfer, match, reference_number, transactions
from .routing import Call, Route
from .state import Record

__all__ = ["CONTROL_ROUTES", "ROUTES", "render_transaction"]

STATUSES = ("pending", "declined", "completed", "reversed")
LISTED_BY_DEFAULT = ("completed", "declined", "reversed")


def _cents(amount: str) -> int:
    return int((Decimal(amount) * 100).to_integral_value())


def render_transaction(org: Record, transaction: Record) -> dict[str, Any]:
    """A transaction as Qonto answers it (the list page's example)."""
    amount = transaction["amount"]
    return {
        "id": transaction["id"],
        "transaction_id": transaction["transaction_id"],
        "amount": float(amount),
        "amount_cents": _cents(amount),
        "settled_balance": float(transaction["settled_balance"]),
        "settled_balance_cents": _cents(transaction["settled_balance"]),
        "attachment_ids": list(transaction["attachment_ids"]),
        "local_amount": float(amount),
        "local_amount_cents": _cents(amount),
        "side": transaction["side"],
        "operation_type": transaction["operation_type"],
        "currency": transaction["currency"],
        "local_currency": transaction["currency"],
        "label": transaction["label"],
        "clean_counterparty_name": transaction["label"],
        "settled_at": transaction["settled_at"],
        "emitted_at": transaction["emitted_at"],
        "updated_at": transaction["updated_at"],
        "status": transaction["status"],
        "note": transaction["note"],
        "reference": transaction["reference"],
        "vat_amount": None,
        "vat_amount_cents": None,
        "vat_rate": None,
        "initiator_id": None,
        "label_ids": [],
        "attachment_lost": False,
        "attachment_required": False,
        "card_last_digits": None,
        "category": "other_income",
        "subject_type": "Income",
        "income": {
            "counterparty_account_number": transaction.get("counterparty_iban"),
            "counterparty_account_number_format": "IBAN",
            "counterparty_bank_identifier": None,
            "counterparty_bank_identifier_format": "SWIFT_BIC",
        },
    }


def _compact(iban: str) -> str:
    return re.sub(r"\s", "", iban or "").upper()


def _account(org: Record, args: MultiDict[str, str]) -> Record:
    bank_account_id, iban = args.get("bank_account_id"), args.get("iban")
    if not bank_account_id and not iban:
        raise ApiError.one(400, "bad_request", "bank_account_id or iban is required",
                           parameter="bank_account_id")
    for account in org["bank_accounts"]:
        if (not bank_account_id or account["id"] == bank_account_id) and (
                not iban or _compact(account["iban"]) == _compact(iban)):
            return account
    raise ApiError.one(404, "not_found", "Bank account not found",
                       parameter="bank_account_id" if bank_account_id else "iban")


def list_transactions(call: Call) -> Response:
    """One page of the account's transactions (the list page above)."""
    args = call.args
    account = _account(call.org, args)
    statuses = args.getlist("status[]") or list(LISTED_BY_DEFAULT)
    if any(status not in STATUSES for status in statuses):
        raise ApiError.one(400, "bad_request", f"status[] is one of {', '.join(STATUSES)}",
                           parameter="status[]")
    checks = [check for name in ("settled_at", "updated_at", "emitted_at")
              for check in time_filter(args, name, name, wrapped=False)]
    if args.get("side"):
        checks.append(lambda t: t["side"] == args["side"])
    if args.getlist("operation_type[]"):
        checks.append(lambda t: t["operation_type"] in args.getlist("operation_type[]"))
    found = [t for t in transactions(call.org).values()
             if t["bank_account_id"] == account["id"] and t["status"] in statuses
             and all(check(t) for check in checks)]
    found = sort_records(found, args, ("settled_at", "updated_at", "emitted_at"),
                         "settled_at:desc")
    paging = MultiDict({k: v for k, v in (("page", args.get("current_page")),
                                          ("per_page", args.get("per_page"))) if v})
    page, meta = paginate(found, paging)
    return json_response({"transactions": [render_transaction(call.org, t) for t in page],
                          "meta": meta})


def get_transaction(call: Call) -> Response:
    transaction = get_or_404(transactions(call.org), call.params["id"], "Transaction")
    return json_response({"transaction": render_transaction(call.org, transaction)})


ROUTES = [
    Route("GET", "/v2/transactions", list_transactions),
    Route("GET", "/v2/transactions/{id}", get_transaction),
]


# ------------------------------------------------------------ control


def _invalid(pointer: str, detail: str) -> ApiError:
    return ApiError(422, [error_object(422, "invalid", detail, pointer=pointer)])


def land_transfer(call: Call) -> Response:
    """An incoming transfer lands on one of the organization's accounts."""
    body = call.json()
    login = body.get("api_key_login") or call.sim.api_key.partition(":")[0]
    org = call.sim.store.organization_by_login(str(login))
    if org is None:
        raise _invalid("/api_key_login", f"No organization has the API key login {login}")
    try:
        amount = Decimal(str(body.get("amount")))
    except InvalidOperation:
        amount = Decimal("-1")
    if not amount.is_finite() or amount <= 0 or amount != amount.quantize(Decimal("0.01")):
        raise _invalid("/amount", "amount is a positive amount with at most 2 decimals")
    reference = body.get("reference")
    if reference is not None and not isinstance(reference, str):
        raise _invalid("/reference", "reference is a string or null")
    iban = body.get("iban")
    account = next((a for a in org["bank_accounts"]
                    if (_compact(a["iban"]) == _compact(iban) if iban else a.get("main"))), None)
    if account is None:
        raise _invalid("/iban", "iban is one of the organization's accounts")
    transaction = incoming_transfer(
        call.sim.store, org, account, amount=amount, reference=reference,
        label=str(body.get("label") or "Client"), at=call.sim.now(),
        counterparty_iban=body.get("counterparty_iban"))
    invoice = match(org, transaction, call.sim.engine.append_event)
    if invoice is not None:
        call.sim.invoice_changed(org, invoice)
    return json_response({"transaction": render_transaction(org, transaction),
                          "matched_invoice_id": invoice["id"] if invoice else None}, 201)


def set_payment_habit(call: Call) -> Response:
    """How the buyer of a client (or of one invoice) pays in the ``paid`` scenario."""
    collection = "clients" if "/clients/" in call.request.path else "client_invoices"
    found = call.sim.store.find(collection, call.params["id"])
    if found is None:
        raise ApiError.one(404, "not_found", f"{call.params['id']} not found", parameter="id")
    body = call.json()
    reference = body.get("reference", "qonto_reference")
    if reference not in PAYMENT_REFERENCES:
        raise _invalid("/reference", f"reference is one of {', '.join(PAYMENT_REFERENCES)}")
    share = body.get("share", 1)
    if isinstance(share, bool) or not isinstance(share, int | float) or not 0 < share <= 1:
        raise _invalid("/share", "share is a number, 0 < share ≤ 1")
    found[1]["payment"] = {"reference": reference, "share": share}
    call.sim.store.mark_changed()
    return json_response({"payment": found[1]["payment"]})


def invoice_payment(call: Call) -> Response:
    """The reference number Qonto prints on the invoice, and what was linked to it."""
    found = call.sim.store.find("client_invoices", call.params["id"])
    if found is None:
        raise ApiError.one(404, "not_found", f"{call.params['id']} not found", parameter="id")
    invoice = found[1]
    return json_response({"reference_number": reference_number(invoice),
                          "amount_paid": invoice["amount_paid"],
                          "linked_transactions": list(invoice.get("linked_transactions", []))})


def payment_settings(call: Call) -> Response:
    """Play either reading of what Qonto's pages leave open (see :mod:`.payments`)."""
    value = call.json().get("collection_on_mark_as_paid")
    if not isinstance(value, bool):
        raise _invalid("/collection_on_mark_as_paid", "collection_on_mark_as_paid is a boolean")
    call.sim.store.data.setdefault("payments", {})["collection_on_mark_as_paid"] = value
    call.sim.store.mark_changed()
    return json_response(call.sim.store.data["payments"])


CONTROL_ROUTES = [
    Route("POST", "/_simulator/payments/settings", payment_settings),
    Route("POST", "/_simulator/transactions", land_transfer),
    Route("POST", "/_simulator/clients/{id}/payment", set_payment_habit),
    Route("POST", "/_simulator/invoices/{id}/payment", set_payment_habit),
    Route("GET", "/_simulator/invoices/{id}/payment", invoice_payment),
]
