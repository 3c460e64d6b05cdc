"""One assessed unit's own dashboard: its result, its place among its peers,
the points it lost, and its open work.

Reads the materialised results through `standings` (a fixed number of
queries), then the unit's own indicator rows, corrected items and lead units
(one query each), and its open work: explanation requests still waiting for
an answer and reports due, overdue or returned in every running cycle that
assesses the same unit (a fixed number of queries, whatever the number of
units, indicators or cycles).

Who sees what is decided by the view (`dtis.orgs.policy`): `with_result`
False (a unit's own people before publication) loads no result at all.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal

from django.utils import timezone

from dtis.appraisal import explanations
from dtis.appraisal.models import IndicatorResult, Item, ItemState, ReasonCode
from dtis.appraisal.standings import PeerGroup, Standing, Standings, standings
from dtis.reporting import chase
from dtis.reporting.models import (
    AssessedUnit,
    Assignment,
    Cycle,
    Period,
    PeriodState,
    SubmissionState,
)

# The peers' strip: a bar per peer, best first (SVG user units).
STRIP_WIDTH = 720
STRIP_HEIGHT = 140
STRIP_TOP = 10
STRIP_BOTTOM = 8
STRIP_LEFT = 34  # room for the axis labels


@dataclass(frozen=True)
class Lost:
    """An indicator below its maximum."""

    code: str
    name: str
    final_points: Decimal
    max_points: Decimal
    owner: str  # the lead unit's name
    reason_code: str
    reason_label: str

    @property
    def recoverable(self) -> Decimal:
        return self.max_points - self.final_points


@dataclass(frozen=True)
class Bar:
    name: str
    rank: int
    index: Decimal | None
    own: bool
    x: str
    y: str
    width: str
    height: str


@dataclass
class Strip:
    bars: list[Bar]
    width: int = STRIP_WIDTH
    height: int = STRIP_HEIGHT
    baseline: str = ""
    left: int = STRIP_LEFT
    gridlines: list[tuple[str, str, Decimal]] = field(default_factory=list)  # (y, label y, label)


@dataclass
class OpenWork:
    requests: list[explanations.Entry]
    reports: list[chase.Row]  # due, overdue or returned

    @property
    def empty(self) -> bool:
        return not self.requests and not self.reports


@dataclass
class UnitDashboard:
    cycle: Cycle
    assessed: AssessedUnit
    with_result: bool
    table: Standings | None = None
    standing: Standing | None = None
    group: PeerGroup | None = None
    strip: Strip | None = None
    lost: list[Lost] = field(default_factory=list)
    work: OpenWork = field(default_factory=lambda: OpenWork([], []))

    @property
    def peers(self) -> int:
        return len(self.group.rows) if self.group else 0

    @property
    def ranked_peers(self) -> int:
        return self.group.ranked if self.group else 0

    @property
    def other_owners(self) -> bool:
        """Another unit leads one of the indicators (else the column is left out)."""
        return any(row.owner and row.owner != self.assessed.unit.name for row in self.lost)

    @property
    def lost_total(self) -> Decimal:
        return sum((row.recoverable for row in self.lost), Decimal(0))


def _fmt(value: float) -> str:
    return f"{value:.1f}"


def strip_of(group: PeerGroup, assessed_id: int) -> Strip:
    """A bar per peer (index 0–1 on the vertical axis), best first, the unit's own
    highlighted. Coordinates are plain strings, never localised."""
    rows = group.rows
    n = max(len(rows), 1)
    plot = STRIP_HEIGHT - STRIP_TOP - STRIP_BOTTOM
    step = (STRIP_WIDTH - STRIP_LEFT) / n
    gap = min(step * 0.2, 4.0)
    bars = []
    for i, row in enumerate(rows):
        index = row.result.index
        h = float(index or 0) * plot
        bars.append(
            Bar(
                name=row.unit.name,
                rank=row.rank,
                index=index,
                own=row.assessed.pk == assessed_id,
                x=_fmt(STRIP_LEFT + i * step + gap / 2),
                y=_fmt(STRIP_TOP + plot - h),
                width=_fmt(max(step - gap, 1.0)),
                height=_fmt(h),
            )
        )
    grid = []
    for label in (Decimal(0), Decimal("0.5"), Decimal(1)):
        y = STRIP_TOP + plot * (1 - float(label))
        grid.append((_fmt(y), _fmt(y + 4), label))
    return Strip(bars=bars, baseline=_fmt(STRIP_TOP + plot), gridlines=grid)


def lost_points(standing: Standing) -> list[Lost]:
    """The unit's scored indicators below their maximum, most points to recover
    first, with the lead unit and the council's reason where it corrected."""
    assessed = standing.assessed
    rows = list(
        IndicatorResult.objects.filter(result=standing.result)
        .select_related("indicator")
        .order_by("indicator__order")
    )
    parents = {r.indicator.parent_id for r in rows}
    reasons = dict(
        Item.objects.filter(assessed=assessed, state=ItemState.CORRECTED).values_list(
            "indicator_id", "reason_code"
        )
    )
    owners = dict(
        Assignment.objects.filter(assessed=assessed).values_list("indicator_id", "owner__name")
    )
    labels = dict(ReasonCode.choices)
    lost = []
    for r in rows:
        if r.indicator_id in parents or not r.applicable:
            continue
        final = r.final_points if r.final_points is not None else Decimal(0)
        if final >= r.max_points:
            continue
        code = reasons.get(r.indicator_id, "")
        lost.append(
            Lost(
                code=r.code,
                name=r.indicator.name,
                final_points=final,
                max_points=r.max_points,
                owner=owners.get(r.indicator_id, ""),
                reason_code=code,
                reason_label=str(labels.get(code, "")) if code else "",
            )
        )
    lost.sort(key=lambda row: -row.recoverable)  # stable: framework order among equals
    return lost


def open_work(assessed: AssessedUnit, today: dt.date | None = None) -> OpenWork:
    """What the unit still has to do, in every cycle assessing it: explanation
    requests waiting for an answer, reports not submitted in an open period
    (or overdue) and reports the office returned."""
    today = today or timezone.localdate()
    waiting = explanations.with_newer(
        explanations.ExplanationRequest.objects.filter(
            item__assessed__unit_id=assessed.unit_id, answered_at__isnull=True
        )
    ).select_related(*explanations.RELATED)
    entries = [explanations.entry(r, today) for r in waiting]
    requests = sorted((e for e in entries if e.waiting), key=lambda e: (e.days_left, e.request.pk))
    mine = list(
        AssessedUnit.objects.filter(unit_id=assessed.unit_id)
        .filter(cycle__periods__state__in=[PeriodState.OPEN, PeriodState.CLOSED])
        .select_related("unit", "cycle")
        .distinct()
    )
    periods = list(
        Period.objects.filter(cycle_id__in={a.cycle_id for a in mine})
        .exclude(state=PeriodState.PLANNED)
        .order_by("unit_deadline", "start")
    )
    cycles = {a.cycle_id: a.cycle for a in mine}
    snapshot = chase.snapshot_of(periods, mine)
    reports = []
    for period in periods:
        period.cycle = cycles[period.cycle_id]
        for a in mine:
            if a.cycle_id != period.cycle_id:
                continue
            row = snapshot.row(period, a, today)
            accepting = period.state == PeriodState.OPEN or row.deadline >= today
            if row.status == SubmissionState.RETURNED or (row.is_pending and accepting):
                reports.append(row)
    return OpenWork(requests, reports)


def unit_dashboard(
    cycle: Cycle, assessed: AssessedUnit, *, with_result: bool, today: dt.date | None = None
) -> UnitDashboard:
    board = UnitDashboard(cycle=cycle, assessed=assessed, with_result=with_result)
    if with_result:
        board.table = standings(cycle)
        board.standing = board.table.row_for(assessed.pk)
        board.group = board.table.group_of(assessed.pk)
        if board.standing is not None and board.group is not None:
            board.strip = strip_of(board.group, assessed.pk)
            board.lost = lost_points(board.standing)
    board.work = open_work(assessed, today)
    return board
