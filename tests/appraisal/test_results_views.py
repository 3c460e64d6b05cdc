"""The results screens: overview, ranking, a unit's result, gaps, emulation, exports.

Who sees what: the standing office, the council and the leadership see every
result at every stage (provisional until published); a unit's people see the
ranking and their own detail once published, never another unit's detail.
"""

from __future__ import annotations

import io

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from openpyxl import load_workbook

from dtis.appraisal.materialise import recompute
from dtis.appraisal.models import UnitResult
from dtis.frameworks.models import Framework
from dtis.frameworks.services import find
from dtis.reporting.cycles import cycle_create
from tests.appraisal.results_data import (
    REASON_HEALTH,
    REASON_HOME,
    add_units,
    build_2024,
    decide_2025,
    publish,
)

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def urls(yc) -> dict[str, str]:  # type: ignore[no-untyped-def]
    c = yc.cycle.pk
    return {
        "ranking": f"/ket-qua/{c}/",
        "ranking-xlsx": f"/ket-qua/{c}/xlsx/",
        "own": f"/ket-qua/{c}/don-vi/{yc.home.pk}/",
        "other": f"/ket-qua/{c}/don-vi/{yc.health.pk}/",
        "gaps": f"/ket-qua/{c}/chenh-lech/",
        "emulation": f"/ket-qua/{c}/thi-dua/",
        "emulation-xlsx": f"/ket-qua/{c}/thi-dua/xlsx/",
    }


def _comma(value, places: int) -> str:  # type: ignore[no-untyped-def]
    return f"{value:.{places}f}".replace(".", ",")


@pytest.fixture
def decided(year_cycle, org):  # type: ignore[no-untyped-def]
    decide_2025(year_cycle, org)
    return year_cycle


@pytest.fixture
def published(decided, org):  # type: ignore[no-untyped-def]
    publish(decided.cycle, decided.chair, org.admin)
    return decided


# --- permissions ---------------------------------------------------------------------


def test_before_publication_a_units_people_see_nothing(client: Client, decided, org):
    for person in (org.head, org.reporter):
        client.force_login(person)
        for name, url in urls(decided).items():
            assert client.get(url).status_code == 403, (person, name)


def test_the_office_the_council_and_the_leadership_see_the_provisional_results(
    client: Client, decided, org
):
    for person in (org.admin, decided.chair, decided.member, org.viewer):
        client.force_login(person)
        for name, url in urls(decided).items():
            response = client.get(url)
            assert response.status_code == 200, (person, name)
            if not url.endswith("xlsx/"):
                assert response.context["provisional"] is True


def test_another_province_sees_nothing_even_after_publication(client: Client, published, org):
    for person in (org.other_reporter, org.other_admin):
        client.force_login(person)
        for name, url in urls(published).items():
            assert client.get(url).status_code == 403, (person, name)


def test_after_publication_a_unit_sees_the_ranking_and_its_own_detail_only(
    client: Client, published, org
):
    client.force_login(org.head)
    u = urls(published)
    expected = {
        "ranking": 200,
        "ranking-xlsx": 200,
        "own": 200,
        "other": 403,
        "gaps": 200,
        "emulation": 403,
        "emulation-xlsx": 403,
    }
    assert {name: client.get(url).status_code for name, url in u.items()} == expected
    page = client.get(u["ranking"]).content.decode()
    assert "Sở Y tế tỉnh Khánh Hòa" in page and "Sở Tài chính tỉnh Khánh Hòa" in page
    assert f'href="{u["own"]}"' in page  # its own detail is linked
    assert f'href="{u["other"]}"' not in page  # another unit's is not
    assert "/thi-dua/" not in page  # no emulation tab for a unit


def test_a_unit_sees_only_its_own_rows_of_the_gaps(client: Client, published, org):
    client.force_login(org.head)
    response = client.get(urls(published)["gaps"])
    page = response.content.decode()
    assert [u.assessed.unit.code for u in response.context["data"].units] == ["KHH-SNV"]
    assert "Sở Y tế tỉnh Khánh Hòa" not in page and REASON_HEALTH not in page


def test_an_unknown_cycle_or_a_unit_of_another_cycle_is_not_found(client: Client, published, org):
    client.force_login(org.admin)
    assert client.get("/ket-qua/9999/").status_code == 404
    other = build_2024(org, published)
    home_2024 = other.assessed.get(unit=org.dept_home)
    assert client.get(f"/ket-qua/{published.cycle.pk}/don-vi/{home_2024.pk}/").status_code == 404


def test_exports_need_a_signed_in_person(client: Client, published):
    response = client.get(urls(published)["ranking-xlsx"])
    assert response.status_code == 302 and "/dang-nhap/" in response["Location"]


# --- the ranking -----------------------------------------------------------------------


def test_the_ranking_shows_ranks_indices_and_bands_with_the_decimal_comma(
    client: Client, published, org
):
    client.force_login(org.head)
    response = client.get(urls(published)["ranking"])
    page = response.content.decode()
    assert response.context["provisional"] is False
    rows = response.context["table"].rows()
    assert [r.unit.name for r in rows] == [
        "Sở Tài chính tỉnh Khánh Hòa",
        "Sở Y tế tỉnh Khánh Hòa",
        "Sở Nội vụ tỉnh Khánh Hòa",
    ]
    for row in rows:
        assert _comma(row.result.index, 4) in page  # 0,8602
        assert _comma(row.result.final_points, 2) in page  # 860,22
        for cell in row.main:
            assert _comma(cell.index, 4) in page
    assert page.count('class="badge band-1"') == 3  # "Tốt", the framework's second band
    assert "Nhận thức số" in page and "Hoạt động chính quyền số" in page


def test_the_ranking_shows_the_change_against_last_year(client: Client, year_cycle, org):
    build_2024(org, year_cycle)
    decide_2025(year_cycle, org)
    publish(year_cycle.cycle, year_cycle.chair, org.admin)
    client.force_login(org.viewer)
    response = client.get(urls(year_cycle)["ranking"])
    page = response.content.decode()
    assert response.context["table"].previous_cycle.year == 2024
    # Sở Tài chính moved up from 2nd to 1st, +0,0300; Sở Y tế down from 1st; Sở Nội vụ stays.
    assert "▲</span> 1" in page and "(+0,0300)" in page
    assert "▼</span> 1" in page
    assert 'aria-hidden="true">=</span>' in page
    assert "2024: 2" in page  # the title explains: rank in 2024: 2


def test_an_office_sees_a_provisional_ranking_before_sign_off(client: Client, year_cycle, org):
    client.force_login(org.admin)
    response = client.get(urls(year_cycle)["ranking"])
    assert response.status_code == 200
    assert response.context["stage"] == "appraising" and response.context["provisional"]
    # Nothing decided yet: every unit is at 0 points, sharing the first rank.
    assert [r.rank for r in response.context["table"].rows()] == [1, 1, 1]


def test_the_ranking_export_is_an_xlsx_attachment(client: Client, published, org):
    client.force_login(org.head)
    response = client.get(urls(published)["ranking-xlsx"])
    assert response["Content-Type"] == XLSX
    assert "attachment" in response["Content-Disposition"]
    rows = list(load_workbook(io.BytesIO(response.content)).active.values)
    assert rows[0][0] == "Xếp hạng" and rows[1][1] == "Sở Tài chính tỉnh Khánh Hòa"


# --- one unit's result --------------------------------------------------------------


def test_a_unit_reads_its_result_with_the_reason_for_each_corrected_score(
    client: Client, published, org
):
    client.force_login(org.head)
    response = client.get(urls(published)["own"])
    page = response.content.decode()
    result = UnitResult.objects.get(assessed=published.home)
    assert response.context["standing"].rank == 3
    assert response.context["group"].ranked == 3
    assert _comma(result.final_points, 2) in page and _comma(result.index, 4) in page
    assert _comma(result.self_points, 2) in page
    assert "Tốt" in page
    assert REASON_HOME in page  # the council's reason, as written
    line = next(ln for ln in response.context["lines"] if ln.row.code == "1.1")
    assert line.corrected and line.item.reason_label
    assert 'id="ind-1.1"' in page and "results-corrected" in page


def test_the_explanation_exchange_stays_with_the_item(client: Client, published, org):
    client.force_login(org.admin)
    response = client.get(urls(published)["other"])
    page = response.content.decode()
    assert "Đề nghị bổ sung báo cáo thống kê hồ sơ trực tuyến" in page
    assert "Báo cáo số 112/BC-SYT ngày 15/01/2026" in page  # the answer
    assert "112/BC-SYT" in page and "15/01/2026" in page  # the document it added
    answered = [q for ln in response.context["lines"] if ln.item for q in ln.item.requests.all()]
    assert len(answered) == 1 and answered[0].answered_late


def test_a_unit_without_a_result_yet(client: Client, year_cycle, org):
    UnitResult.objects.filter(assessed=year_cycle.home).delete()
    client.force_login(org.admin)
    response = client.get(urls(year_cycle)["own"])
    assert response.status_code == 200 and response.context["standing"] is None


# --- gaps and emulation ------------------------------------------------------------


def test_the_office_sees_every_units_gap(client: Client, published, org):
    client.force_login(org.admin)
    response = client.get(urls(published)["gaps"])
    page = response.content.decode()
    data = response.context["data"]
    assert len(data.units) == 3 and data.corrected == 3
    assert _comma(data.points_lost, 2) in page
    for u in data.units:
        assert _comma(u.self_points, 2) in page and _comma(u.appraised_points, 2) in page
    assert "<code>1.1</code>" in page


def test_the_emulation_table_groups_units_by_band(client: Client, published, org):
    client.force_login(org.admin)
    response = client.get(urls(published)["emulation"])
    page = response.content.decode()
    bands = response.context["table"].bands
    assert [b.name for b in bands] == ["Xuất sắc", "Tốt", "Khá", "Trung bình", "Yếu"]
    assert len(bands[1].rows) == 3
    assert "0 %" in page and "(0/5)" in page  # no quarter reported in the fixture
    for row in bands[1].rows:
        assert _comma(row.index, 4) in page
    export = client.get(urls(published)["emulation-xlsx"])
    assert export["Content-Type"] == XLSX
    assert len(list(load_workbook(io.BytesIO(export.content)).active.values)) == 4 + 3


# --- the overview ----------------------------------------------------------------------


def _levels(response):  # type: ignore[no-untyped-def]
    (section,) = response.context["sections"]
    return {c["key"]: [card.cycle.name for card in c["cards"]] for c in section["columns"]}


def test_the_overview_puts_the_provinces_own_its_departments_and_communes_side_by_side(
    client: Client, decided, org
):
    own = cycle_create(
        actor=org.admin,
        framework=find("vn-province-2025"),
        year=2025,  # type: ignore[arg-type]
        name="Chỉ số chuyển đổi số tỉnh Khánh Hòa năm 2025",
        scope=org.province,
        assessed=[(org.province, "Tỉnh, thành phố")],
    )
    recompute(own)
    communes = Framework.objects.create(
        code="khh-xa-2025",
        name="Bộ chỉ số đánh giá chuyển đổi số cấp xã tỉnh Khánh Hòa",
        level="commune",
        status="active",
    )
    cycle_create(
        actor=org.admin,
        framework=communes,
        year=2025,
        name="Đánh giá chuyển đổi số các xã, phường năm 2025",
        scope=org.province,
        assessed=[(org.commune, "Xã, phường")],
    )
    client.force_login(org.admin)
    response = client.get("/ket-qua/")
    assert response.context["year"] == 2025
    assert _levels(response) == {
        "own": ["Chỉ số chuyển đổi số tỉnh Khánh Hòa năm 2025"],
        "departments": ["Đánh giá chuyển đổi số các sở, ban, ngành năm 2025"],
        "communes": ["Đánh giá chuyển đổi số các xã, phường năm 2025"],
    }
    (section,) = response.context["sections"]
    own_card = section["columns"][0]["cards"][0]
    assert own_card.single is not None and own_card.single.assessed.unit == org.province
    departments = section["columns"][1]["cards"][0]
    assert [r.rank for r in departments.top] == [1, 2, 3]
    assert section["columns"][2]["cards"][0].results == []


def test_a_units_people_see_only_published_cycles_they_are_part_of(client: Client, decided, org):
    client.force_login(org.head)
    assert client.get("/ket-qua/").context["sections"] == []
    publish(decided.cycle, decided.chair, org.admin)
    response = client.get("/ket-qua/")
    assert _levels(response)["departments"] == [decided.cycle.name]
    card = response.context["sections"][0]["columns"][1]["cards"][0]
    assert [r.assessed.unit.code for r in card.own] == ["KHH-SNV"]
    assert card.can_open
    page = response.content.decode()
    assert "Sở Nội vụ" in page and f"/ket-qua/{decided.cycle.pk}/" in page


def test_the_overview_defaults_to_the_latest_year_with_results_and_switches_years(
    client: Client, published, org
):
    build_2024(org, published)
    client.force_login(org.admin)
    assert client.get("/ket-qua/").context["year"] == 2025
    response = client.get("/ket-qua/?nam=2024")
    assert response.context["year"] == 2024
    assert _levels(response)["departments"] == [
        "Đánh giá chuyển đổi số các sở, ban, ngành năm 2024"
    ]
    assert response.context["years"] == [2025, 2024]
    for bad in ("2019", "hai-nghin"):
        response = client.get(f"/ket-qua/?nam={bad}")
        assert response.status_code == 200 and response.context["year"] == 2025
        assert response.context["notice"]


def test_every_signed_in_person_has_the_results_menu(client: Client, org):
    client.force_login(org.reporter)
    page = client.get("/").content.decode()
    assert 'href="/ket-qua/"' in page


# --- queries ---------------------------------------------------------------------------


def _count(client: Client, url: str) -> int:
    client.get(url)  # warm up (session, content types)
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    return len(ctx)


@pytest.mark.parametrize(
    ("page", "bound"),
    [
        ("/ket-qua/", 14),
        ("ranking", 14),
        ("ranking-xlsx", 14),
        ("own", 18),
        ("gaps", 12),
        ("emulation", 15),
        ("emulation-xlsx", 15),
    ],
)
def test_queries_do_not_grow_with_the_number_of_units(
    client: Client, year_cycle, org, page, bound, django_assert_max_num_queries
):
    build_2024(org, year_cycle)
    decide_2025(year_cycle, org)
    url = urls(year_cycle).get(page, page)
    client.force_login(org.admin)
    few = _count(client, url)
    add_units(org, year_cycle.cycle, 5)
    many = _count(client, url)
    assert many == few
    with django_assert_max_num_queries(bound):
        client.get(url)
