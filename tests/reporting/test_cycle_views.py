"""The cycle and assignment screens, and `dtis cycles list`."""

from __future__ import annotations

import datetime as dt
import io
import json
from pathlib import Path

from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.test import Client
from django.utils import timezone
from openpyxl import load_workbook

from dtis.frameworks.services import find
from dtis.reporting.models import Assignment, Cycle, PeriodState, Reopening
from tests.factories import Org

DATA = Path(__file__).resolve().parent.parent / "data"
DEPARTMENT_TABLE = DATA / "framework-hung-yen-department-2023.csv"


def url_detail(cycle: Cycle) -> str:
    return f"/dot-danh-gia/{cycle.pk}/"


def url_assignments(cycle: Cycle, unit_code: str | None = None) -> str:
    url = f"/dot-danh-gia/{cycle.pk}/phan-cong/"
    if unit_code:
        url += f"?unit={cycle.assessed.get(unit__code=unit_code).pk}"
    return url


def create_form(org: Org, **changes: object) -> dict[str, object]:
    data: dict[str, object] = {
        "framework": find("hy-department-2023").pk,  # type: ignore[union-attr]
        "year": 2027,
        "name": "Đánh giá chuyển đổi số các sở, ban, ngành năm 2027",
        "scope": org.province.pk,
        "assessed_mode": "kind",
        "assessed_kind": "department",
        "peer_group": "",
        "unit_day": 25,
        "office_day": 30,
        "year_unit_deadline": "05/12/2027",
        "year_office_deadline": "25/12/2027",
    }
    data.update(changes)
    return data


# --- list and create ------------------------------------------------------------------


def test_the_office_sees_its_cycles_and_may_create_one(
    client: Client, org: Org, dept_cycle: Cycle, province_cycle: Cycle
):
    client.force_login(org.admin)
    page = client.get("/dot-danh-gia/").content.decode()
    assert dept_cycle.name in page and province_cycle.name in page
    assert "hy-department-2023" in page
    assert "/dot-danh-gia/tao-moi/" in page


def test_a_reporter_sees_the_cycle_assessing_their_department_without_the_create_button(
    client: Client, org: Org, dept_cycle: Cycle
):
    client.force_login(org.reporter)
    page = client.get("/dot-danh-gia/").content.decode()
    assert dept_cycle.name in page
    assert "/dot-danh-gia/tao-moi/" not in page


def test_a_reporter_of_another_province_sees_no_cycle_of_khanh_hoa(
    client: Client, org: Org, dept_cycle: Cycle
):
    client.force_login(org.other_reporter)
    assert dept_cycle.name not in client.get("/dot-danh-gia/").content.decode()
    assert client.get(url_detail(dept_cycle)).status_code == 403
    assert client.get(url_assignments(dept_cycle)).status_code == 403


def test_the_create_form_makes_a_cycle_for_every_department_of_the_province(
    client: Client,
    org: Org,
    frameworks,  # type: ignore[no-untyped-def]
):
    client.force_login(org.admin)
    response = client.post("/dot-danh-gia/tao-moi/", create_form(org))
    cycle = Cycle.objects.get(year=2027)
    assert response.status_code == 302 and response["Location"] == url_detail(cycle)
    assessed = {a.unit.code: a.peer_group for a in cycle.assessed.select_related("unit")}
    # Sở Nội vụ Đà Nẵng is a department too, but not under Khánh Hòa.
    assert assessed == {"KHH-SNV": "Sở, ban, ngành", "KHH-STC": "Sở, ban, ngành"}
    year = cycle.periods.get(kind="year")
    assert (year.unit_deadline, year.office_deadline) == (
        dt.date(2027, 12, 5),
        dt.date(2027, 12, 25),
    )
    assert cycle.assignments.count() == 2 * 42


def test_the_create_form_refuses_an_office_deadline_before_the_units_and_creates_nothing(
    client: Client,
    org: Org,
    frameworks,  # type: ignore[no-untyped-def]
):
    client.force_login(org.admin)
    response = client.post(
        "/dot-danh-gia/tao-moi/", create_form(org, year_office_deadline="01/12/2027")
    )
    assert response.status_code == 200
    assert response.context["form"].errors["year_office_deadline"]
    assert not Cycle.objects.exists()


def test_the_create_form_refuses_a_type_with_no_unit_under_the_scope(
    client: Client,
    org: Org,
    frameworks,  # type: ignore[no-untyped-def]
):
    client.force_login(org.admin)
    response = client.post("/dot-danh-gia/tao-moi/", create_form(org, assessed_kind="district"))
    assert response.context["form"].errors["assessed_kind"]
    assert not Cycle.objects.exists()


def test_the_create_form_offers_only_scopes_the_user_runs(
    client: Client,
    org: Org,
    frameworks,  # type: ignore[no-untyped-def]
):
    client.force_login(org.admin)
    response = client.post("/dot-danh-gia/tao-moi/", create_form(org, scope=org.other_province.pk))
    assert response.context["form"].errors["scope"]
    assert not Cycle.objects.exists()


# --- the office's pages are closed to others -----------------------------------------


def test_a_reporter_cannot_open_the_office_pages(client: Client, org: Org, dept_cycle: Cycle):
    client.force_login(org.reporter)
    assignment = Assignment.objects.filter(assessed__unit=org.dept_home).first()
    period = dept_cycle.periods.get(kind="q1")
    base = f"/dot-danh-gia/{dept_cycle.pk}"
    assert client.get("/dot-danh-gia/tao-moi/").status_code == 403
    assert client.get(f"{base}/phan-cong/{assignment.pk}/sua/").status_code == 403  # type: ignore[union-attr]
    assert client.get(f"{base}/phan-cong/nhap/").status_code == 403
    assert client.get(f"{base}/phan-cong/sao-chep/").status_code == 403
    assert client.post(f"{base}/ky/{period.pk}/trang-thai/", {"state": "closed"}).status_code == 403
    assert client.post(f"{base}/mo-lai/", {}).status_code == 403
    period.refresh_from_db()
    assert period.state == PeriodState.OPEN


def test_a_reporter_reads_the_cycle_without_office_controls(
    client: Client, org: Org, dept_cycle: Cycle
):
    client.force_login(org.reporter)
    page = client.get(url_detail(dept_cycle)).content.decode()
    assert "trang-thai" not in page and "mo-lai" not in page


# --- periods -----------------------------------------------------------------------------


def test_the_office_closes_a_period(client: Client, org: Org, dept_cycle: Cycle):
    client.force_login(org.admin)
    period = dept_cycle.periods.get(kind="q1")
    response = client.post(
        f"/dot-danh-gia/{dept_cycle.pk}/ky/{period.pk}/trang-thai/", {"state": "closed"}
    )
    assert response.status_code == 302
    period.refresh_from_db()
    assert period.state == PeriodState.CLOSED
    assert period.history.first().history_user == org.admin


def test_the_office_moves_a_quarters_deadlines(client: Client, org: Org, dept_cycle: Cycle):
    client.force_login(org.admin)
    period = dept_cycle.periods.get(kind="q2")
    response = client.post(
        f"/dot-danh-gia/{dept_cycle.pk}/ky/{period.pk}/thoi-han/",
        {
            f"p{period.pk}-unit_deadline": "20/06/2026",
            f"p{period.pk}-office_deadline": "26/06/2026",
        },
    )
    assert response.status_code == 302
    period.refresh_from_db()
    assert (period.unit_deadline, period.office_deadline) == (
        dt.date(2026, 6, 20),
        dt.date(2026, 6, 26),
    )


def test_an_office_deadline_before_the_units_is_refused(
    client: Client, org: Org, dept_cycle: Cycle
):
    client.force_login(org.admin)
    period = dept_cycle.periods.get(kind="q2")
    response = client.post(
        f"/dot-danh-gia/{dept_cycle.pk}/ky/{period.pk}/thoi-han/",
        {
            f"p{period.pk}-unit_deadline": "25/06/2026",
            f"p{period.pk}-office_deadline": "20/06/2026",
        },
    )
    assert response.status_code == 200
    assert "office_deadline" in next(
        p.form.errors for p in response.context["periods"] if p.pk == period.pk
    )
    period.refresh_from_db()
    assert period.unit_deadline == dt.date(2026, 6, 25)


def test_the_office_reopens_a_period_for_one_department(
    client: Client, org: Org, dept_cycle: Cycle
):
    client.force_login(org.admin)
    period = dept_cycle.periods.get(kind="q1")
    until = timezone.localdate() + dt.timedelta(days=20)
    response = client.post(
        f"/dot-danh-gia/{dept_cycle.pk}/mo-lai/",
        {
            "period": period.pk,
            "unit": org.dept_finance.pk,
            "until": until.strftime("%d/%m/%Y"),
            "reason": "Công văn số 15/STC-VP ngày 02/4/2026 xin gia hạn",
        },
    )
    assert response.status_code == 302
    reopening = Reopening.objects.get()
    assert (reopening.unit, reopening.until, reopening.by) == (org.dept_finance, until, org.admin)


def test_a_reopening_in_the_past_is_refused(client: Client, org: Org, dept_cycle: Cycle):
    client.force_login(org.admin)
    period = dept_cycle.periods.get(kind="q1")
    response = client.post(
        f"/dot-danh-gia/{dept_cycle.pk}/mo-lai/",
        {"period": period.pk, "unit": org.dept_finance.pk, "until": "01/01/2020",
         "reason": "Xin gia hạn"},
    )  # fmt: skip
    assert response.status_code == 200
    assert response.context["reopen_form"].errors
    assert not Reopening.objects.exists()


# --- assignments ---------------------------------------------------------------------------


def test_the_assignment_table_is_read_in_a_bounded_number_of_queries(
    client: Client, org: Org, dept_cycle: Cycle, django_assert_max_num_queries
):
    client.force_login(org.admin)
    url = url_assignments(dept_cycle, "KHH-SNV")
    with django_assert_max_num_queries(12):
        response = client.get(url)
    assert response.status_code == 200
    page = response.content.decode()
    assert page.count('id="a-') == 42
    assert "Nhận thức số" in page


def test_the_assignment_table_filters_by_main_indicator_and_accentless_text(
    client: Client, org: Org, dept_cycle: Cycle
):
    client.force_login(org.admin)
    url = url_assignments(dept_cycle, "KHH-SNV")
    response = client.get(url + "&main=5&q=dien tap")
    codes = [a.indicator.code for g in response.context["groups"] for a in g["rows"]]
    assert codes == ["5.6", "5.9"]


def test_the_office_edits_one_assignment(client: Client, org: Org, dept_cycle: Cycle):
    client.force_login(org.admin)
    a = Assignment.objects.get(assessed__unit=org.dept_home, indicator__code="1.4")
    response = client.post(
        f"/dot-danh-gia/{dept_cycle.pk}/phan-cong/{a.pk}/sua/",
        {
            "owner": org.dept_home_office.pk,
            "coordinators": [org.dept_finance.pk],
            "coordinators_text": "Các phòng, đơn vị có liên quan",
            "tasks": "Duy trì chuyên mục chuyển đổi số, đăng tối thiểu 25 tin bài/năm",
            "evidence": "Đường link chuyên mục, danh sách tin bài",
            "due": "30/11/2026",
        },
    )
    assert response.status_code == 302
    a.refresh_from_db()
    assert a.owner == org.dept_home_office
    assert [u.code for u in a.coordinators.all()] == ["KHH-STC"]
    assert a.due == dt.date(2026, 11, 30)


def test_a_lead_unit_outside_the_scope_is_refused(client: Client, org: Org, dept_cycle: Cycle):
    client.force_login(org.admin)
    a = Assignment.objects.get(assessed__unit=org.dept_home, indicator__code="1.4")
    response = client.post(
        f"/dot-danh-gia/{dept_cycle.pk}/phan-cong/{a.pk}/sua/", {"owner": org.other_dept.pk}
    )
    assert response.status_code == 200 and response.context["form"].errors["owner"]
    a.refresh_from_db()
    assert a.owner == org.dept_home


def test_the_office_imports_a_department_table_through_the_page(
    client: Client, org: Org, dept_cycle: Cycle
):
    client.force_login(org.admin)
    upload = SimpleUploadedFile(DEPARTMENT_TABLE.name, DEPARTMENT_TABLE.read_bytes())
    assessed = dept_cycle.assessed.get(unit=org.dept_home)
    response = client.post(
        f"/dot-danh-gia/{dept_cycle.pk}/phan-cong/nhap/",
        {"assessed": assessed.pk, "file": upload},
        follow=True,
    )
    page = response.content.decode()
    assert response.redirect_chain[-1][0] == url_assignments(dept_cycle, "KHH-SNV")
    assert "Phòng quản lý chuyên ngành" in page  # the offices kept with the department
    assert Assignment.objects.filter(owner=org.dept_home_office).count() == 14


def test_a_bad_file_lists_its_rows_on_the_page(client: Client, org: Org, dept_cycle: Cycle):
    client.force_login(org.admin)
    upload = SimpleUploadedFile("phan-cong.csv", "STT,Đơn vị chủ trì\n9.9,Văn phòng Sở\n".encode())
    assessed = dept_cycle.assessed.get(unit=org.dept_home)
    response = client.post(
        f"/dot-danh-gia/{dept_cycle.pk}/phan-cong/nhap/", {"assessed": assessed.pk, "file": upload}
    )
    assert response.status_code == 200
    assert [p.row for p in response.context["report"].problems] == [2]


def test_the_office_exports_the_assignments_to_excel(client: Client, org: Org, dept_cycle: Cycle):
    client.force_login(org.admin)
    response = client.get(
        f"/dot-danh-gia/{dept_cycle.pk}/phan-cong/xuat/"
        f"?unit={dept_cycle.assessed.get(unit=org.dept_home).pk}"
    )
    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(response.content)).worksheets[0]
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][:3] == ("STT", "Chỉ số", "Điểm tối đa")
    assert len(rows) == 1 + 49  # the header, 7 groups and 42 indicators


def test_the_office_copies_last_years_assignments_through_the_page(
    client: Client, org: Org, province_cycle: Cycle
):
    from dtis.reporting.cycles import cycle_create

    last_year = cycle_create(
        actor=org.admin,
        framework=find("vn-province-2025"),  # type: ignore[arg-type]
        year=2025,
        name="Chỉ số chuyển đổi số tỉnh Khánh Hòa năm 2025",
        scope=org.province,
        assessed=[(org.province, "Tỉnh, thành phố")],
    )
    Assignment.objects.filter(cycle=last_year, indicator__code="1.1").update(
        tasks="Kiện toàn Ban Chỉ đạo chuyển đổi số tỉnh"
    )
    client.force_login(org.admin)
    response = client.post(
        f"/dot-danh-gia/{province_cycle.pk}/phan-cong/sao-chep/", {"source": last_year.pk}
    )
    assert response.status_code == 302
    copied = Assignment.objects.get(cycle=province_cycle, indicator__code="1.1")
    assert copied.tasks == "Kiện toàn Ban Chỉ đạo chuyển đổi số tỉnh"


def test_a_reporter_reads_their_departments_assignments_without_edit_links(
    client: Client, org: Org, dept_cycle: Cycle
):
    client.force_login(org.reporter)
    response = client.get(url_assignments(dept_cycle))
    assert response.status_code == 200
    assert response.context["assessed"].unit == org.dept_home
    assert "/sua/" not in response.content.decode()


def test_in_the_provinces_cycle_a_reporter_sees_only_the_indicators_of_their_department(
    client: Client, org: Org, province_cycle: Cycle
):
    client.force_login(org.reporter)
    response = client.get(url_assignments(province_cycle))
    assert response.status_code == 200
    codes = [a.indicator.code for g in response.context["groups"] for a in g["rows"]]
    assert codes == ["4.1", "4.2", "4.3", "4.4"]


# --- the command -----------------------------------------------------------------------------


def test_cycles_list_json_gives_each_cycle_with_its_periods(
    org: Org, dept_cycle: Cycle, province_cycle: Cycle
):
    out = io.StringIO()
    call_command("cycles", "list", "--json", stdout=out)
    items = json.loads(out.getvalue())
    by_id = {i["id"]: i for i in items}
    dept = by_id[dept_cycle.pk]
    assert set(dept) == {"id", "framework", "year", "name", "assessed_units", "periods"}
    assert (dept["framework"], dept["year"], dept["assessed_units"]) == (
        "hy-department-2023",
        2026,
        2,
    )
    assert by_id[province_cycle.pk]["assessed_units"] == 1
    assert [p["kind"] for p in dept["periods"]] == ["q1", "q2", "h1", "q3", "q4", "year"]
    q2 = dept["periods"][1]
    assert q2 == {"kind": "q2", "state": "planned", "unit_deadline": "2026-06-25"}


def test_cycles_list_prints_a_table(org: Org, dept_cycle: Cycle):
    out = io.StringIO()
    call_command("cycles", "list", stdout=out)
    assert dept_cycle.name in out.getvalue()
