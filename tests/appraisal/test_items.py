"""Accepting a year report opens one item per scored indicator and scores the unit."""

from __future__ import annotations

from dtis.appraisal.items import result_period, scored_leaves
from dtis.appraisal.models import Item, ItemState, UnitResult


def test_accepting_the_year_report_opens_one_item_per_scored_indicator(year_cycle):
    leaves = scored_leaves(year_cycle.cycle)
    items = Item.objects.filter(assessed=year_cycle.home)
    assert items.count() == len(leaves) > 20
    assert set(items.values_list("state", flat=True)) == {ItemState.PENDING}


def test_the_result_period_is_the_year_report(year_cycle):
    assert result_period(year_cycle.cycle).kind == "year"


def test_an_accepted_unit_has_a_self_score_and_no_final_points_yet(year_cycle):
    result = UnitResult.objects.get(assessed=year_cycle.home)
    assert result.self_points > 0
    assert result.final_points == 0
    assert result.appraised_points == result.self_points
    assert result.max_points == 1000
    assert result.reported and result.decided == 0
