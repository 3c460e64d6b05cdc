"""Cycles shared by the reporting tests, built with the real services.

- `dept_cycle`: Hưng Yên's department framework (hy-department-2023) run for
  the departments of Khánh Hòa in 2026: Sở Nội vụ and Sở Tài chính are
  assessed and ranked among departments; every indicator is owned by the
  department itself. The first quarter is open, its deadline in the future.
- `province_cycle`: the national framework (vn-province-2025) for the
  province itself; each indicator is owned by its lead agency where the
  demo units know it (Sở Nội vụ, Sở Tài chính are in the `org` fixture),
  otherwise by the province.
"""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.management import call_command
from django.utils import timezone

from dtis.frameworks.services import find
from dtis.reporting.cycles import cycle_create
from dtis.reporting.models import Cycle, Period, PeriodState
from tests.factories import Org


def _open_first_quarter(cycle: Cycle) -> Period:
    """Q1 opened, with a deadline ten days ahead whatever today's date is."""
    period = cycle.periods.get(kind="q1")
    period.state = PeriodState.OPEN
    period.unit_deadline = timezone.localdate() + dt.timedelta(days=10)
    period.office_deadline = period.unit_deadline + dt.timedelta(days=5)
    period.save()
    return period


@pytest.fixture
def frameworks(db):  # type: ignore[no-untyped-def]
    call_command("load-frameworks", verbosity=0)


@pytest.fixture
def dept_cycle(org: Org, frameworks) -> Cycle:  # type: ignore[no-untyped-def]
    cycle = cycle_create(
        actor=org.admin,
        framework=find("hy-department-2023"),  # type: ignore[arg-type]
        year=2026,
        name="Đánh giá chuyển đổi số các sở, ban, ngành năm 2026",
        scope=org.province,
        assessed=[(org.dept_home, "Sở, ban, ngành"), (org.dept_finance, "Sở, ban, ngành")],
    )
    _open_first_quarter(cycle)
    return cycle


@pytest.fixture
def province_cycle(org: Org, frameworks) -> Cycle:  # type: ignore[no-untyped-def]
    cycle = cycle_create(
        actor=org.admin,
        framework=find("vn-province-2025"),  # type: ignore[arg-type]
        year=2026,
        name="Chỉ số chuyển đổi số tỉnh Khánh Hòa năm 2026",
        scope=org.province,
        assessed=[(org.province, "Tỉnh, thành phố")],
    )
    _open_first_quarter(cycle)
    return cycle
