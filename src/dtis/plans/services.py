"""What happens to a plan after it is drafted: approval, task progress, and
the overdue tasks the dashboards show.

Permission is the caller's business (`dtis.orgs.policy`); these functions
enforce the plan's own rules: a plan is approved once, only an approved
plan's tasks are tracked, and a task is done exactly when its progress is
100 %. A refused change raises and leaves the data as it was.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Count, Q
from django.utils import timezone
from django.utils.translation import gettext as _
from simple_history.utils import bulk_update_with_history

from dtis.orgs.models import Unit, User
from dtis.plans.models import Plan, PlanStatus, PlanTask, TaskStatus
from dtis.scoring import solver
from dtis.scoring.numbers import ZERO

TRACKED_FIELDS = ("status", "progress", "evidence", "notes")


class PlanError(Exception):
    """A step the plan's state does not allow (said in the person's language)."""


@transaction.atomic
def approve(plan: Plan, actor: User) -> Plan:
    """Approve a draft: from now on its tasks are tracked from "not started".

    The row is locked and read again so that two leaders pressing the button
    at once approve it once; the second one is told it already is."""
    locked = Plan.objects.select_for_update().get(pk=plan.pk)
    if locked.status != PlanStatus.DRAFT:
        raise PlanError(_("This plan is already approved."))
    if not locked.tasks.exists():
        raise PlanError(_("A plan without tasks cannot be approved."))
    locked.status = PlanStatus.APPROVED
    locked.approved_by = actor
    locked.approved_at = timezone.now()
    locked._history_user = actor  # type: ignore[attr-defined]
    locked.save()
    # Tracking starts from a clean slate whatever the draft carried; the reset
    # is kept in each task's history, under the approver's name.
    tasks = list(locked.tasks.exclude(status=TaskStatus.NOT_STARTED, progress=0))
    for t in tasks:
        t.status, t.progress = TaskStatus.NOT_STARTED, 0
    bulk_update_with_history(
        tasks, PlanTask, ["status", "progress"], default_user=actor,
        default_change_reason=_("Plan approved"),
    )  # fmt: skip
    return locked


def reshare(plan: Plan) -> Plan:
    """Share the gap again after the office changed efforts on a draft: the
    priority, the points each indicator is to win back and whether the target
    is in reach follow the efforts now set; the wording is left as written.

    Ties keep the order the tasks had, so a save without effort changes
    changes nothing."""
    if plan.approved:
        raise PlanError(_("An approved plan can no longer be edited."))
    tasks = {t.code: t for t in plan.tasks.order_by("order", "pk")}
    rooms = [solver.Room(t.code, t.points, t.max_points, t.effort) for t in tasks.values()]
    solution = solver.solve(rooms, plan.current_points, plan.target_points)
    shares = {s.room.code: s.allocated for s in solution.shares}
    ranked = [s.room.code for s in solution.shares]
    ranked += [code for code in tasks if code not in shares]  # at their maximum: last
    for n, code in enumerate(ranked, start=1):
        tasks[code].order = n
        tasks[code].allocated = shares.get(code, ZERO)
    PlanTask.objects.bulk_update(tasks.values(), ["order", "allocated"])
    if plan.reachable != solution.reachable:
        plan.reachable = solution.reachable
        plan.save(update_fields=["reachable", "updated_at"])
    return plan


def check_progress(status: str, progress: int) -> None:
    """Done means 100 % and 100 % means done: the two never disagree."""
    errors: dict[str, list[str]] = {}
    if status not in TaskStatus.values:
        errors["status"] = [_("Choose a status from the list.")]
    if not 0 <= progress <= 100:
        errors["progress"] = [_("Progress is a whole number from 0 to 100.")]
    elif progress == 100 and status != TaskStatus.DONE:
        errors["progress"] = [_("A task at 100 % is done: set its status to “Done”.")]
    elif status == TaskStatus.DONE and progress != 100:
        errors["status"] = [_("A done task is at 100 %: set its progress to 100.")]
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def update_task(task: PlanTask, actor: User, **fields: Any) -> PlanTask:
    """Record a task's progress (status, progress, evidence, notes); the
    previous values stay in the task's history."""
    unknown = set(fields) - set(TRACKED_FIELDS)
    if unknown:
        raise TypeError(f"not a tracked field: {', '.join(sorted(unknown))}")
    locked = PlanTask.objects.select_for_update().select_related("plan").get(pk=task.pk)
    if not locked.plan.approved:
        raise PlanError(_("Tasks are tracked once the plan is approved."))
    status = fields.get("status", locked.status)
    progress = fields.get("progress", locked.progress)
    check_progress(status, progress)
    for name, value in fields.items():
        setattr(locked, name, value.strip() if isinstance(value, str) else value)
    locked.updated_by = actor
    locked._history_user = actor  # type: ignore[attr-defined]
    locked.save()
    return locked


def overdue_tasks(scope: Unit, today: dt.date, limit: int | None = None) -> list[PlanTask]:
    """Tasks of approved plans of units under `scope` past their deadline and
    not done, the longest overdue first (one query). Each carries
    `days_overdue`."""
    rows = (
        PlanTask.objects.filter(
            plan__status=PlanStatus.APPROVED,
            plan__source__unit__path__startswith=scope.path,
            deadline__lt=today,
        )
        .exclude(status=TaskStatus.DONE)
        .select_related("plan", "plan__source__unit", "owner")
        .order_by("deadline", "plan_id", "order", "pk")
    )
    tasks = list(rows[:limit] if limit is not None else rows)
    for t in tasks:
        t.days_overdue = (today - t.deadline).days  # type: ignore[attr-defined, operator]
    return tasks


@dataclass(frozen=True)
class TaskCounts:
    total: int = 0
    done: int = 0
    overdue: int = 0


def task_counts(plans: Iterable[Plan], today: dt.date | None = None) -> dict[int, TaskCounts]:
    """Tasks per plan: all, done, overdue (overdue only counts on approved
    plans: a draft's deadlines are proposals). One query."""
    today = today or timezone.localdate()
    ids = [p.pk for p in plans]
    late = Q(plan__status=PlanStatus.APPROVED, deadline__lt=today) & ~Q(status=TaskStatus.DONE)
    rows = (
        PlanTask.objects.filter(plan_id__in=ids)
        .values("plan_id")
        .annotate(
            total=Count("pk"),
            done=Count("pk", filter=Q(status=TaskStatus.DONE)),
            overdue=Count("pk", filter=late),
        )
        .order_by("plan_id")
    )
    counts = {r["plan_id"]: TaskCounts(r["total"], r["done"], r["overdue"]) for r in rows}
    return {pk: counts.get(pk, TaskCounts()) for pk in ids}
