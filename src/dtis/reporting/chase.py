"""Chasing late units (đôn đốc): who has reported what, and what is due.

Selectors only (no writes). Every function loads what it needs with one
query per model kind, whatever the number of units or periods, and joins the
rows in Python.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Count, Q
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from dtis.orgs import policy
from dtis.orgs.models import Role, RoleGrant, Unit, User
from dtis.reporting.cycles import deadline_for
from dtis.reporting.models import (
    AssessedUnit,
    Cycle,
    Figure,
    Period,
    PeriodState,
    Reopening,
    Submission,
    SubmissionEvent,
    SubmissionState,
)

# A report's status on the chase page: the submission's state, with "not
# started" for a unit that has neither a submission nor a single figure.
NOT_STARTED = "not_started"
STATUSES: list[tuple[str, Any]] = [
    (NOT_STARTED, _("Not started")),
    (SubmissionState.DRAFT, SubmissionState.DRAFT.label),
    (SubmissionState.SUBMITTED, SubmissionState.SUBMITTED.label),
    (SubmissionState.RETURNED, SubmissionState.RETURNED.label),
    (SubmissionState.ACCEPTED, SubmissionState.ACCEPTED.label),
]
STATUS_LABELS = dict(STATUSES)
# Still to be submitted (a returned report has been submitted once and is
# followed by its own notice, not by the deadline reminders).
PENDING = frozenset({NOT_STARTED, SubmissionState.DRAFT})
DUE_WITHIN_DAYS = 7


def entry_url(period_id: int, assessed_id: int) -> str:
    """The data-entry page of one unit's report for one period."""
    try:
        return reverse("reporting:entry", args=[period_id, assessed_id])
    except NoReverseMatch:  # the entry screens are not wired in yet
        return f"/bao-cao/{period_id}/{assessed_id}/"


@dataclass
class Row:
    """One assessed unit's report for one period, as the office chases it."""

    assessed: AssessedUnit
    period: Period
    status: str
    deadline: dt.date
    days_to_deadline: int  # negative: the deadline passed that many days ago
    days_late: int  # late submissions: as recorded; pending reports: days overdue so far
    submitted_at: dt.datetime | None = None
    reporters: list[User] = field(default_factory=list)
    heads: list[User] = field(default_factory=list)

    @property
    def unit(self) -> Unit:
        return self.assessed.unit

    @property
    def peer_group(self) -> str:
        return self.assessed.peer_group

    @property
    def is_pending(self) -> bool:
        return self.status in PENDING

    @property
    def is_overdue(self) -> bool:
        return self.is_pending and self.days_to_deadline < 0

    @property
    def is_due_soon(self) -> bool:
        return self.is_pending and 0 <= self.days_to_deadline <= DUE_WITHIN_DAYS

    @property
    def status_label(self) -> str:
        return str(STATUS_LABELS[self.status])

    @property
    def badge(self) -> str:
        """The CSS badge class: green done, amber soon or returned, red late."""
        if self.status == SubmissionState.ACCEPTED:
            return "ok"
        if self.status == SubmissionState.SUBMITTED:
            return "warn" if self.days_late else "ok"
        if self.status == SubmissionState.RETURNED or self.is_due_soon:
            return "warn"
        if self.is_overdue:
            return "danger"
        return "muted-badge"

    @property
    def url(self) -> str:
        return entry_url(self.period.pk, self.assessed.pk)


@dataclass
class Snapshot:
    """Submissions, reopenings and figure counts of some periods × units."""

    submissions: dict[tuple[int, int], Submission]
    reopenings: dict[int, list[Reopening]]
    figure_counts: dict[tuple[int, int], int]

    def row(self, period: Period, assessed: AssessedUnit, today: dt.date) -> Row:
        key = (period.pk, assessed.pk)
        submission = self.submissions.get(key)
        deadline = deadline_for(period, assessed.unit, self.reopenings.get(period.pk, ()))
        if submission is not None and submission.state != SubmissionState.DRAFT:
            status = submission.state
        else:
            status = SubmissionState.DRAFT if self.figure_counts.get(key) else NOT_STARTED
        days_to = (deadline - today).days
        if status in PENDING:
            late = max(-days_to, 0)
        else:
            late = submission.days_late if submission is not None else 0
        return Row(
            assessed=assessed,
            period=period,
            status=status,
            deadline=deadline,
            days_to_deadline=days_to,
            days_late=late,
            submitted_at=submission.submitted_at if submission is not None else None,
        )


def snapshot_of(
    periods: list[Period], assessed: list[AssessedUnit], *, figures: bool = True
) -> Snapshot:
    period_ids = [p.pk for p in periods]
    assessed_ids = [a.pk for a in assessed]
    if not period_ids or not assessed_ids:
        return Snapshot({}, {}, {})
    submissions = {
        (s.period_id, s.assessed_id): s
        for s in Submission.objects.filter(
            period_id__in=period_ids, assessed_id__in=assessed_ids
        ).only("period_id", "assessed_id", "state", "submitted_at", "days_late")
    }
    reopenings: dict[int, list[Reopening]] = defaultdict(list)
    for r in Reopening.objects.filter(period_id__in=period_ids).only(
        "period_id", "unit_id", "until"
    ):
        reopenings[r.period_id].append(r)
    counts: dict[tuple[int, int], int] = {}
    if figures:
        counts = {
            (row["period_id"], row["assessed_id"]): row["n"]
            for row in Figure.objects.filter(period_id__in=period_ids, assessed_id__in=assessed_ids)
            .values("period_id", "assessed_id")
            .annotate(n=Count("pk"))
        }
    return Snapshot(submissions, dict(reopenings), counts)


def people_of(units: Iterable[int], roles: Iterable[str]) -> dict[tuple[int, str], list[User]]:
    """Active people holding each role on exactly each unit (one query)."""
    found: dict[tuple[int, str], list[User]] = defaultdict(list)
    grants = (
        RoleGrant.objects.filter(unit_id__in=set(units), role__in=list(roles), user__is_active=True)
        .select_related("user")
        .order_by("user__full_name", "user__username")
    )
    for grant in grants:
        found[(grant.unit_id, grant.role)].append(grant.user)
    return found


def chase_rows(
    cycle: Cycle, period: Period | None = None, today: dt.date | None = None
) -> list[Row]:
    """One row per assessed unit × open or closed period of the cycle (or the
    one period given), ordered by period, then unit name."""
    today = today or timezone.localdate()
    if period is not None:
        periods = [period] if period.state != PeriodState.PLANNED else []
    else:
        periods = list(cycle.periods.exclude(state=PeriodState.PLANNED).order_by("start", "end"))
    assessed = list(cycle.assessed.select_related("unit").order_by("unit__sort_key"))
    snapshot = snapshot_of(periods, assessed)
    people = people_of((a.unit_id for a in assessed), (Role.REPORTER, Role.HEAD))
    rows = []
    for p in periods:
        p.cycle = cycle  # no query for str(period)
        for a in assessed:
            row = snapshot.row(p, a, today)
            row.reporters = people.get((a.unit_id, Role.REPORTER), [])
            row.heads = people.get((a.unit_id, Role.HEAD), [])
            rows.append(row)
    return rows


@dataclass
class Item:
    """A report waiting for the signed-in person (home page)."""

    row: Row
    returned_count: int = 0

    @property
    def period(self) -> Period:
        return self.row.period

    @property
    def unit(self) -> Unit:
        return self.row.unit

    @property
    def deadline(self) -> dt.date:
        return self.row.deadline

    @property
    def days_left(self) -> int:
        return self.row.days_to_deadline

    @property
    def days_late(self) -> int:
        return self.row.days_late

    @property
    def url(self) -> str:
        return self.row.url


def _latest_return_counts(submission_ids: list[int]) -> dict[int, int]:
    """Comments of each submission's latest return (one query)."""
    if not submission_ids:
        return {}
    latest: dict[int, int] = {}
    events = (
        SubmissionEvent.objects.filter(
            submission_id__in=submission_ids, to_state=SubmissionState.RETURNED
        )
        .annotate(n=Count("items"))
        .order_by("at", "pk")
        .values_list("submission_id", "n")
    )
    for submission_id, n in events:
        latest[submission_id] = n  # later events overwrite earlier ones
    return latest


def my_open_items(user: User, today: dt.date | None = None) -> dict[str, list[Item]]:
    """The reports the person must act on: those of units where they are a
    reporter or the head, and of units whose indicators their unit leads.

    `due`: deadline within 7 days, not yet submitted; `overdue`: deadline
    passed, not submitted, still accepted (open period or reopened);
    `returned`: sent back by the office, with the number of comments;
    `open`: an open period with its deadline further away (a clerk who
    reports four times a year finds the quarter here, not only in the menu).
    """
    today = today or timezone.localdate()
    items: dict[str, list[Item]] = {"due": [], "overdue": [], "returned": [], "open": []}
    if not user.is_authenticated or not user.is_active:
        return items
    grants = policy.grants_of(user)
    reporting = {g.unit_id for g in grants if g.role == Role.REPORTER}
    heading = {g.unit_id for g in grants if g.role == Role.HEAD}
    if not reporting and not heading:
        return items
    assessed = list(
        AssessedUnit.objects.filter(
            Q(unit_id__in=reporting | heading) | Q(assignments__owner_id__in=reporting)
        )
        .filter(cycle__periods__state__in=[PeriodState.OPEN, PeriodState.CLOSED])
        .select_related("unit", "cycle")
        .distinct()
        .order_by("unit__sort_key")
    )
    if not assessed:
        return items
    periods = list(
        Period.objects.filter(cycle_id__in={a.cycle_id for a in assessed})
        .exclude(state=PeriodState.PLANNED)
        .order_by("unit_deadline", "start")
    )
    cycles = {a.cycle_id: a.cycle for a in assessed}
    snapshot = snapshot_of(periods, assessed, figures=False)
    returned: list[tuple[Row, int]] = []
    for period in periods:
        period.cycle = cycles[period.cycle_id]
        for a in assessed:
            if a.cycle_id != period.cycle_id:
                continue
            row = snapshot.row(period, a, today)
            if row.status == SubmissionState.RETURNED:
                returned.append((row, snapshot.submissions[(period.pk, a.pk)].pk))
                continue
            if row.status not in PENDING:
                continue
            accepting = period.state == PeriodState.OPEN or row.deadline >= today
            if row.is_overdue and accepting:
                items["overdue"].append(Item(row))
            elif row.is_due_soon and accepting:
                items["due"].append(Item(row))
            elif period.state == PeriodState.OPEN and not row.is_overdue:
                items["open"].append(Item(row))
    counts = _latest_return_counts([pk for _row, pk in returned])
    items["returned"] = [Item(row, counts.get(pk, 0)) for row, pk in returned]
    return items
