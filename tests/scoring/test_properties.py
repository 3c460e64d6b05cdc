"""Invariants of scoring, checked on generated figures (hypothesis)."""

from __future__ import annotations

from decimal import Decimal as D

from hypothesis import given
from hypothesis import strategies as st

from dtis.scoring.aggregate import adjust, score_unit
from dtis.scoring.rules import parse_rule
from tests.scoring.builders import department_framework

FW = department_framework()
counts = st.integers(min_value=0, max_value=10_000)


@st.composite
def figures(draw: st.DrawFn) -> dict[str, dict[str, object]]:
    ho_so = draw(counts)
    van_ban = draw(counts)
    return {
        "1.1": {"ban_chi_dao": draw(st.booleans())},
        "1.2.1": {"hop": draw(st.integers(0, 12))},
        "1.2.2": {"tin_bai": draw(st.integers(0, 200))},
        "2.1": {"truc_tuyen": draw(st.integers(0, ho_so)), "ho_so": ho_so},
        "2.2": {"ky_so": draw(st.integers(0, van_ban)), "van_ban": van_ban},
        "2.3": {"du_lieu_mo": draw(st.integers(0, 50))},
    }


@given(figures(), st.sets(st.sampled_from([i.code for i in FW.walk()])))
def test_every_score_stays_within_zero_and_its_maximum(figs, na):  # type: ignore[no-untyped-def]
    result = score_unit(FW, figs, not_applicable=na, peer_best={"2.3": D(50)})
    for score in result.scores.values():
        assert 0 <= score.points <= score.max_points
        assert score.index_value is None or 0 <= score.index_value <= 1


@given(figures(), st.sets(st.sampled_from([i.code for i in FW.walk()])))
def test_a_parent_equals_the_sum_of_its_children(figs, na):  # type: ignore[no-untyped-def]
    result = score_unit(FW, figs, not_applicable=na, peer_best={"2.3": D(50)})
    for ind in FW.walk():
        if ind.children and result.scores[ind.code].applicable:
            kids = [result.scores[c.code] for c in ind.children if result.scores[c.code].applicable]
            assert result.scores[ind.code].points == sum(k.points for k in kids)
            assert result.scores[ind.code].max_points == sum(k.max_points for k in kids)


LEAVES = [i.code for i in FW.leaves()]
corrections = st.dictionaries(
    st.sampled_from(LEAVES), st.decimals(min_value=-50, max_value=500, places=2), max_size=6
)


@given(figures(), st.sets(st.sampled_from(LEAVES)), corrections)
def test_corrected_results_stay_sums_within_their_maximums(figs, na, fixes):  # type: ignore[no-untyped-def]
    result = adjust(score_unit(FW, figs, not_applicable=na, peer_best={"2.3": D(50)}), fixes)
    for ind in FW.walk():
        score = result.scores[ind.code]
        assert 0 <= score.points <= score.max_points
        if ind.children and score.applicable:
            kids = [result.scores[c.code] for c in ind.children if result.scores[c.code].applicable]
            assert score.points == sum(k.points for k in kids)


@given(figures(), st.sampled_from(LEAVES), st.decimals(min_value=0, max_value=500, places=2))
def test_lowering_one_leaf_never_raises_the_total(figs, code, points):  # type: ignore[no-untyped-def]
    result = score_unit(FW, figs, peer_best={"2.3": D(50)})
    lowered = min(points, result.scores[code].points)
    assert adjust(result, {code: lowered}).total.points <= result.total.points


RULES = [
    ({"kind": "ratio", "numerator": "a", "denominator": "b"}, "a"),
    ({"kind": "ratio_target", "numerator": "a", "denominator": "b", "target": "0.8"}, "a"),
    ({"kind": "count_target", "input": "a", "target": 25}, "a"),
    (
        {
            "kind": "tiers",
            "input": "a",
            "denominator": "b",
            "tiers": [{"min": "0.9", "fraction": 1}, {"min": "0.5", "fraction": "0.5"}],
        },
        "a",
    ),
    (
        {
            "kind": "count_steps",
            "input": "a",
            "steps": [{"min": 4, "points": 20}, {"min": 1, "points": 5}],
        },
        "a",
    ),
    ({"kind": "relative_best", "input": "a", "denominator": "b"}, "a"),
    ({"kind": "formula", "expression": "max * min(1, a / b / 0.1)"}, "a"),
]


@given(st.sampled_from(RULES), st.integers(1, 1000), st.integers(0, 1000), st.integers(0, 500))
def test_more_achievement_never_lowers_a_score(rule_and_input, b, a, more):  # type: ignore[no-untyped-def]
    rule_data, _ = rule_and_input
    rule = parse_rule(rule_data)
    before = rule.evaluate({"a": a, "b": b}, D(20), D(10)).points
    after = rule.evaluate({"a": a + more, "b": b}, D(20), D(10)).points
    assert min(after, D(20)) >= min(before, D(20))
