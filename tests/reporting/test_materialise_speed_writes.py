"""A recompute writes only the stored results that changed (issue 9's
recompute benchmark), and what it leaves stored is exactly what writing every
row again would have stored."""

from __future__ import annotations

from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from dtis.appraisal.items import result_period
from dtis.appraisal.materialise import recompute
from dtis.appraisal.models import IndicatorResult, UnitResult
from dtis.reporting.models import Cycle, Figure
from tests.factories import Org

pytestmark = pytest.mark.django_db


def _figure(cycle: Cycle, org: Org, code: str, values: dict[str, Any]) -> None:
    period = result_period(cycle)
    assert period is not None
    Figure.objects.update_or_create(
        period=period,
        assessed=cycle.assessed.get(unit=org.dept_home),
        indicator=cycle.framework.indicators.get(code=code),
        defaults={"values": values},
    )


def _stored(cycle: Cycle) -> dict[tuple[str, str], tuple[Any, ...]]:
    rows = IndicatorResult.objects.filter(result__cycle=cycle).values_list(
        "result__assessed__unit__code", "code", "is_main", "applicable", "self_points",
        "appraised_points", "final_points", "max_points",
    )  # fmt: skip
    return {(unit, code): rest for unit, code, *rest in rows}


def _writes(queries: CaptureQueriesContext, table: str) -> list[str]:
    return [
        q["sql"]
        for q in queries.captured_queries
        if table in q["sql"] and not q["sql"].startswith("SELECT")
    ]


def test_it_writes_no_indicator_row_when_nothing_changed(dept_cycle: Cycle, org: Org) -> None:
    _figure(dept_cycle, org, "1.4", {"so_tin_bai_cds": "20"})
    recompute(dept_cycle)
    ids = set(IndicatorResult.objects.values_list("pk", flat=True))
    with CaptureQueriesContext(connection) as queries:
        recompute(dept_cycle)
    assert _writes(queries, "appraisal_indicatorresult") == []
    assert set(IndicatorResult.objects.values_list("pk", flat=True)) == ids


def test_what_it_keeps_and_changes_is_what_a_recompute_from_nothing_stores(
    dept_cycle: Cycle, org: Org
) -> None:
    _figure(dept_cycle, org, "1.4", {"so_tin_bai_cds": "20"})
    _figure(dept_cycle, org, "2.1", {"co_ke_hoach_5_nam": True})
    recompute(dept_cycle)
    before = _stored(dept_cycle)
    _figure(dept_cycle, org, "1.4", {"so_tin_bai_cds": "5"})
    _figure(dept_cycle, org, "6.6", {"so_van_ban_di_ky_so": "150", "tong_so_van_ban_di": "1250"})

    with CaptureQueriesContext(connection) as queries:
        recompute(dept_cycle)
    after = _stored(dept_cycle)
    assert after != before
    assert len(_writes(queries, "appraisal_indicatorresult")) == 1  # one UPDATE, run per row

    UnitResult.objects.filter(cycle=dept_cycle).delete()  # and their indicator rows
    recompute(dept_cycle)
    assert _stored(dept_cycle) == after
