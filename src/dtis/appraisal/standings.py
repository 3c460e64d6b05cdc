"""The peer ranking of a cycle as people read it: best first, with every
main indicator's index and the change against the previous year.

Reads the materialised results (`UnitResult`, `IndicatorResult`); ranks are
the stored ones (ties share a rank: 1, 2, 2, 4), and tied units keep
Vietnamese name order. A fixed number of queries, whatever the number of
units: the results, their main-indicator rows, the main indicators, the
previous cycle and its results.

The previous year is the *published* cycle with the same scope and the same
framework level one year earlier (`items.previous_cycle`); its ranks and
indices are compared unit by unit (a unit not assessed then has no arrow).
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from dtis.appraisal.council import main_indicators
from dtis.appraisal.items import previous_cycle
from dtis.appraisal.models import IndicatorResult, UnitResult
from dtis.core.text import vi_sort_key
from dtis.orgs.models import Unit
from dtis.reporting.models import AssessedUnit, Cycle
from dtis.scoring.numbers import round_index


def index_of(points: Decimal | None, maximum: Decimal | None) -> Decimal | None:
    """Points / maximum with 4 decimals; nothing when there is no maximum."""
    if points is None or not maximum:
        return None
    return round_index(points / maximum)


@dataclass(frozen=True)
class MainCell:
    code: str
    name: str
    points: Decimal | None  # final points
    max_points: Decimal | None
    index: Decimal | None


@dataclass(frozen=True)
class Previous:
    rank: int
    index: Decimal | None
    final_points: Decimal


@dataclass
class Standing:
    assessed: AssessedUnit
    result: UnitResult
    main: list[MainCell]
    previous: Previous | None = None

    @property
    def unit(self) -> Unit:
        return self.assessed.unit

    @property
    def rank(self) -> int:
        return self.result.rank

    @property
    def rank_change(self) -> int | None:
        """Places moved up since last year (negative: down); none without two ranks."""
        if self.previous is None or not self.previous.rank or not self.result.rank:
            return None
        return self.previous.rank - self.result.rank

    @property
    def places_moved(self) -> int:
        """The rank change without its sign (the arrow tells the direction)."""
        return abs(self.rank_change or 0)

    @property
    def index_change(self) -> Decimal | None:
        if self.previous is None or self.previous.index is None or self.result.index is None:
            return None
        return self.result.index - self.previous.index

    @property
    def points_change(self) -> Decimal | None:
        if self.previous is None:
            return None
        return self.result.final_points - self.previous.final_points


@dataclass
class PeerGroup:
    name: str
    rows: list[Standing] = field(default_factory=list)

    @property
    def ranked(self) -> int:
        return sum(1 for r in self.rows if r.rank)


@dataclass
class Standings:
    cycle: Cycle
    mains: list[tuple[str, str, Decimal]]  # (code, name, max points) in framework order
    groups: list[PeerGroup]
    previous_cycle: Cycle | None

    def rows(self) -> list[Standing]:
        return [row for group in self.groups for row in group.rows]

    def row_for(self, assessed_id: int) -> Standing | None:
        return next((r for r in self.rows() if r.assessed.pk == assessed_id), None)

    def group_of(self, assessed_id: int) -> PeerGroup | None:
        return next(
            (g for g in self.groups if any(r.assessed.pk == assessed_id for r in g.rows)), None
        )


def order_key(result: UnitResult) -> tuple[bool, int, str]:
    """Best first; unranked units last; Vietnamese name order among ties."""
    return (result.rank == 0, result.rank, vi_sort_key(result.assessed.unit.name))


def standings(cycle: Cycle) -> Standings:
    mains = main_indicators(cycle)
    results = list(
        UnitResult.objects.filter(cycle=cycle).select_related("assessed__unit", "assessed__cycle")
    )
    cells: dict[int, dict[int, IndicatorResult]] = defaultdict(dict)
    for row in IndicatorResult.objects.filter(result__cycle=cycle, is_main=True):
        cells[row.result_id][row.indicator_id] = row
    before = previous_cycle(cycle)
    previous: dict[int, Previous] = {}
    if before is not None:
        for unit_id, rank, index, points in UnitResult.objects.filter(cycle=before).values_list(
            "assessed__unit_id", "rank", "index", "final_points"
        ):
            previous[unit_id] = Previous(rank, index, points)

    groups: dict[str, PeerGroup] = {}
    for result in sorted(results, key=order_key):
        name = result.assessed.peer_group
        group = groups.setdefault(name, PeerGroup(name))
        own = cells[result.pk]
        main = []
        for m in mains:
            row = own.get(m.pk)
            points = row.final_points if row else None
            maximum = row.max_points if row else None
            main.append(MainCell(m.code, m.name, points, maximum, index_of(points, maximum)))
        group.rows.append(
            Standing(result.assessed, result, main, previous.get(result.assessed.unit_id))
        )
    ordered = sorted(groups.values(), key=lambda g: vi_sort_key(g.name))
    return Standings(
        cycle=cycle,
        mains=[(m.code, m.name, m.max_points) for m in mains],
        groups=ordered,
        previous_cycle=before,
    )
