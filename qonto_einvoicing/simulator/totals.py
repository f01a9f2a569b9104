"""Invoice arithmetic, done the way an invoicing engine does it, to the cent.

Per line: ``gross = quantity × unit price``; a line discount is ``round(gross × rate)``
(percentage) or its value (absolute); ``subtotal = round(gross − line discount)``;
``VAT = round(subtotal × vat_rate)``; the line total is ``subtotal + VAT``. The invoice
totals are the sums of the lines. Rounding is half-up to the cent, on each line.

A global discount (``discount`` on the invoice) is taken off the sum of the subtotals and
shared between the lines in proportion to their subtotals (the last line takes the
rounding remainder), so that each line's VAT is computed on what is really invoiced.
Item ``subtotal`` stays the line's own amount; item ``total_amount`` is after its share.

Amounts come out as Qonto writes them: ``{"value": "12.50", "currency": "EUR"}`` plus an
integer ``*_cents``.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

__all__ = ["DiscountError", "Totals", "cents", "compute", "money", "money_text", "round2"]

_CENT = Decimal("0.01")


def round2(value: Decimal) -> Decimal:
    """``value`` rounded half-up to the cent (never ``-0.00``)."""
    rounded = value.quantize(_CENT, rounding=ROUND_HALF_UP)
    return rounded.copy_abs() if rounded == 0 else rounded


def cents(value: Decimal) -> int:
    """``value`` in integer cents (half-up)."""
    return int(round2(value) * 100)


def money_text(value: Decimal) -> str:
    """At least two decimals; more only when the value has them (a unit price of 0.125)."""
    exponent = value.normalize().as_tuple().exponent
    if isinstance(exponent, int) and exponent < -2:
        return format(value.normalize(), "f")
    return format(round2(value), "f")


def money(value: Decimal, currency: str) -> dict[str, str]:
    """A Qonto money object."""
    return {"value": money_text(value), "currency": currency}


class DiscountError(ValueError):
    """A discount out of range; ``pointer`` names the offending field of the payload."""

    def __init__(self, pointer: str, message: str) -> None:
        super().__init__(message)
        self.pointer = pointer


@dataclass(frozen=True)
class Totals:
    """The computed lines and totals of an invoice or credit note."""

    items: list[dict[str, Any]]
    total_amount: Decimal
    vat_amount: Decimal
    discount: dict[str, Any] | None

    def fields(self, currency: str) -> dict[str, Any]:
        """The total fields of the rendered document."""
        return {
            "total_amount": money(self.total_amount, currency),
            "total_amount_cents": cents(self.total_amount),
            "vat_amount": money(self.vat_amount, currency),
            "vat_amount_cents": cents(self.vat_amount),
        }


def _discount_amount(discount: dict[str, Any], base: Decimal, pointer: str) -> Decimal:
    value = Decimal(str(discount["value"]))
    if discount["type"] == "percentage":
        if not Decimal("0.0001") <= value <= 1:
            raise DiscountError(f"{pointer}/value",
                                "a percentage discount is between 0.0001 and 1")
        return round2(base * value)
    if not 0 <= value <= abs(base):
        raise DiscountError(f"{pointer}/value",
                            "an absolute discount is between 0 and the amount it reduces")
    return round2(value)


def compute(items: list[dict[str, Any]], currency: str,
            discount: dict[str, Any] | None = None, *, sign: int = 1) -> Totals:
    """Compute ``items`` (validated payload items) and the totals.

    ``sign=-1`` negates the quantities, as Qonto does for a credit note. Raises
    :class:`DiscountError` for a discount out of range.
    """
    lines: list[dict[str, Any]] = []
    subtotals: list[Decimal] = []
    for index, item in enumerate(items):
        quantity = Decimal(str(item["quantity"])) * sign
        price = Decimal(str(item["unit_price"]["value"]))
        gross = quantity * price
        line: dict[str, Any] = {
            "title": item["title"],
            "quantity": format(quantity, "f"),
            "unit_price": money(price, currency),
            "unit_price_cents": cents(price),
            "vat_rate": str(item["vat_rate"]),
        }
        for optional in ("description", "unit", "vat_exemption_reason"):
            if item.get(optional) is not None:
                line[optional] = item[optional]
        line_discount = Decimal(0)
        if item.get("discount"):
            line_discount = _discount_amount(item["discount"], abs(gross),
                                             f"/items/{index}/discount")
            line_discount *= 1 if gross >= 0 else -1
            line["discount"] = {**item["discount"], "amount": money(line_discount, currency)}
        subtotals.append(round2(gross - line_discount))
        lines.append(line)

    total_subtotal = sum(subtotals, Decimal(0))
    global_discount = Decimal(0)
    rendered_discount = None
    if discount:
        global_discount = _discount_amount(discount, abs(total_subtotal), "/discount")
        global_discount *= 1 if total_subtotal >= 0 else -1
        rendered_discount = {**discount, "amount": money(global_discount, currency)}
    shares = _shares(global_discount, subtotals)

    vat_total = Decimal(0)
    for line, item, subtotal, share in zip(lines, items, subtotals, shares, strict=True):
        vat = round2((subtotal - share) * Decimal(str(item["vat_rate"])))
        vat_total += vat
        line["subtotal"] = money(subtotal, currency)
        line["subtotal_cents"] = cents(subtotal)
        line["total_vat"] = money(vat, currency)
        line["total_vat_cents"] = cents(vat)
        line["total_amount"] = money(subtotal - share + vat, currency)
        line["total_amount_cents"] = cents(subtotal - share + vat)
    return Totals(lines, total_subtotal - global_discount + vat_total, vat_total,
                  rendered_discount)


def _shares(amount: Decimal, subtotals: list[Decimal]) -> list[Decimal]:
    """``amount`` split in proportion to ``subtotals``; the last line takes the remainder."""
    base = sum(subtotals, Decimal(0))
    if not amount or not base:
        return [Decimal(0)] * len(subtotals)
    shares = [round2(amount * subtotal / base) for subtotal in subtotals[:-1]]
    return [*shares, amount - sum(shares, Decimal(0))]
