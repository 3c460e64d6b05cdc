"""The overview dashboard, the targets page and the charts' XLSX exports.

Who sees what: the standing office, the council and the leadership over the
scope see a cycle's overview; only the office sets its targets; a unit's
people get their unit dashboard from the index, not the overview.
"""

from __future__ import annotations

import io
from decimal import Decimal as D

import pytest
from django.conf import settings
from django.core.cache import cache
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import translation
from openpyxl import load_workbook

from dtis.appraisal.models import UnitResult
from dtis.dashboards.models import Target, TargetKind
from dtis.dashboards.nowcast import nowcast
from dtis.frameworks.models import PublishedResult
from dtis.reporting.models import Assignment
from tests.appraisal.results_data import add_units

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
SLUGS = ["chi-so-chinh", "xu-huong", "diem-mat", "tien-do"]


def _client(user) -> Client:  # type: ignore[no-untyped-def]
    client = Client()
    client.force_login(user)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"  # wording checks read English
    return client


def _urls(cycle) -> dict[str, str]:  # type: ignore[no-untyped-def]
    base = f"/bang-dieu-khien/{cycle.pk}/"
    return {"overview": base, "targets": base + "chi-tieu/",
            **{s: f"{base}du-lieu/{s}.xlsx" for s in SLUGS}}  # fmt: skip


def _queries(client: Client, url: str) -> int:
    client.get(url)  # warm-up
    cache.clear()  # count the drawing, not a kept page (pagecache)
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    return len(ctx)


def _sheet(response) -> list[tuple]:  # type: ignore[no-untyped-def]
    assert response["Content-Type"] == XLSX
    book = load_workbook(io.BytesIO(response.content))
    return list(book.active.iter_rows(values_only=True))


# --- who sees what ----------------------------------------------------------------


@pytest.mark.parametrize("who", ["admin", "viewer", "appraiser"])
def test_office_leadership_and_council_see_the_overview(dash_published, org, who):
    urls = _urls(dash_published.cycle)
    assert _client(getattr(org, who)).get(urls["overview"]).status_code == 200


@pytest.mark.parametrize("who", ["reporter", "head", "other_reporter", "other_admin"])
def test_units_and_other_provinces_do_not(dash_published, org, who):
    urls = _urls(dash_published.cycle)
    client = _client(getattr(org, who))
    assert client.get(urls["overview"]).status_code == 403
    for slug in SLUGS:
        assert client.get(urls[slug]).status_code == 403


def test_signed_out_people_are_sent_to_sign_in(dash_published):
    response = Client().get(_urls(dash_published.cycle)["overview"])
    assert response.status_code == 302 and "/dang-nhap/" in response["Location"]


def test_only_the_office_sets_targets(dash_published, org):
    url = _urls(dash_published.cycle)["targets"]
    assert _client(org.admin).get(url).status_code == 200
    for who in (org.viewer, org.appraiser, org.head):
        client = _client(who)
        assert client.get(url).status_code == 403
        assert client.post(url, {"action": "defaults"}).status_code == 403
    assert not Target.objects.exists()


def test_an_unknown_chart_is_not_found(dash_published, org):
    url = f"/bang-dieu-khien/{dash_published.cycle.pk}/du-lieu/khong-co.xlsx"
    assert _client(org.admin).get(url).status_code == 404


# --- the index ------------------------------------------------------------------


def test_the_index_lists_the_cycles_for_leadership_and_the_unit_dashboard_for_a_head(
    dash_published, org
):
    cycle = dash_published.cycle
    page = _client(org.viewer).get("/bang-dieu-khien/").content.decode()
    assert f'href="/bang-dieu-khien/{cycle.pk}/"' in page
    page = _client(org.head).get("/bang-dieu-khien/").content.decode()
    assert f'href="/bang-dieu-khien/{cycle.pk}/"' not in page
    assert f"/bang-dieu-khien/{cycle.pk}/don-vi/{dash_published.home.pk}/" in page


def test_the_menu_offers_the_dashboard_to_leaders_not_to_reporters(dash_published, org):
    with translation.override("en"):
        assert "/bang-dieu-khien/" in _client(org.viewer).get("/").content.decode()
        assert "/bang-dieu-khien/" not in _client(org.reporter).get("/").content.decode()


# --- the overview ---------------------------------------------------------------


def test_a_published_departments_cycle_shows_its_results_and_target_counts(dash_published, org):
    cycle = dash_published.cycle
    results = sorted(UnitResult.objects.filter(cycle=cycle), key=lambda r: r.rank)
    best = results[0]
    # Reached by the best unit only.
    Target.objects.create(cycle=cycle, kind=TargetKind.POINTS, value=best.final_points,
                          label="Đạt điểm của đơn vị dẫn đầu")  # fmt: skip
    page = _client(org.viewer).get(_urls(cycle)["overview"]).content.decode()
    assert "Projection" not in page
    assert best.assessed.unit.name in page
    assert f"{best.final_points:.2f}" in page and f"{best.index:.4f}" in page
    assert "Đạt điểm của đơn vị dẫn đầu" in page
    row = page.split("Đạt điểm của đơn vị dẫn đầu")[1].split("</tr>")[0]
    counts = [c.split("<")[0] for c in row.split('class="num">')[2:]]
    assert counts == ["1", "0", "2"]  # reached, at risk, not reached
    assert "<svg" in page and "Data table" in page


def test_a_running_year_is_projected_and_labelled(quarters, org):
    cycle = quarters.cycle
    with translation.override("en"):
        page = _client(org.admin).get(_urls(cycle)["overview"]).content.decode()
    assert "Projection" in page and "Quarter 3" in page


def test_points_lost_are_sorted_by_points_recoverable_with_the_lead_unit(dash_published, org):
    cycle = dash_published.cycle
    rows = _sheet(_client(org.viewer).get(_urls(cycle)["diem-mat"]))
    header, body = rows[0], rows[1:]
    assert header[5] == "Recoverable"
    recoverable = [r[5] for r in body]
    assert recoverable == sorted(recoverable, reverse=True)
    assert all(r > 0 for r in recoverable)
    total_lost = sum(
        float(r.max_points - r.final_points) for r in UnitResult.objects.filter(cycle=cycle)
    )
    assert round(sum(recoverable), 2) == round(total_lost, 2)
    owners = {
        (a.assessed.unit.name, a.indicator.code): a.owner.name
        for a in Assignment.objects.filter(cycle=cycle).select_related(
            "assessed__unit", "indicator", "owner"
        )
    }
    assert all(r[6] == owners[(r[0], r[1])] for r in body)


def test_the_main_indicators_export_holds_the_chart_numbers(dash_published, org):
    cycle = dash_published.cycle
    Target.objects.create(cycle=cycle, kind=TargetKind.INDEX, value=D("0.8"))
    rows = _sheet(_client(org.admin).get(_urls(cycle)["chi-so-chinh"]))[1:]
    assert len(rows) == cycle.framework.indicators.filter(parent=None, max_points__gt=0).count()
    for _label, value, target, average, best in rows:
        assert target == 0.8 and average is None
        assert value is None or 0 <= value <= best <= 1


def test_the_trend_and_progress_exports(dash_published, org):
    cycle = dash_published.cycle
    client = _client(org.admin)
    trend = _sheet(client.get(_urls(cycle)["xu-huong"]))
    index = UnitResult.objects.filter(cycle=cycle).values_list("index", flat=True)
    average = sum(index) / len(index)
    assert trend[-1][0] == "2025" and abs(trend[-1][1] - float(average)) < 0.0001
    progress = _sheet(client.get(_urls(cycle)["tien-do"]))
    assert len(progress) == 1 + 3


# --- targets page ---------------------------------------------------------------


def test_the_seeds_targets_are_added_once(dash_published, org):
    client = _client(org.admin)
    url = _urls(dash_published.cycle)["targets"]
    assert client.post(url, {"action": "defaults"}).status_code == 302
    assert client.post(url, {"action": "defaults"}).status_code == 302
    assert sorted(Target.objects.values_list("kind", flat=True)) == ["points", "rank"]


def test_a_target_is_added_edited_and_deleted(dash_published, org):
    client = _client(org.admin)
    url = _urls(dash_published.cycle)["targets"]
    data = {"action": "save", "kind": "rank", "value": "10", "label": "Top 10", "order": "0"}
    assert client.post(url, data).status_code == 302
    target = Target.objects.get()
    assert (target.value, target.updated_by) == (D(10), org.admin)
    client.post(url, {**data, "target": target.pk, "value": "5"})
    target.refresh_from_db()
    assert target.value == D(5)
    assert client.post(url, {"action": "delete", "target": target.pk}).status_code == 302
    assert not Target.objects.exists()


@pytest.mark.parametrize(
    "data",
    [
        {"kind": "mains_in_top", "value": "4"},  # no top n
        {"kind": "index", "value": "80"},  # an index above 1
        {"kind": "figure", "value": "0.8", "indicator": "99.9"},  # no such indicator
        {"kind": "points", "value": "-5"},
        {"kind": "points", "value": "nhiều"},
    ],
)
def test_bad_input_saves_nothing_and_says_why(dash_published, org, data):
    with translation.override("en"):
        response = _client(org.admin).post(
            _urls(dash_published.cycle)["targets"], {"action": "save", "order": "0", **data}
        )
    assert response.status_code == 400
    assert "was not saved" in response.content.decode()
    assert not Target.objects.exists()


# --- bounded queries ------------------------------------------------------------


def test_the_pages_cost_the_same_queries_with_more_units(dash_published, org):
    cycle = dash_published.cycle
    default_url = _urls(cycle)
    Target.objects.create(cycle=cycle, kind=TargetKind.RANK, value=D(10))
    client = _client(org.admin)
    pages = ["overview", "targets", *SLUGS]
    before = {p: _queries(client, default_url[p]) for p in pages}
    index_before = _queries(client, "/bang-dieu-khien/")
    add_units(org, cycle, 5)
    after = {p: _queries(client, default_url[p]) for p in pages}
    assert after == before
    assert _queries(client, "/bang-dieu-khien/") == index_before
    assert before["overview"] <= 40


def test_a_running_overview_costs_the_same_queries_with_more_units(quarters, org):
    client = _client(org.admin)
    url = _urls(quarters.cycle)["overview"]
    before = _queries(client, url)
    add_units(org, quarters.cycle, 5)
    assert _queries(client, url) == before


def test_the_overview_stays_within_its_query_budget(
    dash_published, org, django_assert_max_num_queries
):
    client = _client(org.viewer)
    url = _urls(dash_published.cycle)["overview"]
    client.get(url)
    cache.clear()  # the drawing, not a kept page
    with django_assert_max_num_queries(40):
        assert client.get(url).status_code == 200


def test_numbers_take_the_decimal_comma_in_vietnamese(dash_published, org):
    cycle = dash_published.cycle
    best = UnitResult.objects.filter(cycle=cycle).order_by("rank").first()
    client = _client(org.viewer)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "vi"
    page = client.get(_urls(cycle)["overview"]).content.decode()
    comma = f"{best.final_points:.2f}".replace(".", ",")
    assert comma in page and f"{best.index:.4f}".replace(".", ",") in page


def test_the_provinces_own_running_year_shows_its_projection_and_national_place(province_2026, org):
    cycle = province_2026
    Target.objects.create(cycle=cycle, kind=TargetKind.RANK, value=D(20), label="Top 20")
    projection = next(iter(nowcast(cycle).units.values()))
    assert projection.points > 0
    peers_above = sum(1 for n in range(20) if D("0.95") - D("0.02") * n > projection.index)
    page = _client(org.viewer).get(_urls(cycle)["overview"]).content.decode()
    assert "Projection" in page and "Quarter 3" in page
    assert f"{projection.points:.2f}" in page and f"{projection.index:.4f}" in page
    headline = page.split('id="h-headline"')[1].split("</section>")[0]
    assert f'<strong class="big">{peers_above + 1}</strong>' in headline
    assert "/ 21" in headline and "2022" in headline
    rows = _sheet(_client(org.viewer).get(_urls(cycle)["chi-so-chinh"]))[1:]
    assert len(rows) == 8
    assert all(r[4] == 0.95 for r in rows)  # the best peer of every main indicator


def test_the_provinces_overview_costs_the_same_with_more_published_peers(province_2026, org):
    cycle = province_2026
    client = _client(org.viewer)
    url = _urls(cycle)["overview"]
    before = _queries(client, url)
    first = PublishedResult.objects.first()
    PublishedResult.objects.bulk_create(
        PublishedResult(
            framework_id=first.framework_id,
            year=2022,
            unit_name=f"Tỉnh thêm {n}",
            indices=first.indices,
            published_total=first.published_total,
        )
        for n in range(30)
    )
    assert _queries(client, url) == before
    assert before <= 40
