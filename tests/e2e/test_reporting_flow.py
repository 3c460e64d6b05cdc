"""The whole quarterly flow of one department, in a real browser.

The reporter of Sở Nội vụ enters figures of every input kind, attaches a PDF
and cites an official document; the head submits; the standing office
returns one item with a comment; the reporter corrects it; the head submits
again; the office accepts it for appraisal.
"""

from __future__ import annotations

from playwright.sync_api import expect

from dtis.reporting.models import Figure, Submission, SubmissionState
from tests.e2e.conftest import login, logout, screenshot
from tests.factories import PASSWORD

# A minimal but valid one-page PDF.
PDF = (
    b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n"
    b"2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>endobj\n"
    b"3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 595 842]>>endobj\n"
    b"trailer<</Root 1 0 R>>\n%%EOF\n"
)


def _indicator_with(assessed, kind: str):  # type: ignore[no-untyped-def]
    return next(
        a.indicator
        for a in assessed.assignments.select_related("indicator").order_by("indicator__order")
        if (a.indicator.rule or {}).get("kind") == kind
    )


def _fill(page, indicator, values: dict[str, str]) -> None:  # type: ignore[no-untyped-def]
    card = page.locator(f"[id='ind-{indicator.code}']")
    for spec in indicator.inputs:
        value = values[spec["name"]]
        name = f"in_{spec['name']}"
        if spec.get("type") == "boolean":
            card.locator(f"input[name='{name}'][value='{value}']").check()
        elif spec.get("type") == "choice":
            card.locator(f"select[name='{name}']").select_option(value)
        else:
            card.locator(f"input[name='{name}']").fill(value)
    card.locator("form button.primary").first.click()
    page.wait_for_load_state("domcontentloaded")


def test_a_department_reports_is_returned_corrects_and_is_accepted(
    page, e2e_org, quarter, tmp_path
):  # type: ignore[no-untyped-def]
    period, assessed = quarter
    entry = f"/bao-cao/{period.pk}/{assessed.pk}/"
    yes_no = _indicator_with(assessed, "yes_no")
    level = _indicator_with(assessed, "level")
    ratio = _indicator_with(assessed, "ratio")
    steps = _indicator_with(assessed, "count_steps")
    formula = _indicator_with(assessed, "formula")

    # 1. The reporter enters figures of every input kind.
    login(page, e2e_org.reporter.username, PASSWORD)
    page.goto(entry)
    _fill(page, yes_no, {i["name"]: "yes" for i in yes_no.inputs})
    _fill(page, level, {level.inputs[0]["name"]: level.inputs[0]["choices"][0]["value"]})
    ratio_rule = ratio.rule
    _fill(page, ratio, {ratio_rule["numerator"]: "1.200", ratio_rule["denominator"]: "1.500"})
    _fill(page, steps, {steps.inputs[0]["name"]: "4"})
    _fill(page, formula, {i["name"]: "1.250.000" for i in formula.inputs})
    saved = Figure.objects.get(period=period, assessed=assessed, indicator=ratio)
    # "1.200" typed the Vietnamese way is one thousand two hundred.
    assert {k: str(v) for k, v in saved.values.items()} == {
        ratio_rule["numerator"]: "1200",
        ratio_rule["denominator"]: "1500",
    }
    assert Figure.objects.filter(period=period, assessed=assessed).count() == 5

    # 2. A PDF and a citation of an official document as evidence.
    card = page.locator(f"[id='ind-{yes_no.code}']")
    pdf = tmp_path / "quyet-dinh-thanh-lap-ban-chi-dao.pdf"
    pdf.write_bytes(PDF)
    # The three "add" forms are folded away in <details>; open the ones used.
    card.locator("details:has(input[type=file]) > summary").click()
    card.locator("input[type=file]").set_input_files(str(pdf))
    card.locator("input[type=file]").locator("xpath=ancestor::form").locator("button").click()
    page.wait_for_load_state("domcontentloaded")
    card = page.locator(f"[id='ind-{yes_no.code}']")
    expect(card).to_contain_text("quyet-dinh-thanh-lap-ban-chi-dao.pdf")
    card.locator("details:has(input[name='kind'][value='document']) > summary").click()
    doc_form = card.locator("form:has(input[name='kind'][value='document'])")
    doc_form.locator("input[name='number']").fill("27/KH-SNV")
    doc_form.locator("input[name='date']").fill(f"21/01/{period.cycle.year}")
    doc_form.locator("input[name='issuer']").fill("Sở Nội vụ tỉnh Khánh Hòa")
    doc_form.locator("textarea[name='summary']").fill(
        "Kế hoạch chuyển đổi số của Sở Nội vụ năm " + str(period.cycle.year)
    )
    doc_form.locator("button").click()
    page.wait_for_load_state("domcontentloaded")
    expect(page.locator("main")).to_contain_text("27/KH-SNV")
    screenshot(page, "10-entry")
    logout(page)

    # 3. The head submits (the evidence check lists missing evidence: override with a reason).
    login(page, e2e_org.head.username, PASSWORD)
    page.goto(f"{entry}gui/")
    reason = page.locator("textarea[name='override_reason']")
    if reason.count():
        reason.fill("Các tài liệu còn lại sẽ bổ sung khi Hội đồng yêu cầu.")
    page.locator("main form button.primary").click()
    page.wait_for_load_state("domcontentloaded")
    assert (
        Submission.objects.get(period=period, assessed=assessed).state == SubmissionState.SUBMITTED
    )
    logout(page)

    # 4. The standing office returns one item with a comment.
    login(page, e2e_org.admin.username, PASSWORD)
    page.goto(f"{entry}tham-dinh/")
    page.locator(f"textarea[name='comment-{ratio.pk}']").fill(
        "Tổng số văn bản đi chưa khớp với sổ đăng ký văn bản, đề nghị kiểm tra lại."
    )
    page.locator("button.danger").click()
    page.wait_for_load_state("domcontentloaded")
    assert (
        Submission.objects.get(period=period, assessed=assessed).state == SubmissionState.RETURNED
    )
    logout(page)

    # 5. The reporter sees the comment and corrects the figure.
    login(page, e2e_org.reporter.username, PASSWORD)
    page.goto(entry)
    card = page.locator(f"[id='ind-{ratio.code}']")
    expect(card).to_contain_text("chưa khớp với sổ đăng ký văn bản")
    _fill(page, ratio, {ratio_rule["numerator"]: "1.200", ratio_rule["denominator"]: "1.480"})
    saved.refresh_from_db()
    assert str(saved.values[ratio_rule["denominator"]]) == "1480"
    logout(page)

    # 6. The head submits again; 7. the office accepts it for appraisal.
    login(page, e2e_org.head.username, PASSWORD)
    page.goto(f"{entry}gui/")
    reason = page.locator("textarea[name='override_reason']")
    if reason.count():
        reason.fill("Đã sửa theo ý kiến của cơ quan thường trực.")
    page.locator("main form button.primary").click()
    page.wait_for_load_state("domcontentloaded")
    logout(page)
    login(page, e2e_org.admin.username, PASSWORD)
    page.goto(f"{entry}tham-dinh/")
    page.locator("button.primary", has_text="").last.click()
    page.wait_for_load_state("domcontentloaded")
    submission = Submission.objects.get(period=period, assessed=assessed)
    assert submission.state == SubmissionState.ACCEPTED
    steps_taken = list(submission.events.values_list("to_state", flat=True))
    assert steps_taken == ["submitted", "returned", "submitted", "accepted"]
    screenshot(page, "11-review")
