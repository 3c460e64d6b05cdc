"""Reminders (nhắc việc): e-mails and in-app notifications, sent once.

Run once a day (`dtis send-reminders`, or the chase page's button). For every
open period:

- "period opened", once, to the reporters of each assessed unit;
- 7, 3 and 1 days before a unit's deadline, to the reporters of units that
  have not submitted;
- from the day after the deadline, every day until the unit submits, an
  "overdue" reminder to its reporters and, as escalation, to its heads;
- a daily digest to the standing office (administrators of the cycle's scope).

And for open or closed periods: when the office returns a report, a notice to
the unit's reporters.

Every reminder is a `Reminder` row claimed *before* anything is sent; its
unique constraint (period, unit, kind, recipient, day) makes a second run on
the same day — or two runs at once — send nothing new. People without an
e-mail address still get the in-app notification.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.core.mail import get_connection, send_mail
from django.db import IntegrityError, transaction
from django.db.models import Count, Q
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from dtis.orgs.models import Role, User
from dtis.reporting.chase import PENDING, Row, entry_url, people_of, snapshot_of
from dtis.reporting.models import (
    AssessedUnit,
    Cycle,
    Notification,
    Period,
    PeriodState,
    Reminder,
    ReminderKind,
    SubmissionEvent,
    SubmissionState,
)

logger = logging.getLogger(__name__)

K = ReminderKind
BEFORE_DEADLINE = {7: K.DAYS_7, 3: K.DAYS_3, 1: K.DAYS_1}


@dataclass(frozen=True)
class Sent:
    kind: str
    on: dt.date
    cycle: str
    period: str
    unit: str  # empty for the digest
    recipient: str  # username
    emailed: bool
    message: str

    def as_json(self) -> dict[str, Any]:
        return {
            "kind": self.kind,
            "date": self.on.isoformat(),
            "cycle": self.cycle,
            "period": self.period,
            "unit": self.unit,
            "recipient": self.recipient,
            "emailed": self.emailed,
            "message": self.message,
        }


@dataclass
class Summary:
    date: dt.date
    sent: list[Sent] = field(default_factory=list)
    email_failures: int = 0

    def counts(self) -> dict[str, int]:
        counts = {kind: 0 for kind in K.values}
        for s in self.sent:
            counts[s.kind] += 1
        return counts

    @property
    def emails(self) -> int:
        return sum(s.emailed for s in self.sent)

    def as_json(self) -> dict[str, Any]:
        return {
            "date": self.date.isoformat(),
            "sent": [s.as_json() for s in self.sent],
            "counts": self.counts(),
            "notifications": len(self.sent),
            "emails": self.emails,
            "email_failures": self.email_failures,
        }


@dataclass
class _Planned:
    kind: str
    period: Period
    assessed: AssessedUnit | None
    recipient: User
    on: dt.date
    subject: str
    message: str
    url: str
    deadline: dt.date | None = None


def _dmy(day: dt.date) -> str:
    return day.strftime("%d/%m/%Y")


def _text(kind: str, row: Row, **extra: Any) -> tuple[str, str]:
    """(subject, message) of a reminder about one unit's report, in the active language."""
    params = {
        "period": str(row.period),
        "cycle": row.period.cycle.name,
        "unit": row.unit.display_name,
        "deadline": _dmy(row.deadline),
        **extra,
    }
    if kind == K.OPENED:
        return (
            _("Reporting period %(period)s is open") % params,
            _(
                "The reporting period %(period)s of “%(cycle)s” is open: "
                "%(unit)s reports its figures and evidence by %(deadline)s."
            )
            % params,
        )
    if kind in (K.DAYS_7, K.DAYS_3, K.DAYS_1):
        return (
            _("%(unit)s: the %(period)s report is due on %(deadline)s") % params,
            ngettext(
                "%(days)s day left: %(unit)s has not submitted its %(period)s report "
                "(“%(cycle)s”), due on %(deadline)s.",
                "%(days)s days left: %(unit)s has not submitted its %(period)s report "
                "(“%(cycle)s”), due on %(deadline)s.",
                params["days"],
            )
            % params,
        )
    if kind == K.OVERDUE:
        return (
            _("Overdue: the %(period)s report of %(unit)s") % params,
            ngettext(
                "The %(period)s report of %(unit)s (“%(cycle)s”) is %(days)s day late: "
                "it was due on %(deadline)s. Please submit it now.",
                "The %(period)s report of %(unit)s (“%(cycle)s”) is %(days)s days late: "
                "it was due on %(deadline)s. Please submit it now.",
                params["days"],
            )
            % params,
        )
    if kind == K.RETURNED:
        return (
            _("The %(period)s report of %(unit)s was returned") % params,
            ngettext(
                "The standing office returned the %(period)s report of %(unit)s "
                "(“%(cycle)s”) with %(count)s comment: correct it and submit it again.",
                "The standing office returned the %(period)s report of %(unit)s "
                "(“%(cycle)s”) with %(count)s comments: correct them and submit it again.",
                params["count"],
            )
            % params,
        )
    raise ValueError(kind)


def _digest_text(cycle: Cycle, parts: list[tuple[Period, dict[str, int]]]) -> tuple[str, str]:
    """(subject, message) of the office's daily summary of one cycle."""
    lines = [
        _(
            "%(period)s: %(submitted)s of %(total)s units submitted "
            "(%(submitted_late)s after the deadline), %(overdue)s overdue, %(returned)s returned"
        )
        % {"period": str(period), **counts}
        for period, counts in parts
    ]
    return (
        _("Daily summary: %(cycle)s") % {"cycle": cycle.name},
        f"“{cycle.name}” — " + "; ".join(lines) + ".",
    )


def _chase_url(periods: list[Period]) -> str:
    url = reverse("reporting:chase", args=[periods[0].cycle_id])
    return url + f"?period={periods[0].kind}" if len(periods) == 1 else url


class _Sender:
    """Claims each reminder, then notifies in-app and by e-mail."""

    def __init__(self, today: dt.date, existing: set[tuple[Any, ...]]) -> None:
        self.today = today
        self.existing = existing
        self.summary = Summary(today)
        self.connection: Any = None

    @staticmethod
    def key(p: _Planned) -> tuple[Any, ...]:
        assessed_id = p.assessed.pk if p.assessed else None
        if p.kind == K.OPENED:  # once per period, whatever the day
            return (p.period.pk, assessed_id, p.kind, p.recipient.pk)
        return (p.period.pk, assessed_id, p.kind, p.recipient.pk, p.on)

    def send(self, planned: _Planned) -> None:
        key = self.key(planned)
        if key in self.existing:
            return
        self.existing.add(key)
        try:
            with transaction.atomic():
                Reminder.objects.create(
                    period=planned.period,
                    assessed=planned.assessed,
                    kind=planned.kind,
                    recipient=planned.recipient,
                    on=planned.on,
                )
                Notification.objects.create(
                    user=planned.recipient, message=planned.message[:500], url=planned.url[:300]
                )
        except IntegrityError:  # another run claimed it first
            return
        emailed = bool(planned.recipient.email) and self._email(planned)
        self.summary.sent.append(
            Sent(
                kind=planned.kind,
                on=planned.on,
                cycle=planned.period.cycle.name,
                period=str(planned.period),
                unit=planned.assessed.unit.display_name if planned.assessed else "",
                recipient=planned.recipient.username,
                emailed=emailed,
                message=planned.message,
            )
        )

    def _email(self, planned: _Planned) -> bool:
        base = getattr(settings, "SITE_URL", "").rstrip("/")  # absent: a path only
        body = render_to_string(
            "reporting/notifications/email.txt",
            {
                "recipient": planned.recipient,
                "message": planned.message,
                "unit": planned.assessed.unit if planned.assessed else None,
                "period": planned.period if planned.kind != K.DIGEST else None,
                "cycle": planned.period.cycle,
                "deadline": _dmy(planned.deadline) if planned.deadline else "",
                "link": base + planned.url,
            },
        )
        if self.connection is None:
            self.connection = get_connection()
        try:
            send_mail(
                f"[DTIS] {planned.subject}",
                body,
                None,
                [planned.recipient.email],
                connection=self.connection,
            )
        except Exception:  # the in-app notification stands; the mail server is logged
            logger.exception("Reminder e-mail to %s failed", planned.recipient.username)
            self.summary.email_failures += 1
            return False
        return True


def _load(periods: list[Period]) -> dict[str, Any]:
    """Everything the day's reminders need, one query per model kind."""
    period_ids = [p.pk for p in periods]
    cycle_ids = {p.cycle_id for p in periods}
    assessed = list(
        AssessedUnit.objects.filter(cycle_id__in=cycle_ids)
        .select_related("unit")
        .order_by("unit__sort_key")
    )
    snapshot = snapshot_of(periods, assessed, figures=False)
    units = {a.unit_id for a in assessed} | {p.cycle.scope_id for p in periods}
    people = people_of(units, (Role.REPORTER, Role.HEAD, Role.ADMIN))
    returns: dict[int, tuple[dt.datetime, int]] = {}
    events = (
        SubmissionEvent.objects.filter(
            submission__period_id__in=period_ids,
            submission__state=SubmissionState.RETURNED,
            to_state=SubmissionState.RETURNED,
        )
        .annotate(n=Count("items"))
        .order_by("at", "pk")
        .values_list("submission_id", "at", "n")
    )
    for submission_id, at, n in events:
        returns[submission_id] = (at, n)  # the latest return wins
    return {"assessed": assessed, "snapshot": snapshot, "people": people, "returns": returns}


def _existing(periods: list[Period], today: dt.date) -> set[tuple[Any, ...]]:
    """Keys of the reminders already sent that could collide with today's."""
    found: set[tuple[Any, ...]] = set()
    rows = Reminder.objects.filter(period_id__in=[p.pk for p in periods]).values_list(
        "period_id", "assessed_id", "kind", "recipient_id", "on"
    )
    for period_id, assessed_id, kind, recipient_id, on in rows:
        if kind == K.OPENED:
            found.add((period_id, assessed_id, kind, recipient_id))
        else:
            found.add((period_id, assessed_id, kind, recipient_id, on))
    return found


def _unique(users: Iterable[User]) -> list[User]:
    return list({u.pk: u for u in users}.values())


def send_reminders(today: dt.date | None = None, cycle: Cycle | None = None) -> Summary:
    """Send the day's reminders for every open period (or those of one cycle)."""
    today = today or timezone.localdate()
    # Closed periods matter only for reports still waiting for corrections.
    periods_qs = (
        Period.objects.filter(
            Q(state=PeriodState.OPEN)
            | Q(state=PeriodState.CLOSED, submissions__state=SubmissionState.RETURNED)
        )
        .select_related("cycle")
        .distinct()
    )
    if cycle is not None:
        periods_qs = periods_qs.filter(cycle=cycle)
    periods = list(periods_qs.order_by("cycle_id", "start", "end"))
    if not periods:
        return Summary(today)
    data = _load(periods)
    sender = _Sender(today, _existing(periods, today))
    people = data["people"]
    digests: dict[int, list[tuple[Period, dict[str, int]]]] = defaultdict(list)
    with translation.override(settings.LANGUAGE_CODE):
        for period in periods:
            counts: dict[str, int] = defaultdict(int)
            for assessed in data["assessed"]:
                if assessed.cycle_id != period.cycle_id:
                    continue
                row = data["snapshot"].row(period, assessed, today)
                reporters = people.get((assessed.unit_id, Role.REPORTER), [])
                heads = people.get((assessed.unit_id, Role.HEAD), [])
                _tally(counts, row)
                if row.status == SubmissionState.RETURNED:
                    submission = data["snapshot"].submissions[(period.pk, assessed.pk)]
                    if submission.pk in data["returns"]:
                        at, n = data["returns"][submission.pk]
                        _plan(sender, K.RETURNED, row, reporters, timezone.localdate(at), count=n)
                if period.state != PeriodState.OPEN or row.status not in PENDING:
                    continue
                days = row.days_to_deadline
                if days >= 0:
                    _plan(sender, K.OPENED, row, reporters, today)
                if days in BEFORE_DEADLINE:
                    _plan(sender, BEFORE_DEADLINE[days], row, reporters, today, days=days)
                if days < 0:
                    escalated = _unique([*reporters, *heads])
                    _plan(sender, K.OVERDUE, row, escalated, today, days=-days)
            if period.state == PeriodState.OPEN and counts["total"]:
                digests[period.cycle_id].append((period, counts))
        for parts in digests.values():
            # One summary per cycle and day, filed under its first open period.
            first = parts[0][0]
            subject, message = _digest_text(first.cycle, parts)
            url = _chase_url([p for p, _counts in parts])
            for admin in people.get((first.cycle.scope_id, Role.ADMIN), []):
                sender.send(_Planned(K.DIGEST, first, None, admin, today, subject, message, url))
    return sender.summary


def _tally(counts: dict[str, int], row: Row) -> None:
    counts["total"] += 1
    if row.status in (SubmissionState.SUBMITTED, SubmissionState.ACCEPTED):
        counts["submitted"] += 1
        counts["submitted_late"] += int(row.days_late > 0)
    elif row.status == SubmissionState.RETURNED:
        counts["returned"] += 1
    elif row.is_overdue:
        counts["overdue"] += 1
    for key in ("submitted", "submitted_late", "returned", "overdue"):
        counts.setdefault(key, 0)


def _plan(
    sender: _Sender, kind: str, row: Row, recipients: Iterable[User], on: dt.date, **extra: Any
) -> None:
    subject, message = _text(kind, row, **extra)
    for user in recipients:
        sender.send(
            _Planned(kind, row.period, row.assessed, user, on, subject, message,
                     entry_url(row.period.pk, row.assessed.pk), row.deadline)
        )  # fmt: skip
