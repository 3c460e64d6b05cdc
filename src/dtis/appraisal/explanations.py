"""The unit's side of explanation requests (giải trình bổ sung): which
requests a person answers for, and where each one stands.

A person answers for a request when `decisions.can_answer` says so: the
reporter of the indicator's lead unit or of the assessed unit, or the head of
the assessed unit (or of a unit above it). The selectors find the same
requests from the person's grants in one query, whatever the number of units,
cycles and requests. A system administrator may answer anywhere but is
listed only the requests of the units named in their own grants.

A request is
- waiting: not answered, its item still awaits the explanation and the
  results are not signed off (it may be overdue: the unit can still answer
  until the council decides);
- answered: the unit answered (the answer stays on record, read-only);
- closed: not answered, and the council decided the item after the due date,
  asked again, or the chair signed the results off.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from enum import StrEnum

from django.db.models import Exists, OuterRef, Q, QuerySet
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext

from dtis.appraisal.models import ExplanationRequest, ItemState, Stage
from dtis.orgs import policy
from dtis.orgs.models import Role, User
from dtis.reporting.models import Assignment

RELATED = (
    "item__period__cycle__outcome",
    "item__assessed__unit",
    "item__assessed__cycle",
    "item__indicator",
    "item__figure",
    "requested_by",
    "answered_by",
)


class Status(StrEnum):
    WAITING = "waiting"
    ANSWERED = "answered"
    CLOSED = "closed"


@dataclass
class Entry:
    """One request as the unit sees it."""

    request: ExplanationRequest
    status: Status
    days_left: int  # to the due date; negative once overdue

    @property
    def waiting(self) -> bool:
        return self.status == Status.WAITING

    @property
    def overdue(self) -> bool:
        return self.waiting and self.days_left < 0

    @property
    def days_overdue(self) -> int:
        return -self.days_left if self.overdue else 0

    @property
    def answered_late(self) -> bool:
        at = self.request.answered_at
        return at is not None and timezone.localdate(at) > self.request.due

    @property
    def asked_by(self) -> str:
        who = self.request.requested_by
        return (who.full_name or who.username) if who else gettext("the appraisal council")

    @property
    def answered_by(self) -> str:
        who = self.request.answered_by
        return (who.full_name or who.username) if who else ""

    @property
    def url(self) -> str:
        return reverse("appraisal:explanation", args=[self.request.pk])


def with_newer(queryset: QuerySet[ExplanationRequest]) -> QuerySet[ExplanationRequest]:
    """Annotate `newer`: the council asked again on the same item since."""
    return queryset.annotate(
        newer=Exists(
            ExplanationRequest.objects.filter(item_id=OuterRef("item_id"), pk__gt=OuterRef("pk"))
        )
    )


def stage_of(request: ExplanationRequest) -> str:
    outcome = getattr(request.item.period.cycle, "outcome", None)
    return outcome.stage if outcome is not None else Stage.APPRAISING


def status_of(request: ExplanationRequest) -> Status:
    """Where the request stands; `request` comes from `with_newer` (or has `newer` set)."""
    if not request.is_open:
        return Status.ANSWERED
    if (
        getattr(request, "newer", False)
        or request.item.state != ItemState.EXPLANATION
        or stage_of(request) != Stage.APPRAISING
    ):
        return Status.CLOSED
    return Status.WAITING


def entry(request: ExplanationRequest, today: dt.date | None = None) -> Entry:
    today = today or timezone.localdate()
    return Entry(request, status_of(request), (request.due - today).days)


def _answerable(user: User) -> Q | None:
    """The requests `user` answers for, as a condition (None: none at all).

    Mirrors `policy.can_answer_explanation` through `decisions.can_answer`:
    a reporter answers where their unit leads the indicator or is the
    assessed unit (reporters' grants cover their own unit only); a head
    answers for the assessed unit and the units below it.
    """
    if not user.is_authenticated or not user.is_active:
        return None
    grants = policy.grants_of(user)
    reporting = [g.unit_id for g in grants if g.role == Role.REPORTER]
    heading = [g.unit_path for g in grants if g.role == Role.HEAD]
    if not reporting and not heading:
        return None
    condition = Q(pk__in=[])
    if reporting:
        condition |= Exists(
            Assignment.objects.filter(
                assessed_id=OuterRef("item__assessed_id"),
                indicator_id=OuterRef("item__indicator_id"),
            ).filter(Q(owner_id__in=reporting) | Q(assessed__unit_id__in=reporting))
        )
    for path in heading:
        condition |= Q(item__assessed__unit__path__startswith=path)
    return condition


def _sort_key(e: Entry) -> tuple[int, int, float, int]:
    if e.status == Status.WAITING:
        return (0, e.days_left, 0.0, e.request.pk)  # due soonest (most overdue) first
    if e.status == Status.ANSWERED:
        answered = e.request.answered_at
        return (1, 0, -(answered.timestamp() if answered else 0.0), -e.request.pk)
    return (2, -e.request.due.toordinal(), 0.0, -e.request.pk)


def requests_for(user: User, today: dt.date | None = None) -> list[Entry]:
    """Every request of the units `user` answers for: waiting ones first (due
    soonest first), then the answered ones (latest answer first), then the
    closed ones. One query."""
    condition = _answerable(user)
    if condition is None:
        return []
    rows = with_newer(ExplanationRequest.objects.filter(condition)).select_related(*RELATED)
    today = today or timezone.localdate()
    return sorted((entry(r, today) for r in rows), key=_sort_key)


def open_requests_for(user: User, today: dt.date | None = None) -> list[Entry]:
    """The requests waiting for an answer from `user`'s units, due soonest
    first (overdue ones first of all). One query."""
    condition = _answerable(user)
    if condition is None:
        return []
    rows = (
        with_newer(
            ExplanationRequest.objects.filter(condition).filter(
                answered_at__isnull=True,
                item__state=ItemState.EXPLANATION,
                item__period__cycle__outcome__stage=Stage.APPRAISING,
            )
        )
        .filter(newer=False)
        .select_related(*RELATED)
        .order_by("due", "pk")
    )
    today = today or timezone.localdate()
    return [entry(r, today) for r in rows]
