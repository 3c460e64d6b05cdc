"""The first-login tour in the browser: it starts on a person's first visit to
the home page, walks through their role's three things, closes for good, and
comes back from the help menu."""

from __future__ import annotations

import re

from playwright.sync_api import expect

from dtis.onboarding.models import TourSeen
from dtis.onboarding.tours import HELP_TITLE, LABELS, TOURS, WELCOME_TITLE
from dtis.orgs.models import Role
from tests.e2e.conftest import in_vietnamese, login, logout, screenshot
from tests.factories import PASSWORD


def _popover(page):  # type: ignore[no-untyped-def]
    return page.locator(".driver-popover")


def _title(page):  # type: ignore[no-untyped-def]
    return _popover(page).locator(".driver-popover-title")


def _button(page, label):  # type: ignore[no-untyped-def]
    # "Tiếp", "Xong", "Bỏ qua" once the catalogue has them; the English msgid until then.
    return _popover(page).get_by_role("button", name=in_vietnamese(label), exact=True)


def test_a_reporters_first_sign_in_shows_the_tour_once(page, e2e_org):  # type: ignore[no-untyped-def]
    page.emulate_media(reduced_motion="reduce")  # no fade: the pictures show each step settled
    reporter = e2e_org.reporter
    login(page, reporter.username, PASSWORD, tour=True)
    expect(page).to_have_url(re.compile(r"/$"))

    expect(_title(page)).to_have_text(in_vietnamese(WELCOME_TITLE))
    expect(_popover(page)).to_contain_text(in_vietnamese(Role.REPORTER.label))
    screenshot(page, "tour-reporter-1")
    for number, step in enumerate(TOURS[Role.REPORTER], start=2):
        _button(page, LABELS["next"]).click()
        expect(_title(page)).to_have_text(in_vietnamese(step.title))
        # the element the step is about is the one lit up
        expect(page.locator(f"{step.selector}.driver-active-element")).to_have_count(1)
        screenshot(page, f"tour-reporter-{number}")
    _button(page, LABELS["next"]).click()
    expect(_title(page)).to_have_text(in_vietnamese(HELP_TITLE))
    expect(page.locator('[data-tour="help"].driver-active-element')).to_have_count(1)
    screenshot(page, "tour-reporter-5")

    with page.expect_response("**/gioi-thieu/da-xem/") as answer:
        _button(page, LABELS["done"]).click()
    assert answer.value.status == 204
    expect(_popover(page)).to_have_count(0)
    assert TourSeen.objects.filter(user=reporter, role=Role.REPORTER).exists()

    # The next visit: no tour, and the page's own links take clicks again.
    page.goto("/")
    expect(page.locator("#tour-data")).to_have_count(0)
    expect(_popover(page)).to_have_count(0)
    logout(page)
    login(page, reporter.username, PASSWORD, tour=True)
    expect(page.get_by_role("heading", level=1)).to_contain_text(reporter.full_name)
    expect(_popover(page)).to_have_count(0)

    # The help menu brings it back.
    help_menu = page.locator("details.help-menu")
    help_menu.locator("summary").click()
    screenshot(page, "tour-help-menu")
    help_menu.get_by_role("link", name=in_vietnamese("Replay the quick tour")).click()
    expect(page).to_have_url(re.compile(r"/$"))
    expect(_title(page)).to_have_text(in_vietnamese(WELCOME_TITLE))


def test_skipping_closes_the_tour_for_good(page, e2e_org):  # type: ignore[no-untyped-def]
    login(page, e2e_org.viewer.username, PASSWORD, tour=True)
    expect(_title(page)).to_have_text(in_vietnamese(WELCOME_TITLE))
    _button(page, LABELS["next"]).click()
    expect(_title(page)).to_have_text(in_vietnamese(TOURS[Role.VIEWER][0].title))
    with page.expect_response("**/gioi-thieu/da-xem/"):
        _button(page, LABELS["skip"]).click()
    expect(_popover(page)).to_have_count(0)
    page.reload()
    expect(page.get_by_role("heading", level=1)).to_be_visible()
    expect(_popover(page)).to_have_count(0)
    assert TourSeen.objects.filter(user=e2e_org.viewer, role=Role.VIEWER).exists()


def test_the_office_sees_its_own_tour(page, e2e_org):  # type: ignore[no-untyped-def]
    page.emulate_media(reduced_motion="reduce")
    login(page, e2e_org.admin.username, PASSWORD, tour=True)  # after its second step
    expect(page).to_have_url(re.compile(r"/$"))
    expect(_title(page)).to_have_text(in_vietnamese(WELCOME_TITLE))
    expect(_popover(page)).to_contain_text(in_vietnamese(Role.ADMIN.label))
    for number, step in enumerate(TOURS[Role.ADMIN], start=2):
        _button(page, LABELS["next"]).click()
        expect(_title(page)).to_have_text(in_vietnamese(step.title))
        expect(page.locator(f"{step.selector}.driver-active-element")).to_have_count(1)
        if number == 2:
            screenshot(page, "tour-admin-2")
    # Escape closes it too, and that counts as seen (once the step has settled:
    # "Tiếp" has the focus).
    expect(_button(page, LABELS["next"])).to_be_focused()
    with page.expect_response("**/gioi-thieu/da-xem/"):
        page.keyboard.press("Escape")
    expect(_popover(page)).to_have_count(0)
    assert TourSeen.objects.filter(user=e2e_org.admin, role=Role.ADMIN).exists()
