"""An improvement plan's life in a real browser, on the demo data: the
standing office drafts Sở Nội vụ's plan from the published departments'
results and edits it, the leader approves it, the unit's reporter reports a
task's progress, and the leader finds the overdue task on the overview.
Screenshots go to var/screenshots (50-plan-*) for review.
"""

from __future__ import annotations

import re

import pytest
from django.core.management import call_command
from django.utils import timezone
from playwright.sync_api import expect

from dtis.plans.models import Plan, PlanStatus, TaskStatus
from dtis.plans.services import overdue_tasks
from dtis.reporting.demo import DEPARTMENTS_CYCLE, PROVINCE_CYCLE
from dtis.reporting.models import Cycle
from tests.e2e.conftest import login, logout, screenshot

DEMO_PASSWORD = "dtis-demo-2026"


@pytest.fixture
def demo(transactional_db, settings, tmp_path):  # type: ignore[no-untyped-def]
    settings.MEDIA_ROOT = tmp_path / "media"
    call_command("seed-demo", verbosity=0, stdout=open("/dev/null", "w"))  # noqa: SIM115
    year = max(Cycle.objects.filter(outcome__stage="published").values_list("year", flat=True))
    departments = Cycle.objects.get(name=DEPARTMENTS_CYCLE.format(year=year))
    return {
        "province": Cycle.objects.get(name=PROVINCE_CYCLE.format(year=year)),
        "home": departments.assessed.get(unit__code="KHH-SNV"),
    }


def test_office_drafts_leader_approves_unit_reports(page, demo):  # type: ignore[no-untyped-def]
    home = demo["home"]

    # The office: the list shows the demo's plans, then a new draft for Sở Nội vụ.
    login(page, "tran.minh.quan", DEMO_PASSWORD)
    page.goto("/ke-hoach/")
    expect(page.locator(".plans-table tbody tr")).to_have_count(2)
    screenshot(page, "50-plan-list")
    page.goto("/ke-hoach/tao/")
    page.locator("#id_assessed").select_option(str(home.pk))
    page.locator("#id_target_rank").fill("3")
    page.locator("button[name=preview]").click()
    expect(page.locator(".plan-preview")).to_be_visible()
    expect(page.locator(".plan-verdict")).to_be_visible()
    screenshot(page, "50-plan-draft-preview")
    page.locator("button[name=save]").click()
    page.wait_for_url(re.compile(r"/ke-hoach/\d+/$"))
    plan = Plan.objects.get(source=home)
    assert plan.status == PlanStatus.DRAFT and plan.tasks.exists()

    # It gives the plan its number and moves the first task's deadline.
    page.goto(f"/ke-hoach/{plan.pk}/sua/")
    page.locator("#id_number").fill("45/KH-SNV")
    page.locator("#id_task-0-deadline").fill("2026-12-20")
    screenshot(page, "50-plan-edit")
    page.locator("form.plan-edit button[type=submit].primary").click()
    page.wait_for_url(f"**/ke-hoach/{plan.pk}/")
    expect(page.locator(".lead")).to_contain_text("45/KH-SNV")
    expect(page.locator(".plan-tasks")).to_contain_text("20/12/2026")
    screenshot(page, "50-plan-page-draft")
    logout(page)

    # The leader approves it.
    login(page, "dang.huu.phuoc", DEMO_PASSWORD)
    page.goto(f"/ke-hoach/{plan.pk}/")
    page.locator(f"form[action='/ke-hoach/{plan.pk}/phe-duyet/'] button").click()
    page.wait_for_url(f"**/ke-hoach/{plan.pk}/")
    expect(page.locator(".lead .badge.ok")).to_be_visible()
    plan.refresh_from_db()
    assert plan.status == PlanStatus.APPROVED
    screenshot(page, "50-plan-approved")
    logout(page)

    # Sở Nội vụ's reporter reports the first task's progress.
    task = plan.tasks.get(order=1)
    login(page, "huynh.thi.kim.oanh", DEMO_PASSWORD)
    page.goto(f"/ke-hoach/{plan.pk}/nhiem-vu/{task.pk}/")
    page.locator("#id_status").select_option(TaskStatus.IN_PROGRESS)
    page.locator("#id_progress").fill("50")
    page.locator("#id_evidence").fill("https://snv.khanhhoa.gov.vn/van-ban/ke-hoach-45")
    page.locator("#id_notes").fill("Đã giao Văn phòng Sở xây dựng dự thảo quy chế.")
    page.locator("main form button[type=submit]").click()
    page.wait_for_url(f"**/nhiem-vu/{task.pk}/")
    expect(page.locator(".lead")).to_contain_text("50 %")
    task.refresh_from_db()
    assert (task.status, task.progress) == (TaskStatus.IN_PROGRESS, 50)
    screenshot(page, "50-plan-task")
    logout(page)

    # The leader finds the overdue tasks on the province's overview: the demo
    # plan's one, and (depending on today) the new plan's tasks past their
    # deadline; the longest overdue first.
    province = demo["province"]
    expected = overdue_tasks(province.scope, timezone.localdate(), limit=20)
    assert expected
    login(page, "dang.huu.phuoc", DEMO_PASSWORD)
    page.goto(f"/bang-dieu-khien/{province.pk}/")
    overdue = page.locator(".ov-overdue")
    expect(overdue.locator("tbody tr")).to_have_count(len(expected))
    first = expected[0]
    expect(overdue.locator("tbody tr").first.locator("a")).to_have_attribute(
        "href", f"/ke-hoach/{first.plan_id}/nhiem-vu/{first.pk}/"
    )
    overdue.scroll_into_view_if_needed()
    screenshot(page, "50-plan-overview-overdue")
