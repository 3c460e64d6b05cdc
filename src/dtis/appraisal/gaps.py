"""Self-assessed versus appraised: where the units' claims did not hold.

Per unit (self total, appraised total, the gap, how many items the council
corrected), per indicator (how many units it corrected there, the points
lost in all, the reason codes) and per reason code. "Points lost" is self
minus appraised: positive when the council lowered a claim, negative in the
rare case it raised one. Sources: the corrected items (their reason code and
appraised points) and the leaf results (self points), three queries in all.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal

from dtis.appraisal.models import IndicatorResult, Item, ItemState, ReasonCode, UnitResult
from dtis.core.text import vi_sort_key
from dtis.reporting.models import AssessedUnit, Cycle
from dtis.scoring.numbers import ZERO


@dataclass
class UnitGap:
    assessed: AssessedUnit
    self_points: Decimal
    appraised_points: Decimal
    corrected: int = 0

    @property
    def gap(self) -> Decimal:
        """Appraised minus self: negative when the council took points away."""
        return self.appraised_points - self.self_points


@dataclass
class IndicatorGap:
    indicator_id: int
    code: str
    name: str
    order: int
    units: set[int] = field(default_factory=set)
    points_lost: Decimal = ZERO
    reasons: Counter[str] = field(default_factory=Counter)

    @property
    def units_corrected(self) -> int:
        return len(self.units)

    def reason_list(self) -> list[tuple[str, str, int]]:
        """(code, label, count), most frequent first."""
        labels = dict(ReasonCode.choices)
        return [
            (code, str(labels.get(code, code)), n)
            for code, n in sorted(self.reasons.items(), key=lambda kv: (-kv[1], kv[0]))
        ]


@dataclass
class ReasonGap:
    code: str
    label: str
    count: int = 0
    points: Decimal = ZERO  # points lost under this reason


@dataclass
class Gaps:
    units: list[UnitGap]
    indicators: list[IndicatorGap]
    reasons: list[ReasonGap]

    @property
    def corrected(self) -> int:
        return sum(u.corrected for u in self.units)

    @property
    def points_lost(self) -> Decimal:
        return sum((i.points_lost for i in self.indicators), ZERO)


def gaps(cycle: Cycle, only: Iterable[int] | None = None) -> Gaps:
    """The analysis over the whole cycle, or over these assessed units (ids)."""
    results = UnitResult.objects.filter(cycle=cycle).select_related("assessed__unit")
    items = Item.objects.filter(assessed__cycle=cycle, state=ItemState.CORRECTED)
    leaves = IndicatorResult.objects.filter(result__cycle=cycle, is_main=False)
    if only is not None:
        ids = list(only)
        results = results.filter(assessed_id__in=ids)
        items = items.filter(assessed_id__in=ids)
        leaves = leaves.filter(result__assessed_id__in=ids)

    units = {r.assessed_id: UnitGap(r.assessed, r.self_points, r.appraised_points) for r in results}
    corrected = list(
        items.values_list(
            "assessed_id",
            "indicator_id",
            "indicator__code",
            "indicator__name",
            "indicator__order",
            "reason_code",
            "appraised_points",
        )
    )
    wanted = {indicator_id for _a, indicator_id, *_rest in corrected}
    self_points = {
        (assessed_id, indicator_id): points
        for assessed_id, indicator_id, points in leaves.filter(indicator_id__in=wanted).values_list(
            "result__assessed_id", "indicator_id", "self_points"
        )
    }

    by_indicator: dict[int, IndicatorGap] = {}
    labels = dict(ReasonCode.choices)
    by_reason: dict[str, ReasonGap] = {}
    for assessed_id, indicator_id, code, name, order, reason, appraised in corrected:
        claimed = self_points.get((assessed_id, indicator_id), ZERO)
        lost = claimed - (appraised or ZERO)
        if assessed_id in units:
            units[assessed_id].corrected += 1
        row = by_indicator.setdefault(indicator_id, IndicatorGap(indicator_id, code, name, order))
        row.units.add(assessed_id)
        row.points_lost += lost
        row.reasons[reason] += 1
        group = by_reason.setdefault(reason, ReasonGap(reason, str(labels.get(reason, reason))))
        group.count += 1
        group.points += lost

    unit_rows = sorted(
        units.values(),
        key=lambda u: (u.gap, -u.corrected, vi_sort_key(u.assessed.unit.name)),
    )
    indicator_rows = sorted(by_indicator.values(), key=lambda i: (-i.points_lost, i.order))
    order = {code: n for n, code in enumerate(ReasonCode.values)}
    reason_rows = sorted(by_reason.values(), key=lambda r: (-r.points, order.get(r.code, 99)))
    return Gaps(unit_rows, indicator_rows, reason_rows)
