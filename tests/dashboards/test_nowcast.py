"""The projection of a running year from the latest quarter's figures."""

from __future__ import annotations

from decimal import Decimal as D

from django.db import connection
from django.test.utils import CaptureQueriesContext

from dtis.appraisal.models import UnitResult
from dtis.dashboards.nowcast import nowcast, nowcasts
from dtis.reporting.models import Figure, PeriodKind
from tests.appraisal.results_data import add_units
from tests.dashboards.conftest import copy_figures


def test_the_projection_scores_the_quarter_figures_as_the_year_report_would(quarters):
    # The year figures copied into Q3: the projection equals the self-assessment
    # the appraisal stored from the same figures.
    cast = nowcast(quarters.cycle)
    assert cast.period.kind == PeriodKind.Q3
    stored = {r.assessed_id: r for r in UnitResult.objects.filter(cycle=quarters.cycle)}
    assert len(cast.units) == 3
    for assessed_id, projection in cast.units.items():
        assert projection.points == stored[assessed_id].self_points
        assert projection.index == stored[assessed_id].self_index
        assert projection.max_points == stored[assessed_id].max_points


def test_units_are_ranked_by_projected_index_within_their_peer_group(quarters):
    cast = nowcast(quarters.cycle)
    ordered = sorted(cast.units.values(), key=lambda p: p.rank)
    assert [p.rank for p in ordered] == [1, 2, 3]
    assert ordered[0].index >= ordered[1].index >= ordered[2].index


def test_a_later_quarter_replaces_the_figures_it_has(quarters):
    cycle = quarters.cycle
    copy_figures(cycle, PeriodKind.Q3, PeriodKind.Q4)
    q4 = cycle.periods.get(kind=PeriodKind.Q4)
    before = nowcast(cycle).units[quarters.home.pk]
    # Sở Nội vụ marks, in Q4, its biggest indicator not applicable: the
    # projection loses that indicator's points and maximum.
    leaf = max(
        (s for s in before.result.scores.values() if s.applicable and not _parent(before, s.code)),
        key=lambda s: s.max_points,
    )
    Figure.objects.filter(period=q4, assessed=quarters.home, indicator__code=leaf.code).update(
        not_applicable=True, values={}
    )
    after = nowcast(cycle)
    assert after.period == q4
    projection = after.units[quarters.home.pk]
    assert projection.max_points == before.max_points - leaf.max_points
    assert projection.points == before.points - leaf.points
    # The per-quarter series: Q3, then Q4.
    assert [n.period.kind for n in nowcasts(cycle)] == [PeriodKind.Q3, PeriodKind.Q4]


def _parent(projection, code: str) -> bool:  # type: ignore[no-untyped-def]
    return any(ind.code == code and ind.children for ind in projection.result.framework.walk())


def test_without_quarter_figures_there_is_nothing_to_project(year_cycle):
    cast = nowcast(year_cycle.cycle)
    assert cast.empty
    assert cast.units == {}


def test_the_projection_costs_the_same_queries_with_more_units(quarters, org):
    cycle = quarters.cycle
    with CaptureQueriesContext(connection) as few:
        nowcast(cycle)
    add_units(org, cycle, 4)
    with CaptureQueriesContext(connection) as more:
        cast = nowcast(cycle)
    assert len(cast.units) == 7
    assert len(more) == len(few)
    # The units without figures are projected at zero, not left out.
    assert sorted(p.points for p in cast.units.values())[:4] == [D(0)] * 4
