"""Reads for the council's workspace: the cycles a person appraises, a cycle's
queue of units, and one unit's items with everything the council checks.

Each selector runs a bounded number of queries whatever the number of units,
indicators or evidence items: rows are fetched per kind in one query and
joined in Python. Who may do what is asked of `dtis.orgs.policy`, whose
answers (grants, council seat) are cached on the user for the request.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.db.models import Count, Prefetch, Q
from django.utils import timezone

from dtis.appraisal.badges import stage_badge, state_badge
from dtis.appraisal.items import previous_cycle, reported_units, result_period
from dtis.appraisal.models import (
    DECIDED,
    CouncilMember,
    ExplanationRequest,
    IndicatorResult,
    Item,
    ItemEvent,
    ItemState,
    OutcomeEvent,
    Stage,
)
from dtis.appraisal.publication import undecided
from dtis.frameworks.describe import describe_rule
from dtis.frameworks.models import Indicator
from dtis.orgs import policy
from dtis.orgs.models import User
from dtis.reporting.entry import previous_period, value_items
from dtis.reporting.evidence import JPEG, PDF, PNG
from dtis.reporting.models import (
    AssessedUnit,
    Cycle,
    Evidence,
    EvidenceKind,
    Figure,
    Period,
    Submission,
    SubmissionState,
)


def may_open(user: User, cycle: Cycle) -> bool:
    """The workspace is for the cycle's council and the office that runs the cycle."""
    return policy.council_seat(user, cycle) is not None or policy.can_run_cycle(user, cycle)


def stage_of(cycle: Cycle) -> str:
    """The cycle's stage without creating its outcome row (a page only reads)."""
    outcome = getattr(cycle, "outcome", None)
    return outcome.stage if outcome is not None else Stage.APPRAISING


def my_group_ids(user: User, cycle: Cycle) -> set[int]:
    seat = policy.council_seat(user, cycle)
    return {g.pk for g in seat.groups.all()} if seat is not None else set()


def percent(done: int, total: int) -> int:
    return round(100 * done / total) if total else 0


# --- the cycles a person appraises or runs --------------------------------------------


@dataclass
class CycleRow:
    cycle: Cycle
    stage: str
    seat: CouncilMember | None
    runs: bool
    assessed: int
    reported: int
    items: int
    decided: int

    @property
    def stage_label(self) -> str:
        return str(Stage(self.stage).label)

    @property
    def stage_badge(self) -> str:
        return stage_badge(self.stage)

    @property
    def percent(self) -> int:
        return percent(self.decided, self.items)


def council_cycles(user: User) -> list[CycleRow]:
    """Cycles where the person has a council seat or runs the cycle, newest first."""
    if not user.is_authenticated or not user.is_active:
        return []
    seats = policy.council_seats(user)
    runs = policy.units_where(user, policy.Action.RUN_CYCLE)
    cycles = list(
        Cycle.objects.filter(Q(pk__in=list(seats)) | Q(scope__in=runs))
        .select_related("outcome", "scope", "framework")
        .order_by("-year", "name")
    )
    if not cycles:
        return []
    ids = [c.pk for c in cycles]
    counts = {
        row["assessed__cycle_id"]: row
        for row in Item.objects.filter(assessed__cycle_id__in=ids)
        .values("assessed__cycle_id")
        .annotate(
            total=Count("pk"),
            decided=Count("pk", filter=Q(state__in=DECIDED)),
            units=Count("assessed_id", distinct=True),
        )
    }
    assessed = dict(
        AssessedUnit.objects.filter(cycle_id__in=ids)
        .values("cycle_id")
        .annotate(n=Count("pk"))
        .values_list("cycle_id", "n")
    )
    rows = []
    for cycle in cycles:
        c = counts.get(cycle.pk, {})
        rows.append(
            CycleRow(
                cycle=cycle,
                stage=stage_of(cycle),
                seat=seats.get(cycle.pk),
                runs=policy.can_run_cycle(user, cycle),
                assessed=assessed.get(cycle.pk, 0),
                reported=c.get("units", 0),
                items=c.get("total", 0),
                decided=c.get("decided", 0),
            )
        )
    return rows


def has_workspace(user: User) -> bool:
    """For the menu, on every page: a council seat in some cycle, or the
    standing office's role (which runs the cycles of its scope). The office
    is known from the grants the policy caches, so it costs no query."""
    if not user.is_authenticated or not user.is_active:
        return False
    runs = policy.ALLOWED_ROLES[policy.Action.RUN_CYCLE]
    if user.is_superuser or any(g.role in runs for g in policy.grants_of(user)):
        return True
    return bool(policy.council_seats(user))


# --- a cycle's queue --------------------------------------------------------------------


@dataclass
class QueueRow:
    """One unit whose report reached appraisal, counted over the groups shown."""

    assessed: AssessedUnit
    items: int = 0
    decided: int = 0
    pending: int = 0  # not appraised yet
    explanation: int = 0  # an explanation is awaited
    overdue: int = 0  # of which past their due date
    answered: int = 0  # explained, to re-appraise
    mine_pending: int = 0  # untouched items in the person's groups (bulk accept)

    @property
    def percent(self) -> int:
        return percent(self.decided, self.items)


@dataclass
class WaitingRow:
    """A unit whose report has not reached appraisal yet."""

    assessed: AssessedUnit
    state: str  # the result period's submission state ("" when nothing was started)

    @property
    def state_label(self) -> str:
        return str(SubmissionState(self.state).label) if self.state else ""


@dataclass
class Queue:
    cycle: Cycle
    period: Period | None
    stage: str
    seat: CouncilMember | None
    groups: list[Indicator]  # the groups counted (mine, or all)
    mine: bool  # counting my groups only
    can_filter: bool  # the person has a seat with groups (the filter means something)
    rows: list[QueueRow]
    waiting: list[WaitingRow]
    events: list[OutcomeEvent]
    undecided: int
    can_sign_off: bool
    can_publish: bool
    can_reopen: bool
    runs: bool

    @property
    def stage_label(self) -> str:
        return str(Stage(self.stage).label)

    @property
    def stage_badge(self) -> str:
        return stage_badge(self.stage)

    @property
    def appraising(self) -> bool:
        return self.stage == Stage.APPRAISING

    @property
    def items(self) -> int:
        return sum(r.items for r in self.rows)

    @property
    def decided(self) -> int:
        return sum(r.decided for r in self.rows)

    @property
    def percent(self) -> int:
        return percent(self.decided, self.items)


def load_queue(
    user: User, cycle: Cycle, *, mine: bool = True, today: dt.date | None = None
) -> Queue:
    """The cycle's units in appraisal with their progress; `mine`: count only
    the items of the person's groups (ignored without a seat)."""
    from dtis.appraisal.council import main_indicators

    today = today or timezone.localdate()
    period = result_period(cycle)
    seat = policy.council_seat(user, cycle)
    mains = main_indicators(cycle)
    own = my_group_ids(user, cycle)
    can_filter = bool(own) and own != {m.pk for m in mains}
    mine = mine and can_filter
    groups = [m for m in mains if m.pk in own] if mine else mains
    wanted = {m.pk for m in groups}

    reported = sorted(reported_units(cycle), key=lambda a: a.unit.sort_key)
    rows = {a.pk: QueueRow(a) for a in reported}
    counts = (
        Item.objects.filter(assessed__cycle=cycle, assessed_id__in=list(rows))
        .values("assessed_id", "main_id", "state")
        .annotate(n=Count("pk"))
    )
    for c in counts:
        row = rows[c["assessed_id"]]
        n, state = c["n"], c["state"]
        if state == ItemState.PENDING and c["main_id"] in own:
            row.mine_pending += n
        if c["main_id"] not in wanted:
            continue
        row.items += n
        row.decided += n if state in DECIDED else 0
        row.pending += n if state == ItemState.PENDING else 0
        row.explanation += n if state == ItemState.EXPLANATION else 0
        row.answered += n if state == ItemState.ANSWERED else 0
    overdue = (
        ExplanationRequest.objects.filter(
            item__assessed_id__in=list(rows),
            item__main_id__in=wanted,
            item__state=ItemState.EXPLANATION,
            answered_at__isnull=True,
            due__lt=today,
        )
        .values("item__assessed_id")
        .annotate(n=Count("pk"))
    )
    for c in overdue:
        rows[c["item__assessed_id"]].overdue = c["n"]

    others = list(
        cycle.assessed.exclude(pk__in=list(rows)).select_related("unit").order_by("unit__sort_key")
    )
    states = (
        dict(
            Submission.objects.filter(period=period, assessed__in=others).values_list(
                "assessed_id", "state"
            )
        )
        if period is not None and others
        else {}
    )
    waiting = [WaitingRow(a, states.get(a.pk, "")) for a in others]
    # The office's acceptance first: those are the next to reach the council.
    waiting.sort(key=lambda w: w.state != SubmissionState.SUBMITTED)

    events = list(
        OutcomeEvent.objects.filter(outcome__cycle=cycle).select_related("by").order_by("at", "pk")
    )
    can_sign_off = policy.can_sign_off(user, cycle)
    runs = policy.can_run_cycle(user, cycle)
    return Queue(
        cycle=cycle,
        period=period,
        stage=stage_of(cycle),
        seat=seat,
        groups=groups,
        mine=mine,
        can_filter=can_filter,
        rows=list(rows.values()),
        waiting=waiting,
        events=events,
        undecided=sum(undecided(cycle).values()) if can_sign_off else 0,
        can_sign_off=can_sign_off,
        can_publish=policy.can_publish(user, cycle),
        can_reopen=can_sign_off or runs,
        runs=runs,
    )


# --- one unit's items -----------------------------------------------------------------


@dataclass
class PastValue:
    """An earlier figure of the same indicator: the period before, or last year."""

    label: str
    values: list[dict[str, str]]
    points: Decimal | None
    max_points: Decimal | None
    not_applicable: bool


@dataclass
class ItemView:
    item: Item
    rule_text: str
    values: list[dict[str, str]]
    self_points: Decimal | None
    files: list[Evidence]
    links: list[Evidence]
    documents: list[Evidence]
    previous: PastValue | None
    last_year: PastValue | None
    events: list[ItemEvent]
    requests: list[ExplanationRequest]
    can_act: bool
    today: dt.date
    # Set by the views: the bound or blank forms, a line saying what just happened.
    correct_form: Any = None
    request_form: Any = None
    flash: str = ""
    errors: list[str] = field(default_factory=list)

    @property
    def indicator(self) -> Indicator:
        return self.item.indicator

    @property
    def figure(self) -> Figure | None:
        return self.item.figure

    @property
    def state_badge(self) -> str:
        return state_badge(self.item.state)

    @property
    def open_request(self) -> ExplanationRequest | None:
        return next((r for r in reversed(self.requests) if r.is_open), None)

    @property
    def latest_request(self) -> ExplanationRequest | None:
        return self.requests[-1] if self.requests else None

    @property
    def waiting(self) -> bool:
        """An explanation is awaited and still within its due date: no decision yet."""
        request = self.open_request
        return (
            self.item.state == ItemState.EXPLANATION
            and request is not None
            and request.due >= self.today
        )

    @property
    def can_accept(self) -> bool:
        return self.can_act and not self.waiting and self.item.state != ItemState.ACCEPTED

    @property
    def can_correct(self) -> bool:
        return self.can_act and not self.waiting

    @property
    def can_request(self) -> bool:
        return self.can_act and self.item.state != ItemState.EXPLANATION


@dataclass
class ItemGroup:
    main: Indicator
    items: list[ItemView]

    @property
    def decided(self) -> int:
        return sum(1 for v in self.items if v.item.state in DECIDED)


@dataclass
class UnitItems:
    cycle: Cycle
    assessed: AssessedUnit
    period: Period
    stage: str
    groups: list[ItemGroup]
    mine: bool
    can_filter: bool
    previous_period: Period | None
    last_year: Cycle | None
    untouched_mine: int  # pending items in the person's groups (bulk accept)
    hidden: int  # items of other groups left out by the filter

    @property
    def items(self) -> list[ItemView]:
        return [v for g in self.groups for v in g.items]

    @property
    def appraising(self) -> bool:
        return self.stage == Stage.APPRAISING

    @property
    def decided(self) -> int:
        return sum(g.decided for g in self.groups)

    @property
    def total(self) -> int:
        return len(self.items)

    @property
    def percent(self) -> int:
        return percent(self.decided, self.total)

    @property
    def stage_label(self) -> str:
        return str(Stage(self.stage).label)


def _last_year_figures(cycle: Cycle | None, assessed: AssessedUnit) -> dict[str, Figure]:
    """The unit's figures in last year's result period, by indicator code."""
    if cycle is None:
        return {}
    period = result_period(cycle)
    if period is None:
        return {}
    return {
        f.indicator.code: f
        for f in Figure.objects.filter(
            period=period, assessed__cycle=cycle, assessed__unit_id=assessed.unit_id
        ).select_related("indicator")
    }


def _past(label: str, figure: Figure | None) -> PastValue | None:
    if figure is None:
        return None
    return PastValue(
        label=label,
        values=value_items(figure.indicator, figure.values),
        points=figure.self_points,
        max_points=figure.indicator.max_points,
        not_applicable=figure.not_applicable,
    )


def _preview_kind(evidence: Evidence) -> str:
    if evidence.content_type == PDF:
        return "pdf"
    if evidence.content_type in (JPEG, PNG):
        return "image"
    return ""


def load_unit_items(
    user: User,
    cycle: Cycle,
    assessed: AssessedUnit,
    *,
    mine: bool = True,
    only: Iterable[int] | None = None,
    today: dt.date | None = None,
) -> UnitItems | None:
    """One unit's items grouped by main indicator, with everything the council
    checks. `mine`: only the person's groups (ignored without a seat); `only`:
    these item ids (one item's fragment). None when the cycle has no periods."""
    today = today or timezone.localdate()
    period = result_period(cycle)
    if period is None:
        return None
    own = my_group_ids(user, cycle)
    query = (
        Item.objects.filter(period=period, assessed=assessed)
        .select_related("indicator", "main", "figure", "decided_by")
        .order_by("indicator__order")
    )
    if only is not None:
        query = query.filter(pk__in=list(only))
    all_items = list(query)
    # The filter means something only to a member with some of the groups.
    can_filter = bool(own) and any(it.main_id not in own for it in all_items)
    mine = mine and can_filter
    untouched_mine = sum(
        1 for it in all_items if it.state == ItemState.PENDING and it.main_id in own
    )
    items = [it for it in all_items if not mine or it.main_id in own]
    for it in items:
        it.period = period
        it.assessed = assessed

    figure_ids = [it.figure_id for it in items if it.figure_id]
    evidence: dict[int, list[Evidence]] = defaultdict(list)
    for e in Evidence.objects.filter(figure_id__in=figure_ids, replaced_by__isnull=True):
        e.preview = _preview_kind(e)  # type: ignore[attr-defined]
        evidence[e.figure_id].append(e)
    self_points = dict(
        IndicatorResult.objects.filter(
            result__assessed=assessed, indicator_id__in=[it.indicator_id for it in items]
        ).values_list("indicator_id", "self_points")
    )
    events: dict[int, list[ItemEvent]] = defaultdict(list)
    for ev in ItemEvent.objects.filter(item__in=items).select_related("by"):
        events[ev.item_id].append(ev)
    requests: dict[int, list[ExplanationRequest]] = defaultdict(list)
    for req in (
        ExplanationRequest.objects.filter(item__in=items)
        .select_related("requested_by", "answered_by")
        .prefetch_related(Prefetch("evidence", queryset=Evidence.objects.order_by("pk")))
    ):
        requests[req.item_id].append(req)

    periods = list(Period.objects.filter(cycle_id=cycle.pk))
    for p in periods:
        p.cycle = cycle
    before = previous_period(period, periods)
    previous = (
        {
            f.indicator_id: f
            for f in Figure.objects.filter(
                period=before, assessed=assessed, indicator_id__in=[it.indicator_id for it in items]
            ).select_related("indicator")
        }
        if before is not None and items
        else {}
    )
    last_cycle = previous_cycle(cycle)
    last_year = _last_year_figures(last_cycle, assessed) if items else {}
    before_label = str(before) if before is not None else ""
    last_label = str(last_cycle.year) if last_cycle is not None else ""

    appraising = stage_of(cycle) == Stage.APPRAISING
    grouped: dict[int, list[ItemView]] = defaultdict(list)
    mains: dict[int, Indicator] = {}
    for it in items:
        ind = it.indicator
        figure = it.figure
        files = [e for e in evidence.get(it.figure_id or 0, []) if e.kind == EvidenceKind.FILE]
        mains[it.main_id] = it.main
        grouped[it.main_id].append(
            ItemView(
                item=it,
                rule_text=describe_rule(
                    ind.rule, ind.max_points, is_parent=False, inputs=ind.inputs
                ),
                values=value_items(ind, figure.values if figure else None),
                self_points=self_points.get(ind.pk, figure.self_points if figure else None),
                files=files,
                links=[
                    e for e in evidence.get(it.figure_id or 0, []) if e.kind == EvidenceKind.LINK
                ],
                documents=[
                    e
                    for e in evidence.get(it.figure_id or 0, [])
                    if e.kind == EvidenceKind.DOCUMENT
                ],
                previous=_past(before_label, previous.get(ind.pk)),
                last_year=_past(last_label, last_year.get(ind.code)),
                events=events.get(it.pk, []),
                requests=requests.get(it.pk, []),
                can_act=appraising and policy.can_appraise(user, cycle, it.main_id),
                today=today,
            )
        )
    groups = [ItemGroup(mains[pk], views) for pk, views in grouped.items()]
    groups.sort(key=lambda g: g.main.order)
    return UnitItems(
        cycle=cycle,
        assessed=assessed,
        period=period,
        stage=stage_of(cycle),
        groups=groups,
        mine=mine,
        can_filter=can_filter,
        previous_period=before,
        last_year=last_cycle,
        untouched_mine=untouched_mine,
        hidden=len(all_items) - len(items),
    )


def seats_of(cycle: Cycle) -> list[CouncilMember]:
    return list(
        cycle.council.select_related("user")
        .prefetch_related(Prefetch("groups", queryset=Indicator.objects.order_by("order")))
        .order_by("role", "user__full_name")
    )
