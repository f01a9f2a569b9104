"""Clients: Qonto's customer records, ``/v2/clients``."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator, Mapping
from typing import Any

from ..models import Client, ClientPayload
from .base import Resource, checked

__all__ = ["ClientsResource"]


class ClientsResource(Resource):
    """Search, read, create and update clients (Qonto has no uniqueness rule on them)."""

    def list(self, *, tax_identification_number: str | None = None,
             vat_number: str | None = None, email: str | None = None,
             name: str | None = None, updated_at_from: dt.datetime | None = None,
             sort_by: str | None = None) -> Iterator[Client]:
        """Every client matching the filters (exact, but ``name``: partial)."""
        filters = {
            "tax_identification_number": tax_identification_number,
            "vat_number": vat_number,
            "email": email,
            "name": name,
            "updated_at_from": updated_at_from.isoformat() if updated_at_from else None,
        }
        params: dict[str, Any] = {f"filter[{k}]": v for k, v in filters.items() if v}
        if sort_by:
            params["sort_by"] = sort_by
        return self._transport.paginate("/v2/clients", "clients", Client, params=params)

    def find(self, *, siret: str | None = None, siren: str | None = None,
             vat_number: str | None = None, email: str | None = None) -> Client | None:
        """The existing client matching, in this order, SIRET, SIREN, VAT number, e-mail.

        Qonto has no uniqueness rule on clients, so one must always search before
        creating. Identifiers are tried from the most to the least specific; the first
        that matches wins.
        """
        searches = [("tax_identification_number", siret), ("tax_identification_number", siren),
                    ("vat_number", vat_number), ("email", email)]
        for field_name, value in searches:
            if value:
                found = next(self.list(**{field_name: value}), None)
                if found is not None:
                    return found
        return None

    def get(self, client_id: str) -> Client:
        return self._transport.get(f"/v2/clients/{client_id}", "client", Client)

    def create(self, payload: ClientPayload | Mapping[str, Any]) -> Client:
        """Create a client (search first: Qonto has no uniqueness rule on clients).

        A mapping is checked as a :class:`ClientPayload` first: a wrong field raises
        :class:`~qonto_einvoicing.errors.PayloadError` before any request.
        """
        return self._transport.send("POST", "/v2/clients", "client", Client,
                                    checked(ClientPayload, payload), safe=False)

    def update(self, client_id: str, changes: Mapping[str, Any]) -> Client:
        return self._transport.send("PATCH", f"/v2/clients/{client_id}", "client", Client,
                                    dict(changes), safe=True)
