"""Targets and whether a result reaches them (DOMAIN.md §3.1).

The seeds set targets of a few shapes: a total ("≥ 800/1000", "430–440/500"),
an index, a rank among peers ("top 20", "top 10 of the departments"), a gain
in rank ("up 1–2 places a year"), a count of main indicators in the top n
("≥ 4 of the 8 main indicators in the national top 10") and a figure of one
indicator ("online dossiers ≥ 80 %").

A published (final) result either reaches a target or not. A projection made
during the year from the latest quarter's figures is uncertain, so it is
"at risk" when it lands within a margin of the threshold on either side.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from enum import StrEnum

from dtis.scoring.numbers import ZERO


class Kind(StrEnum):
    POINTS = "points"  # total points ≥ value
    INDEX = "index"  # index (0…1) ≥ value
    RANK = "rank"  # rank among peers ≤ value
    RANK_GAIN = "rank_gain"  # places gained on last year ≥ value
    MAINS_IN_TOP = "mains_in_top"  # at least `value` main indicators ranked ≤ `top`
    FIGURE = "figure"  # one indicator's figure (a ratio, a count) ≥ value


class Status(StrEnum):
    REACHED = "reached"
    AT_RISK = "at_risk"
    NOT_REACHED = "not_reached"
    UNKNOWN = "unknown"  # nothing to compare yet


@dataclass(frozen=True)
class Target:
    kind: Kind
    value: Decimal
    top: int | None = None  # MAINS_IN_TOP: the rank a main indicator must reach
    indicator: str = ""  # FIGURE: the indicator's code


@dataclass(frozen=True)
class Actual:
    """What a unit achieved (or is projected to), as far as it is known."""

    points: Decimal | None = None
    index: Decimal | None = None
    rank: int | None = None
    previous_rank: int | None = None
    main_ranks: Sequence[int] = ()
    figures: dict[str, Decimal] | None = None


@dataclass(frozen=True)
class Evaluation:
    target: Target
    status: Status
    actual: Decimal | None  # the number compared with the target
    gap: Decimal | None  # how far above (+) or below (−) the threshold


# A projection within this share of the threshold is at risk (points, index,
# figures), or within this many places (ranks, counts).
MARGIN = Decimal("0.03")
PLACES = 1


def evaluate(target: Target, actual: Actual, *, projected: bool = False) -> Evaluation:
    """Whether `actual` reaches `target`; projections may be at risk."""
    value = _actual_value(target, actual)
    if value is None:
        return Evaluation(target, Status.UNKNOWN, None, None)
    if target.kind == Kind.RANK:  # lower is better
        gap = target.value - value
        slack = Decimal(PLACES)
    else:
        gap = value - target.value
        slack = (
            Decimal(PLACES)
            if target.kind in (Kind.RANK_GAIN, Kind.MAINS_IN_TOP)
            else abs(target.value) * MARGIN
        )
    if not projected:
        status = Status.REACHED if gap >= ZERO else Status.NOT_REACHED
    elif gap >= slack:
        status = Status.REACHED
    elif gap >= -slack:
        status = Status.AT_RISK
    else:
        status = Status.NOT_REACHED
    return Evaluation(target, status, value, gap)


def _actual_value(target: Target, actual: Actual) -> Decimal | None:
    kind = target.kind
    if kind == Kind.POINTS:
        return actual.points
    if kind == Kind.INDEX:
        return actual.index
    if kind == Kind.RANK:
        return Decimal(actual.rank) if actual.rank else None
    if kind == Kind.RANK_GAIN:
        if not actual.rank or not actual.previous_rank:
            return None
        return Decimal(actual.previous_rank - actual.rank)
    if kind == Kind.MAINS_IN_TOP:
        if not actual.main_ranks or target.top is None:
            return None
        top = target.top
        return Decimal(sum(1 for r in actual.main_ranks if 0 < r <= top))
    if kind == Kind.FIGURE:
        return (actual.figures or {}).get(target.indicator)
    raise ValueError(f"unknown target kind {kind!r}")
