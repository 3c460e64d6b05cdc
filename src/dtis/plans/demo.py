"""The demo's improvement plans, drafted from its newest published results.

The province's own plan is approved by the leader and under way, so that the
plan page, the task page and the overview's overdue list have something to
show: one task done, two in progress, one waiting for evidence, one overdue.
Sở Y tế's plan stays a draft for the office to edit. Idempotent: a unit that
already has a plan for the year is left alone.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from dtis.orgs.models import User
from dtis.plans import services
from dtis.plans.draft import draft, save_draft
from dtis.plans.models import Plan, PlanTask, TaskStatus
from dtis.reporting.demo import DEPARTMENTS_CYCLE, PROVINCE_CYCLE
from dtis.reporting.models import AssessedUnit, Cycle

OFFICE = "tran.minh.quan"
LEADER = "dang.huu.phuoc"
HEALTH = "KHH-SYT"

# (status, progress, evidence, notes) of the approved plan's first tasks, in priority order.
PROGRESS = [
    (
        TaskStatus.DONE,
        100,
        "https://khanhhoa.gov.vn/van-ban/quyet-dinh-ban-hanh-quy-che",
        "Đã ban hành quy chế và đăng tải trên Cổng thông tin điện tử tỉnh.",
    ),
    (
        TaskStatus.IN_PROGRESS,
        60,
        "",
        "Đã khảo sát hiện trạng tại các sở; đang tổng hợp số liệu.",
    ),
    (
        TaskStatus.IN_PROGRESS,
        40,
        "",
        "Đang xây dựng dự thảo kế hoạch triển khai, dự kiến trình trong tháng tới.",
    ),
    (
        TaskStatus.NEEDS_EVIDENCE,
        80,
        "Báo cáo số 215/BC-STTTT (bản scan chưa có chữ ký)",
        "Cần bổ sung bản có chữ ký và đóng dấu.",
    ),
]


def _published(name: str) -> Cycle | None:
    """The newest published cycle of that name pattern (the demo's year moves with today)."""
    cycles = Cycle.objects.filter(outcome__stage="published").order_by("-year", "-pk")
    for cycle in cycles.select_related("scope", "framework"):
        if cycle.name == name.format(year=cycle.year):
            return cycle
    return None


def _source(cycle: Cycle, unit_code: str | None = None) -> AssessedUnit | None:
    rows = cycle.assessed.select_related("unit", "cycle")
    if unit_code is None:
        return rows.filter(unit_id=cycle.scope_id).first()
    return rows.filter(unit__code=unit_code).first()


@transaction.atomic
def seed_plans(today: dt.date | None = None) -> list[Plan]:
    today = today or timezone.localdate()
    office = User.objects.filter(username=OFFICE).first()
    leader = User.objects.filter(username=LEADER).first()
    made = []
    province = _published(PROVINCE_CYCLE)
    own = _source(province) if province else None
    if own is not None and not Plan.objects.filter(source=own).exists():
        plan = save_draft(draft(own, target_total=Decimal(850), target_rank=15), office)
        if leader is not None:
            plan = services.approve(plan, leader)
            _progress(plan, leader if office is None else office, today)
        made.append(plan)
    departments = _published(DEPARTMENTS_CYCLE)
    health = _source(departments, HEALTH) if departments else None
    if health is not None and not Plan.objects.filter(source=health).exists():
        made.append(save_draft(draft(health, target_rank=5), office))
    return made


def _progress(plan: Plan, actor: User, today: dt.date) -> None:
    """A few tasks under way, and one overdue: its deadline moved to last month.

    The demo's plan year may be nearly over on the day it is seeded; the
    other tasks' deadlines are then moved to the year's end, so that
    exactly one task shows as overdue rather than all of them."""
    year_end = dt.date(plan.year, 12, 31)
    later = year_end if today < year_end else today + dt.timedelta(days=30)
    plan.tasks.filter(deadline__lt=today).update(deadline=later)
    tasks = list(plan.tasks.order_by("order", "pk")[: len(PROGRESS) + 1])
    for task, (status, progress, evidence, notes) in zip(tasks, PROGRESS, strict=False):
        services.update_task(
            task, actor, status=status, progress=progress, evidence=evidence, notes=notes
        )
    if len(tasks) > len(PROGRESS):
        late = tasks[len(PROGRESS)]
        PlanTask.objects.filter(pk=late.pk).update(deadline=today - dt.timedelta(days=30))
        services.update_task(
            late,
            actor,
            status=TaskStatus.IN_PROGRESS,
            progress=20,
            notes="Chậm tiến độ do chưa bố trí được kinh phí.",
        )
