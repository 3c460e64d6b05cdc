"""Targets of a cycle and where the units stand against them.

`default_targets(cycle)` proposes the seeds' targets for the cycle's level
(../shared/reference/targets-and-calendars.md): for the province's own index
a DTI of at least 800 of 1000, a place in the top 20, one place up on last
year and at least 4 of the 8 main indicators in the top 10; for the
departments at least 430 of 500 (86 % of the framework's maximum) and a
place in the top 10 among the departments.

`positions(cycle)` says where every assessed unit stands: from the stored
results (`UnitResult`) once the cycle is published, from the projection of
the latest quarter (`dashboards.nowcast`) before. Ranks among peers: for a
departments' or communes' cycle the ranks within the peer group; for the
province's own cycle the (projected) index is placed among the latest
national results the ministry published for the same framework level
(`PublishedResult`), main indicator by main indicator too.

`evaluate_cycle_targets(cycle, assessed)` compares one unit with the
cycle's targets (`dtis.scoring.targets.evaluate`; projections may be "at
risk"). A fixed number of queries, whatever the number of units.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.db import transaction

from dtis.appraisal.items import previous_cycle, result_period
from dtis.appraisal.models import IndicatorResult, Stage, UnitResult
from dtis.dashboards.models import Target, TargetKind
from dtis.dashboards.nowcast import Nowcast, nowcast
from dtis.frameworks.models import Level, PublishedResult
from dtis.frameworks.services import to_core
from dtis.orgs.models import User
from dtis.reporting.figures import typed_values
from dtis.reporting.models import AssessedUnit, Cycle, Figure
from dtis.scoring import targets as core
from dtis.scoring.numbers import round_index
from dtis.scoring.ranking import rank
from dtis.scoring.rules import Ratio
from dtis.scoring.tree import Framework as CoreFramework

OWN_LEVELS = {Level.PROVINCE, Level.MINISTRY}
TOP_MAIN = 10  # "main indicators in the top 10"


def is_own(cycle: Cycle) -> bool:
    """The province's (or ministry's) own index, not its departments' or communes'."""
    return cycle.framework.level in OWN_LEVELS


def is_published(cycle: Cycle) -> bool:
    outcome = getattr(cycle, "outcome", None)
    return outcome is not None and outcome.stage == Stage.PUBLISHED


# --- proposing the seeds' targets -----------------------------------------------


def proposed(cycle: Cycle, max_points: Decimal) -> list[dict[str, Any]]:
    """The seeds' targets for the cycle's level, scaled to the framework's maximum."""
    if is_own(cycle):
        return [
            {
                "kind": TargetKind.POINTS,
                "value": _scaled(Decimal("0.8"), max_points),
                "label": "Chỉ số DTI đạt từ 800/1000 điểm trở lên",
            },
            {
                "kind": TargetKind.RANK,
                "value": Decimal(20),
                "label": "Thuộc nhóm 20 tỉnh, thành phố dẫn đầu cả nước",
            },
            {
                "kind": TargetKind.RANK_GAIN,
                "value": Decimal(1),
                "label": "Tăng ít nhất 1 bậc so với năm trước",
            },
            {
                "kind": TargetKind.MAINS_IN_TOP,
                "value": Decimal(4),
                "top": TOP_MAIN,
                "label": "Ít nhất 4/8 chỉ số chính thuộc nhóm 10 dẫn đầu",
            },
        ]
    return [
        {
            "kind": TargetKind.POINTS,
            "value": _scaled(Decimal("0.86"), max_points),
            "label": "Đạt từ 430/500 điểm trở lên (86 % điểm tối đa)",
        },
        {
            "kind": TargetKind.RANK,
            "value": Decimal(10),
            "label": "Thuộc nhóm 10 đơn vị dẫn đầu khối",
        },
    ]


def _scaled(share: Decimal, max_points: Decimal) -> Decimal:
    return (share * max_points).quantize(Decimal("0.01"))


@transaction.atomic
def default_targets(cycle: Cycle, actor: User | None = None) -> list[Target]:
    """Create the seeds' targets the cycle does not have yet (by kind); the new ones."""
    max_points = to_core(cycle.framework).max_points
    have = set(cycle.targets.values_list("kind", flat=True))
    start = len(have)
    new = [
        Target(cycle=cycle, order=start + n, updated_by=actor, **spec)
        for n, spec in enumerate(proposed(cycle, max_points))
        if spec["kind"] not in have
    ]
    Target.objects.bulk_create(new)
    return new


def as_core(target: Target) -> core.Target:
    return core.Target(core.Kind(target.kind), target.value, target.top, target.indicator)


# --- where the units stand ------------------------------------------------------


@dataclass
class Main:
    code: str
    name: str
    points: Decimal | None
    max_points: Decimal
    index: Decimal | None
    rank: int = 0  # among peers; 0 when unknown
    peer_average: Decimal | None = None
    peer_best: Decimal | None = None
    top_threshold: Decimal | None = None  # the index of the last unit in the top 10


@dataclass
class Position:
    assessed: AssessedUnit
    points: Decimal | None
    max_points: Decimal | None
    index: Decimal | None
    band: str
    rank: int = 0
    peers: int = 0  # units ranked together, this one included
    previous_rank: int | None = None
    previous_points: Decimal | None = None
    previous_index: Decimal | None = None
    main: list[Main] = field(default_factory=list)
    figures: dict[str, Decimal] = field(default_factory=dict)

    @property
    def unit(self) -> Any:
        return self.assessed.unit

    @property
    def rank_change(self) -> int | None:
        if not self.rank or not self.previous_rank:
            return None
        return self.previous_rank - self.rank

    @property
    def points_change(self) -> Decimal | None:
        if self.points is None or self.previous_points is None:
            return None
        return self.points - self.previous_points

    @property
    def index_change(self) -> Decimal | None:
        if self.index is None or self.previous_index is None:
            return None
        return self.index - self.previous_index

    def actual(self) -> core.Actual:
        return core.Actual(
            points=self.points,
            index=self.index,
            rank=self.rank or None,
            previous_rank=self.previous_rank,
            main_ranks=[m.rank for m in self.main if m.rank],
            figures=self.figures,
        )


@dataclass
class Positions:
    cycle: Cycle
    projected: bool  # from the nowcast, not the published result
    tree: CoreFramework
    units: dict[int, Position]  # by assessed id
    nowcast: Nowcast | None = None
    peer_year: int | None = None  # the national results the province is placed among
    peer_count: int = 0

    def ordered(self) -> list[Position]:
        return sorted(
            self.units.values(),
            key=lambda p: (p.rank == 0, p.rank, -(p.index or 0), p.unit.name),
        )

    def own(self) -> Position | None:
        """The province's own position (its own cycle: the one assessed unit)."""
        positions = list(self.units.values())
        for p in positions:
            if p.assessed.unit_id == self.cycle.scope_id:
                return p
        return positions[0] if positions else None


def positions(cycle: Cycle, *, figure_codes: Iterable[str] = ()) -> Positions:
    """Every unit's position (published result or projection) with its ranks."""
    indicators_tree = to_core(cycle.framework)
    mains = [(m.code, m.name, m.max_points) for m in indicators_tree.scored_main]
    assessed = list(cycle.assessed.select_related("unit"))
    published = is_published(cycle)
    units: dict[int, Position] = {}
    nc = None
    if published:
        results = {
            r.assessed_id: r
            for r in UnitResult.objects.filter(cycle=cycle).only(
                "assessed_id", "final_points", "max_points", "index", "rank", "band"
            )
        }
        cells: dict[int, dict[str, IndicatorResult]] = defaultdict(dict)
        for row in (
            IndicatorResult.objects.filter(result__cycle=cycle, is_main=True)
            .only("result__assessed_id", "code", "final_points", "max_points", "applicable")
            .select_related("result")
        ):
            cells[row.result.assessed_id][row.code] = row
        for a in assessed:
            r = results.get(a.pk)
            if r is None:
                continue
            main = []
            for code, name, maximum in mains:
                cell = cells[a.pk].get(code)
                pts = cell.final_points if cell is not None and cell.applicable else None
                mx = cell.max_points if cell is not None else maximum
                index = round_index(pts / mx) if pts is not None and mx else None
                main.append(Main(code, name, pts, mx, index))
            units[a.pk] = Position(
                a, r.final_points, r.max_points, r.index, r.band, rank=r.rank, main=main
            )
    else:
        nc = nowcast(cycle, assessed=assessed, tree=indicators_tree)
        for a in assessed:
            p = nc.units.get(a.pk)
            if p is None:
                continue
            main = [
                Main(
                    code,
                    name,
                    p.result.scores[code].points if p.main_index(code) is not None else None,
                    maximum,
                    p.main_index(code),
                )
                for code, name, maximum in mains
            ]
            units[a.pk] = Position(
                a, p.points, p.max_points, p.index, p.band, rank=p.rank, main=main
            )
    out = Positions(cycle, not published, indicators_tree, units, nowcast=nc)
    if is_own(cycle):
        place_among_national(out)
    else:
        _rank_within_groups(out)
    _previous(out)
    codes = list(figure_codes)
    if codes:
        _figures(out, codes)
    return out


def _rank_within_groups(out: Positions) -> None:
    groups: dict[str, list[Position]] = defaultdict(list)
    for p in out.units.values():
        groups[p.assessed.peer_group].append(p)
    for members in groups.values():
        ranked = [p for p in members if p.rank]
        for p in members:
            p.peers = len(ranked) or len(members)
        for n in range(len(members[0].main) if members else 0):
            values = [p.main[n].index for p in members if p.main[n].index is not None]
            average = round_index(sum(values) / len(values)) if values else None
            best = max(values) if values else None
            ordered = sorted(values, reverse=True)
            threshold = ordered[min(TOP_MAIN, len(ordered)) - 1] if ordered else None
            for r in rank(members, lambda p, n=n: p.main[n].index, lambda p: p.unit.name):
                cell = r.item.main[n]
                cell.rank = r.rank
                cell.peer_average, cell.peer_best, cell.top_threshold = average, best, threshold


def _latest_national(cycle: Cycle) -> tuple[int | None, list[PublishedResult]]:
    """The latest year's published national results of the cycle's level (2 queries)."""
    rows = PublishedResult.objects.filter(
        framework__level=cycle.framework.level, year__lte=cycle.year
    )
    year = rows.order_by("-year").values_list("year", flat=True).first()
    if year is None:
        return None, []
    return year, list(rows.filter(year=year).order_by("published_rank", "unit_name"))


def place_among_national(out: Positions) -> None:
    year, rows = _latest_national(out.cycle)
    out.peer_year = year
    own_units = {p.assessed.unit_id for p in out.units.values()}
    names = {p.unit.name.casefold() for p in out.units.values()} | {
        (p.unit.short_name or "").casefold() for p in out.units.values()
    }
    peers = [r for r in rows if r.unit_id not in own_units and r.unit_name.casefold() not in names]
    out.peer_count = len(peers)
    if not peers:
        return
    totals = [r.published_total for r in peers if r.published_total is not None]
    for p in out.units.values():
        p.peers = len(peers) + 1
        if p.index is not None:
            p.rank = 1 + sum(1 for t in totals if t > p.index)
        for cell in p.main:
            values = [_dec(r.indices.get(cell.code)) for r in peers]
            known = [v for v in values if v is not None]
            if not known:
                continue
            cell.peer_average = round_index(sum(known) / len(known))
            cell.peer_best = max(known)
            ordered = sorted(known, reverse=True)
            cell.top_threshold = ordered[min(TOP_MAIN, len(ordered)) - 1]
            if cell.index is not None:
                cell.rank = 1 + sum(1 for v in known if v > cell.index)


def _dec(text: Any) -> Decimal | None:
    try:
        return Decimal(str(text)) if text not in (None, "") else None
    except ArithmeticError:
        return None


def _previous(out: Positions) -> None:
    before = previous_cycle(out.cycle)
    if before is None:
        return
    rows = {
        unit_id: (rank_, index, points)
        for unit_id, rank_, index, points in UnitResult.objects.filter(cycle=before).values_list(
            "assessed__unit_id", "rank", "index", "final_points"
        )
    }
    national: list[Decimal] = []
    if is_own(out.cycle):
        _year, rows_before = _latest_national(before)
        own = {p.assessed.unit_id for p in out.units.values()}
        national = [
            r.published_total
            for r in rows_before
            if r.published_total is not None and r.unit_id not in own
        ]
    for p in out.units.values():
        prev = rows.get(p.assessed.unit_id)
        if prev is None:
            continue
        prev_rank, p.previous_index, p.previous_points = prev
        if is_own(out.cycle):
            if national and p.previous_index is not None:
                p.previous_rank = 1 + sum(1 for t in national if t > p.previous_index)
        else:
            p.previous_rank = prev_rank or None


def figure_value(rule: Any, values: dict[str, Any]) -> Decimal | None:
    """The figure a FIGURE target reads: a ratio's share, or a single input's number."""
    try:
        if isinstance(rule, Ratio):
            a, b = values.get(rule.numerator), values.get(rule.denominator)
            if isinstance(a, Decimal) and isinstance(b, Decimal) and b:
                return round_index(a / b)
            return None
        names = rule.input_names() if rule is not None else set()
        if len(names) == 1:
            value = values.get(next(iter(names)))
            return value if isinstance(value, Decimal) else None
    except (ArithmeticError, AttributeError):
        return None
    return None


def _figures(out: Positions, codes: list[str]) -> None:
    rules = {}
    for code in codes:
        try:
            rules[code] = out.tree.get(code).rule
        except (KeyError, LookupError):
            continue
    if not rules:
        return
    if out.nowcast is not None:
        for assessed_id, projection in out.nowcast.units.items():
            pos = out.units.get(assessed_id)
            for code, rule in rules.items():
                score = projection.result.scores.get(code)
                values = getattr(score.explanation, "values", None) if score else None
                value = figure_value(rule, dict(values or {}))
                if pos is not None and value is not None:
                    pos.figures[code] = value
        return
    period = result_period(out.cycle)
    if period is None:
        return
    for figure in Figure.objects.filter(
        period=period, indicator__code__in=list(rules), not_applicable=False
    ).select_related("indicator"):
        pos = out.units.get(figure.assessed_id)
        code = figure.indicator.code
        value = figure_value(rules[code], typed_values(figure.indicator, figure.values))
        if pos is not None and value is not None:
            pos.figures[code] = value


# --- evaluating -----------------------------------------------------------------


@dataclass
class Evaluated:
    target: Target
    evaluation: core.Evaluation

    @property
    def status(self) -> str:
        return self.evaluation.status.value


def evaluate_targets(
    targets: Iterable[Target], position: Position | None, *, projected: bool
) -> list[Evaluated]:
    actual = position.actual() if position is not None else core.Actual()
    return [Evaluated(t, core.evaluate(as_core(t), actual, projected=projected)) for t in targets]


def evaluate_cycle_targets(
    cycle: Cycle, assessed: AssessedUnit, *, found: Positions | None = None
) -> list[Evaluated]:
    """The cycle's targets for one unit, reached / at risk / not reached."""
    targets = list(cycle.targets.all())
    if found is None:
        found = positions(
            cycle, figure_codes=[t.indicator for t in targets if t.kind == TargetKind.FIGURE]
        )
    return evaluate_targets(targets, found.units.get(assessed.pk), projected=found.projected)
