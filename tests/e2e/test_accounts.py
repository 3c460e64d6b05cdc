"""Accounts: who sees the menu, password resets, issuing accounts in bulk."""

from __future__ import annotations

import re

from openpyxl import load_workbook
from playwright.sync_api import expect

from dtis.orgs.models import User
from tests.e2e.conftest import in_vietnamese, login, logout, screenshot
from tests.factories import PASSWORD

ACCOUNTS_LINK = "nav.menu a[href='/tai-khoan/']"


def test_admin_sees_accounts_menu_but_reporter_does_not(page, e2e_org):  # type: ignore[no-untyped-def]
    login(page, e2e_org.admin.username, PASSWORD)
    expect(page.locator(ACCOUNTS_LINK)).to_have_count(1)
    # Accounts sit in the Administration menu with units and API clients.
    admin_menu = page.locator("nav.menu details.menu-more")
    admin_menu.locator("summary").click()
    page.locator(ACCOUNTS_LINK).click()
    expect(page).to_have_url(re.compile(r"/tai-khoan/$"))
    expect(page.locator(ACCOUNTS_LINK)).to_have_attribute("aria-current", "page")
    expect(admin_menu.locator("summary")).to_have_attribute("aria-current", "page")
    table = page.locator("table.table tbody")
    for person in ("Huỳnh Thị Kim Oanh", "Lương Văn Bình", "Võ Thị Ngọc Lan", "Đặng Hữu Phước"):
        expect(table).to_contain_text(person)
    expect(table).not_to_contain_text("Lê Văn Hải")  # a Đà Nẵng reporter
    screenshot(page, "05-accounts")
    logout(page)

    login(page, e2e_org.reporter.username, PASSWORD)
    # home, my reports, cycles, frameworks, results, plans and units; no accounts
    expect(page.locator("nav.menu a")).to_have_count(7)
    expect(page.locator(ACCOUNTS_LINK)).to_have_count(0)


def test_reporter_who_types_the_accounts_address_is_refused(page, e2e_org):  # type: ignore[no-untyped-def]
    login(page, e2e_org.reporter.username, PASSWORD)

    response = page.goto("/tai-khoan/")

    assert response is not None and response.status == 403
    expect(page.get_by_role("heading", level=1)).to_have_text(in_vietnamese("Access denied"))
    expect(page.locator("main")).not_to_contain_text("Lương Văn Bình")


def test_admin_resets_a_password_and_the_person_must_change_it(page, e2e_org):  # type: ignore[no-untyped-def]
    reporter = e2e_org.reporter
    login(page, e2e_org.admin.username, PASSWORD)
    page.goto(f"/tai-khoan/{reporter.pk}/")
    expect(page.get_by_role("heading", level=1)).to_contain_text("Huỳnh Thị Kim Oanh")

    page.locator(f"form[action='/tai-khoan/{reporter.pk}/dat-lai-mat-khau/'] button").click()

    expect(page.locator("[data-testid=issued-username]")).to_have_text(reporter.username)
    issued = page.locator("[data-testid=issued-password]").inner_text().strip()
    assert re.fullmatch(r"\w{4}-\w{4}-\w{4}", issued), issued
    reporter.refresh_from_db()
    assert reporter.must_change_password is True
    logout(page)

    login(page, reporter.username, PASSWORD)
    # The old password is gone.
    expect(page.locator("main form [role=alert]")).to_be_visible()
    expect(page).to_have_url(re.compile(r"/dang-nhap/"))

    login(page, reporter.username, issued)
    expect(page).to_have_url(re.compile(r"/doi-mat-khau/$"))
    expect(page.locator("main .notice")).to_be_visible()


def test_admin_issues_accounts_for_the_province_and_downloads_the_sheet(page, e2e_org, tmp_path):  # type: ignore[no-untyped-def]
    login(page, e2e_org.admin.username, PASSWORD)
    page.goto("/")
    page.locator("main a[href='/tai-khoan/cap-phat/']").click()
    expect(page).to_have_url(re.compile(r"/tai-khoan/cap-phat/$"))

    scope = page.locator("#id_scope")
    options = scope.locator("option")
    expect(options.filter(has_text="Ủy ban nhân dân tỉnh Khánh Hòa")).to_have_count(1)
    expect(scope).not_to_contain_text("Đà Nẵng")
    screenshot(page, "06-issue-accounts")
    scope.select_option(label="Ủy ban nhân dân tỉnh Khánh Hòa (KHH)")
    # Defaults: departments and communes, a reporter and a head each.

    with page.expect_download() as info:
        page.locator("main form button[type=submit]").click()
    download = info.value

    assert re.fullmatch(r"tai-khoan-khh-\d{8}-\d{4}\.xlsx", download.suggested_filename)
    path = tmp_path / download.suggested_filename
    download.save_as(path)
    rows = list(load_workbook(path).active.iter_rows(values_only=True))
    body = [r for r in rows[1:] if r and r[0] is not None]
    by_unit = {(r[1], r[4]): r for r in body}
    # Sở Nội vụ already has its reporter and head: listed, not re-created.
    assert ("KHH-SNV", "huynh.thi.kim.oanh") in by_unit
    assert by_unit[("KHH-SNV", "huynh.thi.kim.oanh")][5] in (None, "")
    # Sở Tài chính and xã Diên Khánh get new accounts with one-time passwords.
    new = {r[4]: r for r in body if r[5]}
    assert {"khh-stc.baocao", "khh-x-dienkhanh.baocao"} <= set(new), sorted(new)
    assert not any(code.startswith("DNA") for code, _ in by_unit)

    fresh = User.objects.get(username="khh-x-dienkhanh.baocao")
    assert fresh.must_change_password is True
    assert fresh.grants.get().unit == e2e_org.commune


def test_issue_page_lists_an_issuance_made_from_the_command_line(page, e2e_org):  # type: ignore[no-untyped-def]
    # `dtis issue-accounts --scope KHH ...` records the issuance with nobody as its author.
    from dtis.orgs import accounts
    from dtis.orgs.models import Role, UnitKind

    accounts.accounts_issue(
        actor=None, scope=e2e_org.province, roles=[Role.REPORTER], kinds=[UnitKind.COMMUNE]
    )
    login(page, e2e_org.admin.username, PASSWORD)

    response = page.goto("/tai-khoan/cap-phat/")

    assert response is not None
    assert response.status == 200, f"issue page answered {response.status}"
    earlier = page.locator("section[aria-labelledby=issued-h] tbody tr")
    expect(earlier).to_have_count(1)
    expect(earlier).to_contain_text("Tỉnh Khánh Hòa")
    expect(earlier.locator("td").nth(1)).to_have_text("hệ thống (dòng lệnh)")
