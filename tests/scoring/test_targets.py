"""Targets from the seeds, reached or not (and at risk while projected)."""

from __future__ import annotations

from decimal import Decimal as D

from dtis.scoring.targets import Actual, Kind, Status, Target, evaluate


def test_a_department_with_420_of_500_misses_its_430_to_440_target():
    # Seed 000: Sở KH&CN Ninh Thuận scored 420/500 in 2022, aims at 430–440.
    result = evaluate(Target(Kind.POINTS, D(430)), Actual(points=D(420)))
    assert result.status == Status.NOT_REACHED
    assert result.gap == D(-10)


def test_rank_15_of_20_misses_the_top_10():
    result = evaluate(Target(Kind.RANK, D(10)), Actual(rank=15))
    assert result.status == Status.NOT_REACHED
    assert result.actual == 15


def test_three_main_indicators_in_the_top_10_miss_at_least_four_of_eight():
    # Seed 002: "≥ 4 of the 8 main indicators in the national top 10".
    ranks = [3, 12, 9, 25, 31, 7, 18, 44]
    result = evaluate(Target(Kind.MAINS_IN_TOP, D(4), top=10), Actual(main_ranks=ranks))
    assert (result.status, result.actual) == (Status.NOT_REACHED, 3)


def test_four_main_indicators_in_the_top_10_reach_it():
    ranks = [3, 10, 9, 25, 31, 7, 18, 44]
    result = evaluate(Target(Kind.MAINS_IN_TOP, D(4), top=10), Actual(main_ranks=ranks))
    assert result.status == Status.REACHED


def test_a_dti_of_804_reaches_800_of_1000():
    assert evaluate(Target(Kind.POINTS, D(800)), Actual(points=D("804.07"))).status == (
        Status.REACHED
    )


def test_moving_up_two_places_reaches_up_one_to_two_a_year():
    result = evaluate(Target(Kind.RANK_GAIN, D(1)), Actual(rank=17, previous_rank=19))
    assert (result.status, result.actual) == (Status.REACHED, 2)


def test_a_projection_just_below_the_target_is_at_risk_not_lost():
    projected = evaluate(Target(Kind.POINTS, D(430)), Actual(points=D(425)), projected=True)
    assert projected.status == Status.AT_RISK


def test_a_projection_just_above_the_target_is_at_risk_too():
    projected = evaluate(Target(Kind.POINTS, D(800)), Actual(points=D(810)), projected=True)
    assert projected.status == Status.AT_RISK


def test_a_projection_well_above_the_target_is_reached():
    projected = evaluate(Target(Kind.POINTS, D(800)), Actual(points=D(850)), projected=True)
    assert projected.status == Status.REACHED


def test_a_projected_rank_one_place_off_is_at_risk():
    projected = evaluate(Target(Kind.RANK, D(20)), Actual(rank=21), projected=True)
    assert projected.status == Status.AT_RISK


def test_an_online_dossier_ratio_of_72_percent_misses_80_percent():
    target = Target(Kind.FIGURE, D("0.8"), indicator="6.4")
    result = evaluate(target, Actual(figures={"6.4": D("0.72")}))
    assert result.status == Status.NOT_REACHED


def test_without_a_result_the_status_is_unknown():
    assert evaluate(Target(Kind.RANK, D(10)), Actual()).status == Status.UNKNOWN
    assert evaluate(Target(Kind.RANK_GAIN, D(1)), Actual(rank=5)).status == Status.UNKNOWN
