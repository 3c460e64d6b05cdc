"""`dtis report export` (contract) and what a quarterly or yearly report says:
results, changes, late units, points lost and the plans' task progress."""

from __future__ import annotations

import datetime as dt
import io
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone, translation
from docx import Document
from openpyxl import load_workbook

from dtis.appraisal.models import UnitResult
from dtis.plans.draft import draft, save_draft
from dtis.plans.models import PlanStatus, TaskStatus
from dtis.plans.reports import find_period, report_of
from dtis.reporting.models import PeriodState
from tests.appraisal.results_data import add_units

SECTIONS = [
    "I. KẾT QUẢ CHỈ SỐ CHUYỂN ĐỔI SỐ",
    "II. THAY ĐỔI SO VỚI NĂM TRƯỚC",
    "III. TÌNH HÌNH BÁO CÁO NĂM 2025",
    "IV. CÁC CHỈ SỐ THÀNH PHẦN BỊ MẤT ĐIỂM",
    "V. TIẾN ĐỘ THỰC HIỆN KẾ HOẠCH NÂNG CAO CHỈ SỐ",
]


def _export(cycle_id: object, period: str, fmt: str, output: Path) -> None:
    call_command(
        "report", "export", "--cycle", str(cycle_id), "--period", period,
        "--format", fmt, "--output", str(output), stdout=io.StringIO(),
    )  # fmt: skip


def _year(published):  # type: ignore[no-untyped-def]
    return find_period(published.cycle, "year")


def _approved_plan(published, org):  # type: ignore[no-untyped-def]
    """Sở Y tế's plan for the cycle's own year, approved: its first task late,
    its second done, the others due in a month."""
    plan = save_draft(draft(published.health), org.admin)
    plan.year = published.cycle.year
    plan.status = PlanStatus.APPROVED
    plan.save()
    plan.tasks.update(deadline=timezone.localdate() + dt.timedelta(days=30))
    first, second = plan.tasks.order_by("order")[:2]
    first.deadline = timezone.localdate() - dt.timedelta(days=10)
    first.status, first.progress = TaskStatus.IN_PROGRESS, 40
    first.save()
    second.status, second.progress = TaskStatus.DONE, 100
    second.save()
    return plan


# --- the command (contract) -----------------------------------------------------


def test_it_writes_the_year_report_as_an_official_document(published, tmp_path):
    out = tmp_path / "bao-cao-2025.docx"
    _export(published.cycle.pk, "year", "docx", out)
    texts = [p.text for p in Document(str(out)).paragraphs]
    n = texts.index("BÁO CÁO")
    assert texts[n + 1] == "Kết quả thực hiện Chỉ số chuyển đổi số năm 2025"
    assert [t for t in texts if t in SECTIONS] == SECTIONS


def test_a_quarter_report_names_the_quarter(published, tmp_path):
    out = tmp_path / "quy-1.docx"
    _export(published.cycle.pk, "q1", "docx", out)
    texts = [p.text for p in Document(str(out)).paragraphs]
    assert "Kết quả thực hiện Chỉ số chuyển đổi số quý I năm 2025" in texts
    assert "III. TÌNH HÌNH BÁO CÁO QUÝ I" in texts


def test_it_writes_a_workbook_with_one_sheet_per_part(published, tmp_path):
    out = tmp_path / "bao-cao-2025.xlsx"
    _export(published.cycle.pk, "year", "xlsx", out)
    wb = load_workbook(out)
    assert wb.sheetnames == [
        "Kết quả", "Thay đổi", "Báo cáo chậm", "Điểm bị mất", "Tiến độ kế hoạch",
    ]  # fmt: skip
    units = [r[1] for r in wb["Kết quả"].iter_rows(min_row=6, values_only=True) if r[0]]
    assert sorted(units) == sorted(
        a.unit.name for a in published.cycle.assessed.select_related("unit")
    )


def test_the_period_may_be_given_by_its_id(published, tmp_path):
    out = tmp_path / "bao-cao.docx"
    _export(published.cycle.pk, str(_year(published).pk), "docx", out)
    assert out.exists()


@pytest.mark.parametrize(
    ("cycle", "period", "fmt", "message"),
    [
        ("9999", "year", "docx", "There is no cycle 9999."),
        ("abc", "year", "docx", "There is no cycle abc."),
        (None, "q5", "docx", "has no period q5"),
        (None, "year", "pdf", "The format must be docx or xlsx, not pdf."),
    ],
)
def test_bad_input_stops_with_a_clear_message_and_writes_nothing(
    published, tmp_path, cycle, period, fmt, message
):
    out = tmp_path / "bao-cao.out"
    with translation.override("en"), pytest.raises(CommandError, match=message.replace(".", r"\.")):
        _export(cycle or published.cycle.pk, period, fmt, out)
    assert not out.exists()


def test_a_missing_output_folder_stops_before_anything_is_written(published, tmp_path):
    out = tmp_path / "khong-co" / "bao-cao.docx"
    with translation.override("en"), pytest.raises(CommandError, match="does not exist"):
        _export(published.cycle.pk, "year", "docx", out)
    assert not out.parent.exists()


# --- what the report says -------------------------------------------------------


def test_a_published_cycle_reports_its_stored_results(published):
    report = report_of(published.cycle, _year(published))
    stored = dict(
        UnitResult.objects.filter(cycle=published.cycle).values_list(
            "assessed__unit__name", "final_points"
        )
    )
    assert {u.unit: u.points for u in report.units} == stored
    assert not report.projected
    assert report.basis == "Kết quả đã được thẩm định và công bố."


def test_a_running_cycle_says_its_numbers_are_a_projection(year_cycle):
    report = report_of(year_cycle.cycle, year_cycle.period)
    assert report.projected
    assert "dự báo" in report.basis and "chưa qua thẩm định" in report.basis


def test_units_late_with_the_quarter_report_are_listed(published):
    q1 = find_period(published.cycle, "q1")
    q1.state = PeriodState.OPEN
    q1.unit_deadline = timezone.localdate() - dt.timedelta(days=3)
    q1.save()
    report = report_of(published.cycle, q1)
    assert sorted(r.unit for r in report.late) == sorted(
        a.unit.name for a in published.cycle.assessed.select_related("unit")
    )
    assert {(r.pending, r.days_late) for r in report.late} == {(True, 3)}


def test_units_that_reported_on_time_are_not_late(published):
    assert report_of(published.cycle, _year(published)).late == []


def test_points_lost_come_largest_first_with_their_lead_unit(published):
    lost = report_of(published.cycle, _year(published)).lost
    assert lost
    assert [r.recoverable for r in lost] == sorted((r.recoverable for r in lost), reverse=True)
    assert all(r.owner for r in lost)


def test_task_progress_comes_from_the_years_approved_plans(published, org):
    plan = _approved_plan(published, org)
    save_draft(draft(published.home), org.admin)  # a draft: not tracked yet
    tasks = report_of(published.cycle, _year(published)).tasks
    assert len(tasks) == plan.tasks.count()
    assert {t.plan_unit for t in tasks} == {"Sở Y tế tỉnh Khánh Hòa"}
    first = tasks[0]
    assert (first.status_words, first.progress, first.overdue) == ("Đang thực hiện", 40, True)
    assert (tasks[1].status_words, tasks[1].overdue) == ("Hoàn thành", False)


def test_the_document_counts_overdue_tasks(published, org, tmp_path):
    _approved_plan(published, org)
    out = tmp_path / "bao-cao.docx"
    _export(published.cycle.pk, "year", "docx", out)
    doc = Document(str(out))
    texts = [p.text for p in doc.paragraphs]
    summary = texts[texts.index(SECTIONS[4]) + 1]
    assert summary.endswith("1 đã hoàn thành, 1 quá hạn.")
    progress = doc.tables[-2]  # the last one is the signature block
    assert progress.rows[1].cells[5].text == "Đang thực hiện (quá hạn)"


def test_gathering_takes_as_many_queries_whatever_the_number_of_units(published, org):
    period = _year(published)
    report_of(published.cycle, period)  # warm-up (the framework's tree is kept)
    with CaptureQueriesContext(connection) as few:
        report_of(published.cycle, period)
    add_units(org, published.cycle, 5)
    with CaptureQueriesContext(connection) as more:
        report_of(published.cycle, period)
    assert len(more) == len(few)
