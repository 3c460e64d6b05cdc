"""Assignments: importing the seed tables, copying last year's, exporting."""

from __future__ import annotations

import datetime as dt
import io
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from dtis.frameworks.services import find
from dtis.orgs.models import Unit, UnitKind
from dtis.reporting.assignment_files import (
    assignment_update,
    assignments_copy,
    assignments_export,
    assignments_import,
)
from dtis.reporting.cycles import cycle_create
from dtis.reporting.models import AssessedUnit, Assignment, Cycle
from tests.factories import Org, make_unit

DATA = Path(__file__).resolve().parent.parent / "data"
PROVINCE_TABLE = DATA / "framework-vn-province-2025.csv"
DEPARTMENT_TABLE = DATA / "framework-hung-yen-department-2023.csv"


@pytest.fixture
def khh_agencies(org: Org, province_cycle: Cycle) -> dict[str, Unit]:
    """The other lead agencies the national table names, registered after the
    cycle was created (so their indicators still sit with the province)."""
    specs = [
        ("KHH-SKHCN", "Sở Khoa học và Công nghệ tỉnh Khánh Hòa", "Sở KH&CN", UnitKind.DEPARTMENT),
        ("KHH-SVHTTDL", "Sở Văn hóa, Thể thao và Du lịch tỉnh Khánh Hòa",
         "Sở Văn hóa, Thể thao và Du lịch", UnitKind.DEPARTMENT),
        ("KHH-SCT", "Sở Công Thương tỉnh Khánh Hòa", "Sở Công Thương", UnitKind.DEPARTMENT),
        ("KHH-SXD", "Sở Xây dựng tỉnh Khánh Hòa", "Sở Xây dựng", UnitKind.DEPARTMENT),
        ("KHH-CA", "Công an tỉnh Khánh Hòa", "Công an tỉnh", UnitKind.AGENCY),
        ("KHH-VPUBND", "Văn phòng Ủy ban nhân dân tỉnh Khánh Hòa", "Văn phòng UBND tỉnh",
         UnitKind.AGENCY),
    ]  # fmt: skip
    return {
        code: make_unit(code, name, kind, org.province, short_name=short)
        for code, name, short, kind in specs
    }


def import_file(cycle: Cycle, assessed: AssessedUnit, path: Path, actor=None):  # type: ignore[no-untyped-def]
    with path.open("rb") as fh:
        return assignments_import(
            actor=actor, cycle=cycle, assessed=assessed, upload=fh, filename=path.name
        )


def import_bytes(cycle: Cycle, assessed: AssessedUnit, data: bytes, filename: str):  # type: ignore[no-untyped-def]
    return assignments_import(
        actor=None, cycle=cycle, assessed=assessed, upload=io.BytesIO(data), filename=filename
    )


def snapshot(cycle: Cycle) -> dict[tuple[str, str], tuple[object, ...]]:
    """Everything an import may change, per assessed unit and indicator."""
    return {
        (a.assessed.unit.code, a.indicator.code): (
            a.owner.code,
            tuple(sorted(u.code for u in a.coordinators.all())),
            a.coordinators_text,
            a.tasks,
            a.evidence,
            a.due,
        )
        for a in Assignment.objects.filter(cycle=cycle)
        .select_related("assessed__unit", "indicator", "owner")
        .prefetch_related("coordinators")
    }


def assessed_of(cycle: Cycle, code: str) -> AssessedUnit:
    return cycle.assessed.get(unit__code=code)


# --- the national table into the province's own cycle ----------------------------


def test_the_national_table_gives_each_indicator_to_its_lead_agency(
    org: Org, province_cycle: Cycle, khh_agencies: dict[str, Unit]
):
    report = import_file(province_cycle, assessed_of(province_cycle, "KHH"), PROVINCE_TABLE)
    assert report.ok, report.problems
    # 47 scored indicators; 8 main indicators, the smart-city group and its
    # three 0-point indicators are skipped.
    assert (report.updated, report.skipped) == (47, 12)
    owners = Assignment.objects.filter(cycle=province_cycle)
    counts = {code: owners.filter(owner__code=code).count() for code in
              ["KHH-SKHCN", "KHH-VPUBND", "KHH-CA", "KHH-SNV", "KHH-STC", "KHH-SVHTTDL",
               "KHH-SCT", "KHH"]}  # fmt: skip
    assert counts == {"KHH-SKHCN": 24, "KHH-VPUBND": 7, "KHH-CA": 7, "KHH-SNV": 4,
                      "KHH-STC": 2, "KHH-SVHTTDL": 2, "KHH-SCT": 1, "KHH": 0}  # fmt: skip


def test_named_coordinators_become_units_and_collective_ones_stay_text(
    org: Org, province_cycle: Cycle, khh_agencies: dict[str, Unit]
):
    import_file(province_cycle, assessed_of(province_cycle, "KHH"), PROVINCE_TABLE)
    by_code = {
        a.indicator.code: a
        for a in Assignment.objects.filter(cycle=province_cycle)
        .select_related("indicator")
        .prefetch_related("coordinators")
    }
    # "Sở KH&CN; Văn phòng UBND tỉnh": two units.
    assert {u.code for u in by_code["2.4"].coordinators.all()} == {"KHH-SKHCN", "KHH-VPUBND"}
    assert by_code["2.4"].coordinators_text == ""
    # "Thống kê tỉnh; Sở Tài chính": the statistics office is not registered.
    assert {u.code for u in by_code["7.1"].coordinators.all()} == {"KHH-STC"}
    assert by_code["7.1"].coordinators_text == "Thống kê tỉnh"
    # A name with a comma that is one body, and a collective phrase, stay whole.
    assert by_code["1.4"].coordinators_text == "Báo và Phát thanh, Truyền hình Khánh Hòa"
    assert by_code["4.1"].coordinators_text == "Sở, ban, ngành, địa phương"
    with_text = sum(1 for a in by_code.values() if a.coordinators_text)
    with_units = sum(1 for a in by_code.values() if a.coordinators.all())
    assert (with_text, with_units) == (32, 11)


def test_an_unknown_code_and_an_unknown_lead_agency_are_reported_by_row(
    org: Org, province_cycle: Cycle, khh_agencies: dict[str, Unit]
):
    before = snapshot(province_cycle)
    table = (
        "STT,Chỉ số,Điểm tối đa,Đơn vị chủ trì,Đơn vị phối hợp\n"
        "1.1,Trưởng ban Ban chỉ đạo,10,Sở KH&CN,Văn phòng Tỉnh ủy\n"
        "9.9,Chỉ số không có trong bộ chỉ số,10,Sở KH&CN,\n"
        "6.4,Tỷ lệ dịch vụ công trực tuyến toàn trình,20,Sở Giao thông vận tải,Sở KH&CN\n"
    )
    report = import_bytes(
        province_cycle, assessed_of(province_cycle, "KHH"), table.encode(), "phan-cong.csv"
    )
    assert [p.row for p in report.problems] == [3, 4]
    assert "9.9" in report.problems[0].message
    assert "Sở Giao thông vận tải" in report.problems[1].message
    assert snapshot(province_cycle) == before


def test_the_same_indicator_twice_is_refused(org: Org, province_cycle: Cycle):
    table = "Mã,Đơn vị chủ trì\n4.1,Sở Nội vụ\n4.1,Sở Tài chính\n"
    report = import_bytes(
        province_cycle, assessed_of(province_cycle, "KHH"), table.encode(), "a.csv"
    )
    assert [p.row for p in report.problems] == [3]


def test_headers_are_matched_without_accents(org: Org, province_cycle: Cycle):
    table = "stt;chi so;don vi chu tri;don vi phoi hop\n4.2;Tỷ lệ;so noi vu;So Tai chinh\n"
    report = import_bytes(
        province_cycle, assessed_of(province_cycle, "KHH"), table.encode(), "a.csv"
    )
    assert report.ok, report.problems
    a = Assignment.objects.get(cycle=province_cycle, indicator__code="4.2")
    assert a.owner.code == "KHH-SNV"
    assert [u.code for u in a.coordinators.all()] == ["KHH-STC"]


# --- the department table into the departments' cycle ----------------------------


def test_the_department_table_gives_indicators_to_the_departments_offices(
    org: Org, dept_cycle: Cycle
):
    home = assessed_of(dept_cycle, "KHH-SNV")
    report = import_file(dept_cycle, home, DEPARTMENT_TABLE)
    assert report.ok, report.problems
    assert (report.updated, report.skipped) == (42, 7)
    mine = Assignment.objects.filter(assessed=home)
    # "Văn phòng Sở" / "Văn Phòng Sở" is the department's registered office.
    assert mine.filter(owner=org.dept_home_office).count() == 14
    # Offices the province has not registered ("Phòng quản lý chuyên ngành",
    # "Kế toán Sở"…) leave the indicator with the department itself.
    assert mine.filter(owner=org.dept_home).count() == 28
    assert len(report.kept_with_unit) == 28
    assert {p.message for p in report.kept_with_unit} >= {"Phòng quản lý chuyên ngành", "Văn Thư"}
    assert mine.exclude(coordinators_text="").count() == 42
    assert mine.get(indicator__code="1.1").tasks.startswith("- Quyết định thành lập ban chỉ đạo")


def test_importing_for_one_department_leaves_the_other_alone(org: Org, dept_cycle: Cycle):
    finance = snapshot(dept_cycle)
    import_file(dept_cycle, assessed_of(dept_cycle, "KHH-SNV"), DEPARTMENT_TABLE)
    after = snapshot(dept_cycle)
    assert {k: v for k, v in after.items() if k[0] == "KHH-STC"} == {
        k: v for k, v in finance.items() if k[0] == "KHH-STC"
    }


def test_a_non_office_user_cannot_import(org: Org, dept_cycle: Cycle):
    report = import_file(
        dept_cycle, assessed_of(dept_cycle, "KHH-SNV"), DEPARTMENT_TABLE, actor=org.reporter
    )
    assert not report.ok
    assert not Assignment.objects.filter(cycle=dept_cycle, owner=org.dept_home_office).exists()


# --- export and round trip ----------------------------------------------------------


def test_an_exported_province_table_imports_back_unchanged(
    org: Org, province_cycle: Cycle, khh_agencies: dict[str, Unit]
):
    assessed = assessed_of(province_cycle, "KHH")
    import_file(province_cycle, assessed, PROVINCE_TABLE)
    assignment = Assignment.objects.get(cycle=province_cycle, indicator__code="6.4")
    assignment.due = dt.date(2026, 9, 30)
    assignment.save()
    before = snapshot(province_cycle)
    report = import_bytes(
        province_cycle, assessed, assignments_export(province_cycle, assessed), "xuat.xlsx"
    )
    assert report.ok, report.problems
    assert (report.updated, report.unchanged) == (0, 47)
    assert snapshot(province_cycle) == before


def test_an_exported_department_table_imports_back_unchanged(org: Org, dept_cycle: Cycle):
    assessed = assessed_of(dept_cycle, "KHH-SNV")
    import_file(dept_cycle, assessed, DEPARTMENT_TABLE)
    before = snapshot(dept_cycle)
    report = import_bytes(dept_cycle, assessed, assignments_export(dept_cycle, assessed), "x.xlsx")
    assert report.ok, report.problems
    assert (report.updated, report.unchanged, report.kept_with_unit) == (0, 42, [])
    assert snapshot(dept_cycle) == before


# --- copy from last year --------------------------------------------------------------


@pytest.fixture
def cycle_2025(org: Org, frameworks) -> Cycle:  # type: ignore[no-untyped-def]
    return cycle_create(
        actor=org.admin,
        framework=find("vn-province-2025"),  # type: ignore[arg-type]
        year=2025,
        name="Chỉ số chuyển đổi số tỉnh Khánh Hòa năm 2025",
        scope=org.province,
        assessed=[(org.province, "Tỉnh, thành phố")],
    )


def test_last_years_assignments_are_copied_by_indicator_code(
    org: Org, cycle_2025: Cycle, province_cycle: Cycle
):
    last_year = Assignment.objects.get(cycle=cycle_2025, indicator__code="6.9")
    assignment_update(
        actor=org.admin,
        assignment=last_year,
        owner=org.dept_finance,
        coordinators=[org.dept_home],
        coordinators_text="Các sở, ban, ngành, địa phương",
        tasks="Tổng hợp chi ngân sách cho chính quyền số của các cơ quan, đơn vị",
        evidence="Báo cáo quyết toán ngân sách năm 2025",
        due=dt.date(2025, 6, 30),
    )
    copied = assignments_copy(actor=org.admin, source=cycle_2025, target=province_cycle)
    assert copied == 47
    now = Assignment.objects.get(cycle=province_cycle, indicator__code="6.9")
    assert now.owner == org.dept_finance
    assert [u.code for u in now.coordinators.all()] == ["KHH-SNV"]
    assert now.coordinators_text == "Các sở, ban, ngành, địa phương"
    assert now.evidence == "Báo cáo quyết toán ngân sách năm 2025"
    assert now.due == dt.date(2026, 6, 30)
    province_cycle.refresh_from_db()
    assert province_cycle.copied_from == cycle_2025


def test_copying_between_different_scopes_is_refused(
    org: Org,
    cycle_2025: Cycle,
    frameworks,  # type: ignore[no-untyped-def]
):
    elsewhere = cycle_create(
        actor=None,
        framework=find("vn-province-2025"),  # type: ignore[arg-type]
        year=2026,
        name="Chỉ số chuyển đổi số thành phố Đà Nẵng năm 2026",
        scope=org.other_province,
        assessed=[(org.other_province, "Tỉnh, thành phố")],
    )
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError):
        assignments_copy(actor=None, source=cycle_2025, target=elsewhere)


def test_an_edit_keeps_the_coordinators_in_the_history(org: Org, dept_cycle: Cycle):
    a = Assignment.objects.get(assessed__unit=org.dept_home, indicator__code="1.1")
    assignment_update(
        actor=org.admin, assignment=a, owner=org.dept_home_office,
        coordinators=[org.dept_home_office, org.dept_home], coordinators_text="",
        tasks="Kiện toàn Ban chỉ đạo", evidence="Quyết định", due=None,
    )  # fmt: skip
    record = a.history.order_by("-history_id").first()
    assert record.history_user == org.admin
    assert record.owner_id == org.dept_home_office.pk
    # The owner is never also one of the coordinators.
    assert [c.unit_id for c in record.coordinators.all()] == [org.dept_home.pk]


# --- the command --------------------------------------------------------------------


def test_the_command_imports_a_department_table(org: Org, dept_cycle: Cycle):
    out = io.StringIO()
    call_command(
        "cycles", "import-assignments", str(dept_cycle.pk), str(DEPARTMENT_TABLE),
        "--unit", "KHH-SNV", stdout=out,
    )  # fmt: skip
    assert "42" in out.getvalue()
    assert Assignment.objects.filter(owner=org.dept_home_office).count() == 14


def test_the_command_needs_the_unit_when_several_are_assessed(org: Org, dept_cycle: Cycle):
    with pytest.raises(CommandError):
        call_command("cycles", "import-assignments", str(dept_cycle.pk), str(DEPARTMENT_TABLE))


def test_the_command_refuses_a_bad_file_and_changes_nothing(
    org: Org, province_cycle: Cycle, tmp_path: Path
):
    before = snapshot(province_cycle)
    bad = tmp_path / "phan-cong.csv"
    bad.write_text("STT,Đơn vị chủ trì\n9.9,Sở Nội vụ\n", encoding="utf-8")
    err = io.StringIO()
    with pytest.raises(CommandError):
        call_command("cycles", "import-assignments", str(province_cycle.pk), str(bad), stderr=err)
    assert "9.9" in err.getvalue()
    assert snapshot(province_cycle) == before


def test_group_headings_without_a_lead_unit_are_skipped(org: Org, province_cycle: Cycle):
    table = (
        "STT,Chỉ số,Đơn vị chủ trì,Đơn vị phối hợp\n"
        "I,NHẬN THỨC SỐ,,\n"
        '4.1,Bộ phận/đầu mối chuyển đổi số,Sở Nội vụ,"Sở, ban, ngành, địa phương"\n'
    )
    report = import_bytes(
        province_cycle, assessed_of(province_cycle, "KHH"), table.encode(), "a.csv"
    )
    assert report.ok, report.problems
    assert (report.updated, report.skipped) == (1, 1)


def test_the_command_exports_a_table_that_imports_back_unchanged(
    org: Org, dept_cycle: Cycle, tmp_path: Path
):
    out_file = tmp_path / "phan-cong-snv.xlsx"
    call_command(
        "cycles", "export-assignments", str(dept_cycle.pk), "--unit", "KHH-STC",
        "--out", str(out_file), stdout=io.StringIO(),
    )  # fmt: skip
    before = snapshot(dept_cycle)
    call_command(
        "cycles", "import-assignments", str(dept_cycle.pk), str(out_file), "--unit", "KHH-STC",
        stdout=io.StringIO(),
    )  # fmt: skip
    assert snapshot(dept_cycle) == before
