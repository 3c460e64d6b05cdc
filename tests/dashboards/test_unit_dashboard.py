"""A unit's own dashboard: its result, its place among peers, its lost points
and its open work; who sees what; a fixed number of queries."""

from __future__ import annotations

import datetime as dt
import io
from decimal import Decimal as D

from django.core.cache import cache
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from dtis.appraisal.decisions import item_request_explanation
from dtis.appraisal.models import IndicatorResult, ReasonCode, UnitResult
from dtis.appraisal.standings import standings
from dtis.dashboards.unit_view import lost_points, open_work, strip_of, unit_dashboard
from tests.appraisal.conftest import frameworks, year_cycle  # noqa: F401
from tests.appraisal.results_data import add_units, item
from tests.dashboards.ranking_data import _decided, _published, comma, count_queries  # noqa: F401
from tests.pages import english


def url(yc, assessed) -> str:  # type: ignore[no-untyped-def]
    return f"/bang-dieu-khien/{yc.cycle.pk}/don-vi/{assessed.pk}/"


def get_en(client: Client, address: str):  # type: ignore[no-untyped-def]
    with english(client):
        return client.get(address)


# --- who sees what -------------------------------------------------------------------


def test_before_publication_the_unit_sees_only_its_open_work(client: Client, decided, org):
    client.force_login(org.head)
    response = get_en(client, url(decided, decided.home))
    assert response.status_code == 200
    html = response.content.decode()
    assert "Results not published yet" in html
    assert "Open work" in html
    result = UnitResult.objects.get(assessed=decided.home)
    assert comma(result.final_points, 2) not in html
    assert comma(result.index, 4) not in html
    for other in ("Sở Y tế tỉnh Khánh Hòa", "Sở Tài chính tỉnh Khánh Hòa"):
        assert other not in html


def test_a_unit_never_sees_another_units_dashboard(client: Client, published, org):
    for person in (org.head, org.reporter):
        client.force_login(person)
        assert client.get(url(published, published.health)).status_code == 403
        assert client.get(url(published, published.finance)).status_code == 403
    client.force_login(org.other_reporter)
    assert client.get(url(published, published.home)).status_code == 403
    client.logout()
    assert client.get(url(published, published.home)).status_code == 302


def test_the_office_and_leaders_see_any_unit_before_publication(client: Client, decided, org):
    result = UnitResult.objects.get(assessed=decided.health)
    for person in (org.admin, org.viewer, decided.chair):
        client.force_login(person)
        response = get_en(client, url(decided, decided.health))
        assert response.status_code == 200, person
        assert "Provisional result" in response.content.decode()
        assert comma(result.final_points, 2) in client.get(url(decided, decided.health)).text


def test_an_assessed_unit_of_another_cycle_is_not_found(client: Client, published, org):
    client.force_login(org.admin)
    address = f"/bang-dieu-khien/{published.cycle.pk + 999}/don-vi/{published.home.pk}/"
    assert client.get(address).status_code == 404


# --- the result ----------------------------------------------------------------------


def test_after_publication_the_unit_sees_its_result_rank_and_lost_points(
    client: Client, published, org
):
    client.force_login(org.head)
    response = get_en(client, url(published, published.home))
    assert response.status_code == 200
    html = response.content.decode()
    result = UnitResult.objects.get(assessed=published.home)
    assert f"{result.rank} of 3" in html
    vietnamese = client.get(url(published, published.home)).text
    assert comma(result.final_points, 2) in vietnamese
    assert comma(result.index, 4) in vietnamese
    assert result.band in html
    assert 'data-reason="missing_evidence"' in html  # 1.1, corrected by the council
    # The place among peers: a bar per unit, its own highlighted, and its data table.
    assert html.count('class="own"') == 1
    assert html.count('class="peer"') == 2
    assert "Data table" in html and "<details" in html
    # The peers' names appear in the strip's data, but no link to their detail.
    assert f"/don-vi/{published.health.pk}/" not in html
    assert f"/ket-qua/{published.cycle.pk}/don-vi/{published.health.pk}/" not in html


def test_lost_points_are_leaves_below_max_most_recoverable_first(published):  # type: ignore[no-untyped-def]
    standing = standings(published.cycle).row_for(published.home.pk)
    assert standing is not None
    lost = lost_points(standing)
    assert lost
    recoverable = [row.recoverable for row in lost]
    assert recoverable == sorted(recoverable, reverse=True)
    assert all(r > 0 for r in recoverable)
    rows = {
        r.code: r
        for r in IndicatorResult.objects.filter(result__assessed=published.home).select_related(
            "indicator"
        )
    }
    for row in lost:
        stored = rows[row.code]
        assert not stored.is_main
        assert row.max_points - row.final_points == stored.max_points - stored.final_points
    by_code = {row.code: row for row in lost}
    assert by_code["1.1"].reason_code == ReasonCode.MISSING_EVIDENCE
    assert by_code["1.1"].recoverable >= D("7.5")
    # Every scored indicator below its maximum is listed, and nothing else.
    parents = {r.indicator.parent_id for r in rows.values()}
    expected = {
        code
        for code, r in rows.items()
        if r.indicator_id not in parents and r.applicable and r.final_points < r.max_points
    }
    assert set(by_code) == expected


def test_the_strip_puts_every_peer_in_rank_order(published):  # type: ignore[no-untyped-def]
    table = standings(published.cycle)
    group = table.group_of(published.home.pk)
    assert group is not None
    strip = strip_of(group, published.home.pk)
    assert [b.name for b in strip.bars] == [r.unit.name for r in group.rows]
    assert [b.own for b in strip.bars].count(True) == 1
    heights = [float(b.height) for b in strip.bars]
    assert heights == sorted(heights, reverse=True)
    assert all("," not in b.x + b.y + b.width + b.height for b in strip.bars)


def test_without_result_nothing_of_the_results_is_loaded(decided, django_assert_max_num_queries):  # type: ignore[no-untyped-def]
    with django_assert_max_num_queries(6):  # the open work only
        board = unit_dashboard(decided.cycle, decided.home, with_result=False)
    assert board.standing is None and board.strip is None and board.lost == []


# --- open work -----------------------------------------------------------------------


def test_open_explanation_requests_are_open_work(client: Client, year_cycle, org):  # noqa: F811
    today = timezone.localdate()
    request = item_request_explanation(
        actor=year_cycle.chair,
        item=item(year_cycle.home, "1.1"),
        question="Đề nghị bổ sung quyết định kiện toàn Ban Chỉ đạo.",
        due=today + dt.timedelta(days=3),
        today=today,
    )
    work = open_work(year_cycle.home)
    assert [e.request.pk for e in work.requests] == [request.pk]
    assert open_work(year_cycle.health).requests == []
    client.force_login(org.head)
    response = get_en(client, url(year_cycle, year_cycle.home))
    html = response.content.decode()
    assert reverse("appraisal:explanation", args=[request.pk]) in html
    assert "Explanation requests waiting for an answer" in html
    assert (today + dt.timedelta(days=3)).strftime("%d/%m/%Y") in html


def test_reports_still_to_submit_are_open_work(client: Client, year_cycle, org):  # noqa: F811
    # The 2025 year reports were accepted: nothing due there.
    assert open_work(year_cycle.home).reports == []
    year_cycle.period.submissions.filter(assessed=year_cycle.home).delete()
    rows = open_work(year_cycle.home).reports
    assert [(r.period.pk, r.assessed.pk) for r in rows] == [
        (year_cycle.period.pk, year_cycle.home.pk)
    ]


# --- queries -------------------------------------------------------------------------


def test_queries_do_not_grow_with_the_number_of_units(
    client: Client, published, org, django_assert_max_num_queries
):
    client.force_login(org.admin)
    few = count_queries(client, url(published, published.home))
    add_units(org, published.cycle, 5)
    many = count_queries(client, url(published, published.home))
    assert many == few
    cache.clear()  # the drawing, not a kept page
    with django_assert_max_num_queries(24):
        client.get(url(published, published.home))
    client.force_login(org.head)
    cache.clear()  # the drawing, not a kept page
    with django_assert_max_num_queries(24):
        assert client.get(url(published, published.home)).status_code == 200


# --- the XLSX of the unit's numbers ------------------------------------------------------


def _xlsx(client: Client, yc, assessed):  # type: ignore[no-untyped-def]
    return client.get(url(yc, assessed) + "du-lieu.xlsx")


def test_the_xlsx_holds_the_points_lost_and_the_peers_as_on_screen(client: Client, published, org):
    client.force_login(org.head)
    response = _xlsx(client, published, published.home)
    assert response.status_code == 200
    book = load_workbook(io.BytesIO(response.content))
    lost_sheet, peers_sheet = book.worksheets
    assert lost_sheet.title == "Điểm bị giảm"
    standing = standings(published.cycle).row_for(published.home.pk)
    expected = lost_points(standing)
    rows = list(lost_sheet.iter_rows(min_row=2, values_only=True))
    assert [(r[0], r[4]) for r in rows] == [(x.code, float(x.recoverable)) for x in expected]
    peers = list(peers_sheet.iter_rows(min_row=2, values_only=True))
    assert len(peers) == 3
    assert [r[1] for r in peers if r[3] == "x"] == [published.home.unit.name]
    assert [r[0] for r in peers] == sorted(r[0] for r in peers)


def test_no_xlsx_before_publication_for_the_unit_nor_for_another_unit(client: Client, decided, org):
    client.force_login(org.head)
    assert _xlsx(client, decided, decided.home).status_code == 404
    assert _xlsx(client, decided, decided.health).status_code == 403
