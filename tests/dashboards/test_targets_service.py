"""Targets of a cycle: the seeds' defaults and their statuses (DOMAIN.md §3.1).

Seed cases: 420/500 against 430/500 (not reached), rank 15 of 20 against the
top 10 (not reached), 3 of 8 main indicators in the national top 10 against
"at least 4 of 8" (not reached).
"""

from __future__ import annotations

from decimal import Decimal as D

import pytest

from dtis.dashboards.models import Target, TargetKind
from dtis.dashboards.targets import (
    Main,
    Position,
    Positions,
    default_targets,
    evaluate_cycle_targets,
    evaluate_targets,
    place_among_national,
    positions,
)
from dtis.frameworks.models import Framework, PublishedResult
from dtis.frameworks.services import find, to_core
from dtis.reporting.cycles import cycle_create
from dtis.reporting.models import AssessedUnit, Cycle


def _target(cycle, kind, value, top=None):  # type: ignore[no-untyped-def]
    return Target.objects.create(cycle=cycle, kind=kind, value=D(value), top=top)


def _position(assessed: AssessedUnit, **kwargs) -> Position:  # type: ignore[no-untyped-def]
    return Position(assessed, kwargs.pop("points", None), D(500), None, "", **kwargs)


def test_the_departments_get_430_of_500_scaled_and_the_top_10(year_cycle):
    cycle = year_cycle.cycle
    made = default_targets(cycle)
    maximum = to_core(cycle.framework).max_points
    kinds = {t.kind: t.value for t in made}
    assert kinds == {TargetKind.POINTS: (maximum * D("0.86")).quantize(D("0.01")),
                     TargetKind.RANK: D(10)}  # fmt: skip
    # A second click adds nothing.
    assert default_targets(cycle) == []
    assert cycle.targets.count() == 2


def test_the_province_gets_800_top_20_one_place_up_and_4_of_8_in_the_top_10(org, frameworks):
    cycle = cycle_create(
        actor=org.admin,
        framework=find("vn-province-2025"),  # type: ignore[arg-type]
        year=2026,
        name="Chỉ số chuyển đổi số tỉnh Khánh Hòa năm 2026",
        scope=org.province,
        assessed=[(org.province, "Tỉnh, thành phố")],
    )
    made = {t.kind: t for t in default_targets(cycle)}
    assert made[TargetKind.POINTS].value == D(800)  # of 1000
    assert made[TargetKind.RANK].value == D(20)
    assert made[TargetKind.RANK_GAIN].value == D(1)
    assert (made[TargetKind.MAINS_IN_TOP].value, made[TargetKind.MAINS_IN_TOP].top) == (D(4), 10)


def test_420_of_500_misses_430(year_cycle):
    cycle = year_cycle.cycle
    target = _target(cycle, TargetKind.POINTS, 430)
    (result,) = evaluate_targets([target], _position(year_cycle.home, points=D(420)),
                                 projected=False)  # fmt: skip
    assert (result.status, result.evaluation.gap) == ("not_reached", D(-10))
    (projected,) = evaluate_targets([target], _position(year_cycle.home, points=D(420)),
                                    projected=True)  # fmt: skip
    assert projected.status == "at_risk"  # 10 below, within 3 % of 430


def test_rank_15_of_20_misses_the_top_10(year_cycle):
    target = _target(year_cycle.cycle, TargetKind.RANK, 10)
    (result,) = evaluate_targets([target], _position(year_cycle.home, rank=15, peers=20),
                                 projected=False)  # fmt: skip
    assert (result.status, result.evaluation.actual) == ("not_reached", D(15))


@pytest.fixture
def national(frameworks):  # type: ignore[no-untyped-def]
    """20 provinces published for 2022 (index 0.95 down to 0.76), every main
    indicator's index equal to the province's total."""
    fw = Framework.objects.get(code="vn-province-2022")
    # Keyed by the main indicators of the framework the cycle uses (2025).
    mains = [m.code for m in to_core(find("vn-province-2025")).scored_main]  # type: ignore[arg-type]
    rows = []
    for n in range(20):
        total = D("0.95") - D("0.01") * n
        rows.append(PublishedResult(framework=fw, year=2022, unit_name=f"Tỉnh {n + 1:02d}",
                                    indices={c: str(total) for c in mains},
                                    published_total=total, published_rank=n + 1))  # fmt: skip
    PublishedResult.objects.bulk_create(rows)
    return mains


def test_the_province_is_placed_among_the_published_peers_with_its_main_indicators(
    org, frameworks, national
):
    cycle = cycle_create(
        actor=org.admin,
        framework=find("vn-province-2025"),  # type: ignore[arg-type]
        year=2026,
        name="Chỉ số chuyển đổi số tỉnh Khánh Hòa năm 2026",
        scope=org.province,
        assessed=[(org.province, "Tỉnh, thành phố")],
    )
    assessed = cycle.assessed.get()
    tree = to_core(cycle.framework)
    codes = [m.code for m in tree.scored_main]
    assert len(codes) == 8
    # 3 main indicators above the 10th peer (0.86), 5 far below.
    indices = [D("0.93"), D("0.90"), D("0.88"), *[D("0.70")] * 5]
    main = [Main(c, c, None, D(100), i) for c, i in zip(codes, indices, strict=True)]
    position = Position(assessed, D(810), D(1000), D("0.8100"), "", main=main)
    found = Positions(cycle, True, tree, {assessed.pk: position})
    place_among_national(found)
    # Peers above 0.81: 0.95 … 0.82 → 14 of them: 15th of 21.
    assert (position.rank, position.peers, found.peer_year) == (15, 21, 2022)
    assert [m.rank for m in position.main] == [3, 6, 8, 21, 21, 21, 21, 21]
    first = position.main[0]
    assert first.peer_best == D("0.95")
    assert first.top_threshold == D("0.86")  # the 10th peer
    assert first.peer_average == D("0.8550")
    targets = [
        _target(cycle, TargetKind.RANK, 10),
        _target(cycle, TargetKind.MAINS_IN_TOP, 4, top=10),
        _target(cycle, TargetKind.RANK, 20),
    ]
    rank_10, four_of_eight, rank_20 = evaluate_targets(targets, position, projected=False)
    assert (rank_10.status, rank_10.evaluation.actual) == ("not_reached", D(15))
    assert (four_of_eight.status, four_of_eight.evaluation.actual) == ("not_reached", D(3))
    assert rank_20.status == "reached"


def test_published_results_give_the_actual_and_the_peer_ranks(dash_published):
    from dtis.appraisal.models import UnitResult

    cycle = Cycle.objects.select_related("framework", "outcome").get(pk=dash_published.cycle.pk)
    stored = {r.assessed_id: r for r in UnitResult.objects.filter(cycle=cycle)}
    best = min(stored.values(), key=lambda r: r.rank)
    Target.objects.create(cycle=cycle, kind=TargetKind.POINTS, value=best.final_points + 1)
    Target.objects.create(cycle=cycle, kind=TargetKind.RANK, value=D(1))
    found = positions(cycle)
    assert not found.projected
    for assessed_id, position in found.units.items():
        assert (position.points, position.rank) == (
            stored[assessed_id].final_points,
            stored[assessed_id].rank,
        )
        assert position.peers == 3
    points, rank = evaluate_cycle_targets(cycle, best.assessed)
    assert (points.status, points.evaluation.gap) == ("not_reached", D(-1))
    assert rank.status == "reached"


def test_a_running_year_is_evaluated_on_the_projection(quarters):
    cycle = quarters.cycle
    Target.objects.create(cycle=cycle, kind=TargetKind.POINTS, value=D(1))
    found = positions(cycle)
    assert found.projected
    (points,) = evaluate_cycle_targets(cycle, quarters.home, found=found)
    assert points.status == "reached"
    assert points.evaluation.actual == found.units[quarters.home.pk].points
