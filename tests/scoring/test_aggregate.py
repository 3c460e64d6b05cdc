"""Scoring a whole unit: sums, index values, not applicable, bands, pillars."""

from __future__ import annotations

from decimal import Decimal as D

from dtis.scoring.aggregate import adjust, classify, peer_best, score_unit
from dtis.scoring.tree import DEFAULT_BANDS
from tests.scoring.builders import FULL_MARKS, department_framework


def test_a_unit_with_every_target_met_scores_the_maximum():
    fw = department_framework()
    result = score_unit(fw, FULL_MARKS, peer_best={"2.3": D(12)})
    assert (result.total.points, result.total.max_points) == (500, 500)
    assert result.total.index_value == 1


def test_parents_are_the_sum_of_their_children():
    fw = department_framework()
    figures = FULL_MARKS | {"1.2.1": {"hop": 2}, "1.2.2": {"tin_bai": 10}}
    result = score_unit(fw, figures, peer_best={"2.3": D(12)})
    assert result.scores["1.2"].points == 15 + 12
    assert result.scores["1"].points == 40 + 27


def test_index_values_are_rounded_half_up_to_four_decimals():
    fw = department_framework()
    figures = FULL_MARKS | {"2.2": {"ky_so": 1, "van_ban": 3}}  # 33.333… → 33.33
    result = score_unit(fw, figures, peer_best={"2.3": D(12)})
    assert result.scores["2.2"].points == D("33.33")
    assert result.scores["2"].index_value == D("0.8333")  # 333.33 / 400


def test_points_are_rounded_half_up_to_two_decimals():
    fw = department_framework()
    figures = FULL_MARKS | {"2.2": {"ky_so": 1, "van_ban": 8}}  # 12.5 exactly
    figures |= {"2.1": {"truc_tuyen": 1, "ho_so": 6400}}  # 200 × (1/6400)/0.8 = 0.0390625
    result = score_unit(fw, figures, peer_best={"2.3": D(12)})
    assert result.scores["2.2"].points == D("12.50")
    assert result.scores["2.1"].points == D("0.04")


def test_a_not_applicable_indicator_leaves_points_and_maximum():
    fw = department_framework()
    result = score_unit(fw, FULL_MARKS, not_applicable={"2.1"}, peer_best={"2.3": D(12)})
    assert (result.total.points, result.total.max_points) == (300, 300)
    assert result.total.index_value == 1
    assert result.scores["2.1"].explanation.notes == ("not_applicable",)


def test_a_not_applicable_parent_takes_its_children_with_it():
    fw = department_framework()
    result = score_unit(fw, FULL_MARKS, not_applicable={"1.2"}, peer_best={"2.3": D(12)})
    assert result.scores["1"].max_points == 40
    assert not result.scores["1.2.1"].applicable


def test_missing_figures_score_zero_and_are_explained():
    fw = department_framework()
    result = score_unit(fw, {}, peer_best={})
    assert result.total.points == 0
    assert result.scores["2.1"].explanation.notes == ("missing",)


def test_relative_best_compares_with_the_best_peer():
    fw = department_framework()
    peers = [FULL_MARKS | {"2.3": {"du_lieu_mo": n}} for n in (3, 12, 6)]
    best = peer_best(fw, peers)
    assert best == {"2.3": D(12)}
    assert score_unit(fw, peers[2], peer_best=best).scores["2.3"].points == 50


def test_scores_above_the_maximum_are_clamped_and_marked():
    fw = department_framework()
    figures = FULL_MARKS | {"2.2": {"ky_so": 70, "van_ban": 50}}
    score = score_unit(fw, figures, peer_best={"2.3": D(12)}).scores["2.2"]
    assert score.points == 100
    assert "clamped" in score.explanation.notes


def test_the_explanation_names_rule_inputs_and_numbers():
    fw = department_framework()
    score = score_unit(fw, FULL_MARKS | {"2.1": {"truc_tuyen": 45, "ho_so": 100}}).scores["2.1"]
    assert score.explanation.rule == "ratio_target"
    assert score.explanation.inputs == {"ho_so": 100, "truc_tuyen": 45}
    assert score.explanation.text == "200 × min(1, (45 / 100) / 0.8) = 112.50"


def test_a_department_at_420_of_500_is_good():
    assert classify(DEFAULT_BANDS, D(420), D(500)).name == "Tốt"  # type: ignore[union-attr]


def test_band_thresholds_are_inclusive():
    names = [classify(DEFAULT_BANDS, D(p), D(100)).name for p in (90, 89, 80, 70, 50, 49)]  # type: ignore[union-attr]
    assert names == ["Xuất sắc", "Tốt", "Tốt", "Khá", "Trung bình", "Yếu"]


def test_pillar_index_combines_its_main_indicators():
    fw = department_framework()
    result = score_unit(fw, FULL_MARKS | {"1.1": {"ban_chi_dao": False}}, peer_best={"2.3": D(12)})
    assert result.pillar_index(fw.pillars[0]) == D("0.92")  # 460 / 500


# --- the council's corrections ---------------------------------------------------


def test_a_corrected_leaf_changes_its_main_indicator_and_the_total():
    fw = department_framework()
    result = score_unit(fw, FULL_MARKS, peer_best={"2.3": D(12)})
    corrected = adjust(result, {"1.2.1": D("7.5")})
    lost = result.scores["1.2.1"].points - D("7.5")
    assert corrected.scores["1.2.1"].points == D("7.50")
    assert corrected.scores["1.2"].points == result.scores["1.2"].points - lost
    assert corrected.scores["1"].points == result.scores["1"].points - lost
    assert corrected.total.points == result.total.points - lost
    assert corrected.total.max_points == result.total.max_points


def test_a_correction_never_goes_beyond_the_leafs_maximum_or_below_zero():
    fw = department_framework()
    result = score_unit(fw, FULL_MARKS, peer_best={"2.3": D(12)})
    corrected = adjust(result, {"1.2.1": D(999), "2.2": D(-4)})
    assert corrected.scores["1.2.1"].points == result.scores["1.2.1"].max_points
    assert corrected.scores["2.2"].points == 0


def test_a_correction_of_a_not_applicable_leaf_is_ignored():
    fw = department_framework()
    result = score_unit(fw, FULL_MARKS, not_applicable=["2.1"], peer_best={"2.3": D(12)})
    corrected = adjust(result, {"2.1": D(50)})
    assert not corrected.scores["2.1"].applicable
    assert corrected.total[1:3] == result.total[1:3]  # points, max


def test_no_correction_leaves_the_result_as_it_was():
    fw = department_framework()
    result = score_unit(fw, FULL_MARKS, peer_best={"2.3": D(12)})
    assert adjust(result, {}) is result
