"""Training in the browser: the office makes a sandbox from the open cycle,
a reporter practises in it — every page says so — and the real cycle stays
untouched."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from dtis.reporting.models import Figure
from tests.e2e.conftest import login, logout, screenshot
from tests.factories import PASSWORD

pytestmark = pytest.mark.django_db(transaction=True, databases=["default", "training"])


@pytest.fixture(scope="module", autouse=True)
def _orm_beside_playwright_for_both_databases():  # type: ignore[no-untyped-def]
    # The marker above sets the databases up before the per-test fixture of
    # tests/e2e/conftest.py could allow the ORM beside Playwright's loop, and
    # flushes them after it; a module-wide allowance covers that teardown.
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
        yield


def test_a_reporter_practises_in_a_copy_and_the_real_cycle_stays_untouched(  # type: ignore[no-untyped-def]
    page, e2e_org, quarter
):
    period, assessed = quarter
    login(page, e2e_org.admin.username, PASSWORD)
    page.goto("/tap-huan/")
    page.get_by_label("Tạo từ").select_option(str(period.cycle_id))
    page.get_by_role("button", name="Tạo bản tập huấn").click()
    expect(page.locator(".messages")).to_contain_text("Bản tập huấn đã sẵn sàng")
    logout(page)

    login(page, e2e_org.reporter.username, PASSWORD)
    page.get_by_role("link", name="Tập huấn").click()
    page.get_by_role("button", name="Bắt đầu tập huấn").click()
    banner = page.get_by_test_id("training-banner")
    expect(banner).to_contain_text("TẬP HUẤN")
    expect(banner).to_contain_text(e2e_org.reporter.full_name)

    page.goto(f"/bao-cao/{period.pk}/{assessed.pk}/")
    expect(page.get_by_test_id("training-banner")).to_be_visible()
    card = page.locator("[id='ind-1.3']")
    card.locator("input[value='yes']").first.check()
    card.locator("form button.primary").first.click()
    page.wait_for_load_state("domcontentloaded")
    expect(page.get_by_test_id("training-banner")).to_be_visible()
    screenshot(page, "training-entry")
    assert Figure.objects.using("training").filter(indicator__code="1.3").count() == 1
    assert not Figure.objects.filter(period=period).exists()

    page.get_by_test_id("training-banner").get_by_role("button", name="Thoát tập huấn").click()
    expect(page.get_by_test_id("training-banner")).to_have_count(0)
    expect(page.locator(".messages")).to_contain_text("dữ liệu thật")
    page.goto(f"/bao-cao/{period.pk}/{assessed.pk}/")
    expect(page).to_have_url(re.compile(rf"/bao-cao/{period.pk}/{assessed.pk}/$"))
    assert not Figure.objects.filter(period=period).exists()
