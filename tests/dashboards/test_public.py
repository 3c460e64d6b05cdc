"""The public results page (DTIS_PUBLIC_RESULTS): published rankings for
everyone without signing in; nothing unpublished, no unit detail, no person;
404 when the deployment keeps it off."""

from __future__ import annotations

import pytest
from django.core.cache import cache
from django.test import Client

from dtis.appraisal.models import UnitResult
from dtis.appraisal.standings import index_of
from tests.appraisal.conftest import frameworks, year_cycle  # noqa: F401
from tests.appraisal.results_data import add_units
from tests.dashboards.ranking_data import _decided, _published, comma, count_queries  # noqa: F401

INDEX = "/cong-khai/"


def ranking_url(yc) -> str:  # type: ignore[no-untyped-def]
    return f"/cong-khai/{yc.cycle.pk}/"


@pytest.fixture
def public(settings):  # type: ignore[no-untyped-def]
    settings.PUBLIC_RESULTS = True


def test_switched_off_both_pages_are_not_found(client: Client, published, org, settings):
    settings.PUBLIC_RESULTS = False
    assert client.get(INDEX).status_code == 404
    assert client.get(ranking_url(published)).status_code == 404
    client.force_login(org.admin)  # signing in changes nothing
    assert client.get(INDEX).status_code == 404


def test_the_default_is_off():
    from django.conf import settings

    assert settings.PUBLIC_RESULTS is False


def test_anyone_sees_the_published_ranking_without_signing_in(client: Client, published, public):
    index = client.get(INDEX)
    assert index.status_code == 200
    assert published.cycle.name in index.text
    assert ranking_url(published) in index.text
    response = client.get(ranking_url(published))
    assert response.status_code == 200
    html = response.text
    for r in UnitResult.objects.filter(cycle=published.cycle).select_related("assessed__unit"):
        assert r.assessed.unit.name in html
        assert comma(r.index, 4) in html
        assert r.band in html
        for row in r.indicators.filter(is_main=True):
            assert comma(index_of(row.final_points, row.max_points), 4) in html


def test_no_unit_detail_and_no_person_on_the_public_page(client: Client, published, public, org):
    html = client.get(ranking_url(published)).text
    assert "/don-vi/" not in html and "/ket-qua/" not in html and "/bang-dieu-khien/" not in html
    for person in (org.admin, org.head, org.reporter, published.chair, published.member):
        assert person.full_name not in html
        assert person.username not in html
    # Points and self-assessments stay inside.
    home = UnitResult.objects.get(assessed=published.home)
    assert comma(home.self_points, 2) not in html


def test_unpublished_cycles_are_not_public(client: Client, decided, public):
    index = client.get(INDEX)
    assert index.status_code == 200
    assert decided.cycle.name not in index.text
    assert client.get(ranking_url(decided)).status_code == 404
    assert client.get("/cong-khai/999999/").status_code == 404


def test_a_person_who_must_change_their_password_is_still_sent_to_change_it(
    client: Client, published, public, org
):
    org.head.must_change_password = True
    org.head.save()
    client.force_login(org.head)
    assert client.get(INDEX).status_code == 302
    client.logout()
    assert client.get(INDEX).status_code == 200


def test_queries_do_not_grow_with_the_number_of_units(
    client: Client, published, public, org, django_assert_max_num_queries
):
    few = count_queries(client, ranking_url(published))
    index_few = count_queries(client, INDEX)
    add_units(org, published.cycle, 5)
    assert count_queries(client, ranking_url(published)) == few
    assert count_queries(client, INDEX) == index_few
    cache.clear()  # the drawing, not a kept page
    with django_assert_max_num_queries(6):
        client.get(ranking_url(published))
    cache.clear()  # the drawing, not a kept page
    with django_assert_max_num_queries(2):
        client.get(INDEX)
