"""A departments' cycle of 2025 whose year reports reached the council.

- `year_cycle`: hy-department-2023 run for Sở Nội vụ, Sở Tài chính and Sở Y tế
  of Khánh Hòa in 2025. Each unit entered its year figures (deterministic, as
  the demo does), its head submitted, and the office accepted the report for
  appraisal, which opened the items. The council: Võ Thị Ngọc Lan chairs it and
  appraises every group; Phạm Quốc Việt is a member for groups 1 and 2 only.
"""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass

import pytest
from django.core.management import call_command
from django.utils import timezone

from dtis.appraisal.council import council_seat_set, main_indicators
from dtis.appraisal.models import CouncilRole
from dtis.frameworks.services import find
from dtis.orgs.models import Role, Unit, UnitKind, User
from dtis.reporting.cycles import cycle_create
from dtis.reporting.figures import figure_save
from dtis.reporting.models import AssessedUnit, Cycle, Period, PeriodState
from dtis.reporting.workflow import submission_accept, submission_submit
from tests.appraisal.year_figures import year_figures
from tests.factories import Org, make_unit, make_user


@dataclass
class YearCycle:
    cycle: Cycle
    period: Period
    home: AssessedUnit  # Sở Nội vụ
    finance: AssessedUnit  # Sở Tài chính
    health: AssessedUnit  # Sở Y tế
    chair: User
    member: User  # groups 1 and 2


def report_year(period: Period, assessed: AssessedUnit, actor: User | None) -> None:
    """Enter every figure of the unit's year report, submit it."""
    rng = random.Random(f"{assessed.unit.code}-year")
    for assignment in assessed.assignments.select_related("indicator").order_by("indicator__order"):
        figure_save(
            actor=actor,
            period=period,
            assessed=assessed,
            indicator=assignment.indicator,
            values=year_figures(assignment.indicator, rng),
        )
    submission_submit(actor=actor, period=period, assessed=assessed, override_reason="Đủ hồ sơ")


@pytest.fixture
def frameworks(db):  # type: ignore[no-untyped-def]
    call_command("load-frameworks", verbosity=0)


@pytest.fixture
def year_cycle(org: Org, frameworks) -> YearCycle:  # type: ignore[no-untyped-def]
    health = make_unit(
        "KHH-SYT", "Sở Y tế tỉnh Khánh Hòa", UnitKind.DEPARTMENT, org.province, short_name="Sở Y tế"
    )
    cycle = cycle_create(
        actor=org.admin,
        framework=find("hy-department-2023"),  # type: ignore[arg-type]
        year=2025,
        name="Đánh giá chuyển đổi số các sở, ban, ngành năm 2025",
        scope=org.province,
        assessed=[(u, "Sở, ban, ngành") for u in (org.dept_home, org.dept_finance, health)],
    )
    period = cycle.periods.get(kind="year")
    period.state = PeriodState.OPEN
    period.unit_deadline = timezone.localdate() + dt.timedelta(days=5)
    period.save()
    units: dict[str, AssessedUnit] = {
        a.unit.code: a for a in cycle.assessed.select_related("unit", "cycle")
    }
    for assessed in units.values():
        report_year(period, assessed, org.head if assessed.unit == org.dept_home else None)
        submission = period.submissions.get(assessed=assessed)
        submission_accept(actor=org.admin, submission=submission)
    chair = org.appraiser
    member = make_user("pham.quoc.viet", "Phạm Quốc Việt", Role.APPRAISER, org.province)
    mains = main_indicators(cycle)
    council_seat_set(actor=org.admin, cycle=cycle, user=chair, role=CouncilRole.CHAIR, groups=mains)
    council_seat_set(
        actor=org.admin, cycle=cycle, user=member, role=CouncilRole.MEMBER, groups=mains[:2]
    )
    return YearCycle(
        cycle=cycle,
        period=period,
        home=units["KHH-SNV"],
        finance=units["KHH-STC"],
        health=units[health.code],
        chair=chair,
        member=member,
    )


def unit(code: str) -> Unit:
    return Unit.objects.get(code=code)
