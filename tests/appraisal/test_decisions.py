"""The council's decisions on items and the three scores they produce."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal as D

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from dtis.appraisal.decisions import (
    bulk_accept,
    explanation_answer,
    item_accept,
    item_correct,
    item_request_explanation,
)
from dtis.appraisal.models import IndicatorResult, Item, ItemState, ReasonCode, UnitResult
from dtis.reporting.models import Notification

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def _item(assessed, code):
    return Item.objects.select_related(
        "period__cycle", "assessed__unit", "assessed__cycle", "indicator", "main"
    ).get(assessed=assessed, indicator__code=code)


def _leaf_result(assessed, code):
    return IndicatorResult.objects.get(result__assessed=assessed, code=code)


def test_accepting_an_item_makes_its_self_score_final(year_cycle):
    item = _item(year_cycle.home, "1.1")
    item_accept(actor=year_cycle.chair, item=item)
    row = _leaf_result(year_cycle.home, "1.1")
    assert row.final_points == row.self_points
    assert row.appraised_points is None


def test_a_correction_sets_the_appraised_and_final_score_with_its_reason(year_cycle):
    item = _item(year_cycle.home, "1.1")
    item_correct(
        actor=year_cycle.chair,
        item=item,
        points=D("5"),
        reason_code=ReasonCode.MISSING_EVIDENCE,
        reason="Không có quyết định kiện toàn Ban Chỉ đạo kèm theo.",
    )
    row = _leaf_result(year_cycle.home, "1.1")
    assert (row.appraised_points, row.final_points) == (D("5.00"), D("5.00"))
    item.refresh_from_db()
    assert item.state == ItemState.CORRECTED and item.reason_code == "missing_evidence"
    event = item.events.get()
    assert (event.points_before, event.points_after) == (None, D("5.00"))


def test_a_correction_without_a_reason_is_refused_and_changes_nothing(year_cycle):
    item = _item(year_cycle.home, "1.1")
    with pytest.raises(ValidationError) as err:
        item_correct(actor=year_cycle.chair, item=item, points=D(5), reason_code="", reason=" ")
    assert set(err.value.message_dict) == {"reason_code", "reason"}
    item.refresh_from_db()
    assert item.state == ItemState.PENDING and not item.events.exists()


def test_a_correction_above_the_maximum_is_refused(year_cycle):
    item = _item(year_cycle.home, "1.1")
    with pytest.raises(ValidationError) as err:
        item_correct(
            actor=year_cycle.chair, item=item, points=item.indicator.max_points + 1,
            reason_code=ReasonCode.OTHER, reason="Sai",
        )  # fmt: skip
    assert "points" in err.value.message_dict


def test_totals_keep_self_appraised_and_final_apart(year_cycle):
    home = year_cycle.home
    first = _item(home, "1.1")
    item_correct(
        actor=year_cycle.chair, item=first, points=D(0),
        reason_code=ReasonCode.NOT_SUPPORTED, reason="Số liệu không khớp minh chứng.",
    )  # fmt: skip
    result = UnitResult.objects.get(assessed=home)
    lost = _leaf_result(home, "1.1").self_points
    assert result.appraised_points == result.self_points - lost
    assert result.final_points == 0  # only the corrected item is decided, at 0
    bulk_accept(actor=year_cycle.chair, assessed=home)
    result.refresh_from_db()
    assert result.final_points == result.appraised_points
    assert result.decided == result.items
    assert result.index == (result.final_points / result.max_points).quantize(D("0.0001"))


def test_a_member_cannot_appraise_a_group_not_assigned_to_them(year_cycle):
    item = Item.objects.filter(assessed=year_cycle.home).order_by("-main__order").first()
    assert item.main.code not in ("1", "2")
    with pytest.raises(PermissionDenied):
        item_accept(actor=year_cycle.member, item=item)


def test_a_member_can_appraise_their_own_groups(year_cycle):
    item = _item(year_cycle.home, "1.1")
    item_accept(actor=year_cycle.member, item=item)
    assert Item.objects.get(pk=item.pk).state == ItemState.ACCEPTED


def test_someone_outside_the_council_cannot_appraise(year_cycle, org):
    item = _item(year_cycle.home, "1.1")
    for outsider in (org.admin, org.viewer, org.head):
        with pytest.raises(PermissionDenied):
            item_accept(actor=outsider, item=item)


def test_bulk_accept_touches_only_untouched_items_in_the_members_groups(year_cycle):
    home = year_cycle.home
    corrected = _item(home, "1.1")
    item_correct(
        actor=year_cycle.member, item=corrected, points=D(1),
        reason_code=ReasonCode.OTHER, reason="Chưa đạt",
    )  # fmt: skip
    accepted = bulk_accept(actor=year_cycle.member, assessed=home)
    states = dict(Item.objects.filter(assessed=home).values_list("indicator__code", "state"))
    assert states["1.1"] == ItemState.CORRECTED
    in_groups = Item.objects.filter(assessed=home, main__code__in=["1", "2"]).count()
    assert accepted == in_groups - 1
    assert all(
        s == ItemState.PENDING
        for code, s in Item.objects.filter(assessed=home)
        .exclude(main__code__in=["1", "2"])
        .values_list("indicator__code", "state")
    )


def test_an_explanation_request_notifies_the_unit_and_waits_for_its_answer(year_cycle, org):
    item = _item(year_cycle.home, "1.1")
    due = timezone.localdate() + dt.timedelta(days=7)
    request = item_request_explanation(
        actor=year_cycle.chair, item=item,
        question="Đề nghị bổ sung Quyết định thành lập Ban Chỉ đạo chuyển đổi số.", due=due,
    )  # fmt: skip
    assert Notification.objects.filter(user=org.reporter, url__contains=str(request.pk)).exists()
    assert Notification.objects.filter(user=org.head).exists()
    with pytest.raises(ValidationError):  # the council waits until the due date
        item_accept(actor=year_cycle.chair, item=Item.objects.get(pk=item.pk))


def test_an_explanation_cannot_be_due_today_or_earlier(year_cycle):
    item = _item(year_cycle.home, "1.1")
    with pytest.raises(ValidationError) as err:
        item_request_explanation(
            actor=year_cycle.chair, item=item, question="Bổ sung", due=timezone.localdate()
        )
    assert "due" in err.value.message_dict


def test_the_unit_answers_with_a_new_document_and_the_council_decides_again(year_cycle, org):
    item = _item(year_cycle.home, "1.1")
    request = item_request_explanation(
        actor=year_cycle.chair, item=item, question="Bổ sung quyết định.",
        due=timezone.localdate() + dt.timedelta(days=5),
    )  # fmt: skip
    upload = SimpleUploadedFile("QD-125-SNV.pdf", PDF, content_type="application/pdf")
    explanation_answer(
        actor=org.reporter, request=request,
        answer="Sở đã ban hành Quyết định số 125/QĐ-SNV ngày 12/3/2025, gửi kèm.", files=[upload],
    )  # fmt: skip
    request.refresh_from_db()
    assert request.answered_by == org.reporter
    assert [e.original_name for e in request.evidence.all()] == ["QD-125-SNV.pdf"]
    item = Item.objects.get(pk=item.pk)
    assert item.state == ItemState.ANSWERED
    assert Notification.objects.filter(user=year_cycle.chair).exists()
    item = _item(year_cycle.home, "1.1")
    item_correct(
        actor=year_cycle.chair, item=item, points=D("7.5"),
        reason_code=ReasonCode.OUTSIDE_PERIOD, reason="Quyết định ban hành ngoài kỳ đánh giá.",
    )  # fmt: skip
    actions = list(Item.objects.get(pk=item.pk).events.values_list("action", flat=True))
    assert actions == ["request", "answer", "correct"]


def test_another_unit_cannot_answer(year_cycle, org):
    item = _item(year_cycle.home, "1.1")
    request = item_request_explanation(
        actor=year_cycle.chair, item=item, question="Bổ sung.",
        due=timezone.localdate() + dt.timedelta(days=5),
    )  # fmt: skip
    with pytest.raises(PermissionDenied):
        explanation_answer(actor=org.other_reporter, request=request, answer="Không liên quan")


def test_an_answer_without_text_is_refused_and_stores_nothing(year_cycle, org):
    item = _item(year_cycle.home, "1.1")
    request = item_request_explanation(
        actor=year_cycle.chair, item=item, question="Bổ sung.",
        due=timezone.localdate() + dt.timedelta(days=5),
    )  # fmt: skip
    with pytest.raises(ValidationError):
        explanation_answer(actor=org.reporter, request=request, answer="  ")
    request.refresh_from_db()
    assert request.is_open and not request.evidence.exists()
