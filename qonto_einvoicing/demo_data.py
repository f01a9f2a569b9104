"""The customers the Odoo demo creates (``bin/demo_setup.py``), kept here so that the
core's tests check their identifiers (``tests_core/test_demo_data.py``): a demo customer
the addon refuses for a mistyped SIRET would show nothing but that error.

Each French customer has a valid SIRET (Luhn) and the French VAT number of its SIREN.
Whether it is reachable is the simulator's Annuaire: the SIRENs with a scenario are
registered there by default (``simulator.annuaire.REGISTERED``), the others are not.
"""

from __future__ import annotations

from dataclasses import dataclass

__all__ = ["ABROAD", "CUSTOMERS", "DemoCustomer"]


@dataclass(frozen=True)
class DemoCustomer:
    name: str
    siret: str | None
    vat: str | None
    scenario: str | None
    """The simulator's scenario for its invoices; ``None``: not in the Annuaire, so not
    reachable on the network (its invoices go by e-mail)."""
    country_code: str = "FR"


CUSTOMERS = (
    DemoCustomer("Boulangerie Martin SARL", "55210055400013", "FR96552100554", "approved"),
    DemoCustomer("Atelier Dupont SAS", "73282932000074", "FR44732829320", "refused"),
    DemoCustomer("Librairie Moreau", "44306184100047", "FR64443061841", "paid"),
    DemoCustomer("Transports Lefèvre", "91234567500017", "FR65912345675", None),
)
"""French customers: reachable with the scenario named, or not reachable."""

ABROAD = DemoCustomer("Acme Corp", None, None, None, country_code="US")
"""A customer abroad, without a SIREN: never offered the e-invoice, only e-mail."""
