"""The export for the ministry: the province's yearly figures and evidence list,
as a workbook shaped like the indicator list and as JSON, by command and on
the cycle page for the standing office."""

from __future__ import annotations

import datetime as dt
import io
import json
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone, translation
from openpyxl import load_workbook

from dtis.appraisal.council import council_seat_set, main_indicators
from dtis.appraisal.decisions import bulk_accept, item_correct
from dtis.appraisal.models import CouncilRole, Item, ReasonCode, UnitResult
from dtis.appraisal.publication import publish, sign_off
from dtis.frameworks.models import Indicator
from dtis.reporting.evidence import (
    evidence_add_document,
    evidence_add_file,
    evidence_add_link,
    evidence_replace_file,
)
from dtis.reporting.figures import figure_save
from dtis.reporting.ministry import gather, ministry_json, ministry_xlsx
from dtis.reporting.models import Assignment, Cycle, Figure, Period, PeriodState
from dtis.reporting.workflow import submission_accept, submission_submit
from tests.factories import Org

HEADER_ROW = 6  # four title rows, a blank row, the header
PDF = b"%PDF-1.4\nBao cao ket qua chuyen doi so nam 2026\n%%EOF\n"


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):  # type: ignore[no-untyped-def]
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.SITE_URL = "https://dti.khanhhoa.gov.vn"


def _year(cycle: Cycle) -> Period:
    period = cycle.periods.get(kind="year")
    period.state = PeriodState.OPEN
    period.unit_deadline = timezone.localdate() + dt.timedelta(days=10)
    period.save()
    return period


def _save(org: Org, cycle: Cycle, code: str, values: dict[str, object], note: str = "") -> Figure:
    period = cycle.periods.get(kind="year")
    return figure_save(
        actor=org.reporter,
        period=period,
        assessed=cycle.assessed.get(),
        indicator=Indicator.objects.get(framework=cycle.framework, code=code),
        values=values,
        note=note,
    )


@pytest.fixture
def figures(org: Org, province_cycle: Cycle) -> dict[str, Figure]:
    """Khánh Hòa's year figures for three indicators, with evidence on 1.1."""
    _year(province_cycle)
    saved = {
        "1.1": _save(org, province_cycle, "1.1", {"truong_ban_la_bi_thu_chu_tich": True},
                     note="Quyết định 1523/QĐ-UBND kiện toàn Ban Chỉ đạo"),
        "3.1": _save(org, province_cycle, "3.1",
                     {"so_thon_phu_song_di_dong": "1.180", "tong_so_thon": 1204}),
        "3.6": _save(org, province_cycle, "3.6", {"muc_do_nen_tang_dung_chung": "mot_phan"}),
    }  # fmt: skip
    first = evidence_add_file(
        actor=org.reporter,
        figure=saved["1.1"],
        upload=SimpleUploadedFile("Quyết định kiện toàn Ban Chỉ đạo (dự thảo).pdf", PDF),
    )
    evidence_replace_file(
        actor=org.reporter,
        evidence=first,
        upload=SimpleUploadedFile("Quyết định 1523-QĐ-UBND kiện toàn Ban Chỉ đạo.pdf", PDF),
    )
    evidence_add_document(
        actor=org.reporter,
        figure=saved["1.1"],
        number="1523/QĐ-UBND",
        date=dt.date(2026, 3, 12),
        issuer="Ủy ban nhân dân tỉnh Khánh Hòa",
        summary="Kiện toàn Ban Chỉ đạo chuyển đổi số tỉnh Khánh Hòa",
    )
    evidence_add_link(
        actor=org.reporter,
        figure=saved["3.6"],
        url="https://khanhhoa.gov.vn/chuyen-doi-so/nen-tang-dung-chung",
        note="Danh mục nền tảng dùng chung của tỉnh",
    )
    return saved


def _sheet_rows(data: bytes, title: str, header_row: int) -> tuple[list[str], list[tuple]]:
    sheet = load_workbook(io.BytesIO(data))[title]
    rows = list(sheet.iter_rows(values_only=True))
    header = list(rows[header_row - 1])
    return header, [r for r in rows[header_row:] if any(v is not None for v in r)]


def _by_code(header: list[str], rows: list[tuple]) -> dict[str, dict[str, object]]:
    return {r[0]: dict(zip(header, r, strict=True)) for r in rows if r[0]}


# --- the workbook ---------------------------------------------------------------------------


def test_the_workbook_has_every_indicator_in_the_frameworks_order(province_cycle, figures):  # type: ignore[no-untyped-def]
    data = ministry_xlsx(gather(province_cycle))
    header, rows = _sheet_rows(data, "Chỉ số", HEADER_ROW)
    order = list(
        Indicator.objects.filter(framework=province_cycle.framework)
        .order_by("order")
        .values_list("code", flat=True)
    )
    assert [r[0] for r in rows[:-1]] == order
    assert rows[-1][1] == "Tổng cộng"
    assert header[:3] == ["STT", "Chỉ số", "Điểm tối đa"]


def test_main_indicators_are_bold_heading_rows_with_their_maximum(province_cycle, figures):  # type: ignore[no-untyped-def]
    data = ministry_xlsx(gather(province_cycle))
    sheet = load_workbook(io.BytesIO(data))["Chỉ số"]
    first = HEADER_ROW + 1
    assert sheet.cell(first, 1).value == "1" and sheet.cell(first, 2).value == "Nhận thức số"
    assert sheet.cell(first, 3).value == 50
    assert sheet.cell(first, 1).font.b and not sheet.cell(first + 1, 1).font.b
    assert sheet.freeze_panes == f"C{HEADER_ROW + 1}"


def test_each_input_shows_its_label_value_and_unit(province_cycle, figures):  # type: ignore[no-untyped-def]
    header, rows = _sheet_rows(ministry_xlsx(gather(province_cycle)), "Chỉ số", HEADER_ROW)
    row = _by_code(header, rows)
    assert row["3.1"]["Số liệu 1"] == "Số thôn, bản được phủ sóng di động băng rộng"
    assert row["3.1"]["Giá trị 1"] == 1180 and row["3.1"]["Đơn vị tính 1"] == "thôn, bản"
    assert row["3.1"]["Giá trị 2"] == 1204
    assert row["1.1"]["Giá trị 1"] == "Có"
    assert row["3.6"]["Giá trị 1"] == "Triển khai một phần các nền tảng số dùng chung"
    assert row["1.2"]["Giá trị 1"] is None  # not reported yet


def test_self_scores_maximums_lead_units_and_notes_come_from_the_figures(province_cycle, figures):  # type: ignore[no-untyped-def]
    header, rows = _sheet_rows(ministry_xlsx(gather(province_cycle)), "Chỉ số", HEADER_ROW)
    row = _by_code(header, rows)
    for code, figure in figures.items():
        assert Decimal(str(row[code]["Điểm tự đánh giá"])) == figure.self_points
        assert row[code]["Điểm thẩm định"] is None  # not published
    assert row["1.1"]["Ghi chú"] == "Quyết định 1523/QĐ-UBND kiện toàn Ban Chỉ đạo"
    assert row["3.1"]["Điểm tối đa"] == 30
    owner = Assignment.objects.get(cycle=province_cycle, indicator__code="3.1").owner
    assert row["3.1"]["Đơn vị chủ trì"] == owner.name
    heading = figures["1.1"].self_points
    assert Decimal(str(row["1"]["Điểm tự đánh giá"])) == heading


def test_the_evidence_sheet_lists_current_evidence_with_uploader_and_time(
    org, province_cycle, figures
):  # type: ignore[no-untyped-def]
    header, rows = _sheet_rows(ministry_xlsx(gather(province_cycle)), "Minh chứng", 4)
    items = [dict(zip(header, r, strict=True)) for r in rows]
    assert [(i["Mã chỉ số"], i["Loại"], i["Tên tệp / số hiệu văn bản"]) for i in items] == [
        ("1.1", "Tệp", "Quyết định 1523-QĐ-UBND kiện toàn Ban Chỉ đạo.pdf"),
        ("1.1", "Văn bản", "1523/QĐ-UBND"),
        ("3.6", "Liên kết", "https://khanhhoa.gov.vn/chuyen-doi-so/nen-tang-dung-chung"),
    ]
    file_item, document, _link = items
    assert file_item["Người cập nhật"] == "Huỳnh Thị Kim Oanh"
    assert file_item["Thời điểm cập nhật"].date() == timezone.localdate()
    current = figures["1.1"].evidence.get(replaced_by__isnull=True, kind="file")
    assert file_item["Đường dẫn"] == "https://dti.khanhhoa.gov.vn" + reverse(
        "reporting:evidence-download", args=[current.pk]
    )
    assert file_item["Dung lượng (byte)"] == len(PDF)
    assert document["Ngày ban hành"].date() == dt.date(2026, 3, 12)
    assert document["Cơ quan ban hành"] == "Ủy ban nhân dân tỉnh Khánh Hòa"


# --- JSON -----------------------------------------------------------------------------------


def test_the_json_holds_the_same_rows_with_numbers_as_numbers(province_cycle, figures):  # type: ignore[no-untyped-def]
    export = gather(province_cycle)
    data = json.loads(json.dumps(ministry_json(export)))
    header, rows = _sheet_rows(ministry_xlsx(export), "Chỉ số", HEADER_ROW)
    sheet = _by_code(header, rows)
    assert [i["code"] for i in data["indicators"]] == [r[0] for r in rows[:-1]]
    by_code = {i["code"]: i for i in data["indicators"]}
    for code, row in sheet.items():
        assert by_code[code]["self_points"] == row["Điểm tự đánh giá"]
        assert by_code[code]["max_points"] == row["Điểm tối đa"]
    inputs = {i["name"]: i for i in by_code["3.1"]["inputs"]}
    assert inputs["so_thon_phu_song_di_dong"]["value"] == 1180
    assert inputs["tong_so_thon"] == {
        "name": "tong_so_thon", "label": "Tổng số thôn, bản", "unit": "thôn, bản",
        "type": "integer", "value": 1204, "value_label": None,
    }  # fmt: skip
    assert by_code["1.1"]["inputs"][0]["value"] is True
    assert by_code["3.1"]["parent"] == "3" and by_code["3"]["is_leaf"] is False
    assert data["period"] == {"kind": "year", "start": "2026-01-01", "end": "2026-12-31"}
    assert data["unit"] == {"code": "KHH", "name": "Ủy ban nhân dân tỉnh Khánh Hòa"}
    assert data["published"] is False and data["totals"]["final_points"] is None


def test_the_json_evidence_matches_the_evidence_sheet(province_cycle, figures):  # type: ignore[no-untyped-def]
    export = gather(province_cycle)
    data = ministry_json(export)
    _header, rows = _sheet_rows(ministry_xlsx(export), "Minh chứng", 4)
    listed = [
        (i["code"], e["name"], e["url"] or None) for i in data["indicators"] for e in i["evidence"]
    ]
    assert listed == [(r[0], r[4], r[9]) for r in rows]
    document = data["indicators"][1]["evidence"][1]
    assert document["document"] == {
        "number": "1523/QĐ-UBND", "date": "2026-03-12",
        "issuer": "Ủy ban nhân dân tỉnh Khánh Hòa",
        "summary": "Kiện toàn Ban Chỉ đạo chuyển đổi số tỉnh Khánh Hòa",
    }  # fmt: skip
    assert document["added_by"] == "Huỳnh Thị Kim Oanh"
    assert dt.datetime.fromisoformat(document["added_at"]).date() == timezone.localdate()


# --- published results ----------------------------------------------------------------------


@pytest.fixture
def published(org: Org, province_cycle: Cycle, figures) -> Cycle:  # type: ignore[no-untyped-def]
    """The year report accepted, 3.1 corrected to 20 points, the rest accepted, published."""
    period = province_cycle.periods.get(kind="year")
    assessed = province_cycle.assessed.get()
    submission_submit(actor=org.head, period=period, assessed=assessed, override_reason="Đủ hồ sơ")
    submission_accept(actor=org.admin, submission=period.submissions.get(assessed=assessed))
    council_seat_set(actor=org.admin, cycle=province_cycle, user=org.appraiser,
                     role=CouncilRole.CHAIR, groups=main_indicators(province_cycle))  # fmt: skip
    item_correct(
        actor=org.appraiser,
        item=Item.objects.get(assessed=assessed, indicator__code="3.1"),
        points=Decimal("20"),
        reason_code=ReasonCode.NOT_SUPPORTED,
        reason="Số liệu phủ sóng chưa có xác nhận của doanh nghiệp viễn thông.",
    )
    bulk_accept(actor=org.appraiser, assessed=assessed)
    sign_off(actor=org.appraiser, cycle=province_cycle)
    publish(actor=org.admin, cycle=province_cycle)
    return Cycle.objects.select_related("framework", "scope", "outcome").get(pk=province_cycle.pk)


def test_a_published_cycle_shows_the_appraised_points(published):  # type: ignore[no-untyped-def]
    header, rows = _sheet_rows(ministry_xlsx(gather(published)), "Chỉ số", HEADER_ROW)
    row = _by_code(header, rows)
    assert row["3.1"]["Điểm thẩm định"] == 20
    result = UnitResult.objects.get(assessed__cycle=published)
    assert Decimal(str(rows[-1][header.index("Điểm thẩm định")])) == result.final_points
    data = ministry_json(gather(published))
    assert data["published"] is True
    assert data["totals"]["final_points"] == float(result.final_points)


# --- the command ----------------------------------------------------------------------------


def test_the_command_writes_the_workbook_and_the_json(province_cycle, figures, tmp_path):  # type: ignore[no-untyped-def]
    call_command("ministry-export", cycle=str(province_cycle.pk), format="xlsx",
                 output=str(tmp_path / "khh-2026.xlsx"), stdout=io.StringIO())  # fmt: skip
    call_command("ministry-export", cycle=str(province_cycle.pk), format="json",
                 output=str(tmp_path / "khh-2026.json"), stdout=io.StringIO())  # fmt: skip
    _header, rows = _sheet_rows((tmp_path / "khh-2026.xlsx").read_bytes(), "Chỉ số", HEADER_ROW)
    data = json.loads((tmp_path / "khh-2026.json").read_text(encoding="utf-8"))
    assert [i["code"] for i in data["indicators"]] == [r[0] for r in rows[:-1]]
    assert data["cycle"]["id"] == province_cycle.pk


@pytest.mark.parametrize(
    ("cycle", "fmt", "folder", "message"),
    [
        ("9999", "xlsx", "", "There is no cycle 9999."),
        ("own", "csv", "", "Unknown format csv: use xlsx or json."),
        ("own", "xlsx", "khong-co", "does not exist"),
        ("departments", "xlsx", "", "for a province's own index"),
    ],
)
def test_the_command_refuses_bad_requests_and_writes_nothing(  # type: ignore[no-untyped-def]
    cycle, fmt, folder, message, province_cycle, dept_cycle, tmp_path
):
    ids = {"own": str(province_cycle.pk), "departments": str(dept_cycle.pk)}
    out = tmp_path / folder / "xuat.xlsx" if folder else tmp_path / "xuat.xlsx"
    with translation.override("en"), pytest.raises(CommandError, match=message):
        call_command("ministry-export", cycle=ids.get(cycle, cycle), format=fmt, output=str(out))
    assert list(tmp_path.iterdir()) == []


# --- on the web -----------------------------------------------------------------------------


def _url(cycle: Cycle, fmt: str = "xlsx") -> str:
    return reverse("reporting:ministry-export", args=[cycle.pk]) + f"?format={fmt}"


def test_the_standing_office_downloads_the_workbook(client, org, province_cycle, figures):  # type: ignore[no-untyped-def]
    client.force_login(org.admin)
    response = client.get(_url(province_cycle))
    assert response.status_code == 200
    assert response["Content-Disposition"] == 'attachment; filename="so-lieu-dti-khh-2026.xlsx"'
    _header, rows = _sheet_rows(response.content, "Chỉ số", HEADER_ROW)
    assert rows[0][:2] == ("1", "Nhận thức số")


def test_the_standing_office_downloads_the_json(client, org, province_cycle, figures):  # type: ignore[no-untyped-def]
    client.force_login(org.admin)
    data = json.loads(client.get(_url(province_cycle, "json")).content)
    assert data["unit"]["code"] == "KHH" and len(data["indicators"]) > 40


def test_the_cycle_page_offers_the_export_to_the_office_only(client, org, province_cycle):  # type: ignore[no-untyped-def]
    page = reverse("reporting:cycle-detail", args=[province_cycle.pk])
    link = reverse("reporting:ministry-export", args=[province_cycle.pk])
    client.force_login(org.admin)
    assert link in client.get(page).content.decode()
    client.force_login(org.reporter)
    response = client.get(page)
    assert response.status_code == 200 and link not in response.content.decode()


def test_a_reporter_is_refused_the_download(client, org, province_cycle, figures):  # type: ignore[no-untyped-def]
    client.force_login(org.reporter)
    assert client.get(_url(province_cycle)).status_code == 403


def test_a_departments_cycle_has_no_ministry_export(client, org, dept_cycle):  # type: ignore[no-untyped-def]
    client.force_login(org.admin)
    page = client.get(reverse("reporting:cycle-detail", args=[dept_cycle.pk]))
    assert reverse("reporting:ministry-export", args=[dept_cycle.pk]) not in page.content.decode()
    response = client.get(_url(dept_cycle))
    assert response.status_code == 302


def test_the_number_of_queries_does_not_grow_with_the_indicators(org, province_cycle, figures):  # type: ignore[no-untyped-def]
    def queries() -> int:
        cycle = Cycle.objects.select_related("framework", "scope").get(pk=province_cycle.pk)
        with CaptureQueriesContext(connection) as captured:
            ministry_xlsx(gather(cycle))
            ministry_json(gather(cycle))
        return len(captured)

    before = queries()
    for code, inputs in (("1.2", {}), ("1.3", {}), ("3.2", {}), ("3.3", {})):
        indicator = Indicator.objects.get(framework=province_cycle.framework, code=code)
        values = inputs or {spec["name"]: 1 for spec in indicator.inputs}
        figure = _save(org, province_cycle, code, values)
        evidence_add_link(actor=org.reporter, figure=figure, url=f"https://khanhhoa.gov.vn/{code}")
    assert queries() == before


def test_the_download_takes_a_bounded_number_of_queries(  # type: ignore[no-untyped-def]
    client, org, province_cycle, figures, django_assert_max_num_queries
):
    client.force_login(org.admin)
    with django_assert_max_num_queries(20):
        assert client.get(_url(province_cycle)).status_code == 200
