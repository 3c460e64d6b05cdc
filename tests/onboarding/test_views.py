"""POST /gioi-thieu/da-xem/ and GET /gioi-thieu/xem-lai/."""

from __future__ import annotations

import pytest
from django.test import Client

from dtis.onboarding.models import TourSeen
from dtis.orgs.models import Role, RoleGrant
from tests.factories import Org

pytestmark = pytest.mark.django_db


def test_it_marks_the_main_roles_tour_seen(client: Client, org: Org):
    RoleGrant.objects.create(user=org.reporter, unit=org.dept_home, role=Role.VIEWER)
    client.force_login(org.reporter)
    response = client.post("/gioi-thieu/da-xem/")
    assert response.status_code == 204
    assert list(TourSeen.objects.values_list("user", "role")) == [(org.reporter.pk, "reporter")]


def test_marking_twice_keeps_one_row(client: Client, org: Org):
    client.force_login(org.head)
    client.post("/gioi-thieu/da-xem/")
    assert client.post("/gioi-thieu/da-xem/").status_code == 204
    assert TourSeen.objects.filter(user=org.head).count() == 1


def test_it_wants_a_post_with_the_csrf_token(org: Org):
    client = Client(enforce_csrf_checks=True)
    client.force_login(org.reporter)
    assert client.get("/gioi-thieu/da-xem/").status_code == 405
    assert client.post("/gioi-thieu/da-xem/").status_code == 403
    assert not TourSeen.objects.exists()


def test_it_records_nothing_for_a_person_without_a_role(client: Client, org: Org):
    RoleGrant.objects.filter(user=org.viewer).delete()
    client.force_login(org.viewer)
    assert client.post("/gioi-thieu/da-xem/").status_code == 204
    assert not TourSeen.objects.exists()


def test_replay_forgets_the_main_roles_tour_and_goes_home(client: Client, org: Org):
    TourSeen.objects.create(user=org.reporter, role=Role.REPORTER)
    TourSeen.objects.create(user=org.admin, role=Role.ADMIN)
    client.force_login(org.reporter)
    response = client.get("/gioi-thieu/xem-lai/")
    assert response.status_code == 302 and response["Location"] == "/"
    assert list(TourSeen.objects.values_list("user", flat=True)) == [org.admin.pk]
    assert 'id="tour-data"' in client.get("/").content.decode()


def test_both_need_a_signed_in_person(client: Client):
    for response in (client.post("/gioi-thieu/da-xem/"), client.get("/gioi-thieu/xem-lai/")):
        assert response.status_code == 302 and "/dang-nhap/" in response["Location"]
