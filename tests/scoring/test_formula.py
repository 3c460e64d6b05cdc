"""The safe formula evaluator: arithmetic only, Decimal only."""

from __future__ import annotations

from decimal import Decimal as D

import pytest

from dtis.scoring import formula


def test_it_computes_with_decimals_not_floats():
    assert formula.evaluate("a + b", {"a": D("0.1"), "b": D("0.2")}) == D("0.3")


def test_it_knows_min_max_comparisons_and_conditions():
    env = {"n": D(4), "max": D(20)}
    assert formula.evaluate("max if n >= 4 else max / 2", env) == 20
    assert formula.evaluate("min(max, n * 10)", env) == 20


def test_it_lists_the_names_it_reads():
    assert formula.names("max * min(1, (a + b) / c)") == {"max", "a", "b", "c"}


def test_division_by_zero_is_a_formula_error():
    with pytest.raises(formula.FormulaError):
        formula.evaluate("a / b", {"a": D(1), "b": D(0)})


@pytest.mark.parametrize(
    "expression",
    ["open('x')", "a[0]", "a.real", "lambda: 1", "'text'", "a ** 2", "[1, 2]", "x := 1", "1 +"],
)
def test_anything_but_arithmetic_is_refused(expression: str):
    with pytest.raises(formula.FormulaError):
        formula.parse(expression)


def test_a_huge_expression_is_refused():
    with pytest.raises(formula.FormulaError):
        formula.parse("+".join(["a"] * 400))
