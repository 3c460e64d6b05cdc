"""Next year's plan, drafted from a published result (issue 7).

For one assessed unit of a published cycle: every scored indicator below its
maximum, with the points lost, its trend over the published years, its lead
and coordinating units (the cycle's assignments), the work to do (last
year's plan, else the assignment, else the framework), the evidence expected
and a deadline; in order of priority (points recoverable per unit of effort,
`dtis.scoring.solver`), with the part of the gap to the target each one is
asked to win back.

The target is the higher of a total and a rank: the total given, else the
cycle's own points or index target; the rank given, else the cycle's rank
target. The total a rank needs comes from the peers' published results: the
unit's peer group in the same cycle, or, for a province's own index, the
latest national results the ministry published (an index, converted to this
framework's points).

Deadlines follow the effort: easy work by 30/06, usual by 30/09, hard by
30/11 of the plan year, all before the year's report is due in December.
A fixed number of queries, whatever the number of units and indicators.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from django.db import transaction
from django.utils.translation import gettext as _

from dtis.appraisal.models import IndicatorResult, Stage, UnitResult
from dtis.dashboards.models import Target, TargetKind
from dtis.dashboards.targets import TOP_MAIN, _latest_national, is_own, is_published
from dtis.frameworks.models import Indicator
from dtis.frameworks.services import to_core
from dtis.orgs.models import Unit, User
from dtis.plans.models import Plan, PlanStatus, PlanTask
from dtis.plans.wording import sections
from dtis.reporting.models import AssessedUnit, Assignment
from dtis.scoring import solver
from dtis.scoring.numbers import ZERO

DEADLINES = {1: (6, 30), 2: (9, 30), 3: (11, 30)}  # effort → (month, day) of the plan year


class DraftError(Exception):
    """The plan cannot be drafted from this result (said in the person's language)."""


@dataclass
class DraftItem:
    indicator: Indicator
    main_code: str
    points: Decimal
    max_points: Decimal
    effort: int
    allocated: Decimal = ZERO
    trend: list[tuple[int, Decimal]] = field(default_factory=list)
    owner: Unit | None = None
    owner_text: str = ""
    coordinators: str = ""
    tasks: str = ""
    evidence: str = ""
    deadline: dt.date | None = None

    @property
    def code(self) -> str:
        return self.indicator.code

    @property
    def points_lost(self) -> Decimal:
        return self.max_points - self.points

    @property
    def owner_name(self) -> str:
        return self.owner.name if self.owner is not None else self.owner_text


@dataclass
class Draft:
    assessed: AssessedUnit
    year: int  # the plan's year
    max_points: Decimal
    solution: solver.Solution
    target_total: Decimal | None
    target_rank: int | None
    points_for_rank: Decimal | None
    rank_now: int | None
    peers: int  # peers whose published totals are known
    peer_year: int | None  # the year of those results
    items: list[DraftItem]
    mains: solver.MainsAnswer | None = None

    @property
    def rank_unknown(self) -> bool:
        """A target rank beyond the peers whose results are known cannot be
        turned into points: the plan says so rather than asking for 0 points."""
        return self.target_rank is not None and self.peers < self.target_rank

    @property
    def current(self) -> Decimal:
        return self.solution.current

    @property
    def target(self) -> Decimal:
        return self.solution.target

    @property
    def gap(self) -> Decimal:
        return self.solution.gap

    @property
    def reachable(self) -> bool:
        return self.solution.reachable


def draft(
    assessed: AssessedUnit,
    *,
    target_total: Decimal | None = None,
    target_rank: int | None = None,
    efforts: dict[str, int] | None = None,
) -> Draft:
    cycle = assessed.cycle
    if not is_published(cycle):
        raise DraftError(_("A plan is drafted from published results; this cycle's are not."))
    result = UnitResult.objects.filter(assessed=assessed).first()
    if result is None:
        raise DraftError(_("This unit has no result in the cycle."))
    if target_rank is not None and target_rank < 1:
        raise DraftError(_("The target rank must be 1 or more."))
    if target_total is not None and not ZERO < target_total <= result.max_points:
        raise DraftError(
            _("The target total must be above 0 and at most %(max)s.")
            % {"max": f"{result.max_points:n}"}
        )
    tree = to_core(cycle.framework)
    leaves = {leaf.code: leaf for leaf in tree.scored_leaves}
    main_of = {i.code: main.code for main in tree.scored_main for i in main.walk() if i.is_leaf}
    indicators = {i.code: i for i in Indicator.objects.filter(framework=cycle.framework)}
    targets = list(cycle.targets.all())
    total, rank = _targets(targets, result.max_points, target_total, target_rank)
    peer_year, peers = _peer_totals(assessed, result.max_points)
    for_rank = solver.points_for_rank(peers, rank) if rank and len(peers) >= rank else None
    goal = max(v for v in (total, for_rank, ZERO) if v is not None)

    earlier = _earlier_plan(assessed)
    efforts = {**{t.code: t.effort for t in earlier}, **(efforts or {})}
    cells = {
        c.code: c
        for c in IndicatorResult.objects.filter(
            result=result, code__in=list(leaves), applicable=True
        )
    }
    rooms, items = [], {}
    for code in leaves:  # the framework's order
        cell = cells.get(code)
        if cell is None:
            continue
        points = cell.final_points if cell.final_points is not None else cell.self_points
        if points >= cell.max_points:
            continue
        effort = efforts.get(code, solver.USUAL_EFFORT)
        if effort not in solver.EFFORTS:
            raise DraftError(_("Effort must be 1, 2 or 3 (indicator %(code)s).") % {"code": code})
        rooms.append(solver.Room(code, points, cell.max_points, effort))
        items[code] = DraftItem(
            indicators[code], main_of.get(code, ""), points, cell.max_points, effort
        )
    solution = solver.solve(rooms, result.final_points, goal)
    for share in solution.shares:
        items[share.room.code].allocated = share.allocated
    ordered = [items[share.room.code] for share in solution.shares]
    _fill(ordered, assessed, earlier, cycle.year + 1)
    return Draft(
        assessed=assessed,
        year=cycle.year + 1,
        max_points=result.max_points,
        solution=solution,
        target_total=total,
        target_rank=rank,
        points_for_rank=for_rank,
        rank_now=solver.rank_among(peers, result.final_points) if peers else None,
        peers=len(peers),
        peer_year=peer_year,
        items=ordered,
        mains=_mains(assessed, targets, result),
    )


def _targets(
    targets: list[Target],
    max_points: Decimal,
    total: Decimal | None,
    rank: int | None,
) -> tuple[Decimal | None, int | None]:
    """The total and rank asked for, else the cycle's targets."""
    for t in targets:
        if total is None and t.kind == TargetKind.POINTS:
            total = t.value
        if total is None and t.kind == TargetKind.INDEX:
            total = (t.value * max_points).quantize(Decimal("0.01"))
        if rank is None and t.kind == TargetKind.RANK:
            rank = int(t.value)
    return total, rank


def _peer_totals(assessed: AssessedUnit, max_points: Decimal) -> tuple[int | None, list[Decimal]]:
    """The other units' published totals, in this framework's points, and
    their year (a province's own index is placed among the latest national
    results published; a department among its peers in the same cycle)."""
    cycle = assessed.cycle
    if is_own(cycle):
        year, rows = _latest_national(cycle)
        names = {assessed.unit.name.casefold(), (assessed.unit.short_name or "").casefold()}
        return year, [
            (r.published_total * max_points).quantize(Decimal("0.01"))
            for r in rows
            if r.published_total is not None
            and r.unit_id != assessed.unit_id
            and r.unit_name.casefold() not in names
        ]
    return cycle.year, list(
        UnitResult.objects.filter(cycle=cycle, assessed__peer_group=assessed.peer_group)
        .exclude(assessed=assessed)
        .values_list("final_points", flat=True)
    )


def _mains(
    assessed: AssessedUnit, targets: list[Target], result: UnitResult
) -> solver.MainsAnswer | None:
    """ "k of n main indicators in the top t", when the cycle has such a target."""
    wanted = next((t for t in targets if t.kind == TargetKind.MAINS_IN_TOP), None)
    if wanted is None:
        return None
    top = wanted.top or TOP_MAIN
    own = {
        c.code: (c.final_points if c.final_points is not None else c.self_points) / c.max_points
        for c in result.indicators.filter(is_main=True, applicable=True)
        if c.max_points
    }
    peers: dict[str, list[Decimal]] = defaultdict(list)
    if is_own(assessed.cycle):
        _year, rows = _latest_national(assessed.cycle)
        for r in rows:
            if r.unit_id == assessed.unit_id:
                continue
            for code, value in (r.indices or {}).items():
                if value is not None:
                    peers[code].append(Decimal(str(value)))
    else:
        for code, points, maximum in (
            IndicatorResult.objects.filter(
                result__cycle=assessed.cycle,
                result__assessed__peer_group=assessed.peer_group,
                is_main=True,
                applicable=True,
            )
            .exclude(result__assessed=assessed)
            .values_list("code", "final_points", "max_points")
        ):
            if points is not None and maximum:
                peers[code].append(points / maximum)
    answer = solver.mains_in_top(
        {code: value for code, value in own.items()}, peers, top=top, wanted=int(wanted.value)
    )
    return answer


def _earlier_plan(assessed: AssessedUnit) -> list[PlanTask]:
    """Last year's approved plan for the same unit: its tasks and efforts carry over."""
    plan = (
        Plan.objects.filter(
            source__unit_id=assessed.unit_id,
            year=assessed.cycle.year,
            status=PlanStatus.APPROVED,
        )
        .order_by("-approved_at", "-pk")
        .first()
    )
    return list(plan.tasks.all()) if plan else []


def _fill(
    items: list[DraftItem], assessed: AssessedUnit, earlier: list[PlanTask], year: int
) -> None:
    """Owners, coordinators, work, evidence, trend and deadline of every item."""
    cycle = assessed.cycle
    codes = [i.code for i in items]
    assignments = {
        a.indicator.code: a
        for a in Assignment.objects.filter(assessed=assessed, indicator__code__in=codes)
        .select_related("indicator", "owner")
        .prefetch_related("coordinators")
    }
    before = {t.code: t for t in earlier}
    trend: dict[str, list[tuple[int, Decimal]]] = defaultdict(list)
    for year_, code, final, own in (
        IndicatorResult.objects.filter(
            result__assessed__unit_id=assessed.unit_id,
            result__cycle__framework__level=cycle.framework.level,
            result__cycle__outcome__stage=Stage.PUBLISHED,
            result__cycle__year__lte=cycle.year,
            code__in=codes,
        )
        .order_by("result__cycle__year")
        .values_list("result__cycle__year", "code", "final_points", "self_points")
    ):
        trend[code].append((year_, final if final is not None else own))
    for item in items:
        a = assignments.get(item.code)
        old = before.get(item.code)
        ind = item.indicator
        if a is not None:
            item.owner = a.owner
            names = [u.name for u in a.coordinators.all()]
            if a.coordinators_text:
                names.append(a.coordinators_text)
            item.coordinators = "; ".join(names)
        else:
            item.owner_text = ind.lead_unit
            item.coordinators = "; ".join(ind.coordinating_units or [])
        item.tasks = (
            (old.tasks if old else "")
            or (a.tasks if a else "")
            or ind.tasks
            or _("Review the indicator's criteria and evidence, fix what was missing, "
                 "and report the result with evidence in every quarter.")
        )  # fmt: skip
        item.evidence = (a.evidence if a else "") or ind.evidence
        item.trend = trend.get(item.code, [])
        month, day = DEADLINES[item.effort]
        item.deadline = dt.date(year, month, day)


@transaction.atomic
def save_draft(draft_: Draft, actor: User | None) -> Plan:
    """Store a draft as a plan the office can edit."""
    assessed = draft_.assessed
    words = sections(draft_)
    plan = Plan.objects.create(
        source=assessed,
        year=draft_.year,
        target_total=draft_.target_total,
        target_rank=draft_.target_rank,
        current_points=draft_.current,
        target_points=draft_.target,
        max_points=draft_.max_points,
        reachable=draft_.reachable,
        created_by=actor,
        **words,
    )
    PlanTask.objects.bulk_create(
        PlanTask(
            plan=plan,
            order=n,
            indicator=item.indicator,
            code=item.code,
            name=item.indicator.name,
            main_code=item.main_code,
            points=item.points,
            max_points=item.max_points,
            allocated=item.allocated,
            effort=item.effort,
            trend=[[y, str(p)] for y, p in item.trend],
            owner=item.owner,
            owner_text=item.owner_text,
            coordinators=item.coordinators,
            tasks=item.tasks,
            evidence_expected=item.evidence,
            deadline=item.deadline,
        )
        for n, item in enumerate(draft_.items, start=1)
    )
    return plan
