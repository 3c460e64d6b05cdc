"""Which explanation requests a person answers for, where each one stands,
and the answer service's all-or-nothing storage of files."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal as D
from pathlib import Path

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from dtis.appraisal.decisions import (
    bulk_accept,
    can_answer,
    explanation_answer,
    item_correct,
    item_request_explanation,
)
from dtis.appraisal.explanations import Status, open_requests_for, requests_for
from dtis.appraisal.models import ExplanationRequest, Item, ItemState, ReasonCode
from dtis.appraisal.publication import sign_off
from dtis.orgs import policy
from dtis.orgs.models import Role
from dtis.reporting.models import Assignment, Evidence
from tests.factories import make_user

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def today() -> dt.date:
    return timezone.localdate()


def item_of(assessed, code):  # type: ignore[no-untyped-def]
    return Item.objects.select_related(
        "period__cycle", "assessed__unit", "assessed__cycle", "indicator", "main", "figure"
    ).get(assessed=assessed, indicator__code=code)


def ask(year_cycle, assessed, code, *, due_in=7, asked_days_ago=0):  # type: ignore[no-untyped-def]
    """A request on the item, asked `asked_days_ago` days ago, due `due_in` days from today."""
    return item_request_explanation(
        actor=year_cycle.chair,
        item=item_of(assessed, code),
        question=f"Đề nghị bổ sung minh chứng cho chỉ tiêu {code}.",
        due=today() + dt.timedelta(days=due_in),
        today=today() - dt.timedelta(days=asked_days_ago),
    )


def fresh(user):  # type: ignore[no-untyped-def]
    policy.forget_grants(user)
    return user


@pytest.fixture
def media(settings, tmp_path: Path) -> Path:  # type: ignore[no-untyped-def]
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


def stored_files(root: Path) -> list[Path]:
    return [p for p in root.rglob("*") if p.is_file()]


# --- who answers for what --------------------------------------------------------


def test_the_reporter_and_the_head_see_their_units_requests_only(year_cycle, org):
    mine = ask(year_cycle, year_cycle.home, "1.1")
    ask(year_cycle, year_cycle.finance, "1.1")
    for person in (org.reporter, org.head):
        assert [e.request.pk for e in requests_for(fresh(person))] == [mine.pk]


def test_people_who_cannot_answer_see_no_request(year_cycle, org):
    ask(year_cycle, year_cycle.home, "1.1")
    for person in (org.viewer, org.admin, org.appraiser, org.other_reporter, org.other_admin):
        assert requests_for(fresh(person)) == [], person.username
        assert open_requests_for(fresh(person)) == [], person.username


def test_the_reporter_of_the_lead_unit_answers_for_another_units_indicator(year_cycle, org):
    # Sở Nội vụ leads indicator 1.2 of Sở Tài chính's report.
    indicator = item_of(year_cycle.finance, "1.3").indicator
    Assignment.objects.filter(assessed=year_cycle.finance, indicator=indicator).update(
        owner=org.dept_home
    )
    theirs = ask(year_cycle, year_cycle.finance, "1.3")
    ask(year_cycle, year_cycle.finance, "1.1")
    assert [e.request.pk for e in requests_for(fresh(org.reporter))] == [theirs.pk]
    # The head answers for the assessed unit, not for indicators their unit leads elsewhere.
    assert requests_for(fresh(org.head)) == []


def test_the_lists_agree_with_who_may_answer(year_cycle, org):
    finance_reporter = make_user("ngo.duc.thinh", "Ngô Đức Thịnh", Role.REPORTER, org.dept_finance)
    indicator = item_of(year_cycle.finance, "2.1").indicator
    Assignment.objects.filter(assessed=year_cycle.finance, indicator=indicator).update(
        owner=org.dept_home
    )
    for assessed in (year_cycle.home, year_cycle.finance, year_cycle.health):
        for code in ("1.1", "2.1"):
            ask(year_cycle, assessed, code)
    people = [org.reporter, org.head, finance_reporter, org.viewer, org.appraiser, org.admin]
    for person in people:
        listed = {e.request.pk for e in requests_for(fresh(person))}
        allowed = {
            r.pk
            for r in ExplanationRequest.objects.select_related("item__assessed__unit")
            if can_answer(fresh(person), r.item)
        }
        assert listed == allowed, person.username


# --- where each request stands -----------------------------------------------------


def test_waiting_requests_come_first_due_soonest_then_answered_then_closed(year_cycle, org):
    later = ask(year_cycle, year_cycle.home, "1.1", due_in=10)
    overdue = ask(year_cycle, year_cycle.home, "1.3", due_in=-2, asked_days_ago=9)
    sooner = ask(year_cycle, year_cycle.home, "2.1", due_in=3)
    answered = ask(year_cycle, year_cycle.home, "2.2", due_in=5)
    explanation_answer(
        actor=org.reporter, request=answered, answer="Đã bổ sung Kế hoạch số 12/KH-SNV."
    )
    closed = ask(year_cycle, year_cycle.home, "3.1", due_in=-1, asked_days_ago=8)
    item_correct(
        actor=year_cycle.chair,
        item=item_of(year_cycle.home, "3.1"),
        points=D(0),
        reason_code=ReasonCode.MISSING_EVIDENCE,
        reason="Đơn vị không giải trình đúng hạn.",
    )
    entries = requests_for(fresh(org.reporter))
    assert [e.request.pk for e in entries] == [
        overdue.pk,
        sooner.pk,
        later.pk,
        answered.pk,
        closed.pk,
    ]
    assert [e.status for e in entries] == [Status.WAITING] * 3 + [Status.ANSWERED, Status.CLOSED]
    assert [(e.overdue, e.days_left) for e in entries[:3]] == [(True, -2), (False, 3), (False, 10)]
    assert entries[0].days_overdue == 2


def test_the_home_list_holds_only_the_waiting_requests_due_soonest_first(year_cycle, org):
    later = ask(year_cycle, year_cycle.home, "1.1", due_in=10)
    overdue = ask(year_cycle, year_cycle.home, "1.3", due_in=-1, asked_days_ago=9)
    answered = ask(year_cycle, year_cycle.home, "2.2", due_in=5)
    explanation_answer(actor=org.head, request=answered, answer="Đã gửi Quyết định số 5/QĐ-SNV.")
    assert [e.request.pk for e in open_requests_for(fresh(org.reporter))] == [overdue.pk, later.pk]


def test_a_request_the_council_decided_without_an_answer_is_closed(year_cycle, org):
    request = ask(year_cycle, year_cycle.home, "1.1", due_in=-1, asked_days_ago=6)
    item_correct(
        actor=year_cycle.chair,
        item=item_of(year_cycle.home, "1.1"),
        points=D(0),
        reason_code=ReasonCode.MISSING_EVIDENCE,
        reason="Không giải trình.",
    )
    (entry,) = requests_for(fresh(org.reporter))
    assert entry.status == Status.CLOSED
    assert open_requests_for(org.reporter) == []
    with pytest.raises(ValidationError):
        explanation_answer(actor=org.reporter, request=request, answer="Muộn")
    request.refresh_from_db()
    assert request.is_open and request.answer == ""


def test_an_older_request_is_closed_once_the_council_asks_again(year_cycle, org):
    first = ask(year_cycle, year_cycle.home, "1.1", due_in=-1, asked_days_ago=6)
    item_correct(
        actor=year_cycle.chair,
        item=item_of(year_cycle.home, "1.1"),
        points=D(1),
        reason_code=ReasonCode.OTHER,
        reason="Tạm chấm.",
    )
    second = ask(year_cycle, year_cycle.home, "1.1", due_in=4)
    statuses = {e.request.pk: e.status for e in requests_for(fresh(org.reporter))}
    assert statuses == {first.pk: Status.CLOSED, second.pk: Status.WAITING}
    first = ExplanationRequest.objects.select_related("item__period__cycle").get(pk=first.pk)
    with pytest.raises(ValidationError):  # the old request cannot take the new one's answer
        explanation_answer(actor=org.reporter, request=first, answer="Trả lời yêu cầu cũ")
    assert ExplanationRequest.objects.get(pk=second.pk).is_open


def test_signed_off_results_close_the_requests(year_cycle, org):
    ask(year_cycle, year_cycle.home, "1.1", due_in=-1, asked_days_ago=6)
    item_correct(
        actor=year_cycle.chair,
        item=item_of(year_cycle.home, "1.1"),
        points=D(0),
        reason_code=ReasonCode.MISSING_EVIDENCE,
        reason="Không giải trình.",
    )
    for assessed in (year_cycle.home, year_cycle.finance, year_cycle.health):
        bulk_accept(actor=year_cycle.chair, assessed=assessed)
    sign_off(actor=year_cycle.chair, cycle=year_cycle.cycle)
    (entry,) = requests_for(fresh(org.reporter))
    assert entry.status == Status.CLOSED


def test_the_lists_cost_one_query_whatever_the_number_of_requests(
    year_cycle, org, django_assert_num_queries
):
    ask(year_cycle, year_cycle.home, "1.1")
    user = fresh(org.reporter)
    policy.grants_of(user)  # loaded once per request by the page anyway
    with django_assert_num_queries(1):
        assert len(requests_for(user)) == 1
    for code in ("1.3", "2.1", "2.2", "3.1"):
        ask(year_cycle, year_cycle.home, code)
    with django_assert_num_queries(1):
        entries = requests_for(user)
        # Everything the pages show is loaded with the request.
        assert {e.request.item.assessed.unit.code for e in entries} == {"KHH-SNV"}
        assert all(e.request.item.indicator.code and e.asked_by for e in entries)
    with django_assert_num_queries(1):
        assert len(open_requests_for(user)) == 5


# --- the answer stores all or nothing ----------------------------------------------


def test_a_bad_second_file_leaves_no_first_file_behind(year_cycle, org, media):
    request = ask(year_cycle, year_cycle.home, "1.1")
    good = SimpleUploadedFile("QD-125-SNV.pdf", PDF, content_type="application/pdf")
    bad = SimpleUploadedFile(
        "bang-tinh.exe", b"MZ\x90\x00binary", content_type="application/x-msdos-program"
    )
    before = Evidence.objects.count()
    with pytest.raises(ValidationError) as err:
        explanation_answer(
            actor=org.reporter, request=request, answer="Gửi kèm quyết định.", files=[good, bad]
        )
    assert "bang-tinh.exe" in err.value.messages[0]
    assert stored_files(media) == []
    assert Evidence.objects.count() == before
    request.refresh_from_db()
    assert request.is_open and item_of(year_cycle.home, "1.1").state == ItemState.EXPLANATION


def test_a_bad_citation_after_good_files_stores_nothing(year_cycle, org, media):
    request = ask(year_cycle, year_cycle.home, "1.1")
    good = SimpleUploadedFile("QD-125-SNV.pdf", PDF, content_type="application/pdf")
    with pytest.raises(ValidationError) as err:
        explanation_answer(
            actor=org.reporter,
            request=request,
            answer="Gửi kèm quyết định.",
            files=[good],
            documents=[{"number": "125 QD SNV", "date": None, "issuer": "", "summary": "QĐ"}],
        )
    assert "doc_number" in err.value.message_dict
    assert stored_files(media) == []
    assert not ExplanationRequest.objects.get(pk=request.pk).evidence.exists()


def test_an_answer_that_loses_a_race_takes_its_files_away_again(year_cycle, org, media):
    request = ask(year_cycle, year_cycle.home, "1.1")
    stale = ExplanationRequest.objects.select_related("item").get(pk=request.pk)
    # The head answers first; the reporter's page still shows the request open.
    explanation_answer(
        actor=org.head, request=request, answer="Sở đã bổ sung Kế hoạch số 7/KH-SNV."
    )
    late = SimpleUploadedFile("KH-7-SNV.pdf", PDF, content_type="application/pdf")
    with pytest.raises(ValidationError):
        explanation_answer(actor=org.reporter, request=stale, answer="Trả lời trùng", files=[late])
    assert stored_files(media) == []
    request.refresh_from_db()
    assert request.answered_by == org.head and not request.evidence.exists()
