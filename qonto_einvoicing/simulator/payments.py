"""Money in: the buyer's transfer, and how Qonto matches it with a client invoice.

Qonto's rules, from its help pages:

- **Automatic matching** ("How to match your invoices with incoming payments",
  https://help.qonto.com/en/articles/6679000-how-to-match-your-invoices-with-incoming-payments):
  an incoming transfer is linked to a client invoice when its reference field holds the
  invoice's *reference number* (printed at the bottom of Qonto's invoice) or its *invoice
  number*; the transfer must reach the IBAN the invoice names. Qonto links it first, then
  checks the amount: once the linked payments reach the invoice's total the invoice is
  marked *Paid* (on the transfer's date); a partial payment is linked and the invoice stays
  *Unpaid*.
- **Which invoice numbers are recognised** ("How to set up automatic invoice numbering",
  https://help.qonto.com/en/articles/6616235-how-to-set-up-automatic-invoice-numbering):
  only numbers of the patterns listed there (prefixes FA, FAC, FACT, Facture, RE, INV,
  Invoice, QON, QTO, FQ, N; year and number joined by ``-``, in parentheses or side by
  side; or a bare ``year-number``, ``year/number``, ``yyyymm/number``). Odoo's
  ``INV/2026/00001`` is not one of them: Qonto leaves such a transfer unmatched, and the
  bank line in Odoo is the only link.

Where Qonto's pages are silent, the simulator picks one reading:

- The reference number's format is not documented: the simulator uses ``RF`` and ten
  digits derived from the invoice (:func:`reference_number`), shown on its invoice page
  and in ``GET /_simulator/invoices/{id}/payment``. Qonto's API does not return it.
- A match attaches the invoice's PDF to the transaction (``attachment_ids``), as Qonto's
  matching of a document with a transaction does in its app.
- When an invoice sent by e-invoice becomes *Paid* (by a match or by ``mark_as_paid``),
  Qonto, the seller's platform, reports 212 *Encaissée* on it, once. Whether a
  ``mark_as_paid`` alone does is not said: ``POST /_simulator/payments/settings`` with
  ``{"collection_on_mark_as_paid": false}`` plays the other reading (only a matched
  transfer reports 212).
"""

from __future__ import annotations

import hashlib
import re
import uuid
from collections.abc import Callable
from decimal import Decimal
from typing import Any

from .clock import iso, parse_instant
from .state import Record, Store

__all__ = [
    "PAYMENT_REFERENCES",
    "buyer_pays",
    "collected",
    "collected_on_mark",
    "incoming_transfer",
    "match",
    "number_recognised",
    "reference_number",
    "transactions",
]

PAYMENT_REFERENCES = ("number", "qonto_reference", "none")
"""What a buyer writes in the transfer's reference: the invoice number, Qonto's reference
number, or nothing."""

COLLECTED = 212
ENDED = ("declined", "submission_failed", "not_delivered")

AppendEvent = Callable[..., Record]

_PREFIX = r"(?:FACTURE|FACT|FAC|FA|RE|INVOICE|INV|QON|QTO|FQ|N)"
_YEAR = r"(?:\d{4}|\(\d{4}\))"
_NUMBER_PATTERNS = re.compile(
    rf"^(?:{_PREFIX}-?{_YEAR}(?:-?\d{{2}})?-?\d+"   # PREFIX-yyyy-(mm-)number, PREFIXyyyynumber
    rf"|{_PREFIX}-\d+"                              # PREFIX-number
    r"|\d{4}(?:\d{2})?[-/]?\d+"                     # yearnumber, year-number, yyyymm/number
    r"|\d{4}-\d{2}-\d+)$",                          # yyyy-mm-number
    re.IGNORECASE)


def number_recognised(number: str) -> bool:
    """Whether Qonto's matching recognises ``number`` as an invoice number (page 6616235)."""
    return bool(_NUMBER_PATTERNS.match(number or ""))


def reference_number(invoice: Record) -> str:
    """The simulator's reference number of ``invoice`` (the format is not documented)."""
    digits = int(hashlib.sha256(invoice["id"].encode()).hexdigest(), 16) % 10**10
    return f"RF{digits:010d}"


def transactions(org: Record) -> dict[str, Record]:
    """The organization's transactions by id (made on first use: older states lack it)."""
    return org.setdefault("transactions", {})


def _carries(reference: str, word: str) -> bool:
    """``word`` stands in ``reference`` on its own (not inside a longer number)."""
    return bool(re.search(rf"(?<![0-9A-Za-z]){re.escape(word)}(?![0-9A-Za-z])", reference,
                          re.IGNORECASE))


def _compact(iban: str) -> str:
    return re.sub(r"\s", "", iban or "").upper()


def incoming_transfer(store: Store, org: Record, account: Record, *, amount: Decimal,
                      reference: str | None, label: str, at: float,
                      counterparty_iban: str | None = None) -> Record:
    """A completed incoming SEPA transfer on ``account`` (the store lock held)."""
    store.next_seq()
    mine = [t for t in transactions(org).values() if t["bank_account_id"] == account["id"]]
    balance = sum((Decimal(t["amount"]) * (1 if t["side"] == "credit" else -1) for t in mine),
                  Decimal("0")) + amount
    stamp = iso(at)
    transaction: Record = {
        "id": str(uuid.uuid4()),
        "seq": store.data["seq"],
        "transaction_id": f"{org['slug']}-transaction-{len(transactions(org)) + 1}",
        "bank_account_id": account["id"],
        "amount": f"{amount:.2f}",
        "settled_balance": f"{balance:.2f}",
        "side": "credit",
        "operation_type": "income",
        "currency": account.get("currency", "EUR"),
        "label": label,
        "reference": reference,
        "note": None,
        "status": "completed",
        "settled_at": stamp,
        "emitted_at": stamp,
        "updated_at": stamp,
        "attachment_ids": [],
        "counterparty_iban": counterparty_iban,
    }
    transactions(org)[transaction["id"]] = transaction
    store.mark_changed()
    return transaction


def match(org: Record, transaction: Record, append_event: AppendEvent) -> Record | None:
    """Qonto's automatic matching of an incoming transfer (page 6679000).

    Returns the invoice linked, or ``None`` when the reference names none, or more than
    one, of the unpaid invoices payable to the account that received it.
    """
    reference = transaction.get("reference") or ""
    if transaction["side"] != "credit" or not reference:
        return None
    account = next(a for a in org["bank_accounts"] if a["id"] == transaction["bank_account_id"])
    named = [
        invoice for invoice in org["client_invoices"].values()
        if invoice["status"] == "unpaid"
        and _compact(invoice["payment_account"]["iban"]) == _compact(account["iban"])
        and (_carries(reference, reference_number(invoice))
             or (number_recognised(invoice["number"]) and _carries(reference, invoice["number"])))
    ]
    if len(named) != 1:
        return None
    invoice = named[0]
    invoice.setdefault("linked_transactions", []).append(transaction["id"])
    paid = Decimal(invoice["amount_paid"] or "0") + Decimal(transaction["amount"])
    invoice["amount_paid"] = f"{paid:.2f}"
    if invoice.get("attachment_id"):
        transaction["attachment_ids"].append(invoice["attachment_id"])
    if paid >= Decimal(invoice["totals"]["total_amount"]["value"]):
        invoice["status"] = "paid"
        invoice["paid_at"] = transaction["settled_at"]
        collected(invoice, transaction["settled_at"], append_event)
    return invoice


def collected(invoice: Record, at: str, append_event: AppendEvent) -> None:
    """Qonto reports 212 *Encaissée* once for a paid invoice it sent as an e-invoice."""
    if not invoice.get("einvoicing") or invoice["einvoicing_status"] in ENDED:
        return
    if any(e["status_code"] == COLLECTED for e in invoice["einvoicing_lifecycle_events"]):
        return
    append_event(invoice, COLLECTED, at=parse_instant(at))


def collected_on_mark(store: Store, invoice: Record, at: str,
                      append_event: AppendEvent) -> None:
    """``mark_as_paid`` reports 212, unless the simulator plays the other reading.

    An invoice marked paid before the network took it (no 200 yet) reports 212 right
    after its 200: a status is never reported on an invoice the network has not seen.
    """
    if not store.data.get("payments", {}).get("collection_on_mark_as_paid", True):
        return
    if invoice.get("einvoicing") and not invoice["einvoicing_lifecycle_events"]:
        invoice["einvoicing"]["collect_on_deposit"] = True
        return
    collected(invoice, at, append_event)


def buyer_pays(store: Store, org: Record, invoice: Record, at: float,
               append_event: AppendEvent) -> Record:
    """The buyer of ``invoice`` sends the transfer (the ``paid`` scenario's last step).

    The buyer's habit is the invoice's ``payment``, else its client's (set with
    ``POST /_simulator/clients/{id}/payment``): ``reference`` (one of
    :data:`PAYMENT_REFERENCES`; by default Qonto's reference number, as the buyer copies
    it from the bottom of Qonto's invoice) and ``share`` of the total paid (1 by default).
    Qonto then matches the transfer as it would.
    """
    client = org["clients"].get(invoice["client_id"]) or {}
    habit: dict[str, Any] = invoice.get("payment") or client.get("payment") or {}
    how = habit.get("reference", "qonto_reference")
    reference = {"number": invoice["number"], "qonto_reference": reference_number(invoice),
                 "none": None}[how]
    total = Decimal(invoice["totals"]["total_amount"]["value"])
    amount = (total * Decimal(str(habit.get("share", 1)))).quantize(Decimal("0.01"))
    account = next(a for a in org["bank_accounts"]
                   if _compact(a["iban"]) == _compact(invoice["payment_account"]["iban"]))
    name = invoice.get("client_snapshot", {}).get("name") or client.get("name") or "Client"
    transaction = incoming_transfer(store, org, account, amount=amount, reference=reference,
                                    label=name, at=at)
    match(org, transaction, append_event)
    return transaction
