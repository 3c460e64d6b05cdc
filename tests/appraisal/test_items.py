"""Accepting a year report opens one item per scored indicator and scores the unit."""

from __future__ import annotations

from collections import Counter

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


def test_recomputing_a_cycle_costs_the_same_queries_whatever_the_number_of_units(year_cycle, org):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from dtis.appraisal.materialise import recompute
    from dtis.orgs.models import UnitKind
    from dtis.reporting.models import AssessedUnit
    from tests.factories import make_unit

    with CaptureQueriesContext(connection) as three:
        recompute(year_cycle.cycle)
    for n in range(4):
        unit = make_unit(f"KHH-S{n}", f"Sở thử nghiệm {n}", UnitKind.DEPARTMENT, org.province)
        AssessedUnit.objects.create(cycle=year_cycle.cycle, unit=unit, peer_group="Sở, ban, ngành")
    with CaptureQueriesContext(connection) as seven:
        results = recompute(year_cycle.cycle)
    assert len(results) == 7

    def kinds(queries):  # type: ignore[no-untyped-def]
        # Bulk inserts of indicator rows come in batches (SQLite takes 999
        # parameters a statement): their number follows the rows, not the units.
        return Counter(
            q["sql"].split(" ")[0]
            for q in queries.captured_queries
            if not q["sql"].startswith('INSERT INTO "appraisal_indicatorresult"')
        )

    assert kinds(seven)["SELECT"] == kinds(three)["SELECT"]
    assert kinds(seven)["DELETE"] == kinds(three)["DELETE"] <= 1  # rows no longer there
    assert kinds(seven)["INSERT"] == 1  # the four new units' results, in one statement
    assert kinds(seven)["UPDATE"] <= 2  # the others' results, then the ranks
