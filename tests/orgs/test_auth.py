"""Signing in, the first-login password change, and what a locked account sees."""

from __future__ import annotations

from django.test import Client

from dtis.orgs import accounts
from tests.factories import PASSWORD, Org, make_user


def login(client: Client, username: str, password: str = PASSWORD):  # type: ignore[no-untyped-def]
    return client.post("/dang-nhap/", {"username": username, "password": password})


def test_the_login_page_is_in_vietnamese(client: Client, db):  # type: ignore[no-untyped-def]
    page = client.get("/dang-nhap/").content.decode()
    assert '<html lang="vi">' in page
    assert "Đăng nhập" in page
    assert "Tên đăng nhập hoặc e-mail" in page


def test_a_browser_asking_for_english_still_gets_vietnamese(client: Client, db):  # type: ignore[no-untyped-def]
    page = client.get("/dang-nhap/", HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9").content.decode()
    assert '<html lang="vi">' in page and "Đăng nhập" in page


def test_the_login_page_switches_to_english(client: Client, db):  # type: ignore[no-untyped-def]
    client.post("/ngon-ngu/", {"language": "en", "next": "/dang-nhap/"})
    page = client.get("/dang-nhap/").content.decode()
    assert '<html lang="en">' in page
    assert "Username or e-mail" in page


def test_signing_in_with_the_username_opens_the_home_page(client: Client, org: Org):
    response = login(client, "huynh.thi.kim.oanh")
    assert response.status_code == 302 and response.url == "/"
    home = client.get("/").content.decode()
    assert "Huỳnh Thị Kim Oanh" in home
    assert "Sở Nội vụ tỉnh Khánh Hòa" in home
    assert "Cán bộ đầu mối" in home


def test_signing_in_with_the_email_works_too(client: Client, org: Org):
    accounts.user_update(actor=None, user=org.reporter, full_name=org.reporter.full_name,
                         email="oanh.htk@khanhhoa.gov.vn", position="", phone="")  # fmt: skip
    response = login(client, "OANH.HTK@khanhhoa.gov.vn")
    assert response.status_code == 302


def test_a_wrong_password_gets_a_clear_vietnamese_message(client: Client, org: Org):
    response = login(client, "huynh.thi.kim.oanh", "sai-mat-khau")
    assert response.status_code == 200
    assert "Tên đăng nhập/e-mail hoặc mật khẩu không đúng" in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_an_unknown_user_gets_the_same_message(client: Client, org: Org):
    response = login(client, "khong.ton.tai", "sai-mat-khau")
    assert "Tên đăng nhập/e-mail hoặc mật khẩu không đúng" in response.content.decode()


def test_a_locked_account_cannot_sign_in(client: Client, org: Org):
    accounts.user_set_active(actor=org.admin, user=org.reporter, active=False)
    response = login(client, "huynh.thi.kim.oanh")
    assert response.status_code == 200
    assert "_auth_user_id" not in client.session


def test_a_one_time_password_leads_straight_to_the_change_form(client: Client, org: Org):
    make_user("pham.thi.hoa", "Phạm Thị Hoa", must_change=True)
    login(client, "pham.thi.hoa")
    for page in ("/", "/don-vi/", "/tai-khoan/"):
        response = client.get(page)
        assert response.status_code == 302 and response.url == "/doi-mat-khau/", page


def test_changing_the_password_ends_the_forced_change(client: Client, org: Org):
    user = make_user("pham.thi.hoa", "Phạm Thị Hoa", must_change=True)
    login(client, "pham.thi.hoa")
    response = client.post("/doi-mat-khau/", {
        "old_password": PASSWORD, "new_password1": "Khanh-Hoa-DTI-2026!",
        "new_password2": "Khanh-Hoa-DTI-2026!",
    })  # fmt: skip
    assert response.status_code == 302
    user.refresh_from_db()
    assert not user.must_change_password
    assert client.get("/").status_code == 200


def test_a_one_time_password_is_rehashed_with_the_strong_hasher_once_changed(
    client: Client, org: Org
):
    password = accounts.password_reset_by_admin(actor=org.admin, user=org.reporter)
    org.reporter.refresh_from_db()
    assert org.reporter.password.startswith("pbkdf2_issued$")
    login(client, "huynh.thi.kim.oanh", password)
    client.post("/doi-mat-khau/", {
        "old_password": password, "new_password1": "Khanh-Hoa-DTI-2026!",
        "new_password2": "Khanh-Hoa-DTI-2026!",
    })  # fmt: skip
    org.reporter.refresh_from_db()
    assert not org.reporter.must_change_password
    assert not org.reporter.password.startswith("pbkdf2_issued$")


def test_a_weak_new_password_is_refused_in_vietnamese(client: Client, org: Org):
    user = make_user("pham.thi.hoa", "Phạm Thị Hoa", must_change=True)
    login(client, "pham.thi.hoa")
    response = client.post("/doi-mat-khau/", {
        "old_password": PASSWORD, "new_password1": "12345678", "new_password2": "12345678",
    })  # fmt: skip
    assert response.status_code == 200
    assert "quá ngắn" in response.content.decode()
    user.refresh_from_db()
    assert user.must_change_password and user.check_password(PASSWORD)


def test_pages_need_a_signed_in_person(client: Client, db):  # type: ignore[no-untyped-def]
    for page in ("/", "/don-vi/", "/tai-khoan/", "/tai-khoan/cap-phat/"):
        response = client.get(page)
        assert response.status_code == 302 and response.url.startswith("/dang-nhap/"), page
