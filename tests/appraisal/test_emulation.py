"""Emulation and reward: units by band with their reporting record."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal as D

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from dtis.appraisal.decisions import explanation_answer, item_request_explanation
from dtis.appraisal.emulation import emulation
from dtis.appraisal.materialise import recompute
from dtis.appraisal.models import ExplanationRequest
from dtis.frameworks.models import Indicator
from dtis.orgs.models import Role, User
from dtis.reporting.workflow import submission_return, submission_submit
from tests.appraisal.results_data import add_units, decide_2025, item
from tests.factories import Org, make_user

REASON = "Báo cáo quý đã rà soát"


def _submit(year_cycle, assessed, kind: str, days_late: int):  # type: ignore[no-untyped-def]
    period = year_cycle.cycle.periods.get(kind=kind)
    return submission_submit(
        actor=None,
        period=period,
        assessed=assessed,
        override_reason=REASON,
        today=period.unit_deadline + dt.timedelta(days=days_late),
    )


def _record(year_cycle, org):  # type: ignore[no-untyped-def]
    """Quarter reports: Sở Nội vụ on time twice and late once; Sở Tài chính on
    time once, returned with two items; Sở Y tế never. Explanations: Sở Nội vụ
    leaves one unanswered past its due date, Sở Tài chính answers one in time,
    Sở Y tế answers one late (decide_2025)."""
    _submit(year_cycle, year_cycle.home, "q1", 0)
    _submit(year_cycle, year_cycle.home, "q2", 3)
    _submit(year_cycle, year_cycle.home, "h1", 0)
    submission = _submit(year_cycle, year_cycle.finance, "q1", 0)
    codes = Indicator.objects.filter(framework=year_cycle.cycle.framework, code__in=["1.1", "1.3"])
    submission_return(
        actor=org.admin,
        submission=submission,
        items=[(ind, "Đề nghị bổ sung số, ngày ban hành của văn bản.") for ind in codes],
    )
    ten_days_ago = timezone.localdate() - dt.timedelta(days=10)
    item_request_explanation(
        actor=year_cycle.chair,
        item=item(year_cycle.home, "2.1"),
        question="Đề nghị cung cấp Kế hoạch chuyển đổi số 5 năm đã được phê duyệt.",
        due=ten_days_ago + dt.timedelta(days=3),
        today=ten_days_ago,
    )
    request = item_request_explanation(
        actor=year_cycle.chair,
        item=item(year_cycle.finance, "2.2"),
        question="Đề nghị bổ sung Kế hoạch chuyển đổi số năm 2025.",
        due=timezone.localdate() + dt.timedelta(days=3),
    )
    explanation_answer(
        actor=_finance_reporter(org),
        request=ExplanationRequest.objects.get(pk=request.pk),
        answer="Đã bổ sung Kế hoạch số 21/KH-STC ngày 10/02/2025.",
    )
    decide_2025(year_cycle, org)


def _finance_reporter(org: Org) -> User:
    return make_user("ngo.duc.thinh", "Ngô Đức Thịnh", Role.REPORTER, org.dept_finance)


def _rows(table):  # type: ignore[no-untyped-def]
    return {r.assessed.unit.code: r for r in table.rows()}


def test_on_time_reporting_over_the_periods_whose_deadline_passed(year_cycle, org):
    _record(year_cycle, org)
    table = emulation(year_cycle.cycle)
    # Q1, Q2, the half year, Q3 and Q4 of 2025 are due; the year report is not yet.
    assert table.periods_due == 5
    rows = _rows(table)
    assert (rows["KHH-SNV"].on_time, rows["KHH-SNV"].on_time_rate) == (2, D("0.4"))
    assert (rows["KHH-STC"].on_time, rows["KHH-STC"].on_time_rate) == (1, D("0.2"))
    assert (rows["KHH-SYT"].on_time, rows["KHH-SYT"].on_time_rate) == (0, D(0))


def test_no_period_due_means_no_rate(year_cycle, org):
    decide_2025(year_cycle, org)
    table = emulation(year_cycle.cycle, today=dt.date(2025, 3, 1))
    assert table.periods_due == 0
    assert all(r.on_time_rate is None for r in table.rows())


def test_items_returned_and_explanations_requested_and_overdue(year_cycle, org):
    _record(year_cycle, org)
    rows = _rows(emulation(year_cycle.cycle))
    assert [rows[c].returned for c in ("KHH-SNV", "KHH-STC", "KHH-SYT")] == [0, 2, 0]
    assert [rows[c].explanations for c in ("KHH-SNV", "KHH-STC", "KHH-SYT")] == [1, 1, 1]
    # Sở Nội vụ: open past its due date; Sở Y tế: answered after it; Sở Tài chính: in time.
    assert [rows[c].overdue for c in ("KHH-SNV", "KHH-STC", "KHH-SYT")] == [1, 0, 1]


def test_units_come_by_band_in_the_framework_order_then_without_a_band(year_cycle, org):
    decide_2025(year_cycle, org)
    table = emulation(year_cycle.cycle)
    assert [b.name for b in table.bands] == ["Xuất sắc", "Tốt", "Khá", "Trung bình", "Yếu"]
    tot = next(b for b in table.bands if b.name == "Tốt")
    assert [r.rank for r in tot.rows] == [1, 2, 3]
    # A framework whose lowest band is "Tốt": the others have no band and come last.
    fw = year_cycle.cycle.framework
    fw.bands = [{"name": "Xuất sắc", "min_percent": 90}, {"name": "Tốt", "min_percent": 81}]
    fw.save()
    recompute(year_cycle.cycle)
    table = emulation(year_cycle.cycle)
    assert [b.name for b in table.bands] == ["Xuất sắc", "Tốt", ""]
    assert [r.assessed.unit.code for r in table.bands[1].rows] == ["KHH-STC", "KHH-SYT"]
    assert [r.assessed.unit.code for r in table.bands[2].rows] == ["KHH-SNV"]


def test_the_number_of_queries_does_not_grow_with_the_units(year_cycle, org):
    _record(year_cycle, org)
    cycle = year_cycle.cycle
    with CaptureQueriesContext(connection) as few:
        emulation(cycle)
    add_units(org, cycle, 5)
    with CaptureQueriesContext(connection) as many:
        assert len(emulation(cycle).rows()) == 8
    assert len(many) == len(few) <= 6
