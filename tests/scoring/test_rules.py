"""Each rule kind of DOMAIN.md §4, with the seeds' own examples."""

from __future__ import annotations

from decimal import Decimal as D

import pytest

from dtis.scoring.rules import RuleError, parse_rule

MAX = D(20)


def points(rule: dict, values: dict, maximum: D = MAX, best: D | None = None) -> D:  # type: ignore[type-arg]
    return parse_rule(rule).evaluate(values, maximum, best).points


def test_yes_no_gives_the_maximum_or_nothing():
    rule = {"kind": "yes_no", "input": "co_chuyen_muc"}
    assert points(rule, {"co_chuyen_muc": True}) == 20
    assert points(rule, {"co_chuyen_muc": False}) == 0


def test_level_gives_its_fraction_chairman_full_vice_half():
    rule = {
        "kind": "level",
        "input": "truong_ban",
        "levels": [
            {"value": "chu_tich", "fraction": 1},
            {"value": "pho_chu_tich", "fraction": "0.5"},
            {"value": "khong", "fraction": 0},
        ],
    }
    assert points(rule, {"truong_ban": "chu_tich"}) == 20
    assert points(rule, {"truong_ban": "pho_chu_tich"}) == 10
    assert points(rule, {"truong_ban": "khong"}) == 0


def test_ratio_is_the_share_of_the_maximum():
    rule = {"kind": "ratio", "numerator": "van_ban_ky_so", "denominator": "tong_van_ban"}
    assert points(rule, {"van_ban_ky_so": 8, "tong_van_ban": 10}) == 16


def test_ratio_with_target_reaches_the_maximum_at_the_target():
    rule = {
        "kind": "ratio_target",
        "numerator": "truc_tuyen",
        "denominator": "tong_ho_so",
        "target": "0.8",
    }
    assert points(rule, {"truc_tuyen": 80, "tong_ho_so": 100}) == 20
    assert points(rule, {"truc_tuyen": 95, "tong_ho_so": 100}) == 20
    assert points(rule, {"truc_tuyen": 40, "tong_ho_so": 100}) == 10


def test_count_with_target_25_articles_a_year():
    rule = {"kind": "count_target", "input": "so_tin_bai", "target": 25}
    assert points(rule, {"so_tin_bai": 25}) == 20
    assert points(rule, {"so_tin_bai": 10}) == 8


def test_tiers_by_threshold_on_a_ratio():
    rule = {
        "kind": "tiers",
        "input": "hai_long",
        "denominator": "tong_danh_gia",
        "tiers": [{"min": "0.9", "fraction": 1}, {"min": "0.7", "fraction": "0.5"}],
    }
    assert points(rule, {"hai_long": 92, "tong_danh_gia": 100}) == 20
    assert points(rule, {"hai_long": 75, "tong_danh_gia": 100}) == 10
    assert points(rule, {"hai_long": 60, "tong_danh_gia": 100}) == 0


def test_count_steps_steering_committee_meetings():
    rule = {
        "kind": "count_steps",
        "input": "so_cuoc_hop",
        "steps": [
            {"min": 4, "points": 20},
            {"min": 3, "points": 15},
            {"min": 2, "points": 10},
            {"min": 1, "points": 5},
        ],
    }
    assert [points(rule, {"so_cuoc_hop": n}) for n in (5, 4, 3, 2, 1, 0)] == [20, 20, 15, 10, 5, 0]


def test_relative_to_the_best_peer():
    rule = {"kind": "relative_best", "input": "ten_mien_vn", "denominator": "dan_so_nghin"}
    values = {"ten_mien_vn": 300, "dan_so_nghin": 1200}  # 0.25 per thousand
    assert points(rule, values, best=D("0.5")) == 10


def test_formula_cyber_security_spending_at_least_ten_percent():
    rule = {
        "kind": "formula",
        "expression": "max * min(1, (dau_tu_attt + thuong_xuyen_attt) / chi_cds / 0.1)",
    }
    values = {"dau_tu_attt": 300, "thuong_xuyen_attt": 200, "chi_cds": 10000}
    assert points(rule, values) == 10


def test_half_credits_each_part_earns_its_share():
    rule = {
        "kind": "half_credits",
        "parts": [
            {"input": "du_hop_tinh", "share": "0.5"},
            {"input": "chu_tri_hop_so", "share": "0.5"},
        ],
    }
    assert points(rule, {"du_hop_tinh": True, "chu_tri_hop_so": False}) == 10
    assert points(rule, {"du_hop_tinh": True, "chu_tri_hop_so": True}) == 20


def test_manual_takes_the_councils_points():
    assert points({"kind": "manual"}, {"diem": "12.5"}) == D("12.5")


def test_a_missing_figure_scores_zero_and_says_so():
    outcome = parse_rule({"kind": "ratio", "numerator": "a", "denominator": "b"}).evaluate(
        {"a": 3}, MAX, None
    )
    assert outcome.points == 0 and outcome.notes == ("missing",)


def test_a_zero_denominator_scores_zero_and_says_so():
    outcome = parse_rule({"kind": "ratio", "numerator": "a", "denominator": "b"}).evaluate(
        {"a": 0, "b": 0}, MAX, None
    )
    assert outcome.points == 0 and outcome.notes == ("zero_denominator",)


def test_the_explanation_shows_the_arithmetic():
    outcome = parse_rule(
        {"kind": "ratio_target", "numerator": "a", "denominator": "b", "target": "0.8"}
    ).evaluate({"a": 45, "b": 50}, D(10), None)
    assert outcome.text == "10 × min(1, (45 / 50) / 0.8)"


@pytest.mark.parametrize(
    "rule",
    [
        {"kind": "magic"},
        {"kind": "yes_no"},
        {"kind": "yes_no", "input": "có dấu"},
        {"kind": "level", "input": "x", "levels": [{"value": "a", "fraction": 1}]},
        {
            "kind": "level",
            "input": "x",
            "levels": [{"value": "a", "fraction": 2}, {"value": "b", "fraction": 0}],
        },
        {"kind": "ratio_target", "numerator": "a", "denominator": "b", "target": 80},
        {"kind": "count_target", "input": "n", "target": 0},
        {
            "kind": "tiers",
            "input": "x",
            "tiers": [{"min": "0.7", "fraction": "0.5"}, {"min": "0.9", "fraction": 1}],
        },
        {"kind": "half_credits", "parts": [{"input": "a", "share": "0.5"}]},
        {"kind": "formula", "expression": "__import__('os').system('true')"},
        {"kind": "formula", "expression": "a ** 99999999"},
        {"kind": "formula", "expression": "a.b"},
    ],
)
def test_invalid_parameters_are_refused(rule):  # type: ignore[no-untyped-def]
    with pytest.raises(RuleError):
        parse_rule(rule)


@pytest.mark.parametrize(
    "kind_rule",
    [
        {"kind": "yes_no", "input": "a"},
        {"kind": "ratio_target", "numerator": "a", "denominator": "b", "target": D("0.8")},
        {"kind": "tiers", "input": "a", "tiers": [{"min": D("0.9"), "fraction": D(1)}]},
        {"kind": "formula", "expression": "max * a"},
        {"kind": "manual"},
    ],
)
def test_a_rule_survives_a_round_trip_through_its_dict(kind_rule):  # type: ignore[no-untyped-def]
    assert parse_rule(kind_rule).to_dict() == kind_rule
