"""Client invoices: ``/v2/client_invoices`` and the actions on one invoice.

A create is never repeated blindly: when its answer is lost, the invoice is looked up
by its number (Qonto has no idempotency key on create). ``send_by_einvoice`` and
``mark_as_paid`` are idempotent in Qonto and retried like reads. ``finalize``,
``unmark_as_paid`` and ``mark_as_canceled`` have no documented answer body: it is never
read (those methods return ``None``), and a lost answer is resolved by reading the
invoice: done, or tried once more.
"""

from __future__ import annotations

import builtins
import datetime as dt
import logging
from collections.abc import Callable, Iterator, Mapping
from typing import Any

from ..errors import ConflictError, ServerError, TransportError
from ..models import ClientInvoice, ClientInvoiceCreatePayload
from .base import Resource, checked, list_filters

__all__ = ["ClientInvoicesResource"]

_logger = logging.getLogger(__name__)
_PATH = "/v2/client_invoices"


class ClientInvoicesResource(Resource):
    """Create, read, list, finalize, send, and mark client invoices."""

    def create(self, payload: ClientInvoiceCreatePayload | Mapping[str, Any], *,
               adopt_existing: bool = False) -> ClientInvoice:
        """Create a client invoice, exactly once.

        A mapping is checked as a :class:`ClientInvoiceCreatePayload` first (a wrong field,
        a total that is not positive: :class:`~qonto_einvoicing.errors.PayloadError`
        before any request). Retried after a 429 only (Qonto did not process it).
        When the answer is lost after the request may have reached Qonto, the invoice
        is looked up by ``payload.number``: found, it is returned; not found, the
        :class:`~qonto_einvoicing.errors.TransportError` is raised and nothing exists
        in Qonto. With ``adopt_existing``, a 409
        ``invoice_number_already_exists`` also returns the invoice that has the number.
        """
        payload = checked(ClientInvoiceCreatePayload, payload)
        started = dt.datetime.now(dt.timezone.utc)
        try:
            created: ClientInvoice = self._transport.send(
                "POST", _PATH, "client_invoice", ClientInvoice, payload, safe=False)
            return created
        except TransportError as exc:
            if not (payload.number and exc.request_may_have_reached_qonto):
                raise
            _logger.warning("Qonto create of invoice %s lost its answer; looking it up",
                            payload.number)
            found = self.find_by_number(payload.number,
                                        created_from=started - dt.timedelta(minutes=5))
            if found is None:
                raise
            return found
        except ConflictError as exc:
            if not (adopt_existing and payload.number
                    and exc.code == "invoice_number_already_exists"):
                raise
            found = self.find_by_number(payload.number)
            if found is None:
                raise
            return found

    def find_by_number(self, number: str, *, created_from: dt.datetime | None = None
                       ) -> ClientInvoice | None:
        """The client invoice bearing ``number``, newest first; ``None`` if there is none.

        Qonto documents no filter on the number: the list is read newest first,
        narrowed to invoices created since ``created_from`` when known.
        """
        params: dict[str, Any] = {"sort_by": "created_at:desc"}
        if created_from is not None:
            params["filter[created_at_from]"] = created_from.isoformat()
        for invoice in self._transport.paginate(_PATH, "client_invoices", ClientInvoice,
                                                params=params):
            if invoice.number == number:
                return invoice
        return None

    def get(self, invoice_id: str) -> ClientInvoice:
        return self._transport.get(f"{_PATH}/{invoice_id}", "client_invoice", ClientInvoice)

    def list(self, *, status: builtins.list[str] | None = None,
             created_at_from: dt.datetime | None = None,
             created_at_to: dt.datetime | None = None,
             updated_at_from: dt.datetime | None = None,
             updated_at_to: dt.datetime | None = None,
             sort_by: str | None = None) -> Iterator[ClientInvoice]:
        """Every client invoice matching the filters, all pages followed.

        To mirror changes, pass ``updated_at_from`` = the time of the last sync, as
        Qonto's sync guide advises: one list call replaces a GET per invoice.
        """
        params = list_filters({"created_at_from": created_at_from,
                               "created_at_to": created_at_to,
                               "updated_at_from": updated_at_from,
                               "updated_at_to": updated_at_to}, status, sort_by)
        return self._transport.paginate(_PATH, "client_invoices", ClientInvoice,
                                        params=params)

    def update(self, invoice_id: str, changes: Mapping[str, Any]) -> ClientInvoice:
        updated: ClientInvoice = self._transport.send(
            "PATCH", f"{_PATH}/{invoice_id}", "client_invoice", ClientInvoice,
            dict(changes), safe=True)
        return updated

    def delete(self, invoice_id: str) -> None:
        """Delete a draft (Qonto refuses any other with 412)."""
        self._transport.request("DELETE", f"{_PATH}/{invoice_id}", safe=False)

    def _post_then_check(self, invoice_id: str, action: str,
                         done: Callable[[ClientInvoice], bool]) -> None:
        """POST ``action`` on an invoice whose answer body Qonto does not document.

        The body is never read. When the answer is lost (a dropped connection after the
        request may have reached Qonto, or a 5xx), the invoice is read: if ``done``
        says the action took effect, that is success; otherwise the POST is made once
        more, and its error, if any, is raised.
        """
        path = f"{_PATH}/{invoice_id}/{action}"
        try:
            self._transport.request("POST", path, safe=False, decode=False)
            return
        except (TransportError, ServerError) as exc:
            lost = exc
        try:
            current = self.get(invoice_id)
        except TransportError:
            raise lost from None
        if done(current):
            _logger.info("Qonto %s of invoice %s: answer lost, but the invoice is %s: done",
                         action, invoice_id, current.status)
            return
        _logger.warning("Qonto %s of invoice %s failed (%s) and the invoice is still %s: "
                        "trying once more", action, invoice_id, lost, current.status)
        self._transport.request("POST", path, safe=False, decode=False)

    def finalize(self, invoice_id: str) -> None:
        """Draft to unpaid: Qonto numbers and locks the invoice, and starts its Factur-X.

        Returns ``None``: Qonto documents no answer body, so none is read (an invoice,
        an empty body, anything). Re-read with :meth:`get` for the state. A lost answer
        (dropped connection, 5xx) is resolved by reading the invoice: no longer
        ``draft`` means finalized; still ``draft``, the finalize is made once more.
        """
        self._post_then_check(invoice_id, "finalize", lambda inv: inv.status != "draft")

    def send_by_einvoice(self, invoice_id: str) -> None:
        """Ask Qonto to send the invoice on the e-invoicing network.

        Returns on Qonto's 204, which means *accepted for processing*, not delivered:
        follow the lifecycle events. Qonto makes a repeated call a no-op, so it is
        retried safely.
        """
        self._transport.request("POST", f"{_PATH}/{invoice_id}/send_by_einvoice", safe=True)

    def send_by_email(self, invoice_id: str, *, send_to: builtins.list[str],
                      email_title: str | None = None, email_body: str | None = None,
                      copy_to_self: bool = False) -> None:
        """Qonto's fallback for a client that is not reachable on the network."""
        body: dict[str, Any] = {"send_to": send_to, "copy_to_self": copy_to_self}
        if email_title:
            body["email_title"] = email_title
        if email_body:
            body["email_body"] = email_body
        self._transport.request("POST", f"{_PATH}/{invoice_id}/send", json=body, safe=False)

    def mark_as_paid(self, invoice_id: str, paid_at: dt.date | None = None) -> ClientInvoice:
        """Mark as paid on ``paid_at`` (today by default; Qonto refuses a future date).

        Qonto documents a 200 with the invoice (seed ``004``) and makes a repeated call
        harmless, so it is retried like a read. An empty answer is tolerated: the
        invoice is then read.
        """
        body = {"paid_at": paid_at.isoformat()} if paid_at else {}
        path = f"{_PATH}/{invoice_id}/mark_as_paid"
        data = self._transport.request("POST", path, json=body, safe=True)
        if isinstance(data, dict) and "client_invoice" in data:
            return self._transport.unwrap(data, "client_invoice", ClientInvoice, path=path)
        return self.get(invoice_id)

    def unmark_as_paid(self, invoice_id: str) -> None:
        """Back to unpaid. Returns ``None`` (no documented answer body: re-read the
        invoice). Not documented as idempotent, so a lost answer is resolved by reading
        the invoice: no longer ``paid`` means done; still ``paid``, one more try."""
        self._post_then_check(invoice_id, "unmark_as_paid", lambda inv: inv.status != "paid")

    def cancel(self, invoice_id: str) -> None:
        """Cancel the invoice (``mark_as_canceled``). Returns ``None`` (no documented
        answer body: re-read the invoice). A lost answer is resolved by reading the
        invoice: ``canceled`` means done; anything else, one more try."""
        self._post_then_check(invoice_id, "mark_as_canceled",
                              lambda inv: inv.status == "canceled")
