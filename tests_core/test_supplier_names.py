"""When two company names are the same name: exact after normalisation, never a pattern."""

import pytest

from qonto_einvoicing.receiving import normalized_name


@pytest.mark.parametrize(("one", "other"), [
    ("Fournisseur Légitime S.A.S.", "FOURNISSEUR LEGITIME SAS"),
    ("  Fournisseur   légitime sas ", "Fournisseur Légitime SAS"),
    ("Boulangerie-Pâtisserie Martin", "Boulangerie Pâtisserie Martin"),
    ("L'Atelier du Pain", "L’Atelier du pain"),
])
def test_the_same_name_written_differently(one: str, other: str) -> None:
    assert normalized_name(one) == normalized_name(other) != ""


@pytest.mark.parametrize(("one", "other"), [
    ("Fournisseur Légitime SAS", "Fournisseur Légitime SARL"),  # the legal form counts
    ("Fournisseur Légitime SAS", "Fournisseur Légitime"),
    ("Fournisseur L_gitime%", "Fournisseur Légitime SAS"),  # no wildcard is one
    ("%", "Fournisseur Légitime SAS"),
])
def test_different_names_stay_different(one: str, other: str) -> None:
    assert normalized_name(one) != normalized_name(other)


def test_punctuation_alone_is_no_name() -> None:
    assert normalized_name("%") == normalized_name("_ % .") == normalized_name(None) == ""
