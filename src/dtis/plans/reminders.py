"""Reminders about the tasks of approved plans (nhắc việc kế hoạch).

Sent by the daily `dtis send-reminders`, beside the reporting reminders, to
the heads and reporters of each task's lead unit: once a week before the
deadline ("due in 7 days") and, once it has passed without the task being
done, on the day after and then every 7 days (a weekly nudge, not a daily
flood). Each reminder is a `TaskReminder` row claimed before it is sent, so
a second run on the same day sends nothing new.
"""

from __future__ import annotations

import datetime as dt
import logging
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.urls import NoReverseMatch, reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from dtis.orgs.models import Role
from dtis.plans.models import PlanStatus, PlanTask, TaskReminder, TaskReminderKind, TaskStatus
from dtis.reporting.chase import people_of
from dtis.reporting.models import Notification

logger = logging.getLogger(__name__)
DUE_SOON_DAYS = 7
OVERDUE_EVERY = 7


@dataclass(frozen=True)
class TaskSent:
    kind: str
    on: dt.date
    task: str  # the indicator's code
    unit: str
    recipient: str
    emailed: bool
    message: str

    def as_json(self) -> dict[str, Any]:
        return {
            "kind": self.kind,
            "date": self.on.isoformat(),
            "task": self.task,
            "unit": self.unit,
            "recipient": self.recipient,
            "emailed": self.emailed,
            "message": self.message,
        }


def kind_on(task: PlanTask, today: dt.date) -> str | None:
    """Which reminder the task is due for today, if any."""
    if task.deadline is None or task.status == TaskStatus.DONE:
        return None
    days = (task.deadline - today).days
    if days == DUE_SOON_DAYS:
        return TaskReminderKind.DUE_SOON
    if days < 0 and (-days - 1) % OVERDUE_EVERY == 0:
        return TaskReminderKind.OVERDUE
    return None


def task_url(task: PlanTask) -> str:
    try:
        return reverse("plans:task", args=[task.plan_id, task.pk])
    except NoReverseMatch:  # pragma: no cover - the plan screens are always installed
        return ""


def _message(kind: str, task: PlanTask, today: dt.date) -> str:
    values = {
        "code": task.code,
        "name": task.name[:120],
        "deadline": task.deadline.strftime("%d/%m/%Y") if task.deadline else "",
        "days": (today - task.deadline).days if task.deadline else 0,
        "progress": task.progress,
    }
    if kind == TaskReminderKind.DUE_SOON:
        return (
            _("Plan task %(code)s (%(name)s) is due on %(deadline)s; progress %(progress)s %%.")
            % values
        )
    return (
        _("Plan task %(code)s (%(name)s) is %(days)s days overdue (deadline %(deadline)s); "
          "progress %(progress)s %%.") % values
    )  # fmt: skip


def send_task_reminders(today: dt.date | None = None) -> list[TaskSent]:
    """The day's plan-task reminders (a fixed number of queries plus one per send)."""
    today = today or timezone.localdate()
    tasks = [
        t
        for t in PlanTask.objects.filter(
            plan__status=PlanStatus.APPROVED,
            owner__isnull=False,
            deadline__isnull=False,
        )
        .exclude(status=TaskStatus.DONE)
        .select_related("owner", "plan")
        .order_by("deadline", "pk")
        if kind_on(t, today) is not None
    ]
    if not tasks:
        return []
    people = people_of({t.owner_id for t in tasks}, (Role.HEAD, Role.REPORTER))
    sent: list[TaskSent] = []
    with translation.override(settings.LANGUAGE_CODE):
        for task in tasks:
            kind = kind_on(task, today)
            assert kind is not None
            message = _message(kind, task, today)
            recipients = {
                u.pk: u
                for role in (Role.HEAD, Role.REPORTER)
                for u in people.get((task.owner_id, role), [])  # type: ignore[arg-type]
            }
            for user in recipients.values():
                try:
                    with transaction.atomic():
                        TaskReminder.objects.create(task=task, recipient=user, kind=kind, on=today)
                        Notification.objects.create(
                            user=user, message=message[:500], url=task_url(task)[:300]
                        )
                except IntegrityError:  # sent already today
                    continue
                emailed = bool(user.email) and _email(user, message, task)
                sent.append(
                    TaskSent(
                        kind, today, task.code, task.owner_name, user.username, emailed, message
                    )
                )
    return sent


def _email(user: Any, message: str, task: PlanTask) -> bool:
    base = getattr(settings, "SITE_URL", "").rstrip("/")
    try:
        send_mail(f"[DTIS] {message[:90]}", f"{message}\n\n{base}{task_url(task)}", None,
                  [user.email])  # fmt: skip
    except Exception:  # the in-app notification stands; the mail server is logged
        logger.exception("Plan task reminder to %s failed", user.username)
        return False
    return True
