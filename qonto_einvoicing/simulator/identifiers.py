"""French identifiers the simulator makes and reads: SIREN, IBAN, document numbers.

A client's SIREN (:func:`client_siren`, used to pick a scenario per SIREN) is the first 9
digits of its ``e_invoicing_address`` (``987654321_98765432100012`` gives
``987654321``); else the first 9 digits of a 9-digit SIREN or 14-digit SIRET in
``tax_identification_number``; else the 9 digits of a French VAT number
``FRkk<SIREN>``. Reachability is the Annuaire's business: see ``annuaire``.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Callable
from typing import Any

from ..identifiers import luhn_ok

__all__ = [
    "QONTO_BANK_CODE",
    "QONTO_BIC",
    "client_siren",
    "french_iban",
    "iban_is_valid",
    "make_siren",
    "next_number",
    "siren_from",
]

QONTO_BANK_CODE = "16958"
QONTO_BIC = "QNTOFRP1XXX"

_LEADING_SIREN = re.compile(r"(\d{9})")
_FRENCH_VAT = re.compile(r"FR[0-9A-Z]{2}(\d{9})")


def _compact(value: str | None) -> str:
    return re.sub(r"[\s.\-]", "", value or "").upper()


def siren_from(e_invoicing_address: str | None, tax_identification_number: str | None,
               vat_number: str | None) -> str | None:
    """The SIREN found in these three fields, or ``None``."""
    address = _LEADING_SIREN.match((e_invoicing_address or "").strip())
    if address:
        return address.group(1)
    tin = _compact(tax_identification_number)
    if tin.isdigit() and len(tin) in (9, 14):
        return tin[:9]
    vat = _FRENCH_VAT.fullmatch(_compact(vat_number))
    return vat.group(1) if vat else None


def client_siren(client: dict[str, object]) -> str | None:
    """The SIREN of a stored client (see :func:`siren_from`)."""
    def text(key: str) -> str | None:
        value = client.get(key)
        return value if isinstance(value, str) else None

    return siren_from(text("e_invoicing_address"), text("tax_identification_number"),
                      text("vat_number"))


def make_siren(seed: str) -> str:
    """A Luhn-valid SIREN derived from ``seed``, never starting with 9."""
    digits = str(int(hashlib.sha256(seed.encode()).hexdigest(), 16))[:8]
    if digits[0] in "09":
        digits = "1" + digits[1:]
    return next(digits + str(d) for d in range(10) if luhn_ok(digits + str(d)))


def _iban_number(text: str) -> int:
    return int("".join(str(int(char, 36)) for char in text))


def french_iban(bank: str, branch: str, account: str) -> str:
    """A French IBAN with a correct RIB key and correct IBAN check digits.

    ``bank`` (5 digits), ``branch`` (5 digits) and ``account`` (11 digits) are digits only.
    """
    rib_key = 97 - (89 * int(bank) + 15 * int(branch) + 3 * int(account)) % 97
    bban = f"{bank}{branch}{account}{rib_key:02d}"
    check = 98 - _iban_number(bban + "FR00") % 97
    return f"FR{check:02d}{bban}"


def iban_is_valid(iban: str) -> bool:
    """The ISO 13616 mod-97 check."""
    compact = _compact(iban)
    return len(compact) >= 15 and _iban_number(compact[4:] + compact[:4]) % 97 == 1


def next_number(org: dict[str, Any], counter: str, prefix: str, year: str,
                taken: Callable[[str], bool]) -> str:
    """The organization's next free document number, such as ``F-2026-00001``.

    Qonto numbers a document itself when the caller gives no number; a number a caller
    already used by hand is skipped.
    """
    while True:
        org[counter] += 1
        number = f"{prefix}-{year}-{org[counter]:05d}"
        if not taken(number):
            return number
