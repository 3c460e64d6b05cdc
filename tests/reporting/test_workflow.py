"""The report's workflow through the screens: the reporter enters, the head
submits, the standing office returns items with comments or accepts, the
unit corrects and submits again; every step is recorded."""

from __future__ import annotations

import datetime as dt

import pytest
from django.test import Client
from django.utils import timezone

from dtis.reporting.cycles import period_reopen
from dtis.reporting.models import (
    Cycle,
    Figure,
    ReturnedItem,
    Submission,
    SubmissionEvent,
    SubmissionState,
)
from dtis.reporting.workflow import submission_return, submission_submit
from tests.factories import Org
from tests.reporting.test_entry import (
    Finding,
    entry_url,
    fake_precheck,
    home_of,
    indicator,
    q1,
    save,
)


@pytest.fixture
def findings(monkeypatch: pytest.MonkeyPatch) -> list[Finding]:
    return fake_precheck(monkeypatch)


S = SubmissionState


def as_user(user) -> Client:  # type: ignore[no-untyped-def]
    client = Client()
    client.force_login(user)
    return client


def url(cycle: Cycle, tail: str = "") -> str:
    return entry_url(q1(cycle), home_of(cycle), tail)


def submission(cycle: Cycle) -> Submission:
    return Submission.objects.get(period=q1(cycle), assessed=home_of(cycle))


def test_the_whole_workflow_through_the_screens(
    org: Org, dept_cycle: Cycle, findings: list[Finding]
):
    reporter, head, office = as_user(org.reporter), as_user(org.head), as_user(org.admin)

    # The reporter enters two indicators.
    reporter.post(url(dept_cycle, "chi-so/1.4/luu/"), {"in_so_tin_bai_cds": "12", "version": "0"})
    reporter.post(
        url(dept_cycle, "chi-so/1.3/luu/"),
        {"in_co_van_ban_chi_dao_do_thu_truong_ky": "yes", "version": "0"},
    )
    assert Figure.objects.count() == 2

    # The head sees the Submit button, the confirmation page, and submits.
    assert url(dept_cycle, "gui/") in head.get(url(dept_cycle)).content.decode()
    assert head.get(url(dept_cycle, "gui/")).status_code == 200
    response = head.post(url(dept_cycle, "gui/"), follow=True)
    assert response.redirect_chain[-1][0] == url(dept_cycle)
    assert submission(dept_cycle).state == S.SUBMITTED

    # The office returns one indicator with a comment.
    review = office.get(url(dept_cycle, "tham-dinh/"))
    assert review.status_code == 200
    assert 'name="comment-' in review.content.decode()
    i14 = indicator(dept_cycle, "1.4")
    office.post(
        url(dept_cycle, "tham-dinh/tra-lai/"),
        {f"comment-{i14.pk}": "Bổ sung đường link 12 tin, bài đã đăng", "comment": ""},
    )
    assert submission(dept_cycle).state == S.RETURNED
    assert ReturnedItem.objects.get().indicator == i14

    # The reporter sees the comment and corrects the figure.
    page = reporter.get(url(dept_cycle)).content.decode()
    assert "Bổ sung đường link 12 tin, bài đã đăng" in page
    version = Figure.objects.get(indicator=i14).version
    response = reporter.post(
        url(dept_cycle, "chi-so/1.4/luu/"),
        {"in_so_tin_bai_cds": "14", "version": str(version), "reason": "Bổ sung 2 tin, bài"},
    )
    assert response.status_code == 302

    # The office can see what changed since the submission.
    changes = office.get(url(dept_cycle, "thay-doi/")).content.decode()
    assert ">12 tin, bài<" in changes and ">14 tin, bài<" in changes

    # The head resubmits and the office accepts.
    head.post(url(dept_cycle, "gui/"))
    assert submission(dept_cycle).state == S.SUBMITTED
    office.post(url(dept_cycle, "tham-dinh/tiep-nhan/"), {"comment": ""})
    assert submission(dept_cycle).state == S.ACCEPTED

    steps = list(
        SubmissionEvent.objects.order_by("at", "pk").values_list(
            "from_state", "to_state", "by__username"
        )
    )
    assert steps == [
        (S.DRAFT, S.SUBMITTED, org.head.username),
        (S.SUBMITTED, S.RETURNED, org.admin.username),
        (S.RETURNED, S.SUBMITTED, org.head.username),
        (S.SUBMITTED, S.ACCEPTED, org.admin.username),
    ]


def test_the_office_sees_the_changes_between_the_two_submissions(
    org: Org, dept_cycle: Cycle, findings: list[Finding]
):
    first = save(dept_cycle, "1.4", {"so_tin_bai_cds": 12}, org.reporter)
    sub = submission_submit(actor=org.head, period=q1(dept_cycle), assessed=home_of(dept_cycle))
    submission_return(
        actor=org.admin, submission=sub, items=[(indicator(dept_cycle, "1.4"), "Thiếu minh chứng")]
    )
    save(dept_cycle, "1.4", {"so_tin_bai_cds": 25}, org.reporter, version=first.version)
    submission_submit(actor=org.head, period=q1(dept_cycle), assessed=home_of(dept_cycle))
    page = as_user(org.admin).get(url(dept_cycle, "thay-doi/")).content.decode()
    assert ">12 tin, bài<" in page and ">25 tin, bài<" in page
    assert "Huỳnh Thị Kim Oanh" in page


def test_submitting_asks_for_a_reason_when_the_evidence_check_finds_problems(
    org: Org, dept_cycle: Cycle, findings: list[Finding]
):
    findings.append(Finding("1.4", "Chưa có tài liệu kiểm chứng"))
    head = as_user(org.head)
    page = head.get(url(dept_cycle, "gui/")).content.decode()
    assert "Chưa có tài liệu kiểm chứng" in page
    assert 'name="override_reason"' in page
    response = head.post(url(dept_cycle, "gui/"), {"override_reason": ""})
    assert response.status_code == 200
    assert not Submission.objects.filter(state=S.SUBMITTED).exists()


def test_a_reason_lets_the_head_submit_despite_the_findings(
    org: Org, dept_cycle: Cycle, findings: list[Finding]
):
    findings.append(Finding("1.4", "Chưa có tài liệu kiểm chứng"))
    as_user(org.head).post(
        url(dept_cycle, "gui/"), {"override_reason": "Minh chứng đang chờ Giám đốc Sở ký"}
    )
    assert submission(dept_cycle).state == S.SUBMITTED
    assert "Minh chứng đang chờ Giám đốc Sở ký" in SubmissionEvent.objects.get().comment


def test_a_reporter_cannot_submit(org: Org, dept_cycle: Cycle, findings: list[Finding]):
    reporter = as_user(org.reporter)
    assert "/gui/" not in reporter.get(url(dept_cycle)).content.decode()
    assert reporter.post(url(dept_cycle, "gui/")).status_code == 403
    assert not Submission.objects.exists()


def test_a_late_submission_records_the_days_late(
    org: Org, dept_cycle: Cycle, findings: list[Finding]
):
    period = q1(dept_cycle)
    period.unit_deadline = timezone.localdate() - dt.timedelta(days=3)
    period.save()
    as_user(org.head).post(url(dept_cycle, "gui/"))
    assert submission(dept_cycle).days_late == 3
    review = as_user(org.admin).get(url(dept_cycle, "tham-dinh/")).content.decode()
    assert "badge warn" in review


def test_a_reopened_unit_enters_and_submits_on_time(
    org: Org, dept_cycle: Cycle, findings: list[Finding]
):
    period = q1(dept_cycle)
    period.unit_deadline = timezone.localdate() - dt.timedelta(days=3)
    period.save()
    reporter = as_user(org.reporter)
    reporter.post(url(dept_cycle, "chi-so/1.4/luu/"), {"in_so_tin_bai_cds": "12"})
    assert not Figure.objects.exists()

    period_reopen(
        actor=org.admin,
        period=period,
        unit=org.dept_home,
        until=timezone.localdate() + dt.timedelta(days=2),
        reason="Sở Nội vụ chuyển trụ sở, xin lùi hạn báo cáo",
    )
    reporter.post(url(dept_cycle, "chi-so/1.4/luu/"), {"in_so_tin_bai_cds": "12"})
    assert Figure.objects.get().values == {"so_tin_bai_cds": 12}
    as_user(org.head).post(url(dept_cycle, "gui/"))
    assert submission(dept_cycle).days_late == 0


def test_a_returned_report_is_corrected_after_the_deadline(
    org: Org, dept_cycle: Cycle, findings: list[Finding]
):
    first = save(dept_cycle, "1.4", {"so_tin_bai_cds": 12}, org.reporter)
    sub = submission_submit(actor=org.head, period=q1(dept_cycle), assessed=home_of(dept_cycle))
    submission_return(
        actor=org.admin, submission=sub, items=[(indicator(dept_cycle, "1.4"), "Số liệu chưa khớp")]
    )
    period = q1(dept_cycle)
    period.unit_deadline = timezone.localdate() - dt.timedelta(days=5)
    period.save()
    response = as_user(org.reporter).post(
        url(dept_cycle, "chi-so/1.4/luu/"),
        {"in_so_tin_bai_cds": "16", "version": str(first.version)},
    )
    assert response.status_code == 302
    assert Figure.objects.get().values == {"so_tin_bai_cds": 16}


def test_returning_without_any_comment_is_refused(
    org: Org, dept_cycle: Cycle, findings: list[Finding]
):
    submission_submit(actor=org.head, period=q1(dept_cycle), assessed=home_of(dept_cycle))
    response = as_user(org.admin).post(
        url(dept_cycle, "tham-dinh/tra-lai/"), {"comment": "Xem lại"}
    )
    assert response.status_code == 200
    assert 'class="alert error"' in response.content.decode()
    assert submission(dept_cycle).state == S.SUBMITTED


def test_only_the_commented_indicators_are_returned(
    org: Org, dept_cycle: Cycle, findings: list[Finding]
):
    submission_submit(actor=org.head, period=q1(dept_cycle), assessed=home_of(dept_cycle))
    i11, i13 = indicator(dept_cycle, "1.1"), indicator(dept_cycle, "1.3")
    as_user(org.admin).post(
        url(dept_cycle, "tham-dinh/tra-lai/"),
        {
            f"comment-{i11.pk}": "Quyết định kiện toàn Ban chỉ đạo đã hết hiệu lực",
            f"comment-{i13.pk}": "  ",
        },
    )
    assert list(ReturnedItem.objects.values_list("indicator__code", flat=True)) == ["1.1"]


def test_a_draft_cannot_be_accepted(org: Org, dept_cycle: Cycle, findings: list[Finding]):
    as_user(org.admin).post(url(dept_cycle, "tham-dinh/tiep-nhan/"))
    assert not SubmissionEvent.objects.exists()


@pytest.mark.parametrize("who", ["reporter", "head", "viewer", "appraiser", "other_admin"])
def test_only_the_standing_office_reviews(
    org: Org, dept_cycle: Cycle, findings: list[Finding], who: str
):
    submission_submit(actor=org.head, period=q1(dept_cycle), assessed=home_of(dept_cycle))
    client = as_user(getattr(org, who))
    assert client.get(url(dept_cycle, "tham-dinh/")).status_code == 403
    assert client.post(url(dept_cycle, "tham-dinh/tiep-nhan/")).status_code == 403
    assert submission(dept_cycle).state == S.SUBMITTED


def test_the_changes_page_of_a_report_submitted_once_says_there_is_nothing_to_compare_yet(
    org: Org, dept_cycle: Cycle, findings: list[Finding]
):
    submission_submit(actor=org.head, period=q1(dept_cycle), assessed=home_of(dept_cycle))
    page = as_user(org.head).get(url(dept_cycle, "thay-doi/")).content.decode()
    assert "Báo cáo đã được gửi một lần" in page
    assert "chưa được gửi" not in page
