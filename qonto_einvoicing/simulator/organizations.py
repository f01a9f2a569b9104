"""Organizations: the default one made from the API key, and the ones tests add.

Ids are derived from the API key login (UUID 5), so the default organization keeps the
same id, SIREN and IBANs across resets and restarts: a demo database configured once
against the simulator stays valid.
"""

from __future__ import annotations

import re
import uuid
from typing import Any

from .identifiers import QONTO_BANK_CODE, QONTO_BIC, french_iban, make_siren
from .state import Record

__all__ = ["new_organization", "split_api_key"]

_NAMESPACE = uuid.UUID("6f1c2a52-5c1e-4b8e-9a57-3a8d0c3f5e10")
_OPENING_BALANCES = (1_254_300, 250_000)  # cents, main account first


def split_api_key(api_key: str) -> tuple[str, str]:
    """``login:secret`` → ``(login, secret)``; raises ``ValueError`` when malformed."""
    login, sep, secret = api_key.partition(":")
    if not sep or not login or not secret:
        raise ValueError("an API key is 'login:secret'")
    return login, secret


def _uid(*parts: str) -> str:
    return str(uuid.uuid5(_NAMESPACE, "/".join(parts)))


def _vat_number(siren: str) -> str:
    return f"FR{(12 + 3 * (int(siren) % 97)) % 97:02d}{siren}"


def new_organization(api_key: str, legal_name: str | None = None,
                     siren: str | None = None) -> Record:
    """A new organization with two EUR accounts and no data."""
    login, secret = split_api_key(api_key)
    siren = siren or make_siren(login)
    slug = re.sub(r"[^a-z0-9]+", "-", login.lower()).strip("-") or "org"
    accounts: list[dict[str, Any]] = []
    for index, name in enumerate(("Compte principal", "Compte secondaire"), start=1):
        account_id = _uid(login, "bank_account", str(index))
        accounts.append({
            "id": account_id,
            "slug": f"{slug}-bank-account-{index}",
            "name": name,
            "iban": french_iban(QONTO_BANK_CODE, "00001", f"{siren}{index:02d}"),
            "bic": QONTO_BIC,
            "currency": "EUR",
            "status": "active",
            "main": index == 1,
            # Simulated money: nothing moves it (no transactions are simulated here).
            "balance_cents": _OPENING_BALANCES[index - 1],
            "authorized_balance_cents": _OPENING_BALANCES[index - 1],
        })
    return {
        "id": _uid(login, "organization"),
        "slug": slug,
        "legal_name": legal_name or f"{login} SAS",
        "legal_number": siren,
        "legal_country": "FR",
        "vat_number": _vat_number(siren),
        "commercial_register_number": f"RCS Paris {siren}",
        "address": {
            "address_line_1": "12 rue de la Paix",
            "address_zipcode": "75002",
            "address_city": "Paris",
            "address_country": "FR",
        },
        "contact_email": f"facturation@{slug}.example",
        "legal_mentions": {
            "discount_conditions": "Pas d'escompte accordé pour paiement anticipé.",
            "late_payment_penalties": (
                "En cas de non-paiement à la date d'échéance, des pénalités calculées à trois "
                "fois le taux d'intérêt légal seront appliquées."),
            "legal_fixed_compensation": (
                "Tout retard de paiement entraînera une indemnité forfaitaire pour frais de "
                "recouvrement de 40€."),
        },
        "api_login": login,
        "api_secret": secret,
        "membership_id": _uid(login, "membership"),
        "bank_accounts": accounts,
        "sending_enabled": True,
        "invoice_counter": 0,
        "credit_note_counter": 0,
        "clients": {},
        "client_invoices": {},
        "credit_notes": {},
        "uploads": {},
        "attachments": {},
        "webhook_subscriptions": {},
        "emails": [],
    }
