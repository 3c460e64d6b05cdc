"""What a quarterly or yearly report on the index says, gathered in a fixed
number of queries whatever the number of units (`dtis.plans.documents`
renders it as DOCX or XLSX).

Five parts: results by unit and by main indicator; changes against last
year's published cycle; units late with the period's report; points lost
(largest first, with the indicator's lead unit); progress of the tasks of
the approved improvement plans of the year.

Where the results come from: a published cycle reads its stored results
(`UnitResult`, `IndicatorResult`); a running cycle has none yet, so the
report shows the projection the dashboards show (`dashboards.nowcast`, from
the latest quarter reported, self-assessed and not appraised) and says so
(`Report.projected`, `Report.basis`). Both come from
`dtis.dashboards.targets.positions`, so that the report and the dashboard
never disagree.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal

from django.utils import timezone

from dtis.appraisal.items import previous_cycle
from dtis.dashboards import targets as T
from dtis.dashboards.board import Lost, lost_points
from dtis.plans.models import PlanStatus, PlanTask, TaskStatus
from dtis.reporting.chase import NOT_STARTED, snapshot_of
from dtis.reporting.models import Cycle, Period, PeriodKind, SubmissionState
from dtis.scoring.numbers import round_index

# Official documents are written in Vietnamese whatever the screen's language.
PERIOD_WORDS = {
    PeriodKind.Q1: "quý I",
    PeriodKind.Q2: "quý II",
    PeriodKind.H1: "6 tháng đầu năm",
    PeriodKind.Q3: "quý III",
    PeriodKind.Q4: "quý IV",
    PeriodKind.YEAR: "",
}
REPORT_STATUS_WORDS = {
    NOT_STARTED: "Chưa nhập số liệu",
    SubmissionState.DRAFT: "Đang nhập, chưa gửi",
    SubmissionState.SUBMITTED: "Đã gửi",
    SubmissionState.RETURNED: "Bị trả lại để giải trình",
    SubmissionState.ACCEPTED: "Đã tiếp nhận",
}
TASK_STATUS_WORDS = {
    TaskStatus.NOT_STARTED: "Chưa thực hiện",
    TaskStatus.IN_PROGRESS: "Đang thực hiện",
    TaskStatus.NEEDS_EVIDENCE: "Cần bổ sung minh chứng",
    TaskStatus.DONE: "Hoàn thành",
}


@dataclass
class MainRow:
    """One main indicator: the unit's value (own cycle) or the units' average."""

    code: str
    name: str
    max_points: Decimal
    points: Decimal | None
    index: Decimal | None
    rank: int = 0  # own cycle: among the peers; 0 unknown
    best: Decimal | None = None  # units' cycle: the best and lowest unit's index
    lowest: Decimal | None = None


@dataclass
class UnitRow:
    unit: str
    points: Decimal | None
    max_points: Decimal | None
    index: Decimal | None
    rank: int
    peers: int
    band: str
    previous_points: Decimal | None
    previous_rank: int | None
    mains: list[Decimal | None]  # the main indicators' index, in `Report.mains` order

    @property
    def points_change(self) -> Decimal | None:
        if self.points is None or self.previous_points is None:
            return None
        return self.points - self.previous_points

    @property
    def rank_change(self) -> int | None:
        """Places gained (positive) or lost since last year."""
        if not self.rank or not self.previous_rank:
            return None
        return self.previous_rank - self.rank


@dataclass
class LateRow:
    unit: str
    status: str
    deadline: dt.date
    days_late: int
    submitted_at: dt.datetime | None

    @property
    def status_words(self) -> str:
        return REPORT_STATUS_WORDS.get(self.status, self.status)

    @property
    def pending(self) -> bool:
        """Still not submitted (as opposed to submitted after the deadline)."""
        return self.status in (NOT_STARTED, SubmissionState.DRAFT)


@dataclass
class TaskRow:
    plan_unit: str
    code: str
    name: str
    owner: str
    deadline: dt.date | None
    status: str
    progress: int
    overdue: bool

    @property
    def status_words(self) -> str:
        return TASK_STATUS_WORDS.get(self.status, self.status)  # type: ignore[call-overload]


@dataclass
class Report:
    cycle: Cycle
    period: Period
    today: dt.date
    own: bool  # the province's own index (one unit), not its departments'
    projected: bool
    projected_from: str  # the period the projection is made from
    previous_year: int | None
    mains: list[MainRow]
    units: list[UnitRow]
    late: list[LateRow]
    lost: list[Lost]
    tasks: list[TaskRow] = field(default_factory=list)

    @property
    def year(self) -> int:
        return self.cycle.year

    @property
    def period_words(self) -> str:
        """ "quý I", "6 tháng đầu năm"; "" for the year report."""
        return PERIOD_WORDS.get(self.period.kind, "")  # type: ignore[call-overload]

    @property
    def subject(self) -> str:
        words = f" {self.period_words}" if self.period_words else ""
        return f"Kết quả thực hiện Chỉ số chuyển đổi số{words} năm {self.year}"

    @property
    def basis(self) -> str:
        """Where the numbers come from, in the document's words."""
        if not self.projected:
            return "Kết quả đã được thẩm định và công bố."
        since = f" đến {self.projected_from}" if self.projected_from else ""
        return (
            f"Kết quả dự báo từ số liệu tự đánh giá của các đơn vị{since}, "
            f"chưa qua thẩm định; kết quả chính thức được công bố sau khi thẩm định."
        )

    @property
    def overdue_tasks(self) -> list[TaskRow]:
        return [t for t in self.tasks if t.overdue]


def find_period(cycle: Cycle, value: str) -> Period | None:
    """A period of the cycle named by its kind (q1, q2, h1, q3, q4, year) or its id."""
    text = str(value).strip().lower()
    if text in PeriodKind.values:
        return cycle.periods.filter(kind=text).first()
    if text.isdigit():
        return cycle.periods.filter(pk=int(text)).first()
    return None


def report_of(cycle: Cycle, period: Period, today: dt.date | None = None) -> Report:
    """The report of one period of a cycle (a fixed number of queries)."""
    today = today or timezone.localdate()
    # Fresh, with its outcome: a cycle object loaded before publication would
    # still read as running.
    cycle = Cycle.objects.select_related("framework", "scope", "outcome").get(pk=cycle.pk)
    found = T.positions(cycle)
    own = T.is_own(cycle)
    position = found.own() if own else None
    ordered = [position] if position is not None else found.ordered()
    before = previous_cycle(cycle)
    nc_period = found.nowcast.period if found.nowcast is not None else None
    return Report(
        cycle=cycle,
        period=period,
        today=today,
        own=own,
        projected=found.projected,
        projected_from=_period_name(nc_period, cycle.year),
        previous_year=before.year if before is not None else None,
        mains=_mains(found, position),
        units=[_unit_row(p) for p in ordered],
        late=_late(cycle, period, today),
        lost=lost_points(cycle, found, position),
        tasks=_tasks(cycle, today),
    )


def _period_name(period: Period | None, year: int) -> str:
    if period is None:
        return ""
    words = PERIOD_WORDS.get(period.kind, "")  # type: ignore[call-overload]
    return f"{words} năm {year}" if words else f"năm {year}"


def _unit_row(p: T.Position) -> UnitRow:
    return UnitRow(
        unit=p.unit.name,
        points=p.points,
        max_points=p.max_points,
        index=p.index,
        rank=p.rank,
        peers=p.peers,
        band=p.band,
        previous_points=p.previous_points,
        previous_rank=p.previous_rank,
        mains=[m.index for m in p.main],
    )


def _mains(found: T.Positions, position: T.Position | None) -> list[MainRow]:
    if position is not None:
        return [
            MainRow(m.code, m.name, m.max_points, m.points, m.index, m.rank) for m in position.main
        ]
    units = list(found.units.values())
    rows = []
    for n, m in enumerate(found.tree.scored_main):
        cells = [u.main[n] for u in units]
        points = [c.points for c in cells if c.points is not None]
        values = [c.index for c in cells if c.index is not None]
        rows.append(
            MainRow(
                m.code,
                m.name,
                m.max_points,
                (sum(points) / len(points)).quantize(Decimal("0.01")) if points else None,
                round_index(sum(values) / len(values)) if values else None,
                best=max(values, default=None),
                lowest=min(values, default=None),
            )
        )
    return rows


def _late(cycle: Cycle, period: Period, today: dt.date) -> list[LateRow]:
    """Units whose report of the period is overdue, or came in after the deadline."""
    assessed = list(cycle.assessed.select_related("unit").order_by("unit__sort_key", "pk"))
    snapshot = snapshot_of([period], assessed)
    rows = []
    for a in assessed:
        row = snapshot.row(period, a, today)
        if row.is_overdue or (not row.is_pending and row.days_late > 0):
            rows.append(
                LateRow(a.unit.name, row.status, row.deadline, row.days_late, row.submitted_at)
            )
    rows.sort(key=lambda r: (not r.pending, -r.days_late))
    return rows


def _tasks(cycle: Cycle, today: dt.date) -> list[TaskRow]:
    """Tasks of the year's approved plans made from cycles of the same scope and level."""
    tasks = (
        PlanTask.objects.filter(
            plan__status=PlanStatus.APPROVED,
            plan__year=cycle.year,
            plan__source__cycle__scope_id=cycle.scope_id,
            plan__source__cycle__framework__level=cycle.framework.level,
        )
        .select_related("owner", "plan__source__unit")
        .order_by("plan__source__unit__sort_key", "plan_id", "order", "pk")
    )
    return [
        TaskRow(
            plan_unit=t.plan.source.unit.name,
            code=t.code,
            name=t.name,
            owner=t.owner_name,
            deadline=t.deadline,
            status=t.status,
            progress=t.progress,
            overdue=t.is_overdue(today),
        )
        for t in tasks
    ]
