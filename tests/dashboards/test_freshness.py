"""The data version and the kept dashboard bodies: a dashboard is drawn once
per version of the data and reused, and any change to the data, however it
is written, makes the next request draw it afresh."""

from __future__ import annotations

from decimal import Decimal as D

import pytest
from django.conf import settings
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from dtis.appraisal.materialise import recompute
from dtis.appraisal.models import UnitResult
from dtis.dashboards import freshness
from dtis.dashboards.models import Target, TargetKind
from dtis.orgs.models import User
from tests.appraisal.conftest import frameworks, year_cycle  # noqa: F401
from tests.dashboards.ranking_data import _decided, _published  # noqa: F401
from tests.factories import PASSWORD


def _client(user, language: str = "vi") -> Client:  # type: ignore[no-untyped-def]
    client = Client()
    client.force_login(user)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    return client


def _overview(cycle) -> str:  # type: ignore[no-untyped-def]
    return f"/bang-dieu-khien/{cycle.pk}/"


def _drawn_from_results(client: Client, url: str) -> bool:
    """Whether answering `url` read the materialised results (drew the page)."""
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    return any("appraisal_unitresult" in q["sql"] for q in ctx.captured_queries)


# --- which statements write ----------------------------------------------------------


@pytest.mark.parametrize(
    ("sql", "table"),
    [
        ('INSERT INTO "reporting_figure" ("period_id") VALUES (%s)', "reporting_figure"),
        ('UPDATE "appraisal_unitresult" SET "rank" = %s', "appraisal_unitresult"),
        ("  delete from dashboards_target where id = 3", "dashboards_target"),
        ('INSERT OR IGNORE INTO "orgs_unit" VALUES (1)', "orgs_unit"),
        ('SELECT "n" FROM "reporting_figure"', None),
        ('WITH x AS (SELECT 1) SELECT * FROM "reporting_figure"', None),
    ],
)
def test_the_written_table_is_read_off_the_statement(sql, table):
    assert freshness.written_table(sql) == table


# --- when the version moves -------------------------------------------------------------


def test_a_saved_target_moves_the_version_once_committed(
    published, django_capture_on_commit_callbacks
):
    before = freshness.current()
    with django_capture_on_commit_callbacks(execute=True):
        Target.objects.create(cycle=published.cycle, kind=TargetKind.RANK, value=D(10))
    assert freshness.current() != before


def test_writes_that_send_no_signal_move_it_too(published, django_capture_on_commit_callbacks):
    """Recompute stores rows with executemany; transitions use QuerySet.update."""
    before = freshness.current()
    with django_capture_on_commit_callbacks(execute=True):
        UnitResult.objects.filter(cycle=published.cycle).update(band="Khá")
    middle = freshness.current()
    assert middle != before
    with django_capture_on_commit_callbacks(execute=True):
        recompute(published.cycle)
    assert freshness.current() != middle


def test_signing_in_does_not_move_it(published, org, django_capture_on_commit_callbacks):
    before = freshness.current()
    with django_capture_on_commit_callbacks(execute=True):
        response = Client().post(
            "/dang-nhap/", {"username": org.viewer.username, "password": PASSWORD}
        )
    assert response.status_code == 302
    assert User.objects.get(pk=org.viewer.pk).last_login is not None
    assert freshness.current() == before


def test_a_transaction_moves_it_once_at_commit_however_many_rows_it_writes(published):
    for rank in (5, 10, 15):
        Target.objects.create(cycle=published.cycle, kind=TargetKind.RANK, value=D(rank))
    move = freshness._after_commit(connection)
    assert [entry[1] for entry in connection.run_on_commit].count(move) == 1


# --- kept bodies ---------------------------------------------------------------------------


def test_the_second_request_reuses_the_drawn_dashboard(published, org):
    client = _client(org.viewer)
    url = _overview(published.cycle)
    assert _drawn_from_results(client, url)
    assert not _drawn_from_results(client, url)
    assert not _drawn_from_results(_client(org.appraiser), url)  # same rights, same body


def test_a_change_to_the_data_is_shown_at_the_next_request(published, org):
    client = _client(org.viewer)
    url = _overview(published.cycle)
    assert "Đứng trong top 12" not in client.get(url).content.decode()
    Target.objects.create(
        cycle=published.cycle, kind=TargetKind.RANK, value=D(12), label="Đứng trong top 12"
    )
    assert "Đứng trong top 12" in client.get(url).content.decode()


def test_people_with_other_rights_do_not_get_each_others_body(published, org):
    url = _overview(published.cycle)
    targets_link = f"/bang-dieu-khien/{published.cycle.pk}/chi-tieu/"
    assert targets_link in _client(org.admin).get(url).content.decode()
    assert targets_link not in _client(org.viewer).get(url).content.decode()


def test_each_language_is_drawn_in_its_own_words(published, org):
    url = _overview(published.cycle)
    assert "Điểm bị giảm" in _client(org.viewer).get(url).content.decode()
    english = _client(org.viewer, "en").get(url).content.decode()
    assert "Points lost" in english and "Điểm bị giảm" not in english


def test_a_units_own_badge_stays_with_that_units_people(published, org):
    url = f"/bang-dieu-khien/{published.cycle.pk}/xep-hang/"
    head_page = _client(org.head, "en").get(url).content.decode()
    assert "your unit" in head_page
    office_page = _client(org.admin, "en").get(url).content.decode()
    assert "your unit" not in office_page


def test_the_page_around_the_body_is_the_readers_own(published, org):
    url = _overview(published.cycle)
    _client(org.admin).get(url)
    page = _client(org.viewer).get(url).content.decode()
    assert org.viewer.full_name in page and org.admin.full_name not in page
