"""Sign-off locks the results, reopening is recorded, publication follows sign-off."""

from __future__ import annotations

from decimal import Decimal as D

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from dtis.appraisal.decisions import bulk_accept, item_accept, item_correct
from dtis.appraisal.models import Item, ReasonCode, Stage, UnitResult
from dtis.appraisal.publication import publish, reopen, sign_off
from dtis.reporting.models import Notification


def _decide_everything(year_cycle):
    for assessed in (year_cycle.home, year_cycle.finance, year_cycle.health):
        bulk_accept(actor=year_cycle.chair, assessed=assessed)


def test_the_chair_cannot_sign_off_while_items_are_undecided(year_cycle):
    bulk_accept(actor=year_cycle.chair, assessed=year_cycle.home)
    with pytest.raises(ValidationError) as err:
        sign_off(actor=year_cycle.chair, cycle=year_cycle.cycle)
    assert "Sở Tài chính tỉnh Khánh Hòa" in err.value.messages[0]


def test_only_the_chair_signs_off(year_cycle, org):
    _decide_everything(year_cycle)
    for other in (year_cycle.member, org.admin):
        with pytest.raises(PermissionDenied):
            sign_off(actor=other, cycle=year_cycle.cycle)


def test_signed_off_results_are_locked_until_reopened_with_a_reason(year_cycle, org):
    _decide_everything(year_cycle)
    sign_off(actor=year_cycle.chair, cycle=year_cycle.cycle)
    item = (
        Item.objects.filter(assessed=year_cycle.home)
        .select_related("period__cycle", "assessed", "indicator")
        .first()
    )
    with pytest.raises(ValidationError):
        item_correct(
            actor=year_cycle.chair, item=item, points=D(0),
            reason_code=ReasonCode.OTHER, reason="Sai",
        )  # fmt: skip
    with pytest.raises(ValidationError):
        reopen(actor=org.admin, cycle=year_cycle.cycle, reason="  ")
    outcome = reopen(actor=org.admin, cycle=year_cycle.cycle, reason="Bộ KH&CN đề nghị rà soát.")
    assert outcome.stage == Stage.APPRAISING
    assert [e.action for e in outcome.events.all()] == ["sign_off", "reopen"]
    assert outcome.events.last().reason == "Bộ KH&CN đề nghị rà soát."
    item_accept(actor=year_cycle.chair, item=item)


def test_results_are_published_only_after_sign_off_and_units_are_told(year_cycle, org):
    _decide_everything(year_cycle)
    with pytest.raises(ValidationError):
        publish(actor=year_cycle.chair, cycle=year_cycle.cycle)
    sign_off(actor=year_cycle.chair, cycle=year_cycle.cycle)
    outcome = publish(actor=org.admin, cycle=year_cycle.cycle)
    assert outcome.stage == Stage.PUBLISHED and outcome.published_at is not None
    assert Notification.objects.filter(user=org.head, message__contains="2025").exists()


def test_units_with_equal_indices_share_a_rank_and_the_next_is_skipped(year_cycle):
    _decide_everything(year_cycle)
    results = {r.assessed_id: r for r in UnitResult.objects.filter(cycle=year_cycle.cycle)}
    best = max(results.values(), key=lambda r: r.index)
    others = [r for r in results.values() if r != best]
    # The council brings the second unit down to exactly the third unit's total.
    high, low = sorted(others, key=lambda r: r.index, reverse=True)
    gap = high.final_points - low.final_points
    item = (
        Item.objects.filter(assessed_id=high.assessed_id)
        .select_related("period__cycle", "assessed", "indicator")
        .order_by("-indicator__max_points")
        .first()
    )
    current = high.indicators.get(code=item.indicator.code).final_points
    assert current >= gap, "the fixture's figures leave room for the correction"
    item_correct(
        actor=year_cycle.chair, item=item, points=current - gap,
        reason_code=ReasonCode.NOT_SUPPORTED, reason="Số liệu vượt so với minh chứng.",
    )  # fmt: skip
    ranks = sorted(UnitResult.objects.filter(cycle=year_cycle.cycle).values_list("rank", flat=True))
    assert ranks == [1, 2, 2]
