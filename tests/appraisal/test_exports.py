"""XLSX exports: the ranking in the ministry's published layout, and emulation."""

from __future__ import annotations

import datetime as dt
import io
from decimal import ROUND_HALF_UP
from decimal import Decimal as D

from openpyxl import load_workbook

from dtis.appraisal.exports import emulation_xlsx, ranking_xlsx
from dtis.appraisal.materialise import rerank
from dtis.appraisal.models import IndicatorResult, UnitResult
from dtis.frameworks.models import PublishedResult
from dtis.frameworks.published import published_import
from tests.appraisal.results_data import decide_2025, publish

HEADER = [
    "Xếp hạng",
    "Tên đơn vị",
    "Nhận thức số",
    "Thể chế số",
    "Hạ tầng số",
    "Nhân lực số",
    "An toàn thông tin mạng",
    "Hoạt động chính quyền số",
    "Chỉ số DTI",
]


def _index(points: D, maximum: D) -> D:
    return (points / maximum).quantize(D("0.0001"), ROUND_HALF_UP)


def test_the_ranking_has_the_ministrys_layout(year_cycle, org):
    decide_2025(year_cycle, org)
    book = load_workbook(io.BytesIO(ranking_xlsx(year_cycle.cycle)))
    assert book.sheetnames == ["Sở, ban, ngành"]
    sheet = book.active
    rows = list(sheet.iter_rows(values_only=True))
    assert list(rows[0]) == HEADER
    assert [r[0] for r in rows[1:]] == [1, 2, 3]
    assert rows[1][1] == "Sở Tài chính tỉnh Khánh Hòa"
    for row in sheet.iter_rows(min_row=2):
        for cell in row[2:]:
            assert isinstance(cell.value, float) and cell.number_format == "0.0000"


def test_the_published_xlsx_reopens_with_the_same_numbers(year_cycle, org):
    decide_2025(year_cycle, org)
    publish(year_cycle.cycle, year_cycle.chair, org.admin)
    data = ranking_xlsx(year_cycle.cycle)
    framework = year_cycle.cycle.framework
    report = published_import(
        framework=framework, year=2025, upload=io.BytesIO(data), filename="xep-hang-2025.xlsx"
    )
    assert report.ok, report.problems
    assert report.stored == 3
    imported = {
        p.unit_name: p for p in PublishedResult.objects.filter(framework=framework, year=2025)
    }
    results = UnitResult.objects.filter(cycle=year_cycle.cycle).select_related("assessed__unit")
    for result in results:
        row = imported[result.assessed.unit.name]
        assert row.published_total == result.index
        assert row.published_rank == result.rank
        mains = IndicatorResult.objects.filter(result=result, is_main=True)
        assert {m.code: D(row.indices[m.code]) for m in mains} == {
            m.code: _index(m.final_points, m.max_points) for m in mains
        }


def test_ties_keep_their_shared_rank_in_the_file(year_cycle, org):
    decide_2025(year_cycle, org)
    # Two units with the same index share rank 2.
    second, third = UnitResult.objects.filter(cycle=year_cycle.cycle).order_by("rank")[1:3]
    UnitResult.objects.filter(pk=third.pk).update(index=second.index)
    rerank(year_cycle.cycle)
    rows = list(load_workbook(io.BytesIO(ranking_xlsx(year_cycle.cycle))).active.values)
    assert [r[0] for r in rows[1:]] == [1, 2, 2]
    tied = [r[1] for r in rows[1:] if r[0] == 2]
    assert tied == ["Sở Nội vụ tỉnh Khánh Hòa", "Sở Y tế tỉnh Khánh Hòa"]  # alphabetical


def test_one_sheet_per_peer_group(year_cycle, org):
    year_cycle.health.peer_group = "Cơ quan chuyên môn khác"
    year_cycle.health.save()
    decide_2025(year_cycle, org)
    book = load_workbook(io.BytesIO(ranking_xlsx(year_cycle.cycle)))
    assert book.sheetnames == ["Cơ quan chuyên môn khác", "Sở, ban, ngành"]
    assert [r[1] for r in list(book["Cơ quan chuyên môn khác"].values)[1:]] == [
        "Sở Y tế tỉnh Khánh Hòa"
    ]
    assert [r[0] for r in list(book["Sở, ban, ngành"].values)[1:]] == [1, 2]


def test_a_cycle_without_results_exports_the_header_only(year_cycle):
    UnitResult.objects.filter(cycle=year_cycle.cycle).delete()
    rows = list(load_workbook(io.BytesIO(ranking_xlsx(year_cycle.cycle))).active.values)
    assert rows == [tuple(HEADER)]


def test_the_emulation_table_lists_units_by_band_with_their_record(year_cycle, org):
    decide_2025(year_cycle, org)
    book = load_workbook(io.BytesIO(emulation_xlsx(year_cycle.cycle, today=dt.date(2026, 1, 31))))
    sheet = book.active
    rows = list(sheet.values)
    assert "Đánh giá chuyển đổi số các sở, ban, ngành năm 2025" in rows[0][0]
    assert "31/01/2026" in rows[1][0]
    header, data = rows[3], rows[4:]
    assert len(header) == 10 and len(data) == 3
    results = {
        r.assessed.unit.name: r
        for r in UnitResult.objects.filter(cycle=year_cycle.cycle).select_related("assessed__unit")
    }
    for band, rank, name, points, index, rate, on_time, returned, *_explanations in data:
        result = results[name]
        assert (band, rank) == (result.band, result.rank)
        assert D(str(points)) == result.final_points and D(str(index)) == result.index
        assert rate == 0.0 and on_time == "0/5"  # the fixture reported no quarter
        assert returned == 0
    health = next(r for r in data if r[2] == "Sở Y tế tỉnh Khánh Hòa")
    assert health[8:] == (1, 1)  # one explanation, answered after its due date
    assert sheet.cell(row=5, column=5).number_format == "0.0000"
    assert sheet.cell(row=5, column=6).number_format == "0.0%"
