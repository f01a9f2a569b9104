"""Supplier invoices: the e-invoices the organization receives, ``/v2/supplier_invoices``."""

from __future__ import annotations

import builtins
import datetime as dt
from collections.abc import Iterator
from typing import Any

from ..receiving import SupplierInvoice
from .base import Resource, list_filters

__all__ = ["SupplierInvoicesResource"]

_PATH = "/v2/supplier_invoices"


class SupplierInvoicesResource(Resource):
    """Read received invoices; reject them, or report their payment."""

    def list(self, *, updated_at_from: dt.datetime | None = None,
             updated_at_to: dt.datetime | None = None,
             status: builtins.list[str] | None = None,
             sort_by: str | None = None) -> Iterator[SupplierInvoice]:
        """Every supplier invoice matching the filters, all pages followed.

        Qonto's supplier-invoice sync guide: pass ``updated_at_from`` = the time of the
        last sync and store the new time once done.
        """
        params = list_filters({"updated_at_from": updated_at_from,
                               "updated_at_to": updated_at_to}, status, sort_by)
        return self._transport.paginate(_PATH, "supplier_invoices", SupplierInvoice,
                                        params=params)

    def get(self, supplier_invoice_id: str) -> SupplierInvoice:
        return self._transport.get(f"{_PATH}/{supplier_invoice_id}", "supplier_invoice",
                                   SupplierInvoice)

    def reject(self, supplier_invoice_id: str, *, reason_code: str,
               note: str | None = None) -> SupplierInvoice | None:
        """Refuse a received invoice with one of :data:`.receiving.REFUSAL_REASONS`.

        Not idempotent in Qonto (a second reject answers 400): never retried after a 5xx.
        """
        body = {"supplier_invoice": {"declined_reason_code": reason_code,
                                     **({"declined_note": note} if note else {})}}
        return self._action(supplier_invoice_id, "reject", body, safe=False)

    def mark_as_paid(self, supplier_invoice_id: str,
                     payment_date: dt.date) -> SupplierInvoice | None:
        """Report the payment of a received invoice (never a date in the future)."""
        body = {"supplier_invoice": {"payment_date": payment_date.isoformat()}}
        return self._action(supplier_invoice_id, "mark_as_paid", body, safe=True)

    def unmark_as_paid(self, supplier_invoice_id: str) -> SupplierInvoice | None:
        """Undo a reported payment (Qonto documents no body)."""
        return self._action(supplier_invoice_id, "unmark_as_paid", None, safe=False)

    def _action(self, supplier_invoice_id: str, action: str, body: dict[str, Any] | None,
                *, safe: bool) -> SupplierInvoice | None:
        # Qonto's pages show these answers bare, without the ``supplier_invoice`` wrapper
        # of retrieve: read both.
        path = f"{_PATH}/{supplier_invoice_id}/{action}"
        data = self._transport.request("POST", path, json=body, safe=safe)
        if not data:
            return None
        return self._transport.unwrap(data, "supplier_invoice", SupplierInvoice, path=path,
                                      bare=True)
