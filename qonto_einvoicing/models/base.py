"""What every model shares: lenient objects read from Qonto, strict payloads sent to it
whose errors are Qonto-style error objects, money, discounts and list pages."""

from __future__ import annotations

from decimal import Decimal
from typing import Any, Generic, Literal, TypeVar

import pydantic
from pydantic import BaseModel, ConfigDict, Field, ValidationInfo, field_validator

from ..errors import ErrorObject, PayloadError
from .values import ExactDecimal


class QontoObject(BaseModel):
    """An object read from Qonto: lenient, keeps fields this package does not know."""

    model_config = ConfigDict(extra="allow", populate_by_name=True)


class _PayloadMeta(type(BaseModel)):  # type: ignore[misc]
    # ``Model(...)`` raises PayloadError. Done in the metaclass, not in ``__init__``:
    # pydantic calls an overridden ``__init__`` for nested models too, inside its own
    # validation, which would wrap the error twice.
    def __call__(cls, *args: Any, **kwargs: Any) -> Any:
        try:
            return super().__call__(*args, **kwargs)
        except pydantic.ValidationError as exc:
            raise _payload_error(cls, exc) from None


class QontoPayload(BaseModel, metaclass=_PayloadMeta):
    """A body this package sends: strict, unknown fields refused.

    Building one (``Model(...)``, ``Model.model_validate(...)``,
    ``Model.model_validate_json(...)``) raises
    :class:`~qonto_einvoicing.errors.PayloadError`, with a JSON pointer per wrong field,
    instead of pydantic's ``ValidationError``.
    """

    model_config = ConfigDict(extra="forbid", populate_by_name=True)

    @classmethod
    def model_validate(cls, obj: Any, *args: Any, **kwargs: Any) -> Any:
        try:
            return super().model_validate(obj, *args, **kwargs)
        except pydantic.ValidationError as exc:
            raise _payload_error(cls, exc) from None

    @classmethod
    def model_validate_json(cls, json_data: Any, *args: Any, **kwargs: Any) -> Any:
        try:
            return super().model_validate_json(json_data, *args, **kwargs)
        except pydantic.ValidationError as exc:
            raise _payload_error(cls, exc) from None

    def to_json(self) -> dict[str, Any]:
        """The JSON body: decimals as strings, dates ISO, unset fields left out."""
        return self.model_dump(mode="json", exclude_none=True)


class Money(QontoObject):
    value: Decimal
    currency: str


class MoneyPayload(QontoPayload):
    value: ExactDecimal
    currency: str = Field(min_length=3, max_length=3)


class Discount(QontoPayload):
    """A discount: ``percentage`` (a rate, 0.0001 to 1) or ``absolute`` (an amount)."""

    type: Literal["percentage", "absolute"]
    value: ExactDecimal

    @field_validator("value")
    @classmethod
    def _range(cls, value: Decimal, info: ValidationInfo) -> Decimal:
        if info.data.get("type") == "percentage" and not Decimal("0.0001") <= value <= 1:
            raise ValueError("a percentage discount is a rate from 0.0001 (0.01 %) to 1 (100 %)")
        if info.data.get("type") == "absolute" and value <= 0:
            raise ValueError("an absolute discount is a positive amount")
        return value

    def amount(self, base: Decimal) -> Decimal:
        """The amount taken off ``base``."""
        return base * self.value if self.type == "percentage" else self.value


class PageMeta(QontoObject):
    current_page: int = 1
    next_page: int | None = None
    prev_page: int | None = None
    total_pages: int | None = None
    total_count: int | None = None
    per_page: int | None = None


T = TypeVar("T")


class Page(BaseModel, Generic[T]):
    """One page of a list answer."""

    items: list[T]
    meta: PageMeta


# ---------------------------------------------------------------- validation errors


def _pointer(loc: tuple[Any, ...]) -> str:
    return "/" + "/".join(str(part) for part in loc) if loc else "/"


def error_objects(exc: pydantic.ValidationError) -> list[ErrorObject]:
    """pydantic's errors as Qonto-style error objects with a JSON pointer each."""
    errors = []
    for err in exc.errors(include_url=False, include_input=False):
        loc = tuple(err["loc"])
        code = "missing_field" if err["type"] == "missing" else "invalid"
        message = err["msg"].removeprefix("Value error, ")
        if err["type"] == "french_tax_id":
            # Found while checking the billing address (the country), about another field.
            loc = (*loc[:-1], "tax_identification_number")
            message = message.removeprefix("tax_identification_number: ")
        errors.append(ErrorObject(code=code, detail=message, status="422",
                                  pointer=_pointer(loc)))
    return errors


def _payload_error(model: type[BaseModel], exc: pydantic.ValidationError) -> PayloadError:
    return PayloadError(error_objects(exc), model=model.__name__)


def payload_errors(model: type[QontoPayload], data: Any) -> list[ErrorObject]:
    """Check ``data`` against a payload model; return Qonto-style error objects.

    An empty list means the payload is valid. Each error carries ``source.pointer`` on
    the field (``/items/0/title``), ``missing_field`` or ``invalid`` as its code, and a
    readable ``detail``. The simulator answers these as its 422, and callers use them to
    say which field of which record is wrong before anything is sent.
    """
    try:
        model.model_validate(data)
    except PayloadError as exc:
        return exc.problems
    return []
