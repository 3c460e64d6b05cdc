"""The Excel round trip (issue §9): a unit downloads a pre-filled workbook of
the indicators it may enter, fills it in Excel and uploads it back; the
whole file is checked first and saved only when every cell is right."""

from __future__ import annotations

import io
from decimal import Decimal
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from openpyxl import load_workbook

from dtis.orgs.models import Role
from dtis.reporting import sheets
from dtis.reporting.figures import figure_save
from dtis.reporting.models import AssessedUnit, Cycle, Figure, Period, PeriodState
from tests.factories import Org, make_user

pytestmark = pytest.mark.django_db


@pytest.fixture
def period(dept_cycle: Cycle) -> Period:
    return dept_cycle.periods.get(kind="q1")


@pytest.fixture
def home(dept_cycle: Cycle, org: Org) -> AssessedUnit:
    """Sở Nội vụ, assessed among the departments."""
    return dept_cycle.assessed.get(unit=org.dept_home)


def _client(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


def _urls(period: Period, assessed: AssessedUnit) -> tuple[str, str]:
    kwargs = {"period_id": period.pk, "assessed_id": assessed.pk}
    return (
        reverse("reporting:sheet-download", kwargs=kwargs),
        reverse("reporting:sheet-upload", kwargs=kwargs),
    )


def _download(client: Client, period: Period, assessed: AssessedUnit) -> bytes:
    response = client.get(_urls(period, assessed)[0])
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    return response.content


def _rows(content: bytes) -> dict[tuple[str, str], int]:
    """(indicator code, input name) → row number in sheet "Số liệu"."""
    sheet = load_workbook(io.BytesIO(content))[sheets.SHEET_DATA]
    return {
        (str(row[0].value), str(row[4].value)): row[0].row
        for row in sheet.iter_rows(min_row=sheets.HEADER_ROW + 1)
        if row[0].value
    }


def _fill(
    content: bytes, values: dict[tuple[str, str], Any], notes: dict[str, str] | None = None
) -> bytes:
    """Type into the workbook as a person would in Excel (values and notes)."""
    workbook = load_workbook(io.BytesIO(content))
    sheet = workbook[sheets.SHEET_DATA]
    rows = _rows(content)
    for key, value in values.items():
        sheet.cell(row=rows[key], column=sheets.COL_VALUE).value = value
    for code, note in (notes or {}).items():
        first = min(r for (c, _name), r in rows.items() if c == code)
        sheet.cell(row=first, column=sheets.COL_NOTE).value = note
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def _upload(
    client: Client,
    period: Period,
    assessed: AssessedUnit,
    content: bytes,
    name: str = "so-lieu-snv-q1-2026.xlsx",
) -> Any:
    upload = SimpleUploadedFile(name, content, content_type=sheets_type())
    return client.post(_urls(period, assessed)[1], {"file": upload})


def sheets_type() -> str:
    return "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _import(actor: Any, period: Period, assessed: AssessedUnit, content: bytes) -> sheets.Report:
    return sheets.workbook_import(
        actor=actor,
        period=period,
        assessed=assessed,
        upload=io.BytesIO(content),
        filename="so-lieu.xlsx",
    )


def _errors(response: Any) -> list[str]:
    report = response.context["report"]
    assert report is not None and not report.ok
    return [str(e) for e in report.errors]


def _figure(period: Period, assessed: AssessedUnit, code: str) -> Figure | None:
    return Figure.objects.filter(period=period, assessed=assessed, indicator__code=code).first()


def _save_on_web(
    org: Org,
    period: Period,
    assessed: AssessedUnit,
    code: str,
    values: dict[str, Any],
    actor: Any = None,
) -> Figure:
    indicator = period.cycle.framework.indicators.get(code=code)
    return figure_save(
        actor=actor or org.reporter,
        period=period,
        assessed=assessed,
        indicator=indicator,
        values=values,
    )


# --- the workbook ------------------------------------------------------------------


def test_the_workbook_has_one_row_per_input_prefilled_with_saved_figures(
    org: Org, period: Period, home: AssessedUnit
) -> None:
    _save_on_web(
        org, period, home, "6.6", {"so_van_ban_di_ky_so": 1180, "tong_so_van_ban_di": 1250}
    )
    _save_on_web(org, period, home, "1.3", {"co_van_ban_chi_dao_do_thu_truong_ky": True})
    content = _download(_client(org.reporter), period, home)
    workbook = load_workbook(io.BytesIO(content))
    sheet = workbook[sheets.SHEET_DATA]
    rows = _rows(content)

    assert "Sở Nội vụ tỉnh Khánh Hòa" in sheet["A1"].value
    assert period.unit_deadline.strftime("%d/%m/%Y") in sheet["A1"].value
    assert [c.value for c in sheet[sheets.HEADER_ROW]] == list(sheets.HEADER)
    assert ("6.6", "so_van_ban_di_ky_so") in rows and ("6.6", "tong_so_van_ban_di") in rows
    assert len(rows) == sum(len(i.inputs) for i in period.cycle.framework.indicators.all())
    numerator = sheet.cell(row=rows[("6.6", "so_van_ban_di_ky_so")], column=sheets.COL_VALUE)
    assert numerator.value == 1180
    assert numerator.number_format == "#,##0"
    assert (
        sheet.cell(row=rows[("1.3", "co_van_ban_chi_dao_do_thu_truong_ky")], column=7).value == "Có"
    )


def test_the_workbook_guides_typing_and_locks_everything_but_value_and_note(
    org: Org, period: Period, home: AssessedUnit
) -> None:
    content = _download(_client(org.reporter), period, home)
    workbook = load_workbook(io.BytesIO(content))
    sheet = workbook[sheets.SHEET_DATA]
    rows = _rows(content)
    yes_no = f"G{rows[('1.3', 'co_van_ban_chi_dao_do_thu_truong_ky')]}"
    level = f"G{rows[('1.1', 'truong_ban_chi_dao')]}"
    money = f"G{rows[('5.10', 'tong_chi_cds')]}"
    validations = {
        str(c): dv.formula1 for dv in sheet.data_validations.dataValidation for c in dv.sqref.ranges
    }
    assert validations[yes_no] == '"Có,Không"'
    sheet_name, cells = validations[level].split("!")
    assert sheet_name == "'_lists'"
    listed = workbook[sheets.SHEET_LISTS][cells.replace("$", "")]
    assert [row[0].value for row in listed] == [
        "Người đứng đầu cơ quan (Giám đốc Sở/Trưởng ban/Thủ trưởng ngành) là Trưởng ban",
        "Cấp phó của người đứng đầu là Trưởng ban",
        "Chưa thành lập Ban chỉ đạo hoặc Trưởng ban là người khác",
    ]
    assert sheet[money].number_format == "#,##0.##"
    assert sheet.protection.sheet
    assert (
        not sheet[money].protection.locked
        and not sheet[f"H{rows[('5.10', 'tong_chi_cds')]}"].protection.locked
    )
    assert sheet[f"A{rows[('5.10', 'tong_chi_cds')]}"].protection.locked
    assert workbook[sheets.SHEET_META].sheet_state == "hidden"


def test_the_workbook_holds_only_the_indicators_the_person_may_enter(
    org: Org, period: Period, home: AssessedUnit
) -> None:
    office_reporter = make_user("pham.thi.thu", "Phạm Thị Thu", Role.REPORTER, org.dept_home_office)
    home.assignments.filter(indicator__code="1.4").update(owner=org.dept_home_office)
    content = _download(_client(office_reporter), period, home)
    assert set(_rows(content)) == {("1.4", "so_tin_bai_cds")}
    assert len(_rows(_download(_client(org.admin), period, home))) > 40  # the standing office


def test_a_head_without_indicators_to_enter_is_sent_to_the_upload_page(
    org: Org, period: Period, home: AssessedUnit
) -> None:
    download, upload = _urls(period, home)
    response = _client(org.head).get(download)
    assert response.status_code == 302 and response["Location"] == upload
    page = _client(org.head).get(upload)
    assert page.status_code == 200 and b'type="file"' not in page.content


# --- importing ---------------------------------------------------------------------


def test_a_filled_workbook_saves_the_figures_with_their_self_scores(
    org: Org, period: Period, home: AssessedUnit
) -> None:
    client = _client(org.reporter)
    content = _fill(
        _download(client, period, home),
        {
            ("5.10", "chi_dau_tu_attt"): "12,5",
            ("5.10", "chi_thuong_xuyen_attt"): 2.5,
            ("5.10", "tong_chi_cds"): "1.250",
            ("6.6", "so_van_ban_di_ky_so"): 150,
            ("6.6", "tong_so_van_ban_di"): "1.250",
            ("1.3", "co_van_ban_chi_dao_do_thu_truong_ky"): "Có",
            ("6.9", "hop_truc_tuyen_den_don_vi"): "x",
            ("6.9", "hop_truc_tuyen_den_thiet_bi_ca_nhan"): 0,
            ("1.4", "so_tin_bai_cds"): 20,
            ("1.1", "truong_ban_chi_dao"): "Cấp phó của người đứng đầu là Trưởng ban",
        },
        notes={"1.4": "Chuyên mục Chuyển đổi số trên Cổng TTĐT của Sở"},
    )
    response = _upload(client, period, home, content)

    assert response.status_code == 302
    assert Figure.objects.filter(period=period, assessed=home).count() == 6
    attt = _figure(period, home, "5.10")
    assert attt.values == {
        "chi_dau_tu_attt": "12.5",
        "chi_thuong_xuyen_attt": "2.5",
        "tong_chi_cds": "1250",
    }
    assert attt.self_points == Decimal("1.20")  # 10 × (15 / 1250) / 10 %
    assert _figure(period, home, "6.6").self_points == Decimal("2.40")  # 20 × 150 / 1250
    assert _figure(period, home, "1.3").self_points == Decimal("30.00")
    assert _figure(period, home, "6.9").self_points == Decimal("10.00")
    articles = _figure(period, home, "1.4")
    assert articles.self_points == Decimal("24.00")  # 30 × 20 / 25
    assert articles.note == "Chuyên mục Chuyển đổi số trên Cổng TTĐT của Sở"
    assert articles.updated_by == org.reporter
    assert articles.history.first().history_change_reason == "Nhập từ tệp Excel"
    assert _figure(period, home, "1.1").values == {"truong_ban_chi_dao": "cap_pho"}


def test_the_success_message_counts_the_indicators_saved(
    org: Org, period: Period, home: AssessedUnit
) -> None:
    client = _client(org.reporter)
    content = _fill(
        _download(client, period, home),
        {("1.4", "so_tin_bai_cds"): 31, ("2.1", "co_ke_hoach_5_nam"): "Không"},
    )
    report = _import(org.reporter, period, home, content)
    assert report.ok and sorted(report.changed) == ["1.4", "2.1"]


def test_an_unchanged_workbook_saves_nothing(org: Org, period: Period, home: AssessedUnit) -> None:
    saved = _save_on_web(
        org,
        period,
        home,
        "5.10",
        {"chi_dau_tu_attt": "12.5", "chi_thuong_xuyen_attt": "0.1", "tong_chi_cds": "1250000"},
    )
    _save_on_web(org, period, home, "1.1", {"truong_ban_chi_dao": "nguoi_dung_dau"})
    client = _client(org.reporter)
    content = _download(client, period, home)
    report = _import(org.reporter, period, home, content)
    assert report.ok and report.changed == []
    assert Figure.objects.filter(period=period, assessed=home).count() == 2
    saved.refresh_from_db()
    assert saved.version == 1 and saved.history.count() == 1


def test_a_cleared_cell_removes_the_figure_value(
    org: Org, period: Period, home: AssessedUnit
) -> None:
    _save_on_web(org, period, home, "1.4", {"so_tin_bai_cds": 12})
    client = _client(org.reporter)
    _upload(
        client,
        period,
        home,
        _fill(_download(client, period, home), {("1.4", "so_tin_bai_cds"): None}),
    )
    articles = _figure(period, home, "1.4")
    assert articles.values == {} and articles.version == 2


def test_bad_cells_are_named_and_nothing_is_saved(
    org: Org, period: Period, home: AssessedUnit
) -> None:
    client = _client(org.reporter)
    content = _download(client, period, home)
    rows = _rows(content)
    filled = _fill(
        content,
        {
            ("1.4", "so_tin_bai_cds"): 25,  # valid, but must not be saved either
            ("6.6", "tong_so_van_ban_di"): "khoảng một nghìn",
            ("1.3", "co_van_ban_chi_dao_do_thu_truong_ky"): "có lẽ",
            ("4.3", "tong_so_ccvc"): "12,5",  # people come whole
        },
    )
    response = _upload(client, period, home, filled)

    assert response.status_code == 200
    errors = _errors(response)
    cells = {e.cell for e in response.context["report"].errors}
    assert cells == {
        f"G{rows[('6.6', 'tong_so_van_ban_di')]}",
        f"G{rows[('1.3', 'co_van_ban_chi_dao_do_thu_truong_ky')]}",
        f"G{rows[('4.3', 'tong_so_ccvc')]}",
    }
    assert any("khoảng một nghìn" in e for e in errors) and any("có lẽ" in e for e in errors)
    assert f"G{rows[('1.3', 'co_van_ban_chi_dao_do_thu_truong_ky')]}".encode() in response.content
    assert not Figure.objects.filter(period=period, assessed=home).exists()


def test_an_unknown_indicator_or_input_code_is_named_by_cell(
    org: Org, period: Period, home: AssessedUnit
) -> None:
    client = _client(org.reporter)
    content = _download(client, period, home)
    rows = _rows(content)
    workbook = load_workbook(io.BytesIO(content))
    sheet = workbook[sheets.SHEET_DATA]
    sheet.protection.sheet = False  # someone unprotects the sheet and edits the codes
    sheet.cell(row=rows[("1.4", "so_tin_bai_cds")], column=1).value = "9.9"
    sheet.cell(row=rows[("2.1", "co_ke_hoach_5_nam")], column=5).value = "co_ke_hoach_10_nam"
    out = io.BytesIO()
    workbook.save(out)
    report = _import(org.reporter, period, home, out.getvalue())
    assert {e.cell for e in report.errors} == {
        f"A{rows[('1.4', 'so_tin_bai_cds')]}",
        f"E{rows[('2.1', 'co_ke_hoach_5_nam')]}",
    }


def test_an_indicator_the_person_may_not_enter_is_refused(
    org: Org, period: Period, home: AssessedUnit
) -> None:
    office_reporter = make_user("pham.thi.thu", "Phạm Thị Thu", Role.REPORTER, org.dept_home_office)
    home.assignments.filter(indicator__code="1.4").update(owner=org.dept_home_office)
    content = _download(_client(org.reporter), period, home)  # the department's whole form
    rows = _rows(content)
    filled = _fill(content, {("1.4", "so_tin_bai_cds"): 26, ("2.2", "co_ke_hoach_hang_nam"): "Có"})
    response = _upload(_client(office_reporter), period, home, filled)
    report = response.context["report"]
    assert [(e.cell, e.indicator) for e in report.errors] == [
        (f"G{rows[('2.2', 'co_ke_hoach_hang_nam')]}", "2.2")
    ]
    assert not Figure.objects.filter(period=period, assessed=home).exists()


def test_a_figure_changed_on_the_web_after_download_is_a_conflict(
    org: Org, period: Period, home: AssessedUnit
) -> None:
    colleague = make_user("pham.van.toan", "Phạm Văn Toàn", Role.REPORTER, org.dept_home)
    _save_on_web(org, period, home, "1.4", {"so_tin_bai_cds": 10})
    client = _client(org.reporter)
    content = _download(client, period, home)
    _save_on_web(org, period, home, "1.4", {"so_tin_bai_cds": 18}, actor=colleague)
    filled = _fill(content, {("1.4", "so_tin_bai_cds"): 22, ("2.1", "co_ke_hoach_5_nam"): "Có"})
    response = _upload(client, period, home, filled)

    (error,) = _errors(response)
    assert "1.4" in error and "Phạm Văn Toàn" in error
    assert _figure(period, home, "1.4").values == {"so_tin_bai_cds": 18}
    assert _figure(period, home, "2.1") is None


def test_a_figure_changed_on_the_web_but_untouched_in_the_file_is_kept(
    org: Org, period: Period, home: AssessedUnit
) -> None:
    client = _client(org.reporter)
    content = _download(client, period, home)
    _save_on_web(org, period, home, "1.4", {"so_tin_bai_cds": 18})
    _upload(client, period, home, _fill(content, {("2.1", "co_ke_hoach_5_nam"): "Có"}))
    assert _figure(period, home, "1.4").values == {"so_tin_bai_cds": 18}
    assert _figure(period, home, "2.1").values == {"co_ke_hoach_5_nam": True}


# --- files that cannot be trusted or read ------------------------------------------------


def test_a_tampered_meta_sheet_is_refused(org: Org, period: Period, home: AssessedUnit) -> None:
    client = _client(org.reporter)
    content = _fill(_download(client, period, home), {("1.4", "so_tin_bai_cds"): 25})
    workbook = load_workbook(io.BytesIO(content))
    meta = workbook[sheets.SHEET_META]
    token = meta["B3"].value
    meta["B3"].value = token[:10] + ("A" if token[10] != "A" else "B") + token[11:]
    out = io.BytesIO()
    workbook.save(out)
    response = _upload(client, period, home, out.getvalue())
    assert len(_errors(response)) == 1
    assert not Figure.objects.filter(period=period, assessed=home).exists()


def test_a_workbook_of_another_unit_is_refused(
    org: Org, dept_cycle: Cycle, period: Period, home: AssessedUnit
) -> None:
    finance = dept_cycle.assessed.get(unit=org.dept_finance)
    content = _fill(_download(_client(org.admin), period, finance), {("1.4", "so_tin_bai_cds"): 25})
    response = _upload(_client(org.reporter), period, home, content)
    (error,) = _errors(response)
    assert "Sở Nội vụ tỉnh Khánh Hòa" in error
    assert not Figure.objects.exists()


def test_a_file_that_is_not_xlsx_is_refused_with_a_message(
    org: Org, period: Period, home: AssessedUnit
) -> None:
    response = _upload(_client(org.reporter), period, home, b"%PDF-1.4 bao cao", name="bao-cao.pdf")
    (error,) = _errors(response)
    assert "bao-cao.pdf" in error and ".xlsx" in error
    assert response.status_code == 200


def test_an_oversized_file_is_refused(org: Org, period: Period, home: AssessedUnit) -> None:
    response = _upload(_client(org.reporter), period, home, b"PK" + b"\0" * sheets.MAX_BYTES)
    assert "10 MB" in response.content.decode()
    assert response.context["report"] is None
    assert not Figure.objects.exists()


def test_a_closed_period_saves_nothing(org: Org, period: Period, home: AssessedUnit) -> None:
    client = _client(org.reporter)
    content = _fill(_download(client, period, home), {("1.4", "so_tin_bai_cds"): 25})
    period.state = PeriodState.CLOSED
    period.save()
    response = _upload(client, period, home, content)
    assert response.status_code == 200 and response.context["report"] is None
    assert [m.level_tag for m in response.context["messages"]] == ["error"]
    assert not Figure.objects.exists()


# --- who may ------------------------------------------------------------------------


def test_another_units_reporter_gets_403_on_both_urls(
    org: Org, period: Period, home: AssessedUnit
) -> None:
    download, upload = _urls(period, home)
    client = _client(org.other_reporter)
    assert client.get(download).status_code == 403
    assert client.get(upload).status_code == 403
    content = _fill(_download(_client(org.reporter), period, home), {("1.4", "so_tin_bai_cds"): 25})
    assert _upload(client, period, home, content).status_code == 403
    assert not Figure.objects.exists()


def test_the_standing_office_may_download_but_not_upload(
    org: Org, period: Period, home: AssessedUnit
) -> None:
    content = _fill(_download(_client(org.admin), period, home), {("1.4", "so_tin_bai_cds"): 25})
    assert _upload(_client(org.admin), period, home, content).status_code == 403


@pytest.mark.parametrize(
    ("kind", "cell", "expected"),
    [
        ("integer", "1.250", Decimal(1250)),
        ("integer", "1.250.000", Decimal(1250000)),
        ("number", "12,5", Decimal("12.5")),
        ("number", "0.125", Decimal("0.125")),
        ("number", 7.25, Decimal("7.25")),
        ("boolean", "Có", True),
        ("boolean", "không", False),
        ("boolean", "x", True),
        ("boolean", 1, True),
        ("boolean", 0, False),
    ],
)
def test_cells_are_read_the_vietnamese_way(kind: str, cell: Any, expected: Any) -> None:
    assert sheets._cell_value({"name": "n", "type": kind}, cell) == expected
