"""Browsing units: accent-insensitive search, province scope, the unit page."""

from __future__ import annotations

import re
from pathlib import Path

from playwright.sync_api import expect

from dtis.orgs.models import Role
from tests.e2e.conftest import in_vietnamese, login, screenshot
from tests.factories import PASSWORD


def search_units(page, text: str) -> None:  # type: ignore[no-untyped-def]
    page.locator("form[role=search] #q").fill(text)
    page.locator("form[role=search] button[type=submit]").click()
    page.wait_for_load_state("domcontentloaded")


def test_unit_search_is_accent_insensitive(page, e2e_org):  # type: ignore[no-untyped-def]
    login(page, e2e_org.admin.username, PASSWORD)
    page.goto("/don-vi/")
    rows = page.locator("table.table tbody tr")
    # The whole Khánh Hòa tree, and nothing of Đà Nẵng or the nation above it.
    expect(rows).to_have_count(5)
    codes = set(rows.locator("td:first-child code").all_inner_texts())
    assert codes == {"KHH", "KHH-SNV", "KHH-SNV-VP", "KHH-STC", "KHH-X-DIENKHANH"}
    expect(page.locator("main")).not_to_contain_text("Đà Nẵng")
    screenshot(page, "03-units")

    search_units(page, "dien khanh")

    expect(page).to_have_url(re.compile(r"/don-vi/\?q=dien\+khanh"))
    expect(rows).to_have_count(1)
    expect(rows.get_by_role("link", name="Ủy ban nhân dân xã Diên Khánh")).to_be_visible()
    expect(page.locator("#q")).to_have_value("dien khanh")

    # Typed with accents and odd capitals, the search finds the same unit.
    search_units(page, "DIÊN khánh")
    expect(rows).to_have_count(1)
    expect(rows).to_contain_text("Ủy ban nhân dân xã Diên Khánh")


def test_khanh_hoa_admin_never_sees_da_nang_units(page, e2e_org):  # type: ignore[no-untyped-def]
    login(page, e2e_org.admin.username, PASSWORD)
    page.goto("/don-vi/")

    search_units(page, "da nang")

    expect(page.locator("table.table")).to_have_count(0)
    expect(page.locator("main .empty")).to_be_visible()
    expect(page.locator("main")).not_to_contain_text("Sở Nội vụ thành phố Đà Nẵng")

    response = page.goto(f"/don-vi/{e2e_org.other_dept.code}/")
    assert response is not None and response.status == 403
    expect(page.locator("main")).not_to_contain_text("Sở Nội vụ thành phố Đà Nẵng")
    expect(page.get_by_role("heading", level=1)).to_have_text(in_vietnamese("Access denied"))


def test_unit_page_shows_its_place_its_offices_and_its_people(page, e2e_org):  # type: ignore[no-untyped-def]
    login(page, e2e_org.admin.username, PASSWORD)
    page.goto("/don-vi/")
    with page.expect_response(re.compile(r"/don-vi/KHH-SNV/$")) as opened:
        page.get_by_role("link", name="Sở Nội vụ tỉnh Khánh Hòa").click()

    # Units made by `seed-demo`/`import-units` have history rows with no author.
    assert opened.value.status == 200, f"unit page answered {opened.value.status}"
    expect(page).to_have_url(re.compile(r"/don-vi/KHH-SNV/$"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Sở Nội vụ tỉnh Khánh Hòa")
    crumbs = page.locator("nav.breadcrumbs")
    expect(crumbs.get_by_role("link", name="Tỉnh Khánh Hòa")).to_have_attribute(
        "href", "/don-vi/KHH/"
    )
    expect(page.locator("dl.facts")).to_contain_text("KHH-SNV")
    expect(page.locator("dl.facts")).to_contain_text("Sở Nội vụ")
    children = page.locator("#children-h + ul.plain-list")
    expect(children.get_by_role("link", name="Văn phòng Sở Nội vụ")).to_be_visible()
    people = page.locator("section[aria-labelledby=people-h] tbody tr")
    expect(people).to_have_count(2)
    oanh = people.filter(has_text="Huỳnh Thị Kim Oanh")
    expect(oanh.locator(".badge")).to_have_text(in_vietnamese(Role.REPORTER.label))
    # The administrator can go straight to the person's account.
    expect(oanh.get_by_role("link", name="Huỳnh Thị Kim Oanh")).to_have_attribute(
        "href", f"/tai-khoan/{e2e_org.reporter.pk}/"
    )
    expect(people.filter(has_text="Lương Văn Bình").locator(".badge")).to_have_text(
        in_vietnamese(Role.HEAD.label)
    )
    screenshot(page, "04-unit-detail")


def test_admin_imports_the_sample_file_and_sees_the_new_commune(page, e2e_org):  # type: ignore[no-untyped-def]
    import dtis

    sample = Path(dtis.__file__).parent / "static" / "dtis" / "templates" / "mau-nhap-don-vi.csv"
    login(page, e2e_org.admin.username, PASSWORD)
    page.goto("/")
    page.locator("main a[href='/don-vi/nhap/']").click()
    expect(page).to_have_url(re.compile(r"/don-vi/nhap/$"))

    page.locator("#id_file").set_input_files(str(sample))
    page.locator("main form button[type=submit]").click()

    expect(page).to_have_url(re.compile(r"/don-vi/$"))
    expect(page.locator(".messages .message-success")).to_be_visible()
    expect(page.locator("main [role=alert]")).to_have_count(0)
    page.locator("form[role=search] #q").fill("cam lam")
    page.locator("form[role=search] button[type=submit]").click()
    expect(page.get_by_role("link", name="Ủy ban nhân dân xã Cam Lâm")).to_be_visible()


def test_links_on_a_reporters_unit_page_never_lead_to_access_denied(page, e2e_org):  # type: ignore[no-untyped-def]
    login(page, e2e_org.reporter.username, PASSWORD)
    page.goto("/")
    page.locator("ul.cards").get_by_role("link", name="Sở Nội vụ tỉnh Khánh Hòa").click()
    expect(page).to_have_url(re.compile(r"/don-vi/KHH-SNV/$"))

    hrefs = page.locator("main a[href^='/don-vi/']").evaluate_all(
        "links => links.map(a => a.getAttribute('href'))"
    )
    refused = [href for href in hrefs if page.request.get(href).status == 403]

    # Huỳnh Thị Kim Oanh reports for Sở Nội vụ only; the breadcrumbs and the
    # "parent unit" fact should not offer pages she is not allowed to open.
    assert refused == [], f"links leading to 'access denied': {refused}"
