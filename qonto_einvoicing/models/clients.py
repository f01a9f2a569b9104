"""Clients: as Qonto answers them, and the payload that creates or updates one."""

from __future__ import annotations

from typing import Any

import pydantic_core
from pydantic import ConfigDict, Field, ValidationInfo, field_validator

from .. import identifiers
from .base import QontoObject, QontoPayload
from .values import ClientKind, KindText, OptDateTime


class ClientAddress(QontoPayload):
    """A client's billing or delivery address, with Qonto's length limits."""

    model_config = ConfigDict(extra="allow")

    street_address: str | None = Field(default=None, max_length=250)
    city: str | None = Field(default=None, max_length=50)
    zip_code: str | None = Field(default=None, max_length=20)
    province_code: str | None = Field(default=None, max_length=2)
    country_code: str | None = Field(default=None, max_length=2)


class Client(QontoObject):
    """A customer as Qonto knows it."""

    id: str
    kind: KindText | None = None
    type: KindText | None = None
    name: str | None = None
    first_name: str | None = None
    last_name: str | None = None
    email: str | None = None
    extra_emails: list[str] | None = None
    vat_number: str | None = None
    tax_identification_number: str | None = None
    e_invoicing_address: str | None = None
    e_invoicing_reachable: bool | None = None
    billing_address: dict[str, Any] | None = None
    delivery_address: dict[str, Any] | None = None
    currency: str | None = None
    locale: str | None = None
    recipient_code: str | None = None
    created_at: OptDateTime = None
    updated_at: OptDateTime = None

    @property
    def display_name(self) -> str:
        return self.name or " ".join(filter(None, [self.first_name, self.last_name])) or self.id


class ClientPayload(QontoPayload):
    """The body of create (and update) a client."""

    kind: ClientKind = "company"
    name: str | None = Field(default=None, max_length=250, validate_default=True)
    first_name: str | None = Field(default=None, max_length=60, validate_default=True)
    last_name: str | None = Field(default=None, max_length=60, validate_default=True)
    email: str | None = Field(default=None, max_length=250)
    extra_emails: list[str] | None = None
    vat_number: str | None = Field(default=None, max_length=20)
    tax_identification_number: str | None = Field(default=None, max_length=30)
    e_invoicing_address: str | None = Field(default=None, max_length=100)
    # The flat address fields of Qonto's "Create a client" body, beside billing_address
    # (https://docs.qonto.com/api-reference/business-api/clients/create-a-client), with
    # the limits of the same fields of billing_address.
    address: str | None = Field(default=None, max_length=250)
    city: str | None = Field(default=None, max_length=50)
    zip_code: str | None = Field(default=None, max_length=20)
    province_code: str | None = Field(default=None, max_length=2)
    country_code: str | None = Field(default=None, max_length=2)
    billing_address: ClientAddress | None = Field(default=None, validate_default=True)
    delivery_address: ClientAddress | None = None
    currency: str | None = Field(default=None, min_length=3, max_length=3)
    locale: str | None = Field(default=None, max_length=5)
    recipient_code: str | None = None

    # A company is named; a person (individual, freelancer) has a first and last name.
    # Checked per field, so that the error points at the field to fill in.
    @field_validator("name", mode="after")
    @classmethod
    def _company_name(cls, value: str | None, info: ValidationInfo) -> str | None:
        if info.data.get("kind") == "company" and not value:
            raise ValueError("name is required for a company client")
        return value

    @field_validator("first_name", "last_name", mode="after")
    @classmethod
    def _person_name(cls, value: str | None, info: ValidationInfo) -> str | None:
        kind = info.data.get("kind")
        if kind is not None and kind != "company" and not value:
            raise ValueError(f"{info.field_name} is required for a person")
        return value

    # French identifiers are checked where they can be told apart from foreign ones: a
    # client is French when its billing country is FR or, without a billing country,
    # when its VAT number is French. An e-invoicing address is always French (the
    # Annuaire's formats); a VAT number starting with FR is always a French one.
    @field_validator("vat_number", mode="after")
    @classmethod
    def _fr_vat(cls, value: str | None) -> str | None:
        if value and identifiers.compact(value).startswith("FR") \
                and not identifiers.is_fr_vat(value):
            raise ValueError(f"{value} is not a French VAT number (FR, a 2-digit key that "
                             f"matches the SIREN, and the 9-digit SIREN)")
        return value

    @field_validator("e_invoicing_address", mode="after")
    @classmethod
    def _address(cls, value: str | None) -> str | None:
        if value is not None:
            problem = identifiers.einvoicing_address_problem(value)
            if problem:
                raise ValueError(problem)
        return value

    @field_validator("billing_address", mode="after")
    @classmethod
    def _french_tax_id(cls, value: ClientAddress | None,
                       info: ValidationInfo) -> ClientAddress | None:
        tin = info.data.get("tax_identification_number")
        country = (value.country_code or "").upper() if value else ""
        vat = identifiers.compact(info.data.get("vat_number"))
        french = country == "FR" or (not country and vat.startswith("FR"))
        if tin and french and not (identifiers.is_siren(tin) or identifiers.is_siret(tin)):
            # Reported on the field itself: see _tax_id_pointer.
            raise pydantic_core.PydanticCustomError(
                "french_tax_id",
                "tax_identification_number: {tin} is neither a SIREN (9 digits) nor a SIRET "
                "(14 digits) with a valid key, as a French client needs",
                {"tin": tin})
        return value
