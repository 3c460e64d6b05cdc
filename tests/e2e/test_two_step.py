"""Two-step sign-in in the browser: the standing office sets up its app at
the first sign-in, and from then on types a code after the password."""

from __future__ import annotations

import re

from django_otp.plugins.otp_totp.models import TOTPDevice
from playwright.sync_api import expect

from dtis.orgs.second_factor import code_for
from tests.e2e.conftest import logout, screenshot
from tests.factories import PASSWORD


def _password(page, username: str) -> None:  # type: ignore[no-untyped-def]
    page.goto("/don-vi/")
    page.locator("#id_username").fill(username)
    page.locator("#id_password").fill(PASSWORD)
    page.locator("main form button[type=submit]").click()


def test_the_office_sets_up_its_app_at_the_first_sign_in(page, e2e_org):  # type: ignore[no-untyped-def]
    _password(page, e2e_org.admin.username)

    expect(page).to_have_url(re.compile(r"/dang-nhap-hai-buoc/\?next=%2Fdon-vi%2F$"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Đăng nhập hai bước")
    expect(page.locator("nav.menu")).to_have_count(0)  # its pages would send back here
    expect(page.get_by_test_id("otp-qr").locator("svg")).to_be_visible()
    secret = page.get_by_test_id("otp-secret").inner_text()
    assert re.fullmatch(r"[A-Z2-7]{4}( [A-Z2-7]{4})+", secret), secret
    screenshot(page, "two-step-setup")
    # Another page first: still the set-up page.
    page.goto("/tai-khoan/")
    expect(page).to_have_url(re.compile(r"/dang-nhap-hai-buoc/"))
    page.goto("/dang-nhap-hai-buoc/?next=%2Fdon-vi%2F")

    page.get_by_label("Mã").fill("000000")
    page.get_by_role("button", name="Bật đăng nhập hai bước").click()
    expect(page.locator("main [role=alert]")).to_contain_text("Mã không đúng")
    page.wait_for_timeout(1100)  # a wrong code pauses the next try for a second

    pending = TOTPDevice.objects.get(user=e2e_org.admin, confirmed=False)
    page.get_by_label("Mã").fill(code_for(pending))
    page.get_by_role("button", name="Bật đăng nhập hai bước").click()

    codes = page.get_by_test_id("backup-codes").locator("li")
    expect(codes).to_have_count(10)
    screenshot(page, "two-step-backup-codes")
    page.get_by_role("link", name="Tôi đã lưu mã — tiếp tục").click()
    expect(page).to_have_url(re.compile(r"/don-vi/$"))


def test_with_an_app_the_code_comes_after_the_password(page, e2e_org):  # type: ignore[no-untyped-def]
    device = TOTPDevice.objects.create(user=e2e_org.admin, name="authenticator", confirmed=True)
    _password(page, e2e_org.admin.username)

    expect(page).to_have_url(re.compile(r"/ma-xac-thuc/\?next=%2Fdon-vi%2F$"))
    expect(page.locator("main .lead")).to_contain_text("mở ứng dụng xác thực")
    screenshot(page, "two-step-code")
    page.get_by_label("Mã").fill(code_for(device))
    page.get_by_role("button", name="Tiếp tục").click()
    expect(page).to_have_url(re.compile(r"/don-vi/$"))

    # Signing out ends it: the next sign-in asks again.
    logout(page)
    _password(page, e2e_org.admin.username)
    expect(page).to_have_url(re.compile(r"/ma-xac-thuc/"))


def test_a_reporter_goes_straight_in_and_may_turn_it_on(page, e2e_org):  # type: ignore[no-untyped-def]
    _password(page, e2e_org.reporter.username)
    expect(page).to_have_url(re.compile(r"/don-vi/$"))
    page.locator("header a.who").click()
    expect(page.get_by_role("heading", level=2)).to_have_text("Thiết lập đăng nhập hai bước")
    expect(page.locator("main")).to_contain_text("Không bắt buộc với vai trò của bạn")
