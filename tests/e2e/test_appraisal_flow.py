"""Appraisal to publication, in a real browser.

The year reports of Sở Nội vụ and Sở Tài chính are with the council. The
appraiser (the chair) asks Sở Nội vụ to explain indicator 1.1; its reporter
sees the request on the home page and answers with a new PDF; the appraiser
sets a corrected score with a reason; the chair accepts everything else,
signs off and publishes; the unit head then sees the unit's rank, its band
and the reason for the corrected score.
"""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.core.management import call_command
from django.utils import timezone
from playwright.sync_api import expect

from dtis.appraisal.council import council_seat_set, main_indicators
from dtis.appraisal.models import CouncilRole, Item, ItemState, Stage, UnitResult
from dtis.frameworks.services import find
from dtis.reporting.cycles import cycle_create
from dtis.reporting.models import PeriodState
from dtis.reporting.workflow import submission_accept
from tests.appraisal.conftest import report_year
from tests.e2e.conftest import login, logout, screenshot
from tests.e2e.test_reporting_flow import PDF
from tests.factories import PASSWORD

QUESTION = "Đề nghị bổ sung Quyết định kiện toàn Ban Chỉ đạo chuyển đổi số của Sở năm 2025."
ANSWER = "Sở gửi kèm Quyết định số 125/QĐ-SNV ngày 12/3/2025 về kiện toàn Ban Chỉ đạo."
REASON = "Quyết định kiện toàn do Phó Giám đốc làm Trưởng ban, chỉ đạt một nửa số điểm."


@pytest.fixture
def with_council(e2e_org, settings, tmp_path):  # type: ignore[no-untyped-def]
    settings.MEDIA_ROOT = tmp_path / "media"
    call_command("load-frameworks", verbosity=0)
    org = e2e_org
    cycle = cycle_create(
        actor=org.admin,
        framework=find("hy-department-2023"),  # type: ignore[arg-type]
        year=2025,
        name="Đánh giá chuyển đổi số các sở, ban, ngành năm 2025",
        scope=org.province,
        assessed=[(org.dept_home, "Sở, ban, ngành"), (org.dept_finance, "Sở, ban, ngành")],
    )
    period = cycle.periods.get(kind="year")
    period.state = PeriodState.OPEN
    period.unit_deadline = timezone.localdate() + dt.timedelta(days=5)
    period.save()
    for assessed in cycle.assessed.select_related("unit", "cycle"):
        report_year(period, assessed, org.head if assessed.unit == org.dept_home else None)
        submission_accept(actor=org.admin, submission=period.submissions.get(assessed=assessed))
    council_seat_set(
        actor=org.admin,
        cycle=cycle,
        user=org.appraiser,
        role=CouncilRole.CHAIR,
        groups=main_indicators(cycle),
    )
    return cycle


def _open(card, form: str) -> None:  # type: ignore[no-untyped-def]
    """Unfold the <details> that holds the form."""
    card.locator("details.decision-form").filter(has=card.page.locator(form)).locator(
        "summary"
    ).click()


def test_an_item_is_explained_corrected_signed_off_and_published(page, e2e_org, with_council):  # type: ignore[no-untyped-def]
    cycle = with_council
    home = cycle.assessed.get(unit=e2e_org.dept_home)
    item = Item.objects.get(assessed=home, indicator__code="1.1")
    card = page.locator(f"#item-{item.pk}")

    # The appraiser asks for an explanation.
    login(page, e2e_org.appraiser.username, PASSWORD)
    page.goto(f"/tham-dinh/{cycle.pk}/don-vi/{home.pk}/")
    request_form = card.locator("form[action$='/giai-trinh/']")
    _open(card, "form[action$='/giai-trinh/']")
    request_form.locator("textarea[name='question']").fill(QUESTION)
    request_form.locator("button[type='submit']").click()
    expect(card).to_have_class(re.compile(r"\bstate-explanation\b"))
    screenshot(page, "30-appraisal-request")
    logout(page)

    # The unit's reporter finds it on the home page and answers with a document.
    login(page, e2e_org.reporter.username, PASSWORD)
    request_link = page.locator("#my-explanations ~ ul a").first
    expect(request_link).to_contain_text("1.1")
    request_link.click()
    expect(page.locator("main")).to_contain_text(QUESTION)
    page.locator("textarea[name='answer']").fill(ANSWER)
    page.locator("input[name='attachments']").set_input_files(
        files=[{"name": "QD-125-SNV.pdf", "mimeType": "application/pdf", "buffer": PDF}]
    )
    page.locator("form.card button[type='submit']").click()
    expect(page.locator("main")).to_contain_text(ANSWER)
    expect(page.locator("main")).to_contain_text("QD-125-SNV.pdf")
    screenshot(page, "31-explanation-answered")
    logout(page)

    # The appraiser reads the answer and sets the corrected score with its reason.
    login(page, e2e_org.appraiser.username, PASSWORD)
    page.goto(f"/tham-dinh/{cycle.pk}/don-vi/{home.pk}/")
    expect(card).to_have_class(re.compile(r"\bstate-answered\b"))
    expect(card).to_contain_text(ANSWER)
    correct_form = card.locator("form[action$='/dieu-chinh/']")
    _open(card, "form[action$='/dieu-chinh/']")
    correct_form.locator("[name='points']").fill("7,5")
    correct_form.locator("select[name='reason_code']").select_option("rule_misapplied")
    correct_form.locator("textarea[name='reason']").fill(REASON)
    correct_form.locator("button[type='submit']").click()
    expect(card).to_have_class(re.compile(r"\bstate-corrected\b"))
    screenshot(page, "32-appraisal-corrected")

    # Everything else is accepted; the chair signs off and publishes.
    page.goto(f"/tham-dinh/{cycle.pk}/")
    bulk = page.locator("form[action$='/chap-nhan-tat-ca/'] button")
    while bulk.count():
        bulk.first.click()
        page.wait_for_load_state("domcontentloaded")
    page.locator(f"form[action='/tham-dinh/{cycle.pk}/ky-duyet/'] button").click()
    page.locator(f"form[action='/tham-dinh/{cycle.pk}/cong-bo/'] button").click()
    expect(page.locator(f"form[action='/tham-dinh/{cycle.pk}/cong-bo/']")).to_have_count(0)
    screenshot(page, "33-appraisal-published")
    cycle.outcome.refresh_from_db()
    assert cycle.outcome.stage == Stage.PUBLISHED
    assert Item.objects.get(pk=item.pk).state == ItemState.CORRECTED
    logout(page)

    # The unit head sees the rank, the band and the reason.
    result = UnitResult.objects.get(assessed=home)
    login(page, e2e_org.head.username, PASSWORD)
    page.goto(f"/ket-qua/{cycle.pk}/")
    own_row = page.locator("tr", has=page.get_by_role("link", name=e2e_org.dept_home.name))
    expect(own_row).to_contain_text(result.band)
    expect(own_row.locator("td").first).to_have_text(str(result.rank))
    screenshot(page, "34-results-ranking")
    own_row.get_by_role("link", name=e2e_org.dept_home.name).click()
    expect(page.locator("main")).to_contain_text(REASON)
    expect(page.locator("main")).to_contain_text("7,50")
    screenshot(page, "35-results-unit")
