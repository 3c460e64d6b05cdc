"""The workbook import writes in a fixed number of statements (issue 9's
import benchmark) and still leaves each figure exactly as a save through the
services would: version, self-score, who, and a history entry per figure."""

from __future__ import annotations

import io
from decimal import Decimal
from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from openpyxl import load_workbook

from dtis.reporting import sheets
from dtis.reporting.models import AssessedUnit, Cycle, Figure, Period
from tests.factories import Org

pytestmark = pytest.mark.django_db

MANY = {
    ("5.10", "chi_dau_tu_attt"): "12,5",
    ("5.10", "chi_thuong_xuyen_attt"): 2.5,
    ("5.10", "tong_chi_cds"): "1.250",
    ("6.6", "so_van_ban_di_ky_so"): 150,
    ("6.6", "tong_so_van_ban_di"): "1.250",
    ("1.3", "co_van_ban_chi_dao_do_thu_truong_ky"): "Có",
    ("6.9", "hop_truc_tuyen_den_don_vi"): "x",
    ("6.9", "hop_truc_tuyen_den_thiet_bi_ca_nhan"): 0,
    ("1.4", "so_tin_bai_cds"): 20,
    ("2.1", "co_ke_hoach_5_nam"): "Không",
}


@pytest.fixture
def period(dept_cycle: Cycle) -> Period:
    return dept_cycle.periods.get(kind="q1")


@pytest.fixture
def home(dept_cycle: Cycle, org: Org) -> AssessedUnit:
    return dept_cycle.assessed.get(unit=org.dept_home)


def _filled(content: bytes, values: dict[tuple[str, str], Any]) -> bytes:
    workbook = load_workbook(io.BytesIO(content))
    sheet = workbook[sheets.SHEET_DATA]
    for row in sheet.iter_rows(min_row=sheets.HEADER_ROW + 1):
        key = (str(row[sheets.COL_CODE - 1].value), str(row[sheets.COL_INPUT - 1].value))
        if key in values:
            row[sheets.COL_VALUE - 1].value = values[key]
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def _import(org: Org, period: Period, home: AssessedUnit, content: bytes) -> sheets.Report:
    report = sheets.workbook_import(
        actor=org.reporter, period=period, assessed=home, upload=io.BytesIO(content),
        filename="so-lieu.xlsx",
    )  # fmt: skip
    assert report.ok, [str(e) for e in report.errors]
    return report


def _queries(org: Org, period: Period, home: AssessedUnit, content: bytes) -> int:
    with CaptureQueriesContext(connection) as queries:
        _import(org, period, home, content)
    return len(queries.captured_queries)


def test_it_imports_one_indicator_or_six_with_the_same_number_of_queries(
    org: Org, period: Period, home: AssessedUnit, dept_cycle: Cycle
) -> None:
    other = dept_cycle.assessed.exclude(pk=home.pk).select_related("unit").first()
    assert other is not None
    blank = sheets.workbook_for(period, home, org.reporter)
    few = _queries(org, period, home, _filled(blank, {("1.4", "so_tin_bai_cds"): 20}))
    # The same home again, now with figures to update as well as to create.
    again = sheets.workbook_for(period, home, org.reporter)
    many = _queries(org, period, home, _filled(again, {**MANY, ("1.4", "so_tin_bai_cds"): 21}))
    assert Figure.objects.filter(period=period, assessed=home).count() == 6
    assert many <= few + 2  # the creates and the updates each add one INSERT … SELECT of history


def test_it_leaves_each_figure_and_its_history_as_a_save_through_the_services_would(
    org: Org, period: Period, home: AssessedUnit
) -> None:
    _import(org, period, home, _filled(sheets.workbook_for(period, home, org.reporter), MANY))
    articles = Figure.objects.get(period=period, assessed=home, indicator__code="1.4")
    assert (articles.version, articles.values) == (1, {"so_tin_bai_cds": 20})
    assert articles.self_points == Decimal("24.00") and articles.explanation
    assert articles.updated_by == org.reporter
    (created,) = articles.history.all()
    assert (created.history_type, created.history_user, created.history_change_reason) == (
        "+",
        org.reporter,
        sheets.SAVE_REASON,
    )
    assert (created.values, created.version, created.self_points) == (
        {"so_tin_bai_cds": 20},
        1,
        Decimal("24.00"),
    )

    again = sheets.workbook_for(period, home, org.reporter)
    report = _import(org, period, home, _filled(again, {("1.4", "so_tin_bai_cds"): 25}))
    assert report.changed == ["1.4"]
    articles.refresh_from_db()
    assert (articles.version, articles.values) == (2, {"so_tin_bai_cds": 25})
    assert articles.self_points == Decimal("30.00")
    updated, first = articles.history.order_by("-history_id")
    assert first.pk == created.pk
    assert (updated.history_type, updated.history_user, updated.version) == ("~", org.reporter, 2)
    assert updated.values == {"so_tin_bai_cds": 25}
    assert updated.updated_at == articles.updated_at
    assert Figure.objects.get(indicator__code="5.10", assessed=home).version == 1


def test_a_number_cell_with_three_decimals_is_stored_as_it_was_typed(
    org: Org, period: Period, home: AssessedUnit
) -> None:
    """Excel's number 2.125 is two and an eighth: the import checks it as such
    and stores it as such (a second cleaning once read "2.125" as 2,125)."""
    blank = sheets.workbook_for(period, home, org.reporter)
    _import(org, period, home, _filled(blank, {("5.10", "chi_dau_tu_attt"): 2.125}))
    figure = Figure.objects.get(period=period, assessed=home, indicator__code="5.10")
    assert figure.values == {"chi_dau_tu_attt": "2.125"}
