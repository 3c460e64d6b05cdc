"""The unit screens: browse, search, edit, import, export — within one's scope."""

from __future__ import annotations

import io

from django.test import Client
from openpyxl import load_workbook

from dtis.orgs.models import Unit
from dtis.orgs.units import unit_update
from tests.factories import Org, make_unit


def test_the_list_shows_only_units_in_the_persons_scope(client: Client, org: Org):
    client.force_login(org.admin)
    page = client.get("/don-vi/").content.decode()
    assert "Sở Tài chính tỉnh Khánh Hòa" in page
    assert "Đà Nẵng" not in page


def test_search_ignores_accents_and_the_letter_dd(client: Client, org: Org):
    client.force_login(org.superuser)
    page = client.get("/don-vi/", {"q": "da nang"}).content.decode()
    assert "Ủy ban nhân dân thành phố Đà Nẵng" in page
    assert "Khánh Hòa" not in page
    page = client.get("/don-vi/", {"q": "DIEN KHANH"}).content.decode()
    assert "Ủy ban nhân dân xã Diên Khánh" in page


def test_units_are_listed_in_vietnamese_alphabetical_order(client: Client, org: Org):
    make_unit("KHH-X-AN", "Ủy ban nhân dân xã Ân Phú", "commune", org.province)
    make_unit("KHH-X-AA", "Ủy ban nhân dân xã An Phú", "commune", org.province)
    client.force_login(org.admin)
    page = client.get("/don-vi/", {"kind": "commune"}).content.decode()
    assert page.index("xã An Phú") < page.index("xã Ân Phú") < page.index("xã Diên Khánh")


def test_merged_units_are_hidden_unless_asked_for(client: Client, org: Org):
    import datetime as dt

    make_unit("KHH-X-CU", "Ủy ban nhân dân xã Vĩnh Cũ", "commune", org.province,
              valid_to=dt.date(2025, 6, 30))  # fmt: skip
    client.force_login(org.admin)
    assert "Vĩnh Cũ" not in client.get("/don-vi/").content.decode()
    assert "Vĩnh Cũ" in client.get("/don-vi/", {"ended": "1"}).content.decode()


def test_the_list_costs_the_same_queries_for_ten_or_a_hundred_units(
    client: Client, org: Org, django_assert_max_num_queries
):  # type: ignore[no-untyped-def]
    client.force_login(org.admin)
    for n in range(100):
        make_unit(f"KHH-X-{n:03d}", f"Ủy ban nhân dân xã Số {n}", "commune", org.province)
    with django_assert_max_num_queries(10):
        assert client.get("/don-vi/").status_code == 200


def test_a_reporter_cannot_open_another_units_page(client: Client, org: Org):
    client.force_login(org.reporter)
    assert client.get("/don-vi/KHH-SNV/").status_code == 200
    assert client.get("/don-vi/KHH-STC/").status_code == 403
    assert client.get("/don-vi/DNA-SNV/").status_code == 403


def test_the_forbidden_page_explains_itself_in_vietnamese(client: Client, org: Org):
    client.force_login(org.reporter)
    assert "Không có quyền truy cập" in client.get("/don-vi/KHH-STC/").content.decode()


def test_a_reporter_cannot_edit_even_their_own_unit(client: Client, org: Org):
    client.force_login(org.reporter)
    assert client.get("/don-vi/KHH-SNV/sua/").status_code == 403
    response = client.post("/don-vi/KHH-SNV/sua/", {"name": "Đổi tên", "kind": "department"})
    assert response.status_code == 403
    assert Unit.objects.get(code="KHH-SNV").name == "Sở Nội vụ tỉnh Khánh Hòa"


def test_an_admin_of_another_province_cannot_edit(client: Client, org: Org):
    client.force_login(org.other_admin)
    assert client.get("/don-vi/KHH-SNV/sua/").status_code == 403


def _edit_form(unit: Unit, **changes: object) -> dict[str, object]:
    data = {
        "code": unit.code, "name": unit.name, "short_name": unit.short_name, "kind": unit.kind,
        "parent": unit.parent_id or "", "valid_from": "", "valid_to": "", "version": unit.version,
    }  # fmt: skip
    data.update(changes)
    return data


def test_an_admin_edits_a_unit_and_the_change_is_recorded(client: Client, org: Org):
    client.force_login(org.admin)
    unit = org.dept_finance
    response = client.post("/don-vi/KHH-STC/sua/", _edit_form(unit, valid_to="28/02/2025"))
    assert response.status_code == 302
    unit.refresh_from_db()
    assert unit.valid_to.isoformat() == "2025-02-28"
    latest = unit.history.latest()
    assert latest.history_user == org.admin and latest.history_type == "~"


def test_an_edit_based_on_an_old_version_is_refused(client: Client, org: Org):
    client.force_login(org.admin)
    unit = Unit.objects.get(code="KHH-STC")
    stale_form = _edit_form(unit, name="Sở Tài chính (bản cũ)")
    unit_update(actor=org.superuser, unit=unit, version=unit.version, name="Sở Tài chính mới",
                kind=unit.kind, parent=unit.parent, short_name=unit.short_name)  # fmt: skip
    response = client.post("/don-vi/KHH-STC/sua/", stale_form, follow=True)
    assert "vừa được người khác thay đổi" in response.content.decode()
    assert Unit.objects.get(code="KHH-STC").name == "Sở Tài chính mới"


def test_a_unit_cannot_move_under_its_own_office(client: Client, org: Org):
    client.force_login(org.admin)
    unit = org.dept_home
    response = client.post("/don-vi/KHH-SNV/sua/", _edit_form(unit, parent=org.dept_home_office.pk))
    assert response.status_code == 200
    assert Unit.objects.get(code="KHH-SNV").parent == org.province


def test_a_date_in_the_wrong_form_is_refused(client: Client, org: Org):
    client.force_login(org.admin)
    response = client.post(
        "/don-vi/KHH-STC/sua/", _edit_form(org.dept_finance, valid_to="2025-13-45")
    )
    assert response.status_code == 200
    assert Unit.objects.get(code="KHH-STC").valid_to is None


def test_an_admin_adds_a_unit_under_the_province(client: Client, org: Org):
    client.force_login(org.admin)
    response = client.post("/don-vi/them/", {
        "code": "khh-syt", "name": "Sở Y tế tỉnh Khánh Hòa", "short_name": "Sở Y tế",
        "kind": "department", "parent": org.province.pk, "valid_from": "01/03/2025",
    })  # fmt: skip
    assert response.status_code == 302
    unit = Unit.objects.get(code="KHH-SYT")
    assert unit.parent == org.province and unit.valid_from.isoformat() == "2025-03-01"


def test_a_duplicate_code_is_refused_on_the_form(client: Client, org: Org):
    client.force_login(org.admin)
    response = client.post("/don-vi/them/", {
        "code": "KHH-STC", "name": "Trùng mã", "kind": "department", "parent": org.province.pk,
    })  # fmt: skip
    assert response.status_code == 200
    assert "Mã này đã được một đơn vị khác sử dụng" in response.content.decode()


def test_an_admin_cannot_add_a_unit_in_another_province(client: Client, org: Org):
    client.force_login(org.admin)
    response = client.post("/don-vi/them/", {
        "code": "DNA-SYT", "name": "Sở Y tế Đà Nẵng", "kind": "department",
        "parent": org.other_province.pk,
    })  # fmt: skip
    assert response.status_code == 200
    assert not Unit.objects.filter(code="DNA-SYT").exists()


def test_the_import_page_lists_every_bad_row_and_imports_nothing(client: Client, org: Org):
    client.force_login(org.admin)
    content = ("Mã đơn vị,Tên đầy đủ,Loại,Mã đơn vị cấp trên\n"
               "KHH-SYT,Sở Y tế,department,KHH\n"
               "KHH-SXD,,department,KHH\n").encode()  # fmt: skip
    upload = io.BytesIO(content)
    upload.name = "don-vi.csv"
    page = client.post("/don-vi/nhap/", {"file": upload}).content.decode()
    assert "thiếu tên đầy đủ" in page
    assert not Unit.objects.filter(code="KHH-SYT").exists()


def test_a_reporter_cannot_import(client: Client, org: Org):
    client.force_login(org.reporter)
    assert client.get("/don-vi/nhap/").status_code == 403


def test_exported_units_import_back_unchanged(client: Client, org: Org):
    from dtis.orgs.unit_files import units_import

    client.force_login(org.admin)
    response = client.get("/don-vi/xuat/", {"format": "xlsx"})
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    workbook_bytes = io.BytesIO(response.content)
    rows = list(load_workbook(workbook_bytes).active.iter_rows(values_only=True))
    assert rows[0][0] == "Mã đơn vị"
    assert [r[0] for r in rows[1:]][:2] == ["KHH", rows[2][0]]
    assert "DNA" not in {r[0] for r in rows}
    workbook_bytes.seek(0)
    report = units_import(actor=org.admin, upload=workbook_bytes, filename="x.xlsx")
    assert report.ok, report.problems
    assert (report.created, report.updated, report.unchanged) == (0, 0, len(rows) - 1)


def test_the_csv_export_streams_utf8_with_a_bom(client: Client, org: Org):
    client.force_login(org.admin)
    response = client.get("/don-vi/xuat/", {"format": "csv", "root": "KHH-SNV"})
    text = b"".join(response.streaming_content).decode("utf-8")
    assert text.startswith("\ufeffMã đơn vị,")
    assert "KHH-SNV-VP,Văn phòng Sở Nội vụ" in text
    assert "KHH-STC" not in text


def test_a_reporter_cannot_export_another_unit(client: Client, org: Org):
    client.force_login(org.reporter)
    assert client.get("/don-vi/xuat/", {"root": "KHH-STC"}).status_code == 403


def test_browsing_lists_the_tree_with_siblings_grouped_and_alphabetical(client: Client, org: Org):
    make_unit("KHH-SCT", "Sở Công Thương tỉnh Khánh Hòa", "department", org.province,
              short_name="Sở Công Thương")  # fmt: skip
    make_unit("KHH-X-CAMLAM", "Ủy ban nhân dân xã Cam Lâm", "commune", org.province,
              short_name="Xã Cam Lâm")  # fmt: skip
    client.force_login(org.admin)
    page = client.get("/don-vi/").content.decode()
    order = [
        "Ủy ban nhân dân tỉnh Khánh Hòa",  # the scope itself first
        "Sở Công Thương tỉnh Khánh Hòa",  # departments, A → Z by short name
        "Sở Nội vụ tỉnh Khánh Hòa",
        "Văn phòng Sở Nội vụ",  # an office right under its department
        "Sở Tài chính tỉnh Khánh Hòa",
        "Ủy ban nhân dân xã Cam Lâm",  # then communes, A → Z
        "Ủy ban nhân dân xã Diên Khánh",
    ]
    positions = [page.index(f">{name}</a>") for name in order]
    assert positions == sorted(positions)


def test_renaming_a_unit_moves_it_in_the_tree(client: Client, org: Org):
    unit = Unit.objects.get(code="KHH-STC")
    unit_update(actor=None, unit=unit, version=unit.version, name="Sở Tài chính tỉnh Khánh Hòa",
                short_name="Ban Tài chính", kind=unit.kind, parent=unit.parent)  # fmt: skip
    keys = dict(Unit.objects.filter(parent=org.province, kind="department")
                .values_list("code", "tree_key"))  # fmt: skip
    assert keys["KHH-STC"] < keys["KHH-SNV"]
