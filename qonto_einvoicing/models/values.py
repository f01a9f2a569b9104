"""The value types of Qonto's fields: the enums Qonto documents, money as exact
decimals, and Qonto's empty strings for unset dates read as ``None``."""

from __future__ import annotations

import datetime as dt
import logging
import threading
from collections.abc import Iterable
from decimal import ROUND_HALF_UP, Decimal
from typing import Annotated, Any, Literal

import pydantic
from pydantic import Field

_logger = logging.getLogger(__name__)

# Qonto's rendered reference for create a client invoice says: "Currently, only value
# allowed is EUR" even though its OpenAPI enum lists more; we follow the stricter text.
CLIENT_INVOICE_CURRENCIES = frozenset({"EUR"})

VAT_EXEMPTION_REASONS = (
    "N1", "N2", "N2.1", "N2.2", "N3", "N3.1", "N3.2", "N3.3", "N3.4", "N3.5", "N3.6",
    "N4", "N5", "N6", "N6.1", "N6.2", "N6.3", "N6.4", "N6.5", "N6.6", "N6.7", "N6.8",
    "N6.9", "N7", "S293B", "S262.1", "S259", "S283", "S261", "S262", "S263", "S19.1",
    "S4.1B", "S4.1A", "S4", "S13B", "S122", "S25", "S21", "S69", "S20", "S84.1.2",
)
VatExemptionReason = Literal[VAT_EXEMPTION_REASONS]  # type: ignore[valid-type]

ClientInvoiceStatus = Literal["draft", "unpaid", "paid", "canceled"]
EInvoicingStatus = Literal[
    "pending", "submitted", "declined", "approved", "not_delivered", "submission_failed"
]
ClientKind = Literal["company", "individual", "freelancer"]

CLIENT_INVOICE_STATUSES = ("draft", "unpaid", "paid", "canceled")
EINVOICING_STATUSES = ("pending", "submitted", "declined", "approved", "not_delivered",
                       "submission_failed")
CLIENT_KINDS = ("company", "individual", "freelancer")
SENDING_STATUSES = ("enabled", "disabled")
RECEIVING_STATUSES = ("enabled", "disabled", "pending_creation", "pending_deletion")

_warned: set[tuple[str, str]] = set()
_warned_lock = threading.Lock()


def _known(field: str, values: Iterable[str]) -> Any:
    """A string field of an answer whose known values are ``values``.

    Any other value is kept as it comes and logged once per process at WARNING (the one
    piece of module state here: a set of what was already reported), so that a value
    Qonto adds tomorrow never fails the reading of an invoice or of a list page.
    """
    known = frozenset(values)

    def check(value: str | None) -> str | None:
        if value is not None and value not in known:
            key = (field, value)
            with _warned_lock:
                first = key not in _warned
                _warned.add(key)
            if first:
                _logger.warning("Qonto answered %s=%r, a value this package does not know "
                                "(known: %s); it is kept as it is", field, value,
                                ", ".join(sorted(known)))
        return value

    return pydantic.AfterValidator(check)


StatusText = Annotated[str, _known("status", CLIENT_INVOICE_STATUSES)]
EInvoicingStatusText = Annotated[str, _known("einvoicing_status", EINVOICING_STATUSES)]
KindText = Annotated[str, _known("kind", CLIENT_KINDS)]
SendingStatusText = Annotated[str, _known("sending_status", SENDING_STATUSES)]
ReceivingStatusText = Annotated[str, _known("receiving_status", RECEIVING_STATUSES)]


def _exact_decimal(value: Any) -> Any:
    # A float has no exact decimal (0.1 + 0.2 is 0.30000000000000004): refuse it rather
    # than guess which rounding the caller meant. bool is an int to Python: refuse it too.
    if isinstance(value, bool):
        raise ValueError("a number is expected, not a boolean")
    if isinstance(value, float):
        raise ValueError(f"the float {value!r} cannot be sent exactly: pass a Decimal or a "
                         f"string (such as '0.3')")
    return value


ExactDecimal = Annotated[Decimal, pydantic.BeforeValidator(_exact_decimal),
                         Field(allow_inf_nan=False)]
_CENT = Decimal("0.01")


def round_cents(value: Decimal) -> Decimal:
    """``value`` to the cent, half up, as Qonto rounds."""
    return value.quantize(_CENT, rounding=ROUND_HALF_UP)


def _blank_to_none(value: Any) -> Any:
    # Qonto sends "" rather than null for unset date-times (finalized_at on a draft).
    return None if value == "" else value


OptDateTime = Annotated[dt.datetime | None, pydantic.BeforeValidator(_blank_to_none)]
OptDate = Annotated[dt.date | None, pydantic.BeforeValidator(_blank_to_none)]
