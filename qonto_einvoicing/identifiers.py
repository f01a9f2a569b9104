"""French company identifiers: SIREN, SIRET, French VAT number, e-invoicing address.

- A **SIREN** names a company: 9 digits, the last one a Luhn key.
- A **SIRET** names one establishment: the SIREN, then 5 digits (the NIC), the whole 14
  digits passing the Luhn check. La Poste is the one exception the INSEE documents:
  its SIREN 356000000 has so many establishments that their SIRETs do not pass Luhn;
  one of La Poste's SIRETs is valid when the sum of its 14 digits is a multiple of 5.
  Its head office, ``35600000000048``, passes the ordinary Luhn check instead (its
  digits add up to 26), so a La Poste SIRET is accepted by either rule.
- A **French VAT number** is ``FR``, a 2-digit key, and the SIREN, where the key is
  ``(12 + 3 × (SIREN mod 97)) mod 97``. The rarer alphanumeric keys (given to
  businesses that have no SIREN) carry no SIREN and are not accepted here.
- An **e-invoicing address** in the French directory (the Annuaire) is the SIREN, or
  ``SIREN_SIRET``, ``SIREN_SIRET_routingCode``, or ``SIREN_suffix``.

Spaces, dots and dashes that people type inside a number are ignored by
:func:`compact`; every other function takes the compacted or raw value alike.

Examples (real companies): SIREN ``732829320`` and SIRET ``73282932000017``,
``55210055400013``; VAT ``FR44732829320``, ``FR96552100554``; La Poste's SIRET
``35600000000048``.
"""

from __future__ import annotations

import re

__all__ = [
    "LA_POSTE_SIREN",
    "compact",
    "einvoicing_address_problem",
    "fr_vat_key",
    "is_fr_vat",
    "is_siren",
    "is_siret",
    "luhn_ok",
    "siren_of",
]

LA_POSTE_SIREN = "356000000"

_SEPARATORS = re.compile(r"[\s.\-]")


def compact(value: str | None) -> str:
    """``value`` without the spaces, dots and dashes people type; upper case."""
    return _SEPARATORS.sub("", value or "").upper()


def luhn_ok(digits: str) -> bool:
    """Whether a string of digits passes the Luhn check (every second digit from the
    right doubled, 9 taken off a double above 9, the sum a multiple of 10)."""
    if not digits.isdigit():
        return False
    total = 0
    for index, char in enumerate(reversed(digits)):
        digit = int(char)
        if index % 2:
            digit *= 2
            if digit > 9:
                digit -= 9
        total += digit
    return total % 10 == 0


def _digits(value: str | None, length: int) -> str | None:
    text = compact(value)
    return text if len(text) == length and text.isascii() and text.isdigit() else None


def is_siren(value: str | None) -> bool:
    """Whether ``value`` is a SIREN: 9 digits with a correct Luhn key."""
    digits = _digits(value, 9)
    return digits is not None and luhn_ok(digits)


def is_siret(value: str | None) -> bool:
    """Whether ``value`` is a SIRET: 14 digits, its SIREN valid, the whole passing Luhn.

    La Poste's SIRETs (SIREN 356000000) also pass by their own rule: the sum of the 14
    digits is a multiple of 5 (its head office, 35600000000048, passes Luhn).
    """
    digits = _digits(value, 14)
    if digits is None or not is_siren(digits[:9]):
        return False
    if luhn_ok(digits):
        return True
    return digits[:9] == LA_POSTE_SIREN and sum(int(d) for d in digits) % 5 == 0


def fr_vat_key(siren: str) -> str:
    """The 2-digit key of the French VAT number of ``siren``."""
    return f"{(12 + 3 * (int(compact(siren)) % 97)) % 97:02d}"


def is_fr_vat(value: str | None) -> bool:
    """Whether ``value`` is a French VAT number ``FRkk<SIREN>`` whose key matches."""
    text = compact(value)
    if len(text) != 13 or not text.startswith("FR"):
        return False
    key, siren = text[2:4], text[4:]
    return key.isdigit() and is_siren(siren) and key == fr_vat_key(siren)


def siren_of(value: str | None) -> str | None:
    """The SIREN inside a SIREN, a SIRET, a French VAT number or an e-invoicing address.

    ``None`` when ``value`` is none of them, or when its check fails: a mistyped
    identifier never yields a SIREN.
    """
    text = compact(value)
    if is_siren(text) or is_siret(text):
        return text[:9]
    if is_fr_vat(text):
        return text[4:]
    if "_" in (value or "") and einvoicing_address_problem(value) is None:
        return (value or "").strip()[:9]
    return None


def einvoicing_address_problem(value: str | None) -> str | None:
    """Why ``value`` is not a French e-invoicing address; ``None`` when it is one.

    The Annuaire's formats: ``SIREN``, ``SIREN_SIRET``, ``SIREN_SIRET_routingCode``,
    ``SIREN_suffix``. The SIREN must be valid; a SIRET must be valid and belong to that
    SIREN. Whether the address is registered in the Annuaire only Qonto can say.
    """
    text = (value or "").strip()
    if not text:
        return "an e-invoicing address cannot be empty"
    parts = text.split("_")
    siren = parts[0]
    if not is_siren(siren):
        return f"{text}: {siren} is not a SIREN (9 digits with a valid key)"
    if len(parts) == 1:
        return None
    second = parts[1]
    if not second or (len(parts) > 3) or any(not part for part in parts[2:]):
        return f"{text}: expected SIREN, SIREN_SIRET, SIREN_SIRET_routingCode or SIREN_suffix"
    if second.isdigit() and len(second) == 14:
        if not is_siret(second):
            return f"{text}: {second} is not a SIRET (14 digits with a valid key)"
        if second[:9] != siren:
            return f"{text}: the SIRET {second} does not belong to the SIREN {siren}"
        return None
    if len(parts) == 3:
        return f"{text}: {second} is not a SIRET (14 digits with a valid key)"
    return None
