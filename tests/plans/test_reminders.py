"""Reminders about the tasks of approved plans: to the lead unit's heads and
reporters, a week before the deadline and weekly once it has passed, never
twice on a day, never for done tasks or unapproved plans."""

from __future__ import annotations

import datetime as dt
import json
from io import StringIO

import pytest
from django.core import mail
from django.core.management import call_command

from dtis.plans.draft import draft, save_draft
from dtis.plans.models import PlanStatus, TaskStatus
from dtis.plans.reminders import send_task_reminders
from dtis.reporting.models import Notification

TODAY = dt.date(2026, 5, 11)


@pytest.fixture
def plan(published, org):  # type: ignore[no-untyped-def]
    made = save_draft(draft(published.home), org.admin)
    made.status = PlanStatus.APPROVED
    made.save()
    return made


def _first_task(plan, deadline: dt.date):  # type: ignore[no-untyped-def]
    task = plan.tasks.order_by("order").first()
    plan.tasks.exclude(pk=task.pk).update(deadline=dt.date(2026, 11, 30))
    task.deadline = deadline
    task.save()
    return task


def test_a_week_before_the_deadline_the_lead_units_people_are_reminded(plan, org):
    task = _first_task(plan, TODAY + dt.timedelta(days=7))
    assert task.owner == org.dept_home
    sent = send_task_reminders(TODAY)
    assert {s.recipient for s in sent} == {org.head.username, org.reporter.username}
    assert all(s.kind == "due_soon" and s.task == task.code for s in sent)
    note = Notification.objects.filter(user=org.head).latest("pk")
    assert task.code in note.message and "18/05/2026" in note.message
    assert note.url == f"/ke-hoach/{plan.pk}/nhiem-vu/{task.pk}/"


def test_a_second_run_on_the_same_day_sends_nothing(plan, org):
    _first_task(plan, TODAY + dt.timedelta(days=7))
    assert send_task_reminders(TODAY)
    emails = len(mail.outbox)
    assert send_task_reminders(TODAY) == []
    assert len(mail.outbox) == emails


@pytest.mark.parametrize(("late", "reminded"), [(1, True), (3, False), (8, True), (15, True)])
def test_an_overdue_task_is_reminded_the_day_after_and_then_weekly(plan, late, reminded):
    _first_task(plan, TODAY - dt.timedelta(days=late))
    sent = send_task_reminders(TODAY)
    assert bool(sent) == reminded
    assert all(s.kind == "overdue" for s in sent)


def test_done_tasks_and_unapproved_plans_are_left_alone(plan):
    task = _first_task(plan, TODAY - dt.timedelta(days=1))
    task.status, task.progress = TaskStatus.DONE, 100
    task.save()
    assert send_task_reminders(TODAY) == []
    task.status, task.progress = TaskStatus.IN_PROGRESS, 50
    task.save()
    plan.status = PlanStatus.DRAFT
    plan.save()
    assert send_task_reminders(TODAY) == []


def test_the_daily_command_sends_them_with_the_reporting_reminders(plan, org):
    _first_task(plan, TODAY + dt.timedelta(days=7))
    out = StringIO()
    call_command("send-reminders", "--date", TODAY.isoformat(), "--json", stdout=out)
    data = json.loads(out.getvalue())
    assert {t["recipient"] for t in data["plan_tasks"]} == {
        org.head.username,
        org.reporter.username,
    }
