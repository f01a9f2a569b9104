"""The Annuaire (France's e-invoicing directory), as the simulator keeps it.

Qonto's rules (https://docs.qonto.com/api-reference/business-api/clients/create-a-client.md,
https://docs.qonto.com/api-reference/business-api/clients/update-a-client,
https://docs.qonto.com/guides/invoicing/e-invoicing.md):

- a client's ``e_invoicing_address`` takes one of the formats ``siren``
  (``987654321``), ``siren_siret`` (``987654321_98765432100012``),
  ``siren_siret_routingCode`` (``987654321_98765432100012_SERVICE-A``) or
  ``siren_suffix`` (``987654321_ACHATS``), and must exist in the Annuaire: otherwise
  create and update answer 422 with ``source.pointer`` ``/e_invoicing_address``;
- ``e_invoicing_reachable`` tells whether the client can receive e-invoices: here, true
  iff the client has an ``e_invoicing_address`` whose SIREN is registered in the Annuaire
  *now* (a SIREN registered later makes the client reachable at the next read). A client
  without an address is not reachable (it can still get the invoice by e-mail).

The simulated Annuaire knows SIRENs (any SIRET, routing code or suffix under a registered
SIREN exists). Its content is deterministic: :data:`REGISTERED`, plus or minus what
``POST /_simulator/annuaire {"siren", "registered"}`` changed (kept in the state file).
With the option ``open_annuaire``, every valid SIREN (9 digits, correct Luhn key) is
registered too, unless unregistered explicitly. ``POST
/_simulator/clients/{id}/reachability`` still overrides one client's flag.
"""

from __future__ import annotations

import re
from typing import Any

from ..identifiers import luhn_ok
from .state import Record, Store

__all__ = ["REGISTERED", "Annuaire", "address_error", "address_siren", "initial_annuaire"]

REGISTERED: tuple[str, ...] = (
    "552100554",  # Boulangerie Martin in the demos; the addon's tests' reachable customer
    "732829320",  # Atelier Dupont in the demo; the company of the addon's tests
    "443061841",  # Librairie Moreau in the demo
    "356000000",  # La Poste, a well-known registered SIREN
)
"""The SIRENs registered by default. Not registered, on purpose: 987654308 and 912345675
(the unreachable customers of the addon's tests and of the demo)."""

_ADDRESS = re.compile(r"(\d{9})(?:_([A-Za-z0-9-]{1,50}))?(?:_([A-Za-z0-9-]{1,50}))?")


def address_siren(address: str) -> str | None:
    """The SIREN of a well-formed ``e_invoicing_address``, else ``None``."""
    match = _ADDRESS.fullmatch(address)
    if not match:
        return None
    siren, second, third = match.groups()
    if third is not None:  # siren_siret_routingCode
        siret: str | None = second
    elif second is not None and second.isdigit() and len(second) == 14:  # siren_siret
        siret = second
    else:  # siren, siren_suffix
        siret = None
    if siret is not None and not (siret.isdigit() and len(siret) == 14
                                  and siret.startswith(siren)):
        return None  # a SIRET is 14 digits starting with its SIREN
    return siren


def initial_annuaire() -> Record:
    """The Annuaire part of a new state."""
    return {"registered": list(REGISTERED), "unregistered": []}


def address_error(annuaire: Annuaire, address: Any) -> str | None:
    """Why ``address`` cannot be a client's ``e_invoicing_address``, or ``None``."""
    if not isinstance(address, str) or address_siren(address) is None:
        return ("e_invoicing_address is siren, siren_siret, siren_siret_routingCode or "
                "siren_suffix, e.g. 987654321_98765432100012")
    if not annuaire.registered(address_siren(address) or ""):
        return f"{address} is not registered in the Annuaire"
    return None


class Annuaire:
    """Who is registered, read from and written to the store (lock held by callers)."""

    def __init__(self, store: Store, *, open_annuaire: bool = False) -> None:
        self._store = store
        self.open = open_annuaire

    @property
    def _data(self) -> Record:
        data: Record = self._store.data.setdefault("annuaire", initial_annuaire())
        return data

    def registered(self, siren: str) -> bool:
        """Whether ``siren`` is in the Annuaire now."""
        data = self._data
        if siren in data["unregistered"]:
            return False
        return siren in data["registered"] or (
            self.open and bool(re.fullmatch(r"\d{9}", siren)) and luhn_ok(siren))

    def set(self, siren: str, registered: bool) -> None:
        """Register or unregister ``siren``."""
        data = self._data
        add, remove = ("registered", "unregistered") if registered else (
            "unregistered", "registered")
        if siren in data[remove]:
            data[remove].remove(siren)
        if siren not in data[add]:
            data[add].append(siren)
        self._store.mark_changed()

    def reachable(self, client: Record) -> bool:
        """``e_invoicing_reachable``: the override, else a registered address."""
        override = client.get("reachable_override")
        if isinstance(override, bool):
            return override
        address = client.get("e_invoicing_address")
        siren = address_siren(address) if isinstance(address, str) else None
        return siren is not None and self.registered(siren)

    def describe(self) -> dict[str, Any]:
        """``GET /_simulator/annuaire``."""
        data = self._data
        return {"open": self.open, "registered": sorted(data["registered"]),
                "unregistered": sorted(data["unregistered"])}
