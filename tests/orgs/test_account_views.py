"""The account screens of the standing office, and who may not use them."""

from __future__ import annotations

import io

import pytest
from django.test import Client
from openpyxl import load_workbook

from dtis.orgs.models import RoleGrant, User
from tests.factories import Org

ADMIN_PAGES = ["/tai-khoan/", "/tai-khoan/them/", "/tai-khoan/cap-phat/"]


@pytest.mark.parametrize("role", ["reporter", "head", "appraiser", "viewer"])
def test_only_administrators_open_the_account_pages(client: Client, org: Org, role: str):
    client.force_login(org.users_by_role()[role])
    for page in ADMIN_PAGES:
        assert client.get(page).status_code == 403, page


def test_the_account_list_shows_the_province_people_only(client: Client, org: Org):
    client.force_login(org.admin)
    page = client.get("/tai-khoan/").content.decode()
    assert "huynh.thi.kim.oanh" in page and "Lương Văn Bình" in page
    assert "le.van.hai" not in page  # reporter in Đà Nẵng


def test_the_account_list_search_ignores_accents(client: Client, org: Org):
    client.force_login(org.admin)
    page = client.get("/tai-khoan/", {"q": "luong van binh"}).content.decode()
    assert "luong.van.binh" in page and "huynh.thi.kim.oanh" not in page


def test_the_account_list_costs_bounded_queries(client, org: Org, django_assert_max_num_queries):  # type: ignore[no-untyped-def]
    from dtis.orgs.models import Role
    from tests.factories import make_user

    for n in range(40):
        make_user(f"can.bo.{n}", f"Cán bộ số {n}", Role.REPORTER, org.commune)
    client.force_login(org.admin)
    with django_assert_max_num_queries(10):
        assert client.get("/tai-khoan/").status_code == 200


def test_an_admin_creates_an_account_and_sees_the_one_time_password_once(client: Client, org: Org):
    client.force_login(org.admin)
    response = client.post("/tai-khoan/them/", {
        "username": "pham.thi.hoa", "full_name": "Phạm Thị Hoa", "email": "hoa.pt@khanhhoa.gov.vn",
        "position": "Chuyên viên", "phone": "", "role": "reporter", "unit": org.commune.pk,
    })  # fmt: skip
    assert response.status_code == 200
    password = response.context["password"]
    assert password in response.content.decode()
    user = User.objects.get(username="pham.thi.hoa")
    assert user.check_password(password) and user.must_change_password


def test_an_admin_cannot_create_an_account_in_another_province(client: Client, org: Org):
    client.force_login(org.admin)
    response = client.post("/tai-khoan/them/", {
        "username": "tro.lai", "full_name": "Trò Lai", "role": "reporter",
        "unit": org.other_dept.pk,
    })  # fmt: skip
    assert response.status_code == 200
    assert not User.objects.filter(username="tro.lai").exists()


def test_an_admin_cannot_open_or_reset_a_person_of_another_province(client: Client, org: Org):
    client.force_login(org.admin)
    target = org.other_reporter
    assert client.get(f"/tai-khoan/{target.pk}/").status_code == 403
    assert client.post(f"/tai-khoan/{target.pk}/dat-lai-mat-khau/").status_code == 403
    target.refresh_from_db()
    assert not target.must_change_password


def test_a_password_reset_needs_a_post(client: Client, org: Org):
    client.force_login(org.admin)
    assert client.get(f"/tai-khoan/{org.reporter.pk}/dat-lai-mat-khau/").status_code == 405


def test_an_admin_grants_and_revokes_a_role(client: Client, org: Org):
    client.force_login(org.admin)
    url = f"/tai-khoan/{org.reporter.pk}/vai-tro/"
    client.post(url, {"role": "reporter", "unit": org.dept_finance.pk})
    grant = RoleGrant.objects.get(user=org.reporter, unit=org.dept_finance)
    assert grant.granted_by == org.admin
    client.post(f"{url}{grant.pk}/xoa/")
    assert not RoleGrant.objects.filter(pk=grant.pk).exists()


def test_a_role_outside_the_admins_scope_cannot_be_granted(client: Client, org: Org):
    client.force_login(org.admin)
    client.post(f"/tai-khoan/{org.reporter.pk}/vai-tro/", {"role": "admin", "unit": org.nation.pk})
    assert not RoleGrant.objects.filter(user=org.reporter, unit=org.nation).exists()


def test_locking_an_account_stops_its_sign_in(client: Client, org: Org):
    client.force_login(org.admin)
    client.post(f"/tai-khoan/{org.reporter.pk}/trang-thai/", {"active": "0"})
    org.reporter.refresh_from_db()
    assert not org.reporter.is_active


def test_the_issuance_page_downloads_the_workbook(client: Client, org: Org):
    client.force_login(org.admin)
    response = client.post("/tai-khoan/cap-phat/", {
        "scope": org.province.pk, "kinds": ["department", "commune"], "roles": ["reporter"],
    })  # fmt: skip
    assert response["Content-Disposition"].startswith('attachment; filename="tai-khoan-khh-')
    rows = list(load_workbook(io.BytesIO(response.content)).active.iter_rows(values_only=True))
    usernames = {r[4] for r in rows[1:]}
    assert {"khh-stc.baocao", "khh-x-dienkhanh.baocao", "huynh.thi.kim.oanh"} == usernames
    assert client.get("/tai-khoan/cap-phat/").context["history"][0].created_count == 2


def test_the_issuance_page_refuses_a_scope_outside_the_admins(client: Client, org: Org):
    client.force_login(org.admin)
    before = User.objects.count()
    response = client.post("/tai-khoan/cap-phat/", {
        "scope": org.other_province.pk, "kinds": ["department"], "roles": ["reporter"],
    })  # fmt: skip
    assert response.status_code == 200 and response.context["form"].errors
    assert User.objects.count() == before


def test_the_issuance_page_needs_a_role_and_a_type(client: Client, org: Org):
    client.force_login(org.admin)
    response = client.post("/tai-khoan/cap-phat/", {"scope": org.province.pk})
    assert set(response.context["form"].errors) == {"kinds", "roles"}
