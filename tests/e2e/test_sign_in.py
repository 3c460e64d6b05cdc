"""Signing in, the home page each role lands on, and first-login password change."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from dtis.orgs.forms import LoginForm
from dtis.orgs.models import Role, User
from tests.e2e.conftest import in_vietnamese, login, logout, screenshot, vi_catalogue_compiled
from tests.factories import PASSWORD, make_user

ROLES = ["admin", "reporter", "head", "appraiser", "viewer"]
NEW_PASSWORD = "Khanh-Hoa-DTI-2026!"


def test_login_page_is_in_vietnamese(page, e2e_org):  # type: ignore[no-untyped-def]
    # Fails until src/dtis/locale/vi/LC_MESSAGES/django.mo is compiled (make messages).
    page.goto("/")
    expect(page).to_have_url(re.compile(r"/dang-nhap/\?next=/$"))
    expect(page.locator("html")).to_have_attribute("lang", "vi")
    expect(page.get_by_role("heading", level=1)).to_have_text("Đăng nhập")
    expect(page.get_by_label("Tên đăng nhập hoặc e-mail")).to_be_focused()
    expect(page.get_by_label("Mật khẩu")).to_have_attribute("type", "password")
    expect(page.locator("main form button[type=submit]")).to_have_text("Đăng nhập")
    screenshot(page, "01-login")


@pytest.mark.parametrize("role", ROLES)
def test_each_role_signs_in_and_sees_its_home(page, e2e_org, role):  # type: ignore[no-untyped-def]
    person = e2e_org.users_by_role()[role]
    grant = person.grants.select_related("unit").get()

    login(page, person.username, PASSWORD)

    expect(page).to_have_url(re.compile(r"/$"))
    expect(page.locator("html")).to_have_attribute("lang", "vi")
    expect(page.get_by_role("heading", level=1)).to_contain_text(person.full_name)
    expect(page.locator("header .who")).to_have_text(person.full_name)
    card = page.locator("ul.cards > li.card").filter(has_text=grant.unit.name)
    expect(card).to_have_count(1)
    expect(card.get_by_role("link", name=grant.unit.name)).to_have_attribute(
        "href", f"/don-vi/{grant.unit.code}/"
    )
    expect(card.locator(f".badge.role-{role}")).to_have_text(in_vietnamese(Role(role).label))
    # Nobody sees a unit of another province on their home page.
    expect(page.locator("main")).not_to_contain_text("Đà Nẵng")
    if role == "admin":
        screenshot(page, "02-home-admin")


def test_wrong_password_gives_a_clear_vietnamese_message(page, e2e_org):  # type: ignore[no-untyped-def]
    login(page, "huynh.thi.kim.oanh", "mat-khau-sai-roi")

    expect(page).to_have_url(re.compile(r"/dang-nhap/"))
    alert = page.locator("main form [role=alert]")
    expect(alert).to_be_visible()
    expected = in_vietnamese(LoginForm.error_messages["invalid_login"])
    expect(alert).to_have_text(expected)
    if vi_catalogue_compiled():
        expect(alert).to_contain_text("mật khẩu")
    # The username survives; the password must be typed again.
    expect(page.locator("#id_username")).to_have_value("huynh.thi.kim.oanh")
    expect(page.locator("#id_password")).to_have_value("")
    # And nobody got signed in.
    expect(page.locator("form[action='/dang-xuat/']")).to_have_count(0)


def test_first_login_forces_a_password_change(page, e2e_org):  # type: ignore[no-untyped-def]
    newcomer = make_user(
        "pham.thi.thu.ha", "Phạm Thị Thu Hà", Role.REPORTER, e2e_org.commune, must_change=True
    )

    login(page, newcomer.username, PASSWORD)
    expect(page).to_have_url(re.compile(r"/doi-mat-khau/$"))
    expect(page.locator("main .notice")).to_be_visible()
    screenshot(page, "07-password-change")

    # Every other page sends the person back until the password is changed.
    page.goto("/don-vi/")
    expect(page).to_have_url(re.compile(r"/doi-mat-khau/$"))
    page.goto(f"/don-vi/{e2e_org.commune.code}/")
    expect(page).to_have_url(re.compile(r"/doi-mat-khau/$"))

    page.locator("#id_old_password").fill(PASSWORD)
    page.locator("#id_new_password1").fill(NEW_PASSWORD)
    page.locator("#id_new_password2").fill(NEW_PASSWORD)
    page.locator("main form button[type=submit]").click()

    expect(page).to_have_url(re.compile(r"/$"))
    expect(page.locator(".messages .message-success")).to_have_text(
        in_vietnamese("Your password has been changed.")
    )
    expect(page.get_by_role("heading", level=1)).to_contain_text("Phạm Thị Thu Hà")
    newcomer.refresh_from_db()
    assert newcomer.must_change_password is False

    logout(page)
    login(page, newcomer.username, PASSWORD)
    # The old password no longer works.
    expect(page.locator("main form [role=alert]")).to_be_visible()
    expect(page).to_have_url(re.compile(r"/dang-nhap/"))
    login(page, newcomer.username, NEW_PASSWORD)
    expect(page).to_have_url(re.compile(r"/$"))
    page.goto("/don-vi/")
    expect(page).to_have_url(re.compile(r"/don-vi/$"))
    expect(page.get_by_role("link", name="Ủy ban nhân dân xã Diên Khánh")).to_be_visible()


def test_signing_in_with_the_email_address_works(page, e2e_org):  # type: ignore[no-untyped-def]
    User.objects.filter(pk=e2e_org.head.pk).update(email="binh.lv@khanhhoa.gov.vn")

    login(page, "binh.lv@khanhhoa.gov.vn", PASSWORD)

    expect(page).to_have_url(re.compile(r"/$"))
    expect(page.get_by_role("heading", level=1)).to_contain_text("Lương Văn Bình")


def test_layout_is_usable_on_a_phone(phone_page, e2e_org):  # type: ignore[no-untyped-def]
    page = phone_page
    login(page, e2e_org.admin.username, PASSWORD)
    expect(page).to_have_url(re.compile(r"/$"))

    overflow = page.evaluate("() => document.documentElement.scrollWidth - window.innerWidth")
    assert overflow <= 1, f"home page scrolls sideways by {overflow}px on a 390px phone"
    nav_links = page.locator("nav.menu a")
    # home, reports, cycles, appraisal, frameworks, results, dashboard, plans, units, accounts,
    # API clients
    expect(nav_links).to_have_count(11)
    for i in range(8):
        link = nav_links.nth(i)
        expect(link).to_be_visible()
        expect(link).to_be_in_viewport()
    expect(page.locator("form[action='/dang-xuat/'] button")).to_be_in_viewport()
    screenshot(page, "08-phone-home")

    page.goto("/don-vi/")
    overflow = page.evaluate("() => document.documentElement.scrollWidth - window.innerWidth")
    assert overflow <= 1, f"unit list scrolls sideways by {overflow}px (tables must scroll inside)"
    screenshot(page, "09-phone-units")
