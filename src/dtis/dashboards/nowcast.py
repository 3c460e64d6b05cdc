"""The projected result of a running year (dự báo): what the units would
score if the year ended on the figures they last reported.

During the year the units report by quarter; the year report comes at the
end. For every unit and indicator the projection takes the figure of the
latest quarter (or half year) that has one, scores the unit with the pure
core (`dtis.scoring.aggregate.score_unit`) on the framework tree of
`frameworks.services.to_core`, and ranks the units by index within their
peer group. Nothing here is an official result: screens label it "Dự báo".

A fixed number of queries, whatever the number of units or indicators:
the periods, the indicators (one for the tree), the assessed units and the
figures of the quarters.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from dtis.frameworks.models import Indicator
from dtis.frameworks.services import to_core
from dtis.reporting.figures import typed_values
from dtis.reporting.models import AssessedUnit, Cycle, Figure, Period, PeriodKind
from dtis.scoring.aggregate import UnitResult as CoreResult
from dtis.scoring.aggregate import peer_best, score_unit
from dtis.scoring.ranking import rank
from dtis.scoring.tree import Framework as CoreFramework


@dataclass
class Projection:
    """One unit's projected result."""

    assessed: AssessedUnit
    result: CoreResult
    rank: int = 0

    @property
    def points(self) -> Decimal:
        return self.result.total.points

    @property
    def max_points(self) -> Decimal:
        return self.result.total.max_points

    @property
    def index(self) -> Decimal | None:
        return self.result.total.index_value

    @property
    def band(self) -> str:
        band = self.result.band()
        return band.name if band else ""

    def main_index(self, code: str) -> Decimal | None:
        score = self.result.scores.get(code)
        return score.index_value if score is not None and score.applicable else None


@dataclass
class Nowcast:
    """Projections of every unit of a cycle as of one period."""

    cycle: Cycle
    period: Period | None  # the latest period whose figures count
    tree: CoreFramework
    units: dict[int, Projection] = field(default_factory=dict)  # by assessed id

    @property
    def empty(self) -> bool:
        return self.period is None


def quarter_periods(cycle: Cycle) -> list[Period]:
    """The cycle's in-year periods (quarters, half year), in order (one query)."""
    periods = [p for p in cycle.periods.all() if p.kind != PeriodKind.YEAR]
    return sorted(periods, key=lambda p: (p.end, -p.start.toordinal()))


def nowcasts(
    cycle: Cycle,
    *,
    assessed: list[AssessedUnit] | None = None,
    tree: CoreFramework | None = None,
) -> list[Nowcast]:
    """One projection per in-year period that has figures, oldest first; each
    uses, per unit and indicator, the latest figure up to that period."""
    periods = quarter_periods(cycle)
    indicators = list(Indicator.objects.filter(framework_id=cycle.framework_id))
    by_id = {i.pk: i for i in indicators}
    tree = tree or to_core(cycle.framework, indicators)
    if assessed is None:
        assessed = list(cycle.assessed.select_related("unit"))
    order = {p.pk: n for n, p in enumerate(periods)}
    # (period order, assessed, code) → values or None (not applicable)
    rows = Figure.objects.filter(
        period_id__in=list(order), assessed_id__in=[a.pk for a in assessed]
    ).values_list("period_id", "assessed_id", "indicator_id", "values", "not_applicable")
    by_period: dict[int, list[tuple[int, str, Any]]] = defaultdict(list)
    for period_id, assessed_id, indicator_id, values, na in rows.iterator(chunk_size=5000):
        ind = by_id[indicator_id]
        by_period[order[period_id]].append(
            (assessed_id, ind.code, None if na else typed_values(ind, values))
        )
    out: list[Nowcast] = []
    latest: dict[int, dict[str, Any]] = defaultdict(dict)
    for n, period in enumerate(periods):
        if n not in by_period:
            continue
        for assessed_id, code, values in by_period[n]:
            latest[assessed_id][code] = values
        out.append(_score(cycle, period, tree, assessed, latest))
    return out


def nowcast(
    cycle: Cycle,
    *,
    assessed: list[AssessedUnit] | None = None,
    tree: CoreFramework | None = None,
) -> Nowcast:
    """The projection from the latest reported quarter (empty when none)."""
    found = nowcasts(cycle, assessed=assessed, tree=tree)
    if found:
        return found[-1]
    return Nowcast(cycle, None, tree or to_core(cycle.framework))


def _score(
    cycle: Cycle,
    period: Period,
    tree: CoreFramework,
    assessed: list[AssessedUnit],
    latest: dict[int, dict[str, Any]],
) -> Nowcast:
    figures = {a.pk: {c: v for c, v in latest[a.pk].items() if v is not None} for a in assessed}
    best = peer_best(tree, figures.values())
    result = Nowcast(cycle, period, tree)
    for a in assessed:
        na = [c for c, v in latest[a.pk].items() if v is None]
        core = score_unit(tree, figures[a.pk], not_applicable=na, peer_best=best)
        result.units[a.pk] = Projection(a, core)
    groups: dict[str, list[Projection]] = defaultdict(list)
    for p in result.units.values():
        groups[p.assessed.peer_group].append(p)
    for members in groups.values():
        for ranked in rank(members, lambda p: p.index, lambda p: p.assessed.unit.name):
            ranked.item.rank = ranked.rank
    return result
