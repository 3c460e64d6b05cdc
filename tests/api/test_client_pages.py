"""/api/quan-tri/: administrators issue tokens for units in their scope, see
each token once, and revoke them."""

from __future__ import annotations

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from dtis.api.clients import client_create
from dtis.api.models import ApiClient
from tests.api.conftest import CLIENT_NAME, ApiCaller

LIST = "/api/quan-tri/"
CREATE = "/api/quan-tri/tao/"


def signed_in(client, user):
    client.force_login(user)
    return client


@pytest.mark.parametrize("who", ["reporter", "head", "appraiser", "viewer"])
def test_only_administrators_reach_the_pages(client, org, issued, who):
    signed_in(client, getattr(org, who))

    assert client.get(LIST).status_code == 403
    assert client.get(CREATE).status_code == 403
    assert client.post(f"/api/quan-tri/{issued.client.pk}/thu-hoi/").status_code == 403
    assert ApiClient.objects.get().revoked_at is None


def test_anonymous_people_are_sent_to_sign_in(client):
    response = client.get(LIST)

    assert response.status_code == 302 and response.url.startswith("/dang-nhap/")


def test_the_menu_shows_api_clients_to_administrators_only(client, org):
    assert 'href="/api/quan-tri/"' in signed_in(client, org.admin).get("/").content.decode()
    client.logout()
    assert 'href="/api/quan-tri/"' not in signed_in(client, org.reporter).get("/").content.decode()


def test_creating_a_client_shows_its_token_once(client, org, health):
    signed_in(client, org.admin)
    page = client.get(CREATE).content.decode()
    assert "Sở Y tế tỉnh Khánh Hòa" in page
    assert "Thành phố Đà Nẵng" not in page  # outside the office's scope

    response = client.post(
        CREATE, {"name": CLIENT_NAME, "units": [health.pk], "indicator_codes": "6.4, 6.5"}
    )

    assert response.status_code == 200
    assert "no-store" in response.headers["Cache-Control"]
    token = re.search(r'data-testid="api-token">(dtis_[\w-]+)<', response.content.decode()).group(1)
    created = ApiClient.objects.get()
    assert created.name == CLIENT_NAME and created.indicator_codes == ["6.4", "6.5"]
    assert list(created.units.all()) == [health]
    assert created.created_by == org.admin
    assert ApiCaller(token, client).get("/api/v1/cycles").status_code == 200
    listing = signed_in(client, org.admin).get(LIST).content.decode()
    assert CLIENT_NAME in listing and created.token_prefix in listing
    assert token not in listing


def test_a_client_needs_a_name_and_units_inside_the_scope(client, org):
    signed_in(client, org.admin)

    response = client.post(CREATE, {"name": " ", "units": [org.other_dept.pk]})

    assert response.status_code == 200
    form = response.context["form"]
    assert set(form.errors) == {"name", "units"}
    assert ApiClient.objects.count() == 0


def test_bad_indicator_codes_are_refused(client, org, health):
    signed_in(client, org.admin)

    response = client.post(CREATE, {"name": CLIENT_NAME, "units": [health.pk],
                                     "indicator_codes": "6.4, <b>"})  # fmt: skip

    assert "indicator_codes" in response.context["form"].errors
    assert ApiClient.objects.count() == 0


def test_revoking_asks_first_then_stops_the_token(client, org, issued, api):
    signed_in(client, org.admin)
    url = f"/api/quan-tri/{issued.client.pk}/thu-hoi/"

    confirm = client.get(url)
    assert confirm.status_code == 200 and issued.client.token_prefix in confirm.content.decode()
    assert ApiClient.objects.get().revoked_at is None

    response = client.post(url)

    assert response.status_code == 302 and response.url == LIST
    revoked = ApiClient.objects.get()
    assert revoked.revoked_at is not None and revoked.revoked_by == org.admin
    assert api.get("/api/v1/cycles").status_code == 401


def test_another_provinces_administrator_neither_sees_nor_revokes_the_client(client, org, issued):
    signed_in(client, org.other_admin)

    assert CLIENT_NAME not in client.get(LIST).content.decode()
    assert client.post(f"/api/quan-tri/{issued.client.pk}/thu-hoi/").status_code == 403
    assert ApiClient.objects.get().revoked_at is None


def test_the_pages_speak_vietnamese(client, org, issued):
    page = signed_in(client, org.admin).get(LIST).content.decode()

    assert '<html lang="vi"' in page
    assert "Trạng thái" in page and "đang hoạt động" in page  # Status, active
    assert "Hủy" in client.get(CREATE).content.decode()  # Cancel


def test_a_system_administrator_manages_every_client(client, org, health):
    client_create(actor=org.admin, name="Cổng dịch vụ công Đà Nẵng", units=[org.other_province])
    signed_in(client, org.superuser)

    page = client.get(LIST).content.decode()

    assert "Cổng dịch vụ công Đà Nẵng" in page


def test_the_list_costs_the_same_queries_for_more_clients(client, org, health):
    signed_in(client, org.admin)
    client_create(actor=org.admin, name=CLIENT_NAME, units=[health])
    client.get(LIST)
    with CaptureQueriesContext(connection) as one:
        client.get(LIST)
    for name in ("Cổng dịch vụ công tỉnh", "Hệ thống quản lý văn bản và điều hành", "LGSP tỉnh"):
        client_create(actor=org.admin, name=name, units=[health, org.dept_home])

    with CaptureQueriesContext(connection) as four:
        page = client.get(LIST).content.decode()

    assert "LGSP tỉnh" in page
    assert len(four) == len(one)
