"""The peer ranking as people read it: ties, main indicators, the previous year."""

from __future__ import annotations

from decimal import ROUND_HALF_UP
from decimal import Decimal as D

from django.db import connection
from django.test.utils import CaptureQueriesContext

from dtis.appraisal.decisions import bulk_accept
from dtis.appraisal.items import previous_cycle
from dtis.appraisal.models import IndicatorResult, ReasonCode, UnitResult
from dtis.appraisal.publication import reopen
from dtis.appraisal.standings import standings
from dtis.core.text import vi_sort_key
from tests.appraisal.results_data import add_units, build_2024, correct, decide_2025, publish


def _ranks(table):  # type: ignore[no-untyped-def]
    return [(r.rank, r.unit.name) for r in table.rows()]


def test_rows_come_best_first_with_the_stored_ranks(year_cycle, org):
    decide_2025(year_cycle, org)
    table = standings(year_cycle.cycle)
    assert [g.name for g in table.groups] == ["Sở, ban, ngành"]
    rows = table.rows()
    assert [r.rank for r in rows] == [1, 2, 3]
    indices = [r.result.index for r in rows]
    assert indices == sorted(indices, reverse=True)
    stored = dict(
        UnitResult.objects.filter(cycle=year_cycle.cycle).values_list("assessed_id", "rank")
    )
    assert all(stored[r.assessed.pk] == r.rank for r in rows)


def test_tied_units_share_a_rank_and_keep_vietnamese_name_order(year_cycle, org):
    for assessed in (year_cycle.home, year_cycle.finance, year_cycle.health):
        bulk_accept(actor=year_cycle.chair, assessed=assessed)
    results = {
        r.assessed.unit.code: r
        for r in UnitResult.objects.filter(cycle=year_cycle.cycle).select_related("assessed__unit")
    }
    # Bring every unit down to the lowest total: a three-way tie.
    low = min(r.final_points for r in results.values())
    for code, assessed in (
        ("KHH-SNV", year_cycle.home),
        ("KHH-STC", year_cycle.finance),
        ("KHH-SYT", year_cycle.health),
    ):
        gap = results[code].final_points - low
        if gap:
            _take(year_cycle, assessed, gap)
    table = standings(year_cycle.cycle)
    assert [r.rank for r in table.rows()] == [1, 1, 1]
    names = [r.unit.name for r in table.rows()]
    assert names == sorted(names, key=vi_sort_key)
    assert names == [
        "Sở Nội vụ tỉnh Khánh Hòa",
        "Sở Tài chính tỉnh Khánh Hòa",
        "Sở Y tế tỉnh Khánh Hòa",
    ]


def _take(year_cycle, assessed, gap: D) -> None:  # type: ignore[no-untyped-def]
    """Take exactly `gap` points off the unit's accepted items, biggest first."""
    rows = IndicatorResult.objects.filter(
        result__assessed=assessed, indicator__children__isnull=True, final_points__gt=0
    ).order_by("-final_points", "code")
    left = gap
    for row in rows:
        if left <= 0:
            break
        take = min(left, row.final_points)
        correct(year_cycle.chair, assessed, row.code, take, ReasonCode.NOT_SUPPORTED, "Điều chỉnh")
        left -= take
    assert left == 0


def test_each_main_indicator_has_its_final_points_and_index(year_cycle, org):
    decide_2025(year_cycle, org)
    table = standings(year_cycle.cycle)
    assert [code for code, _name, _max in table.mains] == ["1", "2", "3", "4", "5", "6"]
    assert table.mains[0][1] == "Nhận thức số"
    for row in table.rows():
        stored = {
            r.code: r for r in IndicatorResult.objects.filter(result=row.result, is_main=True)
        }
        for cell in row.main:
            ir = stored[cell.code]
            assert cell.points == ir.final_points
            # Decimal, rounded half up (110.79 / 120 = 0.92325 → 0.9233).
            expected = (ir.final_points / ir.max_points).quantize(D("0.0001"), ROUND_HALF_UP)
            assert cell.index == expected
            assert cell.index.as_tuple().exponent == -4


def test_the_previous_year_is_the_published_cycle_of_the_same_scope_and_level(year_cycle, org):
    assert previous_cycle(year_cycle.cycle) is None
    before = build_2024(org, year_cycle)
    assert previous_cycle(year_cycle.cycle) == before
    assert previous_cycle(before) is None  # nothing published for 2023


def test_an_unpublished_previous_year_is_not_compared(year_cycle, org):
    before = build_2024(org, year_cycle)
    reopen(actor=org.admin, cycle=before, reason="Bộ KH&CN đề nghị rà soát lại số liệu.")
    assert previous_cycle(year_cycle.cycle) is None
    assert all(r.previous is None for r in standings(year_cycle.cycle).rows())


def test_rank_and_index_changes_against_last_year(year_cycle, org):
    before = build_2024(org, year_cycle)  # Sở Tài chính lost 30 points in 2024
    decide_2025(year_cycle, org)
    publish(year_cycle.cycle, year_cycle.chair, org.admin)
    last = {
        r.assessed.unit_id: r
        for r in UnitResult.objects.filter(cycle=before).select_related("assessed")
    }
    table = standings(year_cycle.cycle)
    for row in table.rows():
        then = last[row.unit.pk]
        assert row.previous.rank == then.rank
        assert row.rank_change == then.rank - row.rank
        assert row.index_change == row.result.index - then.index
        assert row.points_change == row.result.final_points - then.final_points
    finance = next(r for r in table.rows() if r.unit == org.dept_finance)
    assert finance.rank == 1 and finance.previous.rank == 2
    assert finance.rank_change == 1 and finance.places_moved == 1  # moved up one place
    assert finance.index_change == D("0.0300")
    health = next(r for r in table.rows() if r.unit.code == "KHH-SYT")
    assert health.rank_change == -1 and health.places_moved == 1


def test_a_unit_not_assessed_last_year_has_no_change(year_cycle, org):
    build_2024(org, year_cycle)
    (newcomer,) = add_units(org, year_cycle.cycle, 1)
    row = standings(year_cycle.cycle).row_for(newcomer.pk)
    assert row is not None and row.previous is None
    assert row.rank_change is None and row.index_change is None


def test_peer_groups_are_ranked_apart(year_cycle, org):
    year_cycle.health.peer_group = "Cơ quan chuyên môn khác"
    year_cycle.health.save()
    decide_2025(year_cycle, org)  # recomputes and reranks
    table = standings(year_cycle.cycle)
    assert [g.name for g in table.groups] == ["Cơ quan chuyên môn khác", "Sở, ban, ngành"]
    assert [r.rank for r in table.groups[0].rows] == [1]
    assert [r.rank for r in table.groups[1].rows] == [1, 2]


def test_the_number_of_queries_does_not_grow_with_the_units(year_cycle, org):
    build_2024(org, year_cycle)
    decide_2025(year_cycle, org)
    with CaptureQueriesContext(connection) as few:
        assert len(standings(year_cycle.cycle).rows()) == 3
    add_units(org, year_cycle.cycle, 5)
    with CaptureQueriesContext(connection) as many:
        assert len(standings(year_cycle.cycle).rows()) == 8
    assert len(many) == len(few) <= 6
