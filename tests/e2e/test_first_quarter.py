"""A first quarter as a newcomer meets it, following only what the pages
show: the home page leads the reporter to the open quarter, a refused
citation is explained inside its card with what was typed kept, the
finished report tells the head, and the head submits from the notification.
(The trials of issue 10: a clerk who had never seen DTIS stopped at each of
these places.)"""

from __future__ import annotations

import datetime as dt

from django.utils import timezone
from playwright.sync_api import expect

from dtis.reporting.figures import figure_save
from dtis.reporting.models import Assignment, Submission, SubmissionState
from tests.e2e.conftest import login, logout
from tests.factories import PASSWORD


def _enter_all_but(period, assessed, reporter, last):  # type: ignore[no-untyped-def]
    """Plausible figures for every indicator except `last` (the browser enters it)."""
    for a in Assignment.objects.filter(assessed=assessed).select_related("indicator"):
        if a.indicator.pk == last.pk:
            continue
        values = {}
        for spec in a.indicator.inputs:
            kind = spec.get("type", "number")
            if kind == "boolean":
                values[spec["name"]] = True
            elif kind == "choice":
                values[spec["name"]] = spec["choices"][0]["value"]
            else:
                values[spec["name"]] = 40
        figure_save(actor=reporter, period=period, assessed=assessed, indicator=a.indicator,
                    values=values, note="" if values else "Đã thực hiện")  # fmt: skip


def test_a_newcomer_reports_a_quarter_and_the_head_submits_it(page, e2e_org, quarter):  # type: ignore[no-untyped-def]
    period, assessed = quarter
    yes_no = next(
        a.indicator
        for a in assessed.assignments.select_related("indicator").order_by("indicator__order")
        if (a.indicator.rule or {}).get("kind") == "yes_no"
    )
    _enter_all_but(period, assessed, e2e_org.reporter, yes_no)

    # The home page lists the open quarter; the reporter follows it.
    login(page, e2e_org.reporter.username, PASSWORD)
    waiting = page.locator("section[aria-labelledby='my-reports']")
    expect(waiting).to_contain_text(str(period))
    waiting.get_by_role("link", name=f"{assessed.unit.display_name} — {period}").click()
    page.wait_for_load_state("domcontentloaded")
    card = page.locator(f"[id='ind-{yes_no.code}']")

    # The last indicator: yes, saved; the page comes back to its card with the message in it.
    card.locator(f"input[name='in_{yes_no.inputs[0]['name']}'][value='yes']").check()
    card.locator("form button.primary").first.click()
    page.wait_for_load_state("domcontentloaded")
    card = page.locator(f"[id='ind-{yes_no.code}']")
    expect(card.locator("ul.messages.in-card")).to_contain_text(f"Đã lưu {yes_no.code}")

    # A citation dated tomorrow is refused inside the card, the typed number kept.
    card.locator("details:has(input[name='kind'][value='document']) > summary").click()
    form = card.locator("form:has(input[name='kind'][value='document'])")
    form.locator("input[name='number']").fill("27/KH-SNV")
    tomorrow = timezone.localdate() + dt.timedelta(days=1)
    form.locator("input[name='date']").fill(tomorrow.strftime("%d/%m/%Y"))
    form.locator("textarea[name='summary']").fill("Kế hoạch chuyển đổi số của Sở Nội vụ")
    form.locator("button").click()
    page.wait_for_load_state("domcontentloaded")
    card = page.locator(f"[id='ind-{yes_no.code}']")
    expect(card.locator("ul.messages.in-card")).to_contain_text("không được sau ngày hiện tại")
    form = card.locator("form:has(input[name='kind'][value='document'])")
    expect(form.locator("input[name='number']")).to_have_value("27/KH-SNV")
    expect(form).to_be_visible()

    # Everything is entered: the page says the head submits, and tells the head.
    next_step = page.locator("[data-tour='next-step']")
    expect(next_step).to_contain_text("tiếp theo là thủ trưởng đơn vị")
    next_step.get_by_role("button", name="Báo thủ trưởng đơn vị rà soát và gửi").click()
    page.wait_for_load_state("domcontentloaded")
    expect(page.locator("main")).to_contain_text(f"Đã báo {e2e_org.head.full_name}")
    logout(page)

    # The head opens the notification, reviews and submits.
    login(page, e2e_org.head.username, PASSWORD)
    page.locator("[data-tour='notifications']").click()
    page.wait_for_load_state("domcontentloaded")
    page.locator("main").get_by_role(
        "link", name="đã nhập đủ các chỉ số", exact=False
    ).first.click()
    page.wait_for_load_state("domcontentloaded")
    page.get_by_role("link", name="Gửi báo cáo").first.click()
    page.wait_for_load_state("domcontentloaded")
    reason = page.locator("textarea[name='override_reason']")
    if reason.count():  # most indicators have no evidence in this test
        reason.fill("Tài liệu kiểm chứng sẽ bổ sung trong báo cáo năm.")
    page.locator("main form button.primary").click()
    page.wait_for_load_state("domcontentloaded")
    expect(page.locator("main")).to_contain_text("Đã gửi báo cáo")
    assert (
        Submission.objects.get(period=period, assessed=assessed).state == SubmissionState.SUBMITTED
    )
