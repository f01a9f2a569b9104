"""Every French identifier the demo creates is valid: the demo shows the flows, not a
"not a SIREN" error on a customer the walk-through expects to be merely unreachable."""

import pytest

from qonto_einvoicing import is_fr_vat, is_siren, is_siret, siren_of
from qonto_einvoicing.demo_data import ABROAD, CUSTOMERS
from qonto_einvoicing.models import ClientPayload
from qonto_einvoicing.simulator.annuaire import REGISTERED
from qonto_einvoicing.simulator.supplier_documents import SUPPLIERS


@pytest.mark.parametrize("customer", CUSTOMERS, ids=lambda c: c.name)
def test_demo_customer_identifiers_are_valid(customer):
    assert is_siret(customer.siret), f"{customer.name}: SIRET {customer.siret}"
    assert is_fr_vat(customer.vat), f"{customer.name}: VAT {customer.vat}"
    assert siren_of(customer.vat) == customer.siret[:9], "the VAT number is the SIRET's"


@pytest.mark.parametrize("customer", CUSTOMERS, ids=lambda c: c.name)
def test_demo_customer_makes_a_valid_qonto_client(customer):
    # The payload the addon sends for it (tools/mapping.client_payload) passes the core's
    # checks: no customer of the demo stops at "is not a SIREN".
    ClientPayload.model_validate({
        "kind": "company", "name": customer.name, "vat_number": customer.vat,
        "tax_identification_number": customer.siret,
        "e_invoicing_address": customer.siret[:9],
        "billing_address": {"country_code": customer.country_code, "city": "Lyon"},
    })


def test_demo_reachability_is_the_annuaire():
    # A scenario only plays for a reachable customer: reachable iff registered.
    for customer in CUSTOMERS:
        registered = customer.siret[:9] in REGISTERED
        assert registered == (customer.scenario is not None), customer.name
    assert len({c.siret[:9] for c in CUSTOMERS}) == len(CUSTOMERS), "one SIREN each"


def test_demo_customer_abroad_has_no_french_identifier():
    assert ABROAD.country_code != "FR"
    assert ABROAD.siret is None and ABROAD.vat is None


def test_simulator_identifiers_are_valid():
    for siren in REGISTERED:
        assert is_siren(siren), siren
    for supplier in SUPPLIERS:
        assert is_siret(supplier.siret), supplier.name
        assert is_fr_vat(supplier.vat) and siren_of(supplier.vat) == supplier.siret[:9], \
            supplier.name
