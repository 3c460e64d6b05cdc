"""The tour on the home page: when it starts, and that every step points at an
element the home page of that role really has (the test that keeps the tours
from going stale when a menu changes)."""

from __future__ import annotations

import json
import re

import pytest
from django.core.management import call_command
from django.test import Client

from dtis.appraisal.models import CouncilMember, CouncilRole
from dtis.frameworks.services import find
from dtis.onboarding.models import TourSeen
from dtis.onboarding.tours import TOURS, steps_for
from dtis.orgs.models import Role, RoleGrant
from dtis.reporting.cycles import cycle_create
from tests.factories import Org

pytestmark = pytest.mark.django_db

PEOPLE = {
    Role.REPORTER: "reporter",
    Role.HEAD: "head",
    Role.ADMIN: "admin",
    Role.APPRAISER: "appraiser",
    Role.VIEWER: "viewer",
}


def tour_of(page: str) -> dict | None:  # type: ignore[type-arg]
    found = re.search(r'<script id="tour-data" type="application/json">(.*?)</script>', page, re.S)
    return json.loads(found.group(1)) if found else None


def home(client: Client, user) -> str:  # type: ignore[no-untyped-def]
    client.force_login(user)
    return client.get("/").content.decode()


@pytest.fixture
def seated_appraiser(org: Org) -> None:
    """The appraiser on a cycle's council: the Appraisal menu appears."""
    call_command("load-frameworks", verbosity=0)
    cycle = cycle_create(
        actor=org.admin,
        framework=find("hy-department-2023"),  # type: ignore[arg-type]
        year=2025,
        name="Đánh giá chuyển đổi số các sở, ban, ngành năm 2025",
        scope=org.province,
        assessed=[(org.dept_home, "Sở, ban, ngành")],
    )
    CouncilMember.objects.create(cycle=cycle, user=org.appraiser, role=CouncilRole.CHAIR)


@pytest.mark.parametrize("role", list(Role))
def test_every_step_points_at_an_element_of_that_roles_home_page(
    client: Client, org: Org, seated_appraiser, role
):  # type: ignore[no-untyped-def]
    page = home(client, getattr(org, PEOPLE[role]))
    on_page = set(re.findall(r'data-tour="([^"]+)"', page))
    for step in steps_for(role):
        if step.target is not None:
            assert step.target in on_page, f"{role}: {step.title} → {step.target}"
    tour = tour_of(page)
    assert tour is not None and tour["role"] == role
    assert [s["element"] for s in tour["steps"]] == [s.selector for s in steps_for(role)]


def test_it_starts_for_a_reporter_who_has_not_seen_it(client: Client, org: Org):
    page = home(client, org.reporter)
    tour = tour_of(page)
    assert tour is not None
    assert tour["seenUrl"] == "/gioi-thieu/da-xem/" and tour["csrf"]
    assert [s["title"] for s in tour["steps"][1:4]] == [str(s.title) for s in TOURS[Role.REPORTER]]
    assert "vendor/driver/driver.js.iife.js" in page and "vendor/driver/driver.css" in page


def test_it_does_not_start_once_seen(client: Client, org: Org):
    TourSeen.objects.create(user=org.reporter, role=Role.REPORTER)
    page = home(client, org.reporter)
    assert tour_of(page) is None and "driver.js.iife.js" not in page


def test_a_person_with_several_roles_sees_the_main_one_and_hears_of_the_others(
    client: Client, org: Org
):
    RoleGrant.objects.create(user=org.reporter, unit=org.dept_home, role=Role.HEAD)
    tour = tour_of(home(client, org.reporter))
    assert tour is not None and tour["role"] == "head"
    assert str(Role.REPORTER.label) in tour["steps"][-1]["text"]
    # seeing the reporter's tour earlier does not count for the head's
    TourSeen.objects.create(user=org.reporter, role=Role.REPORTER)
    assert tour_of(home(client, org.reporter)) is not None


def test_it_starts_on_the_home_page_only(client: Client, org: Org):
    client.force_login(org.reporter)
    assert tour_of(client.get("/bao-cao/").content.decode()) is None
    assert tour_of(client.get("/huong-dan/").content.decode()) is None


def test_a_person_without_a_role_gets_no_tour(client: Client, org: Org):
    RoleGrant.objects.filter(user=org.viewer).delete()
    assert tour_of(home(client, org.viewer)) is None


def test_a_system_administrator_sees_the_offices_tour(client: Client, org: Org):
    tour = tour_of(home(client, org.superuser))
    assert tour is not None and tour["role"] == "admin"


def _help_links(page: str) -> list[str]:
    menu = re.search(r'<details class="help-menu".*?</details>', page, re.S)
    assert menu is not None
    return re.findall(r'href="([^"]+)"', menu.group(0))


def test_the_help_menu_offers_the_roles_chapter_the_guide_the_tour_and_training(
    client: Client, org: Org
):
    links = _help_links(home(client, org.reporter))
    assert links == [
        "/huong-dan/02-nguoi-bao-cao/",
        "/huong-dan/",
        "/gioi-thieu/xem-lai/",
        "/tap-huan/",
    ]


def test_the_help_menu_offers_each_role_its_own_chapter(client: Client, org: Org):
    assert _help_links(home(client, org.head))[0] == "/huong-dan/03-thu-truong-don-vi/"
    assert _help_links(home(client, org.admin))[0] == "/huong-dan/05-co-quan-thuong-truc/"
    assert _help_links(home(client, org.viewer))[0] == "/huong-dan/07-lanh-dao/"


def test_a_person_without_a_role_is_offered_the_whole_guide_only(client: Client, org: Org):
    RoleGrant.objects.filter(user=org.viewer).delete()
    assert _help_links(home(client, org.viewer))[0] == "/huong-dan/"


def test_the_tour_adds_at_most_one_query_to_the_home_page(
    client: Client, org: Org, monkeypatch, django_assert_max_num_queries
):  # type: ignore[no-untyped-def]
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from dtis.onboarding.templatetags import onboarding

    client.force_login(org.reporter)
    client.get("/")  # warm: the session, the caches
    with CaptureQueriesContext(connection) as with_tour:
        assert tour_of(client.get("/").content.decode()) is not None
    with monkeypatch.context() as patch:
        patch.setattr(onboarding, "roles_of", lambda user: (None, []))
        with CaptureQueriesContext(connection) as without:
            assert tour_of(client.get("/").content.decode()) is None
    assert len(with_tour) <= len(without) + 1
    with django_assert_max_num_queries(len(without) + 1):
        client.get("/")
