"""Transactions: the money on the organization's accounts, and which invoice it pays.

Qonto's pages (checked 2026-12-05):

- ``GET /v2/transactions`` (scope ``organization.read``) lists the transactions of the
  account named by ``bank_account_id`` or ``iban``; filters ``status[]``, ``side``,
  ``settled_at_from``/``_to``, ``updated_at_from``/``_to``; pagination
  ``current_page``/``per_page`` (≤ 100), ``meta.next_page``
  (https://docs.qonto.com/api-reference/business-api/transactions-statements/transactions/list-transactions).
- A buyer's transfer carries the invoice number (or Qonto's reference number) in its
  ``reference`` (https://help.qonto.com/en/articles/6679000-how-to-match-your-invoices-with-incoming-payments).

The functions take a :class:`~.client.QontoClient` (or anything with its ``request``), so
that they do not depend on how the client is split into modules.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable, Iterator
from decimal import Decimal
from typing import TYPE_CHECKING, Any

import pydantic
from pydantic import Field

from .errors import UnexpectedResponseError
from .models import OptDateTime, QontoObject

if TYPE_CHECKING:
    from .client import QontoClient

__all__ = [
    "Transaction",
    "list_transactions",
    "references_in",
    "transactions_page",
]

PATH = "/v2/transactions"
MAX_PER_PAGE = 100


class Transaction(QontoObject):
    """A transaction as Qonto answers it; fields this package does not use are kept."""

    id: str
    transaction_id: str | None = None
    amount: Decimal
    amount_cents: int | None = None
    side: str
    operation_type: str | None = None
    status: str | None = None
    currency: str | None = None
    label: str | None = None
    reference: str | None = None
    note: str | None = None
    settled_at: OptDateTime = None
    emitted_at: OptDateTime = None
    updated_at: OptDateTime = None
    attachment_ids: list[str] = Field(default_factory=list)

    @property
    def signed_amount(self) -> Decimal:
        """The amount as a bank statement line shows it: positive when money comes in."""
        return self.amount if self.side == "credit" else -self.amount


def _instant(value: dt.datetime) -> str:
    if value.tzinfo is not None:
        value = value.astimezone(dt.timezone.utc).replace(tzinfo=None)
    return value.replace(microsecond=0).isoformat() + "Z"


def transactions_page(client: QontoClient, params: dict[str, Any]) -> dict[str, Any]:
    """One page of ``GET /v2/transactions`` as Qonto answers it (``transactions``, ``meta``).

    For a caller that reads Qonto's shape itself (OCA's statement import): the request
    still goes through the client (its credentials, retries and rate limiting).
    """
    data = client.request("GET", PATH, params=params)
    if not isinstance(data, dict) or not isinstance(data.get("transactions"), list):
        raise UnexpectedResponseError(f"GET {PATH}: no transactions list in the answer",
                                      path=PATH)
    return data


def list_transactions(client: QontoClient, *, bank_account_id: str | None = None,
                      iban: str | None = None, settled_at_from: dt.datetime | None = None,
                      settled_at_to: dt.datetime | None = None,
                      updated_at_from: dt.datetime | None = None,
                      status: list[str] | None = None, side: str | None = None,
                      ) -> Iterator[Transaction]:
    """Every transaction of one account matching the filters, all pages followed."""
    if not bank_account_id and not iban:
        raise ValueError("bank_account_id or iban is required")
    params: dict[str, Any] = {"bank_account_id": bank_account_id, "iban": iban, "side": side,
                              "status[]": status}
    for name, value in (("settled_at_from", settled_at_from), ("settled_at_to", settled_at_to),
                        ("updated_at_from", updated_at_from)):
        params[name] = _instant(value) if value else None
    params = {k: v for k, v in params.items() if v}
    page: int | None = 1
    while page is not None:
        data = transactions_page(client, {**params, "current_page": page,
                                          "per_page": MAX_PER_PAGE})
        for index, item in enumerate(data["transactions"]):
            try:
                yield Transaction.model_validate(item)
            except pydantic.ValidationError as exc:
                raise UnexpectedResponseError(
                    f"GET {PATH}: transactions[{index}] "
                    f"({item.get('id') if isinstance(item, dict) else '?'}) cannot be read: "
                    f"{exc.errors()[0]['msg']}", path=PATH) from None
        meta = data.get("meta") if isinstance(data.get("meta"), dict) else {}
        next_page = meta.get("next_page")
        page = int(next_page) if isinstance(next_page, int) and next_page > page else None


_WORD = re.compile(r"[0-9A-Za-z]+")


def _words(text: str) -> list[str]:
    return [word.upper() for word in _WORD.findall(text or "")]


def references_in(text: str, candidates: Iterable[str]) -> set[str]:
    """The candidates (invoice numbers, references) that ``text`` carries.

    A candidate is carried when its words stand in ``text`` one after the other
    (``INV/2026/00001`` in ``"Paiement INV 2026 00001 merci"``), or joined as one word
    (``INV202600001``), never inside a longer number: ``INV/2026/00001`` is not in
    ``INV/2026/000012``. Case and punctuation are ignored, as a buyer types them.
    """
    words = _words(text)
    joined = set(words)
    found = set()
    for candidate in candidates:
        wanted = _words(candidate)
        if not wanted:
            continue
        size = len(wanted)
        if "".join(wanted) in joined or any(
                words[i:i + size] == wanted for i in range(len(words) - size + 1)):
            found.add(candidate)
    return found
