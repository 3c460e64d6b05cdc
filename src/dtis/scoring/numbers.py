"""Decimal helpers: every score is exact decimal arithmetic, never float."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

POINTS = Decimal("0.01")
INDEX = Decimal("0.0001")
ZERO = Decimal(0)
ONE = Decimal(1)


def to_decimal(value: object) -> Decimal:
    """Exact conversion: floats go through their shortest repr (0.1 → 0.1)."""
    kind = type(value)
    if kind is int:  # the common case first: counts of documents, dossiers, people
        return Decimal(value)  # type: ignore[arg-type]
    if kind is Decimal:
        return value  # type: ignore[return-value]
    if isinstance(value, Decimal):
        return value
    if isinstance(value, bool):
        return ONE if value else ZERO
    if isinstance(value, int):
        return Decimal(value)
    if isinstance(value, float):
        return Decimal(repr(value))
    if isinstance(value, str):
        try:
            return Decimal(value.strip().replace(",", "."))
        except InvalidOperation as exc:
            raise ValueError(f"not a number: {value!r}") from exc
    raise ValueError(f"not a number: {value!r}")


def round_points(value: Decimal) -> Decimal:
    return value.quantize(POINTS, rounding=ROUND_HALF_UP)


def round_index(value: Decimal) -> Decimal:
    return value.quantize(INDEX, rounding=ROUND_HALF_UP)


def clamp(value: Decimal, low: Decimal, high: Decimal) -> Decimal:
    return max(low, min(high, value))
