"""SIREN, SIRET, French VAT numbers and e-invoicing addresses, on real companies' numbers."""

import pytest

from qonto_einvoicing import is_fr_vat, is_siren, is_siret, siren_of
from qonto_einvoicing.identifiers import einvoicing_address_problem, fr_vat_key, luhn_ok


@pytest.mark.parametrize("siret", [
    "73282932000017",   # a real company's head office
    "55210055400013",
    "35600000000048",   # La Poste's head office: passes Luhn
    "35600000049837",   # a La Poste SIRET: fails Luhn, digits add up to 45
    "732 829 320 00017",  # as people type it
])
def test_valid_sirets(siret):
    assert is_siret(siret)


@pytest.mark.parametrize("siret", [
    "73282932000018",   # wrong key
    "55210055400012",
    "35600000000049",   # La Poste, neither rule
    "12345678",
    "ABCDEFGHIJKLMN",
    "",
    None,
    "732829320000170",  # 15 digits
    "١٢٣٤٥٦٧٨٩٠١٢٣٤",  # not ASCII digits
])
def test_invalid_sirets(siret):
    assert not is_siret(siret)


def test_sirens():
    for siren in ("732829320", "552100554", "356000000", "443061841"):
        assert is_siren(siren)
    for siren in ("732829321", "12345678", "123456789", "ABCDEFGHI", "7328293200"):
        assert not is_siren(siren)


def test_french_vat_numbers():
    assert fr_vat_key("732829320") == "44"
    assert is_fr_vat("FR44732829320") and is_fr_vat("FR96552100554")
    assert is_fr_vat("fr 44 732 829 320")
    for vat in ("FR45732829320", "FR32123456789", "FR12345678", "DE44732829320", "FRXX732829320"):
        assert not is_fr_vat(vat)


def test_siren_of_any_identifier():
    assert siren_of("73282932000017") == "732829320"
    assert siren_of("732829320") == "732829320"
    assert siren_of("FR44732829320") == "732829320"
    assert siren_of("552100554_55210055400013") == "552100554"
    assert siren_of("73282932000018") is None  # a mistyped SIRET yields nothing
    assert siren_of("ABCDEFGHIJKLMN") is None and siren_of(None) is None


def test_einvoicing_addresses():
    for ok in ("552100554", "552100554_55210055400013", "552100554_55210055400013_SERV1",
               "552100554_FACTURES"):
        assert einvoicing_address_problem(ok) is None, ok
    assert "SIREN" in einvoicing_address_problem("123456789")
    assert "SIRET" in einvoicing_address_problem("552100554_55210055400012")
    assert "belong" in einvoicing_address_problem("552100554_73282932000017")
    assert einvoicing_address_problem("552100554__x")


def test_luhn():
    assert luhn_ok("79927398713") and not luhn_ok("79927398710") and not luhn_ok("12a")
