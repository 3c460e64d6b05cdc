"""The dashboards on the demo data, in a real browser, as the people who read them.

The leader opens the province's overview, the standing office the
departments' ranking with its heatmap, and the head of Sở Nội vụ his unit's
dashboard; each page's key numbers must be the stored results. Screenshots
go to var/screenshots (40–43) for review.
"""

from __future__ import annotations

import pytest
from django.core.management import call_command
from playwright.sync_api import expect

from dtis.appraisal.models import UnitResult
from dtis.reporting.demo import DEPARTMENTS_CYCLE, PROVINCE_CYCLE
from dtis.reporting.models import Cycle
from tests.e2e.conftest import login, logout, screenshot

DEMO_PASSWORD = "dtis-demo-2026"


def vi(number, places: int) -> str:  # type: ignore[no-untyped-def]
    """A number as the Vietnamese interface shows it (decimal comma)."""
    return f"{number:.{places}f}".replace(".", ",")


@pytest.fixture
def demo(transactional_db, settings, tmp_path):  # type: ignore[no-untyped-def]
    settings.MEDIA_ROOT = tmp_path / "media"
    call_command("seed-demo", verbosity=0, stdout=open("/dev/null", "w"))  # noqa: SIM115
    year = max(Cycle.objects.filter(outcome__stage="published").values_list("year", flat=True))
    return {
        "province": Cycle.objects.get(name=PROVINCE_CYCLE.format(year=year)),
        "departments": Cycle.objects.get(name=DEPARTMENTS_CYCLE.format(year=year)),
    }


def test_leader_office_and_unit_read_their_dashboards(page, demo):  # type: ignore[no-untyped-def]
    province, departments = demo["province"], demo["departments"]

    # The leader: the province's own result of the last published year.
    own = UnitResult.objects.get(cycle=province)
    login(page, "dang.huu.phuoc", DEMO_PASSWORD)
    page.goto(f"/bang-dieu-khien/{province.pk}/")
    headline = page.locator(".ov-headline")
    expect(headline).to_contain_text(vi(own.final_points, 2))
    expect(headline).to_contain_text(vi(own.index, 4))
    expect(headline).to_contain_text(own.band)
    expect(page.locator("svg").first).to_be_visible()
    screenshot(page, "40-dashboard-province")
    logout(page)

    # The standing office: the departments' ranking and heatmap, with its tie.
    login(page, "tran.minh.quan", DEMO_PASSWORD)
    page.goto(f"/bang-dieu-khien/{departments.pk}/xep-hang/")
    results = list(UnitResult.objects.filter(cycle=departments).select_related("assessed__unit"))
    ranks = sorted(r.rank for r in results)
    assert len(ranks) != len(set(ranks)), "the demo's ranking has a tie"
    for r in results:
        row = page.locator("table tr", has=page.get_by_role("link", name=r.assessed.unit.name))
        expect(row.first).to_contain_text(vi(r.index, 4))
    screenshot(page, "41-dashboard-ranking-heatmap")
    page.goto(f"/bang-dieu-khien/{departments.pk}/")
    expect(page.locator("main")).to_contain_text(results[0].band or "")
    screenshot(page, "42-dashboard-departments")
    logout(page)

    # The unit head: his own unit, its rank among its peers.
    home = next(r for r in results if r.assessed.unit.code == "KHH-SNV")
    login(page, "luong.van.binh", DEMO_PASSWORD)
    page.goto(f"/bang-dieu-khien/{departments.pk}/don-vi/{home.assessed_id}/")
    expect(page.locator(".dash-rank")).to_contain_text(str(home.rank))
    expect(page.locator("main")).to_contain_text(vi(home.index, 4))
    screenshot(page, "43-dashboard-unit")
