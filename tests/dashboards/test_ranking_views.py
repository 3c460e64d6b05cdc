"""The ranking page of the dashboards: the sortable peer table, the peer-group
filter and the heatmap; who may open it; a fixed number of queries."""

from __future__ import annotations

import re

from django.core.cache import cache
from django.test import Client

from dtis.appraisal.materialise import recompute
from dtis.appraisal.models import UnitResult
from dtis.appraisal.standings import index_of
from dtis.core.text import vi_sort_key
from dtis.reporting.models import AssessedUnit
from tests.appraisal.conftest import frameworks, year_cycle  # noqa: F401
from tests.appraisal.results_data import add_units
from tests.dashboards.ranking_data import _decided, _published, comma, count_queries  # noqa: F401
from tests.pages import english


def url(yc, query: str = "") -> str:  # type: ignore[no-untyped-def]
    return f"/bang-dieu-khien/{yc.cycle.pk}/xep-hang/{query}"


def names_in_table(html: str) -> list[str]:
    """The unit names of the ranking tables (one per peer group), top to bottom."""
    names = []
    for part in html.split('class="table dense results-ranking dash-sortable"')[1:]:
        names += re.findall(r'<td class="unit">(?:<a [^>]*>)?([^<]+)', part.split("</table>")[0])
    return names


# --- permissions ---------------------------------------------------------------------


def test_before_publication_only_the_office_the_council_and_leaders_see_it(
    client: Client, decided, org
):
    for person in (org.head, org.reporter, org.other_reporter):
        client.force_login(person)
        assert client.get(url(decided)).status_code == 403, person
    for person in (org.admin, decided.chair, org.viewer):
        client.force_login(person)
        with english(client):
            response = client.get(url(decided))
        assert response.status_code == 200, person
        assert "Sở Y tế tỉnh Khánh Hòa" in response.content.decode()


def test_after_publication_the_units_see_it_but_not_outsiders(client: Client, published, org):
    client.force_login(org.head)
    response = client.get(url(published))
    assert response.status_code == 200
    html = response.content.decode()
    assert "Sở Y tế tỉnh Khánh Hòa" in html
    # Their own unit opens its dashboard; another unit's name is not a link.
    assert f"/bang-dieu-khien/{published.cycle.pk}/don-vi/{published.home.pk}/" in html
    assert f"/don-vi/{published.health.pk}/" not in html
    client.force_login(org.other_reporter)
    assert client.get(url(published)).status_code == 403


def test_anonymous_people_are_sent_to_sign_in(client: Client, published):
    response = client.get(url(published))
    assert response.status_code == 302
    assert "/dang-nhap/" in response["Location"]


# --- the table -----------------------------------------------------------------------


def test_the_table_is_in_rank_order_with_vietnamese_numbers(client: Client, published, org):
    client.force_login(org.viewer)
    html = client.get(url(published)).content.decode()
    results = list(
        UnitResult.objects.filter(cycle=published.cycle)
        .select_related("assessed__unit")
        .order_by("rank")
    )
    assert names_in_table(html) == [r.assessed.unit.name for r in results]
    for r in results:
        assert comma(r.index, 4) in html
        assert comma(r.final_points, 2) in html
    assert f"/ket-qua/{published.cycle.pk}/xlsx/" in html  # the XLSX export


def test_sorting_by_a_column_through_the_header_links(client: Client, published, org):
    client.force_login(org.viewer)
    html = client.get(url(published, "?sap-xep=don-vi&chieu=giam")).content.decode()
    names = names_in_table(html)
    results = UnitResult.objects.filter(cycle=published.cycle).select_related("assessed__unit")
    expected = sorted((r.assessed.unit.name for r in results), key=vi_sort_key, reverse=True)
    assert names == expected
    head = re.search(r'<th [^>]*aria-sort="descending"[^>]*><a href="([^"]+)"', html)
    assert head is not None
    assert head.group(1) == "?sap-xep=don-vi&amp;chieu=tang"  # the link turns the order
    assert html.count("aria-sort=") == 1

    html = client.get(url(published, "?sap-xep=tc-1&chieu=tang")).content.decode()
    first = {r.assessed.unit.name: r for r in results}
    values = [first[n].indicators.get(code="1").final_points for n in names_in_table(html)]
    assert values == sorted(values)
    assert 'aria-sort="ascending"' in html


def test_an_unknown_sort_column_shows_a_notice_and_the_rank_order(client: Client, published, org):
    client.force_login(org.viewer)
    with english(client):
        response = client.get(url(published, "?sap-xep=xyz&chieu=giam"))
    assert response.status_code == 200
    html = response.content.decode()
    assert "xyz" in html and 'class="notice" role="status"' in html
    ranked = UnitResult.objects.filter(cycle=published.cycle).order_by("rank")
    assert names_in_table(html)[0] == ranked.first().assessed.unit.name  # type: ignore[union-attr]


def test_filter_by_peer_group(client: Client, published, org):
    AssessedUnit.objects.filter(pk=published.health.pk).update(peer_group="Khối y tế")
    recompute(published.cycle)
    client.force_login(org.viewer)
    html = client.get(url(published)).content.decode()
    assert "Khối y tế" in html and "?sap-xep=hang&amp;chieu=tang&amp;nhom=" in html
    only = client.get(url(published, "?nhom=Khối y tế")).content.decode()
    assert names_in_table(only) == ["Sở Y tế tỉnh Khánh Hòa"]
    assert "Sở Tài chính tỉnh Khánh Hòa" not in only
    # Sorting links keep the chosen group.
    assert "nhom=Kh%E1%BB%91i+y+t%E1%BA%BF" in only
    unknown = client.get(url(published, "?nhom=Không có")).content.decode()
    assert len(names_in_table(unknown)) == 3
    assert "Không có" in unknown  # named in the notice


# --- the heatmap ---------------------------------------------------------------------


def test_the_heatmap_colours_every_main_indicator_of_every_unit(client: Client, published, org):
    client.force_login(org.viewer)
    html = client.get(url(published)).content.decode()
    heat = html.split('<table class="dash-heatmap">')[1].split("</table>")[0]
    assert heat.count("<tr>") == 1 + 3  # header + units
    cells = re.findall(r'<td class="num (hm-[a-z0-9]+)"[^>]*>([^<]+)</td>', heat)
    assert len(cells) == 3 * 6
    home = UnitResult.objects.get(assessed=published.home)
    main1 = home.indicators.get(code="1")
    value = comma(index_of(main1.final_points, main1.max_points), 4)
    assert any(text == value for _css, text in cells)
    assert 'class="dash-legend"' in html and "≥ 0,90" in html


def test_queries_do_not_grow_with_the_number_of_units(
    client: Client, published, org, django_assert_max_num_queries
):
    client.force_login(org.viewer)
    few = count_queries(client, url(published, "?sap-xep=tc-2&chieu=giam"))
    add_units(org, published.cycle, 5)
    many = count_queries(client, url(published, "?sap-xep=tc-2&chieu=giam"))
    assert many == few
    cache.clear()  # the drawing, not a kept page
    with django_assert_max_num_queries(14):
        client.get(url(published))


def test_the_provinces_own_cycle_has_no_heatmap(client: Client, province_2026, org):
    """One province in its own cycle: a units × indicators map would be one row."""
    recompute(province_2026)
    client.force_login(org.admin)
    response = client.get(f"/bang-dieu-khien/{province_2026.pk}/xep-hang/")
    assert response.status_code == 200
    html = response.content.decode()
    assert names_in_table(html) == [org.province.name]  # ranked, with its main indicators
    assert 'class="dash-heatmap"' not in html
