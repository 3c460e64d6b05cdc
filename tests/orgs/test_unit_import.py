"""Importing units from CSV/XLSX: all-or-nothing, every bad row named."""

from __future__ import annotations

import io

import pytest
from openpyxl import Workbook

from dtis.orgs.models import Unit
from dtis.orgs.unit_files import units_import
from tests.factories import Org

HEADER = "Mã đơn vị,Tên đầy đủ,Tên viết tắt,Loại,Mã đơn vị cấp trên,Hiệu lực từ,Hiệu lực đến\n"


def csv_file(*rows: str) -> io.BytesIO:
    return io.BytesIO(("\ufeff" + HEADER + "\n".join(rows) + "\n").encode("utf-8"))


def import_csv(*rows: str, actor=None):  # type: ignore[no-untyped-def]
    return units_import(actor=actor, upload=csv_file(*rows), filename="don-vi.csv")


def snapshot() -> list[tuple]:  # type: ignore[type-arg]
    return list(
        Unit.objects.order_by("code").values_list(
            "code", "name", "kind", "parent_id", "valid_from", "valid_to", "path"
        )
    )


def test_a_good_csv_creates_the_units_with_their_parents(org: Org):
    report = import_csv(
        'KHH-SYT,Sở Y tế tỉnh Khánh Hòa,Sở Y tế,"Sở, ban, ngành",KHH,,',
        "KHH-SYT-VP,Văn phòng Sở Y tế,Văn phòng Sở,Phòng,KHH-SYT,,",
        "KHH-X-CAMLAM,Ủy ban nhân dân xã Cam Lâm,Xã Cam Lâm,Xã,KHH,01/07/2025,",
    )
    assert report.ok, report.problems
    assert (report.created, report.updated) == (3, 0)
    office = Unit.objects.select_related("parent__parent").get(code="KHH-SYT-VP")
    assert office.parent.code == "KHH-SYT"
    assert office.parent.parent == org.province
    assert office.kind == "office"
    assert office.path == f"{org.province.path}{office.parent_id}/{office.pk}/"
    commune = Unit.objects.get(code="KHH-X-CAMLAM")
    assert commune.valid_from.isoformat() == "2025-07-01"
    assert commune.kind == "commune"


def test_children_may_come_before_their_parents_in_the_file(org: Org):
    report = import_csv(
        "KHH-SYT-VP,Văn phòng Sở Y tế,,office,KHH-SYT,,",
        "KHH-SYT,Sở Y tế tỉnh Khánh Hòa,,department,KHH,,",
    )
    assert report.ok, report.problems
    assert Unit.objects.get(code="KHH-SYT-VP").parent.code == "KHH-SYT"


def test_an_xlsx_workbook_imports_like_a_csv(org: Org):
    wb = Workbook()
    ws = wb.active
    ws.append(["Mã đơn vị", "Tên đầy đủ", "Tên viết tắt", "Loại", "Mã đơn vị cấp trên",
               "Hiệu lực từ", "Hiệu lực đến"])  # fmt: skip
    import datetime as dt

    ws.append(["KHH-H-NINHHAI", "Ủy ban nhân dân huyện Ninh Hải", "Huyện Ninh Hải", "Huyện",
               "KHH", None, dt.datetime(2025, 6, 30)])  # fmt: skip
    buf = io.BytesIO()
    wb.save(buf)
    buf.seek(0)
    report = units_import(actor=None, upload=buf, filename="don-vi.xlsx")
    assert report.ok, report.problems
    unit = Unit.objects.get(code="KHH-H-NINHHAI")
    assert (unit.kind, unit.valid_to.isoformat()) == ("district", "2025-06-30")


def test_importing_again_updates_changed_rows_and_counts_the_rest_unchanged(org: Org):
    import_csv("KHH-SYT,Sở Y tế tỉnh Khánh Hòa,Sở Y tế,department,KHH,,")
    report = import_csv(
        "KHH-SYT,Sở Y tế tỉnh Khánh Hòa,Sở Y tế,department,KHH,,31/12/2026",
        "KHH-SNV,Sở Nội vụ tỉnh Khánh Hòa,Sở Nội vụ,department,KHH,,",
    )
    assert report.ok, report.problems
    assert (report.created, report.updated, report.unchanged) == (0, 1, 1)
    unit = Unit.objects.get(code="KHH-SYT")
    assert unit.valid_to.isoformat() == "2026-12-31"
    assert unit.history.count() == 2


def test_moving_a_unit_by_import_rewrites_the_paths_below_it(org: Org):
    report = import_csv("KHH-SNV,Sở Nội vụ tỉnh Khánh Hòa,Sở Nội vụ,department,KHH-STC,,")
    assert report.ok, report.problems
    office = Unit.objects.get(code="KHH-SNV-VP")
    assert office.path.startswith(Unit.objects.get(code="KHH-STC").path)


# Each bad row: the CSV line, and a fragment of the (Vietnamese) message expected.
BAD_ROWS = [
    (",Sở Y tế,,department,KHH,,", "thiếu mã đơn vị"),
    ("KHH SYT,Sở Y tế,,department,KHH,,", "KHH SYT"),
    ("KHH-SYT,,,department,KHH,,", "thiếu tên đầy đủ"),
    ("KHH-SYT,Sở Y tế,,,KHH,,", "thiếu loại đơn vị"),
    ("KHH-SYT,Sở Y tế,,hợp tác xã,KHH,,", "hợp tác xã"),
    ("KHH-SYT,Sở Y tế,,department,KHH,31/02/2025,", "31/02/2025"),
    ("KHH-SYT,Sở Y tế,,department,KHH,01/07/2025,30/06/2025", "trước ngày"),
    ("KHH-SYT,Sở Y tế,,department,KHH-KHONGCO,,", "KHH-KHONGCO"),
    ("KHH-SYT,Sở Y tế,,department,KHH-SYT,,", "chính nó"),
]


@pytest.mark.parametrize(("line", "fragment"), BAD_ROWS)
def test_a_bad_row_is_named_with_its_row_number_and_nothing_is_imported(
    org: Org, line: str, fragment: str
):
    before = snapshot()
    report = import_csv("KHH-SXD,Sở Xây dựng tỉnh Khánh Hòa,,department,KHH,,", line)
    assert not report.ok
    assert [p.row for p in report.problems] == [3]
    assert fragment.lower() in report.problems[0].message.lower()
    assert snapshot() == before


def test_every_bad_row_is_reported_not_only_the_first(org: Org):
    report = import_csv(
        ",Không có mã,,department,KHH,,",
        "KHH-SYT,Sở Y tế,,department,KHH,,",
        "KHH-SYT,Sở Y tế trùng,,department,KHH,,",
        "KHH-A,Đơn vị A,,đơn vị lạ,KHH,,",
    )
    assert [p.row for p in report.problems] == [2, 4, 5]
    assert "dòng 3" in report.problems[1].message
    assert not Unit.objects.filter(code="KHH-SYT").exists()


def test_parent_links_that_form_a_loop_are_refused(org: Org):
    before = snapshot()
    report = import_csv(
        "KHH-A,Đơn vị A,,office,KHH-B,,",
        "KHH-B,Đơn vị B,,office,KHH-A,,",
    )
    assert {p.row for p in report.problems} == {2, 3}
    assert "vòng" in report.problems[0].message
    assert snapshot() == before


def test_moving_an_existing_unit_under_its_own_office_is_a_loop(org: Org):
    before = snapshot()
    report = import_csv("KHH-SNV,Sở Nội vụ tỉnh Khánh Hòa,,department,KHH-SNV-VP,,")
    assert not report.ok
    assert snapshot() == before


def test_an_admin_cannot_import_into_another_province(org: Org):
    before = snapshot()
    report = import_csv(
        "KHH-SYT,Sở Y tế tỉnh Khánh Hòa,,department,KHH,,",
        "DNA-SYT,Sở Y tế thành phố Đà Nẵng,,department,DNA,,",
        "DNA-SNV,Sở Nội vụ Đà Nẵng (đổi tên),,department,DNA,,",
        actor=org.admin,
    )
    assert [p.row for p in report.problems] == [3, 4]
    assert snapshot() == before


def test_an_admin_cannot_add_top_level_units(org: Org):
    report = import_csv("HNI,Ủy ban nhân dân thành phố Hà Nội,,province,,,", actor=org.admin)
    assert [p.row for p in report.problems] == [2]


def test_a_file_that_is_not_csv_or_xlsx_is_refused(org: Org):
    report = units_import(actor=None, upload=io.BytesIO(b"%PDF-1.4"), filename="don-vi.pdf")
    assert not report.ok and report.problems[0].row == 0


def test_a_broken_xlsx_is_refused_with_a_message(org: Org):
    report = units_import(actor=None, upload=io.BytesIO(b"not a zip"), filename="don-vi.xlsx")
    assert not report.ok
    assert "Excel" in report.problems[0].message


def test_a_csv_not_in_utf8_is_refused_with_a_message(org: Org):
    latin = (HEADER + "KHH-SYT,Sở Y tế,,department,KHH,,\n").encode("cp1258", errors="replace")
    latin = latin.replace(b"?", b"\xff")
    report = units_import(actor=None, upload=io.BytesIO(latin), filename="don-vi.csv")
    assert not report.ok
    assert "UTF-8" in report.problems[0].message


def test_a_file_without_known_columns_is_refused(org: Org):
    report = units_import(actor=None, upload=io.BytesIO(b"a,b\n1,2\n"), filename="x.csv")
    assert not report.ok and report.problems[0].row == 0


def test_an_empty_file_is_refused(org: Org):
    report = units_import(actor=None, upload=io.BytesIO(HEADER.encode()), filename="x.csv")
    assert not report.ok


def test_semicolon_separated_csv_from_excel_is_accepted(org: Org):
    text = HEADER.replace(",", ";") + "KHH-SYT;Sở Y tế tỉnh Khánh Hòa;Sở Y tế;Sở;KHH;;\n"
    report = units_import(actor=None, upload=io.BytesIO(text.encode()), filename="x.csv")
    assert report.ok, report.problems
    assert Unit.objects.get(code="KHH-SYT").kind == "department"
