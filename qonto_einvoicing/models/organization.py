"""The organization, its bank accounts and its e-invoicing settings."""

from __future__ import annotations

from pydantic import Field

from .base import QontoObject
from .values import ReceivingStatusText, SendingStatusText


class BankAccount(QontoObject):
    id: str | None = None
    name: str | None = None
    iban: str
    bic: str | None = None
    currency: str | None = None
    status: str | None = None
    main: bool | None = None


class Organization(QontoObject):
    id: str | None = None
    slug: str | None = None
    legal_name: str | None = None
    legal_number: str | None = None
    legal_country: str | None = None
    bank_accounts: list[BankAccount] = Field(default_factory=list)

    @property
    def ibans(self) -> list[str]:
        return [account.iban for account in self.bank_accounts]


class EInvoicingSettings(QontoObject):
    sending_status: SendingStatusText | None = None
    receiving_status: ReceivingStatusText | None = None

    @property
    def can_send(self) -> bool:
        return self.sending_status == "enabled"
