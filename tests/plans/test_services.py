"""After the draft: a leader approves a plan once, the lead units report each
task's progress (done exactly at 100 %), and overdue tasks are found in one
query for the dashboards."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext

from dtis.plans import services
from dtis.plans.draft import draft, save_draft
from dtis.plans.models import Plan, PlanStatus, PlanTask, TaskStatus
from tests.factories import make_unit

TODAY = dt.date(2026, 5, 15)  # before every drafted deadline (30/06 at the earliest)


@pytest.fixture
def plan(published, org):  # type: ignore[no-untyped-def]
    return save_draft(draft(published.health, target_rank=1), org.admin)


@pytest.fixture
def approved(plan, org):  # type: ignore[no-untyped-def]
    return services.approve(plan, org.viewer)


def _task(plan: Plan) -> PlanTask:
    return plan.tasks.order_by("order").first()  # type: ignore[return-value]


def _late(plan: Plan, count: int, deadline: dt.date = dt.date(2026, 3, 31)) -> list[PlanTask]:
    tasks = list(plan.tasks.order_by("order")[:count])
    for t in tasks:
        PlanTask.objects.filter(pk=t.pk).update(deadline=deadline)
    return tasks


# --- approve ----------------------------------------------------------------------


def test_approving_a_draft_records_who_and_when(plan, org):
    approved = services.approve(plan, org.viewer)
    plan.refresh_from_db()
    assert plan.status == PlanStatus.APPROVED == approved.status
    assert plan.approved_by == org.viewer and plan.approved_at is not None


def test_approval_starts_every_task_from_not_started(plan, org):
    plan.tasks.update(status=TaskStatus.IN_PROGRESS, progress=30)
    services.approve(plan, org.viewer)
    assert set(plan.tasks.values_list("status", "progress")) == {(TaskStatus.NOT_STARTED, 0)}


def test_the_reset_at_approval_is_kept_in_each_tasks_history(plan, org):
    task = _task(plan)
    PlanTask.objects.filter(pk=task.pk).update(status=TaskStatus.IN_PROGRESS, progress=30)
    services.approve(plan, org.viewer)
    last = task.history.order_by("-history_date", "-history_id").first()
    assert (last.status, last.progress, last.history_user) == (
        TaskStatus.NOT_STARTED,
        0,
        org.viewer,
    )


def test_a_plan_is_approved_only_once(approved, org):
    first = approved.approved_at
    with pytest.raises(services.PlanError):
        services.approve(approved, org.superuser)
    approved.refresh_from_db()
    assert approved.approved_by == org.viewer and approved.approved_at == first


def test_the_approval_is_kept_in_the_plan_history(approved, org):
    last = approved.history.order_by("-history_date").first()
    assert last.status == PlanStatus.APPROVED and last.history_user == org.viewer


# --- the office's efforts ------------------------------------------------------------


def _by_order(plan: Plan) -> list[PlanTask]:
    return list(plan.tasks.order_by("order"))


def test_resharing_without_changes_keeps_order_and_allocation(plan):
    before = [(t.code, t.allocated) for t in _by_order(plan)]
    services.reshare(plan)
    assert [(t.code, t.allocated) for t in _by_order(plan)] == before


def test_tasks_follow_points_recoverable_per_effort_after_efforts_change(plan):
    tasks = _by_order(plan)
    PlanTask.objects.filter(pk=tasks[0].pk).update(effort=3)  # the largest loss, made hard
    PlanTask.objects.filter(pk=tasks[-1].pk).update(effort=1)  # the smallest, made easy
    services.reshare(plan)
    after = _by_order(plan)
    priorities = [(t.max_points - t.points) / t.effort for t in after]
    assert priorities == sorted(priorities, reverse=True)
    assert [t.pk for t in after] != [t.pk for t in tasks]


def test_all_work_made_hard_can_put_the_target_out_of_reach(plan):
    assert plan.reachable
    plan.tasks.update(effort=3)
    services.reshare(plan)
    plan.refresh_from_db()
    allocated = sum(t.allocated for t in plan.tasks.all())
    hard_ceiling = sum((t.max_points - t.points) / 2 for t in plan.tasks.all())
    assert allocated <= hard_ceiling + Decimal("0.01") * plan.tasks.count()
    assert plan.reachable == (allocated >= plan.target_points - plan.current_points)


def test_an_approved_plan_is_not_reshared(approved):
    with pytest.raises(services.PlanError):
        services.reshare(approved)


# --- task progress ----------------------------------------------------------------------


def test_the_lead_unit_reports_progress_and_evidence(approved, org):
    task = services.update_task(
        _task(approved),
        org.reporter,
        status=TaskStatus.IN_PROGRESS,
        progress=40,
        evidence="https://khanhhoa.gov.vn/van-ban/kh-123",
        notes="Đã trình Giám đốc Sở phê duyệt quy chế.",
    )
    task.refresh_from_db()
    assert (task.status, task.progress, task.updated_by) == (
        TaskStatus.IN_PROGRESS,
        40,
        org.reporter,
    )
    assert task.evidence == "https://khanhhoa.gov.vn/van-ban/kh-123"


def test_a_task_at_100_percent_must_be_done(approved, org):
    with pytest.raises(ValidationError) as info:
        services.update_task(
            _task(approved), org.reporter, status=TaskStatus.IN_PROGRESS, progress=100
        )
    assert "progress" in info.value.message_dict
    assert _task(approved).progress == 0


def test_a_done_task_must_be_at_100_percent(approved, org):
    with pytest.raises(ValidationError) as info:
        services.update_task(_task(approved), org.reporter, status=TaskStatus.DONE, progress=80)
    assert "status" in info.value.message_dict
    assert _task(approved).status == TaskStatus.NOT_STARTED


def test_progress_stays_between_0_and_100(approved, org):
    with pytest.raises(ValidationError):
        services.update_task(_task(approved), org.reporter, progress=120)


def test_a_draft_plans_tasks_are_not_tracked_yet(plan, org):
    with pytest.raises(services.PlanError):
        services.update_task(_task(plan), org.admin, status=TaskStatus.IN_PROGRESS, progress=10)
    assert _task(plan).status == TaskStatus.NOT_STARTED


def test_every_change_of_a_task_is_kept_in_its_history(approved, org):
    task = _task(approved)
    services.update_task(task, org.reporter, status=TaskStatus.IN_PROGRESS, progress=50)
    services.update_task(task, org.head, status=TaskStatus.DONE, progress=100)
    rows = list(task.history.order_by("history_date", "history_id"))
    assert [(h.progress, h.history_user) for h in rows[-2:]] == [
        (50, org.reporter),
        (100, org.head),
    ]


# --- overdue tasks ------------------------------------------------------------------------


def test_overdue_tasks_are_those_of_approved_plans_past_their_deadline_and_not_done(approved, org):
    late = _late(approved, 3)
    services.update_task(late[2], org.reporter, status=TaskStatus.DONE, progress=100)
    found = services.overdue_tasks(org.province, TODAY)
    assert [t.pk for t in found] == [late[0].pk, late[1].pk]
    assert found[0].days_overdue == (TODAY - dt.date(2026, 3, 31)).days


def test_a_draft_plans_deadlines_are_never_overdue(plan, org):
    _late(plan, 3)
    assert services.overdue_tasks(org.province, TODAY) == []


def test_overdue_tasks_stay_inside_the_scope(approved, org):
    _late(approved, 2)
    assert services.overdue_tasks(org.other_province, TODAY) == []
    assert len(services.overdue_tasks(org.province, TODAY)) == 2


def test_the_longest_overdue_come_first_and_the_limit_holds(approved, org):
    tasks = _late(approved, 3)
    PlanTask.objects.filter(pk=tasks[2].pk).update(deadline=dt.date(2026, 2, 28))
    found = services.overdue_tasks(org.province, TODAY, limit=2)
    assert [t.pk for t in found] == [tasks[2].pk, tasks[0].pk]


def test_overdue_tasks_cost_one_query_whatever_their_number(approved, org):
    _late(approved, 5)
    with CaptureQueriesContext(connection) as ctx:
        found = services.overdue_tasks(org.province, TODAY)
        names = [(t.owner_name, t.plan.source.unit.name) for t in found]
    assert len(names) == 5 and len(ctx) == 1


def test_a_unit_outside_the_province_path_is_not_under_it(approved, org):
    """Paths are prefixes: a scope's own unit counts, a sibling does not."""
    sibling = make_unit("KHH2", "Tỉnh thử nghiệm", "province", org.nation)
    _late(approved, 1)
    assert services.overdue_tasks(sibling, TODAY) == []


# --- counts -----------------------------------------------------------------------------------


def test_task_counts_give_all_done_and_overdue_per_plan(approved, org):
    late = _late(approved, 2)
    services.update_task(late[1], org.reporter, status=TaskStatus.DONE, progress=100)
    counts = services.task_counts([approved], TODAY)[approved.pk]
    assert counts.total == approved.tasks.count()
    assert (counts.done, counts.overdue) == (1, 1)
