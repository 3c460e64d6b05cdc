"""Frameworks to and from Excel workbooks in the seed plans' layout."""

from __future__ import annotations

import datetime as dt
import io
import json
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from django.utils import translation
from openpyxl import Workbook, load_workbook

from dtis.frameworks import files
from dtis.frameworks.models import Framework
from dtis.frameworks.services import check_dict, framework_dict, framework_import
from dtis.frameworks.xlsx import HEADER, locate, read_workbook, workbook_bytes
from dtis.scoring.serialize import FrameworkError
from dtis.scoring.tree import Problem

HY = files.DATA_DIR / "hy-department-2023.yaml"
SEVEN = [
    "STT",
    "Chỉ số/Chỉ số thành phần",
    "Điểm tối đa",
    "Công việc thực hiện",
    "Tài liệu kiểm chứng",
    "Đơn vị thực hiện",
    "Đơn vị phối hợp",
]
HY_INFO = [
    ("Trường", "Giá trị"),
    ("Mã bộ chỉ số", "hy-department-2023"),
    ("Tên bộ chỉ số", "Bộ chỉ số đánh giá chuyển đổi số cấp sở, ban, ngành tỉnh Hưng Yên"),
    ("Cấp áp dụng", "department"),
    ("Phiên bản", 1),
    ("Trạng thái", "draft"),
    ("Số quyết định", "3047/QĐ-UBND"),
    ("Ngày quyết định", "29/12/2022"),
    ("Cơ quan ban hành", "Ủy ban nhân dân tỉnh Hưng Yên"),
    ("Áp dụng từ năm", 2023),
]
LEADER = "Người đứng đầu Sở/Ban/Ngành là Trưởng ban Ban chỉ đạo chuyển đổi số ngành, lĩnh vực"
LEADER_TASKS = (
    "- Quyết định thành lập ban chỉ đạo Chuyển đổi số của Sở trong đó Trưởng ban là Giám đốc "
    "Sở. - Ban hành lại quyết định khi có sự thay đổi về nhân sự"
)
HY_SEED_ROWS = [
    ["1", "Nhận thức số", 60],
    ["1.1", LEADER, 15, LEADER_TASKS, "Quyết định", "Văn phòng Sở", "Phòng quản lý chuyên ngành"],
    ["1.2", "Người đứng đầu Sở/Ban/Ngành chủ trì, chỉ đạo thực hiện chuyển đổi số", 45],
    [
        "1.2.1",
        "Người đứng đầu Sở/Ban/Ngành tham gia đầy đủ các cuộc họp về CDS của tỉnh",
        15,
        "Giám đốc Sở tham dự các cuộc họp của UBND tỉnh liên quan đến chuyển đổi số.",
        "Lịch công tác của lãnh đạo Sở",
        "Văn phòng Sở",
        "Phòng quản lý chuyên ngành",
    ],
    [
        "1.2.2",
        "Người đứng đầu Sở/Ban/Ngành chủ trì các cuộc họp về CDS của Sở/Ban/Ngành",
        30,
        "Ban chỉ đạo chuyển đổi số của Sở tổ chức họp vào các tháng 1,4,7,10.",
        "Giấy mời; biên bản họp; ý kiến chỉ đạo",
        "Văn phòng Sở",
        "Phòng quản lý chuyên ngành; Trung tâm TTTK, ƯDKHCN",
    ],
]


def _workbook(
    rows: list[list[Any]],
    header: list[str] = SEVEN,
    info: list[tuple[Any, ...]] | None = HY_INFO,
    title: str = "Bộ chỉ số",
) -> io.BytesIO:
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = title
    sheet.append(header)
    for row in rows:
        sheet.append(row)
    if info is not None:
        info_sheet = workbook.create_sheet("Thông tin")
        for row in info:
            info_sheet.append(list(row))
    buffer = io.BytesIO()
    workbook.save(buffer)
    buffer.seek(0)
    return buffer


def _load(path: Path) -> Framework:
    with path.open("rb") as fh:
        return framework_import(files.read(fh, path.name), actor=None).framework


def _export(fw: Framework) -> bytes:
    return workbook_bytes(framework_dict(fw))


def _read_back(content: bytes) -> dict[str, Any]:
    return files.read(io.BytesIO(content), "bo-chi-so.xlsx")


def _numbers(value: Any) -> Any:
    """Decimals as plain numbers (15.00 → 15, 22.50 → 22.5) for comparing layouts."""

    def plain(d: Decimal) -> int | float:
        return int(d) if d == d.to_integral_value() else float(d)

    return json.loads(json.dumps(value, default=plain))


def _sheet(content: bytes, title: str = "Bộ chỉ số") -> Any:
    return load_workbook(io.BytesIO(content))[title]


def _row(sheet: Any, number: int) -> list[Any]:
    return [c.value for c in sheet[number]]


def _refusal(content: io.BytesIO) -> list[str]:
    with translation.override("en"), pytest.raises(files.FileFormatError) as info:
        read_workbook(content)
    return str(info.value).splitlines()


# --- round trip -------------------------------------------------------------------


@pytest.mark.parametrize("path", files.builtin_files(), ids=lambda p: p.stem)
def test_a_round_trip_keeps_everything(db, path: Path) -> None:
    fw = _load(path)
    data = _read_back(_export(fw))
    data.pop("_rows")
    assert _numbers(data) == _numbers(framework_dict(fw))


def test_reimporting_an_exported_workbook_changes_nothing(db) -> None:
    fw = _load(HY)
    outcome = framework_import(_read_back(_export(fw)), actor=None)
    assert (outcome.action, outcome.framework.pk) == ("unchanged", fw.pk)


def test_the_row_map_does_not_disturb_validation(db) -> None:
    data = _read_back(_export(_load(HY)))
    assert data["_rows"]["1"] == 2 and data["_rows"]["1.1"] == 3
    assert check_dict(data) == []


def test_text_that_looks_like_a_formula_stays_text(db) -> None:
    fw = _load(HY)
    data = framework_dict(fw)
    data["indicators"][0]["children"][0]["evidence"] = "=Quyết định thành lập Ban chỉ đạo"
    back = _read_back(workbook_bytes(data))
    assert back["indicators"][0]["children"][0]["evidence"] == "=Quyết định thành lập Ban chỉ đạo"


# --- layout -----------------------------------------------------------------------


def test_the_header_row_is_the_seed_layout(db) -> None:
    sheet = _sheet(_export(_load(HY)))
    assert _row(sheet, 1) == [
        "STT",
        "Chỉ số/Chỉ số thành phần",
        "Điểm tối đa",
        "Công việc thực hiện",
        "Tài liệu kiểm chứng",
        "Đơn vị thực hiện",
        "Đơn vị phối hợp",
        "Cách tính điểm",
        "Tham số",
        "Dữ liệu đầu vào",
        "Hướng dẫn",
        "Đo tự động",
    ]
    assert _row(sheet, 1) == HEADER


def test_a_main_indicator_row_carries_its_name_and_maximum_only(db) -> None:
    sheet = _sheet(_export(_load(HY)))
    assert _row(sheet, 2) == ["1", "Nhận thức số", 120] + [None] * 9


def test_a_component_row_carries_assignment_rule_and_inputs(db) -> None:
    row = _row(_sheet(_export(_load(HY))), 3)
    assert row[:8] == [
        "1.1",
        LEADER,
        15,
        LEADER_TASKS,
        "Quyết định",
        "Văn phòng Sở",
        "Phòng quản lý chuyên ngành",
        "level",
    ]
    assert json.loads(row[8]) == {
        "input": "truong_ban_chi_dao",
        "levels": [
            {"value": "nguoi_dung_dau", "fraction": 1},
            {"value": "cap_pho", "fraction": 0.5},
            {"value": "khong_co", "fraction": 0},
        ],
    }
    assert [i["name"] for i in json.loads(row[9])] == ["truong_ban_chi_dao"]
    assert row[10].startswith("Căn cứ quyết định thành lập")
    assert row[11] is None


def test_rows_follow_the_tree_depth_first(db) -> None:
    sheet = _sheet(_export(_load(HY)))
    assert [sheet.cell(row=r, column=1).value for r in range(2, 9)] == [
        "1", "1.1", "1.2", "1.2.1", "1.2.2", "1.3", "1.4",
    ]  # fmt: skip


def test_parameters_are_compact_json_without_the_kind(db) -> None:
    sheet = _sheet(_export(_load(HY)))
    assert (sheet["H4"].value, sheet["I4"].value) == (None, None)  # 1.2 is a parent
    assert sheet["H5"].value == "ratio"
    assert sheet["I5"].value == (
        '{"numerator": "so_cuoc_hop_tinh_da_tham_du", "denominator": "so_cuoc_hop_tinh_duoc_moi"}'
    )


def test_main_indicators_are_bold_and_components_are_not(db) -> None:
    sheet = _sheet(_export(_load(HY)))
    assert sheet["B2"].font.bold and not sheet["B3"].font.bold


def test_the_sheet_prints_on_a4_landscape_with_a_frozen_header(db) -> None:
    sheet = _sheet(_export(_load(HY)))
    assert sheet.freeze_panes == "C2"
    assert (sheet.page_setup.orientation, sheet.page_setup.paperSize) == ("landscape", 9)
    assert sheet.column_dimensions["B"].width > sheet.column_dimensions["A"].width
    assert sheet["K3"].alignment.wrap_text


def test_rows_are_tall_enough_for_their_wrapped_text(db) -> None:
    sheet = _sheet(_export(_load(HY)))
    main, leader = sheet.row_dimensions[2].height, sheet.row_dimensions[3].height
    assert main < 30 and leader > 100  # 1.1's inputs run to ten lines in "Dữ liệu đầu vào"


def test_the_info_sheet_holds_the_metadata(db) -> None:
    info = _sheet(_export(_load(HY)), "Thông tin")
    values = {row[0]: row[1] for row in info.iter_rows(min_row=2, values_only=True)}
    assert _row(info, 1) == ["Trường", "Giá trị"]
    assert values["Mã bộ chỉ số"] == "hy-department-2023"
    assert values["Số quyết định"] == "3047/QĐ-UBND"
    assert values["Ngày quyết định"] == dt.datetime(2022, 12, 29)
    assert values["Áp dụng từ năm"] == 2023 and values["Áp dụng đến năm"] is None
    assert json.loads(values["Xếp loại"])[1] == {"name": "Tốt", "min_percent": 80}


def test_the_decision_date_shows_as_dd_mm_yyyy(db) -> None:
    info = _sheet(_export(_load(HY)), "Thông tin")
    date_cell = next(
        row[1] for row in info.iter_rows(min_row=2) if row[0].value == "Ngày quyết định"
    )
    assert date_cell.number_format == "DD/MM/YYYY"


# --- seed tables ----------------------------------------------------------------------


def test_a_seed_table_with_seven_columns_reads() -> None:
    data = read_workbook(_workbook(HY_SEED_ROWS))
    leader = data["indicators"][0]["children"][0]
    assert leader == {
        "code": "1.1",
        "name": LEADER,
        "max_points": Decimal(15),
        "tasks": LEADER_TASKS,
        "evidence": "Quyết định",
        "lead_unit": "Văn phòng Sở",
        "coordinating_units": ["Phòng quản lý chuyên ngành"],
    }


def test_coordinating_units_are_split_on_semicolons_only() -> None:
    data = read_workbook(_workbook(HY_SEED_ROWS))
    meetings = data["indicators"][0]["children"][1]["children"][1]
    assert meetings["coordinating_units"] == [
        "Phòng quản lý chuyên ngành",
        "Trung tâm TTTK, ƯDKHCN",
    ]


def test_the_info_sheet_of_a_seed_table_reads_dates_typed_as_text() -> None:
    data = read_workbook(_workbook(HY_SEED_ROWS))
    assert data["legal_basis"] == {
        "number": "3047/QĐ-UBND",
        "date": "2022-12-29",
        "issuer": "Ủy ban nhân dân tỉnh Hưng Yên",
    }
    assert (data["level"], data["year_from"], data["year_to"]) == ("department", 2023, None)


def test_a_seed_table_without_rules_is_refused_listing_every_leaf(db) -> None:
    data = read_workbook(_workbook(HY_SEED_ROWS))
    with pytest.raises(FrameworkError) as info:
        framework_import(data, actor=None)
    assert sorted(p.code for p in info.value.problems) == ["1.1", "1.2.1", "1.2.2"]
    with translation.override("en"):
        assert {p.message for p in info.value.problems} == {
            "a scored indicator needs a scoring rule"
        }
        assert locate(info.value.problems, data)[0].endswith(
            "(1.1): a scored indicator needs a scoring rule"
        )
    assert not Framework.objects.exists()


def test_headers_are_matched_without_accents_or_case() -> None:
    header = ["stt", "CHI SO/CHI SO THANH PHAN", "diem toi da", "Cong viec thuc hien"]
    data = read_workbook(_workbook([["1", "Nhận thức số", 15, "Ban hành kế hoạch"]], header))
    assert data["indicators"][0]["tasks"] == "Ban hành kế hoạch"


def test_a_title_above_the_table_and_a_total_row_below_are_tolerated() -> None:
    rows = [SEVEN, *HY_SEED_ROWS, [None, "Tổng cộng", 60]]
    data = read_workbook(_workbook(rows, header=["BỘ CHỈ SỐ CHUYỂN ĐỔI SỐ CẤP SỞ NĂM 2023"]))
    assert data["_rows"]["1.1"] == 4 and len(data["_rows"]) == 5


def test_parents_are_found_whatever_the_row_order() -> None:
    rows = [HY_SEED_ROWS[1], HY_SEED_ROWS[0], *HY_SEED_ROWS[2:]]
    data = read_workbook(_workbook(rows))
    assert [c["code"] for c in data["indicators"][0]["children"]] == ["1.1", "1.2"]


# --- bad rows ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("bad_row", "expected"),
    [
        ([None, "Chỉ số chưa đánh số", 10], "Row 3: the STT (indicator code) is empty"),
        (["1..2", "Chỉ số đánh số sai", 10], "Row 3: “1..2” is not an indicator code"),
        (["3.1", "Chỉ số thiếu chỉ số chính", 10], "Row 3: there is no row for 3, the parent"),
        (["1", "Nhận thức số (lặp)", 60], "Row 3: code 1 is already used on row 2"),
        (["1.1", "Người đứng đầu", "mười"], "Row 3: max points “mười” is not a number"),
        (["1.1", "Người đứng đầu", None], "Row 3: max points are missing"),
    ],
    ids=["empty STT", "1..2", "missing parent", "duplicate", "points in words", "no points"],
)
def test_each_kind_of_bad_row_is_reported_with_its_row_number(bad_row, expected) -> None:
    lines = _refusal(_workbook([["1", "Nhận thức số", 60], bad_row]))
    assert len(lines) == 1 and lines[0].startswith(expected)


def test_bad_json_in_the_parameters_is_reported_with_its_row_number() -> None:
    header = [*SEVEN, "Cách tính điểm", "Tham số"]
    bad = ["1", "Nhận thức số", 10, None, None, None, None, "count_target", "{input: so_tin_bai"]
    lines = _refusal(_workbook([bad], header))
    assert lines == [
        'Row 2: “Tham số” must be a JSON object like {"input": "so_tin_bai", "target": 25}'
    ]


def test_every_bad_row_is_reported_at_once_and_nothing_is_stored(db) -> None:
    header = [*SEVEN, "Cách tính điểm", "Tham số"]
    rows = [
        ["1", "Nhận thức số", 120],
        [None, "Chỉ số chưa đánh số", 15],
        ["1..2", "Chỉ số đánh số sai", 15],
        ["3.1", "Chỉ số thiếu chỉ số chính", 10],
        ["1.1", LEADER, 15],
        ["1.1", LEADER, 15],
        ["1.2", "Người đứng đầu chủ trì", "mười"],
        ["1.3", "Văn bản chỉ đạo", 30, None, None, None, None, "yes_no", '{"input": '],
    ]
    with pytest.raises(files.FileFormatError) as info:
        files.read(_workbook(rows, header), "hung-yen.xlsx")
    assert [line.split(":")[0] for line in str(info.value).splitlines()] == [
        "Dòng 3", "Dòng 4", "Dòng 5", "Dòng 7", "Dòng 8", "Dòng 9",
    ]  # fmt: skip
    assert not Framework.objects.exists()


def test_a_file_that_is_not_a_workbook_is_refused_clearly() -> None:
    csv = io.BytesIO("STT,Chỉ số/Chỉ số thành phần,Điểm tối đa\n1,Nhận thức số,120\n".encode())
    with translation.override("en"), pytest.raises(files.FileFormatError) as info:
        files.read(csv, "bo-chi-so.xlsx")
    assert str(info.value) == "The file is not a valid Excel (.xlsx) workbook."


def test_a_workbook_without_the_info_sheet_is_refused_clearly() -> None:
    lines = _refusal(_workbook(HY_SEED_ROWS, info=None))
    assert lines == [
        "The workbook has no sheet “Thông tin” with the framework's code, name and level; "
        "export a framework to Excel to see the layout."
    ]


def test_a_sheet_without_the_required_columns_is_refused() -> None:
    header = ["STT", "Chỉ số/Chỉ số thành phần", "Tài liệu kiểm chứng"]
    lines = _refusal(_workbook([["1", "Nhận thức số", "Quyết định"]], header))
    assert lines == ["Row 1: the header lacks the columns Điểm tối đa"]


def test_a_bad_decision_date_is_reported_on_the_info_sheet() -> None:
    info = [*HY_INFO[:7], ("Ngày quyết định", "29 tháng 12")]
    lines = _refusal(_workbook(HY_SEED_ROWS, info=info))
    assert lines == [
        "Sheet “Thông tin”, row 8: the decision date “29 tháng 12” is not a date like 29/12/2022"
    ]


# --- locating content problems -----------------------------------------------------------


def test_sums_that_do_not_add_up_are_located_by_row(db) -> None:
    data = framework_dict(_load(HY))
    data["indicators"][0]["max_points"] = Decimal(100)
    data["indicators"][0]["children"][1]["max_points"] = Decimal(40)
    with translation.override("en"):
        read = _read_back(workbook_bytes(data))
        with pytest.raises(FrameworkError) as info:
            framework_import(read | {"version": 2}, actor=None)
        lines = locate(info.value.problems, read)
    assert lines == [
        "Row 2 (1): max points 100 ≠ the sum of its children 115",
        "Row 4 (1.2): max points 40 ≠ the sum of its children 45",
    ]
    assert Framework.objects.filter(version=2).count() == 0


def test_locate_falls_back_to_the_code_when_the_row_is_unknown() -> None:
    problems = [Problem("9.9", "code used twice"), Problem("", "the framework has no indicators")]
    with translation.override("en"):
        assert locate(problems, {"_rows": {"1": 2}}) == [
            "9.9: code used twice",
            "the framework has no indicators",
        ]
