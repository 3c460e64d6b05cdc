"""What the overview dashboard shows, gathered in a fixed number of queries.

Headline, targets, main indicators against target / peer average / best
peer, trends by year and by quarter, points lost (sorted by points
recoverable, with the indicator's lead unit) and reporting progress of the
running period. Published cycles read the stored results; running ones the
projection (`nowcast`), marked `projected` so that screens say "Dự báo".
"""

from __future__ import annotations

import datetime as dt
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from django.utils import timezone

from dtis.appraisal.models import IndicatorResult, Stage, UnitResult
from dtis.dashboards import targets as T
from dtis.dashboards.charts import Bar, Point
from dtis.dashboards.models import Target, TargetKind
from dtis.dashboards.nowcast import nowcasts
from dtis.plans.models import PlanTask
from dtis.plans.services import overdue_tasks
from dtis.reporting.chase import snapshot_of
from dtis.reporting.models import (
    Assignment,
    Cycle,
    Period,
    PeriodKind,
    PeriodState,
    SubmissionState,
)
from dtis.scoring.numbers import round_index
from dtis.scoring.targets import Status

EXTREMES = 5  # units shown at the top and bottom of a departments' cycle
OVERDUE_SHOWN = 20  # overdue plan tasks listed, the longest overdue first


@dataclass
class TargetRow:
    target: Target
    status: str  # own cycle: the status; units' cycle: the most common one
    actual: Decimal | None = None
    gap: Decimal | None = None
    counts: dict[str, int] = field(default_factory=dict)  # units' cycle: units per status


@dataclass
class Lost:
    unit: str
    code: str
    name: str
    points: Decimal
    max_points: Decimal
    owner: str

    @property
    def recoverable(self) -> Decimal:
        return self.max_points - self.points


@dataclass
class Progress:
    unit: str
    status: str
    days_late: int
    submitted_at: dt.datetime | None
    label: str = ""
    badge: str = ""


@dataclass
class Board:
    cycle: Cycle
    own: bool
    projected: bool
    found: T.Positions
    position: T.Position | None  # own cycle: the province
    targets: list[TargetRow]
    mains: list[Bar]
    years: list[Point]
    quarters: list[Point]
    lost: list[Lost]
    period: Period | None
    progress: list[Progress]
    bands: list[tuple[str, int]] = field(default_factory=list)
    overdue: list[PlanTask] = field(default_factory=list)  # approved plans' late tasks

    @property
    def top(self) -> list[T.Position]:
        return self.found.ordered()[:EXTREMES]

    @property
    def bottom(self) -> list[T.Position]:
        ordered = self.found.ordered()
        return ordered[max(EXTREMES, len(ordered) - EXTREMES) :]

    @property
    def skipped(self) -> bool:
        """Units left out between the best and the last ones."""
        return len(self.found.units) > 2 * EXTREMES

    @property
    def progress_counts(self) -> dict[str, int]:
        counts = Counter(p.status for p in self.progress)
        return {
            "submitted": counts[SubmissionState.SUBMITTED] + counts[SubmissionState.ACCEPTED],
            "returned": counts[SubmissionState.RETURNED],
            "late": sum(1 for p in self.progress if p.days_late > 0),
            "total": len(self.progress),
        }


def board(cycle: Cycle, today: dt.date | None = None) -> Board:
    targets = list(cycle.targets.all())
    found = T.positions(
        cycle, figure_codes=[t.indicator for t in targets if t.kind == TargetKind.FIGURE]
    )
    own = T.is_own(cycle)
    position = found.own() if own else None
    return Board(
        cycle=cycle,
        own=own,
        projected=found.projected,
        found=found,
        position=position,
        targets=_targets(targets, found, position, own),
        mains=_mains(found, position, targets),
        years=_years(cycle, found, position),
        quarters=_quarters(cycle, found, position),
        lost=lost_points(cycle, found, position),
        period=(period := running_period(cycle)),
        progress=_progress(cycle, period, today),
        bands=_bands(cycle, found),
        overdue=overdue_tasks(cycle.scope, today or timezone.localdate(), limit=OVERDUE_SHOWN),
    )


def _targets(
    targets: list[Target], found: T.Positions, position: T.Position | None, own: bool
) -> list[TargetRow]:
    if own:
        return [
            TargetRow(e.target, e.status, e.evaluation.actual, e.evaluation.gap)
            for e in T.evaluate_targets(targets, position, projected=found.projected)
        ]
    rows = []
    for t in targets:
        counts: Counter[str] = Counter()
        for p in found.units.values():
            (e,) = T.evaluate_targets([t], p, projected=found.projected)
            counts[e.status] += 1
        status = counts.most_common(1)[0][0] if counts else Status.UNKNOWN.value
        rows.append(TargetRow(t, status, counts={s.value: counts[s.value] for s in Status}))
    return rows


def _points_share(targets: list[Target], found: T.Positions) -> Decimal | None:
    """The total-points target as a share of the maximum (the bars' target marker)."""
    for t in targets:
        if t.kind == TargetKind.INDEX:
            return t.value
        if t.kind == TargetKind.POINTS and found.tree.max_points:
            return round_index(t.value / found.tree.max_points)
    return None


def _mains(found: T.Positions, position: T.Position | None, targets: list[Target]) -> list[Bar]:
    share = _points_share(targets, found)
    if position is not None:
        return [
            Bar(
                f"{m.code}. {m.name}",
                m.index,
                m.top_threshold or share,
                m.peer_average,
                m.peer_best,
            )
            for m in position.main
        ]
    units = list(found.units.values())
    if not units:
        return []
    bars = []
    for n, m in enumerate(units[0].main):
        values = [u.main[n].index for u in units if u.main[n].index is not None]
        average = round_index(sum(values) / len(values)) if values else None
        bars.append(Bar(f"{m.code}. {m.name}", average, share, None, max(values, default=None)))
    return bars


def _average(values: list[Decimal | None]) -> Decimal | None:
    known = [v for v in values if v is not None]
    return round_index(sum(known) / len(known)) if known else None


def _years(cycle: Cycle, found: T.Positions, position: T.Position | None) -> list[Point]:
    """Published cycles of the same scope and level, then this year (projected or not)."""
    rows = UnitResult.objects.filter(
        cycle__scope_id=cycle.scope_id,
        cycle__framework__level=cycle.framework.level,
        cycle__outcome__stage=Stage.PUBLISHED,
        cycle__year__lt=cycle.year,
    )
    if position is not None:
        rows = rows.filter(assessed__unit_id=position.assessed.unit_id)
    by_year: dict[int, list[Decimal | None]] = defaultdict(list)
    for year, index in rows.values_list("cycle__year", "index"):
        by_year[year].append(index)
    points = [Point(str(y), _average(v)) for y, v in sorted(by_year.items())]
    if position is not None:
        now = position.index
    else:
        now = _average([p.index for p in found.units.values()])
    points.append(Point(str(cycle.year), now, projected=found.projected))
    return points


def _quarters(cycle: Cycle, found: T.Positions, position: T.Position | None) -> list[Point]:
    if not found.projected:
        return []
    out = []
    for nc in nowcasts(cycle, tree=found.tree):
        if position is not None:
            p = nc.units.get(position.assessed.pk)
            value = p.index if p is not None else None
        else:
            value = _average([p.index for p in nc.units.values()])
        out.append(Point(str(nc.period.get_kind_display()), value, projected=True))  # type: ignore[union-attr]
    return out


def lost_points(cycle: Cycle, found: T.Positions, position: T.Position | None) -> list[Lost]:
    """Every scored leaf below its maximum, most points recoverable first."""
    leaves = {i.code: i for i in found.tree.scored_leaves}
    units = [position] if position is not None else list(found.units.values())
    ids = {p.assessed.pk for p in units}
    names = {p.assessed.pk: p.unit.name for p in units}
    owners = {
        (assessed_id, code): name
        for assessed_id, code, name in Assignment.objects.filter(
            cycle=cycle, assessed_id__in=list(ids)
        ).values_list("assessed_id", "indicator__code", "owner__name")
    }
    rows: list[Lost] = []

    def add(assessed_id: int, code: str, points: Decimal, maximum: Decimal) -> None:
        if points < maximum:
            ind = leaves[code]
            owner = owners.get((assessed_id, code), "")
            rows.append(Lost(names[assessed_id], code, ind.name, points, maximum, owner))

    if found.nowcast is not None:
        for assessed_id, projection in found.nowcast.units.items():
            if assessed_id not in ids:
                continue
            for code in leaves:
                score = projection.result.scores[code]
                if score.applicable:
                    add(assessed_id, code, score.points, score.max_points)
    else:
        cells = IndicatorResult.objects.filter(
            result__cycle=cycle,
            result__assessed_id__in=list(ids),
            code__in=list(leaves),
            applicable=True,
        ).values_list("result__assessed_id", "code", "final_points", "self_points", "max_points")
        for assessed_id, code, final, own, maximum in cells:
            add(assessed_id, code, final if final is not None else own, maximum)
    rows.sort(key=lambda r: (-r.recoverable, r.code, r.unit))
    return rows


def running_period(cycle: Cycle) -> Period | None:
    """The period being reported: an open quarter (the one due first), else the
    open year report, else the cycle's result period once everything closed."""
    periods = list(cycle.periods.exclude(state=PeriodState.PLANNED))
    opened = [p for p in periods if p.state == PeriodState.OPEN]
    quarters = [p for p in opened if p.kind != PeriodKind.YEAR]
    if quarters or opened:
        return min(quarters or opened, key=lambda p: (p.unit_deadline, p.end))
    year = [p for p in periods if p.kind == PeriodKind.YEAR]
    return year[0] if year else max(periods, key=lambda p: p.end, default=None)


def _progress(cycle: Cycle, period: Period | None, today: dt.date | None) -> list[Progress]:
    if period is None:
        return []
    today = today or timezone.localdate()
    assessed = list(cycle.assessed.select_related("unit").order_by("unit__sort_key"))
    snapshot = snapshot_of([period], assessed)
    out = []
    for a in assessed:
        row = snapshot.row(period, a, today)
        out.append(
            Progress(
                a.unit.name,
                str(row.status),
                row.days_late,
                row.submitted_at,
                row.status_label,
                row.badge,
            )
        )
    return out


def _bands(cycle: Cycle, found: T.Positions) -> list[tuple[str, int]]:
    counts = Counter(p.band for p in found.units.values())
    names = [b.name for b in found.tree.bands]
    out = [(name, counts[name]) for name in names]
    if counts[""]:
        out.append(("", counts[""]))
    return out
