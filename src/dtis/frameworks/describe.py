"""A scoring rule in plain words, with a worked example, for people reading a
framework on screen.

The sentences are translatable (English msgids, Vietnamese in the catalogue)
and the numbers are formatted for the active language: "0,8 × 20 = 16 điểm"
in Vietnamese, "0.8 × 20 = 16 points" in English. The examples are computed
from the rule's own parameters and the indicator's maximum with the same
decimal arithmetic the scoring core uses, so they never contradict it.
"""

from __future__ import annotations

import ast
import re
from collections.abc import Mapping, Sequence
from decimal import ROUND_FLOOR, Decimal
from typing import Any

from django.utils.formats import number_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from dtis.scoring import formula
from dtis.scoring.numbers import clamp, round_points, to_decimal
from dtis.scoring.rules import RuleError, parse_rule

ZERO = Decimal(0)
HUNDRED = Decimal(100)

RULE_KIND_LABELS: dict[str, Any] = {
    "yes_no": gettext_lazy("Yes / no"),
    "level": gettext_lazy("Level"),
    "ratio": gettext_lazy("Ratio"),
    "ratio_target": gettext_lazy("Ratio with a target"),
    "count_target": gettext_lazy("Count with a target"),
    "tiers": gettext_lazy("Tiers by threshold"),
    "count_steps": gettext_lazy("Points by count"),
    "relative_best": gettext_lazy("Relative to the best peer"),
    "formula": gettext_lazy("Formula"),
    "half_credits": gettext_lazy("Shares for separate parts"),
    "manual": gettext_lazy("Scored by the appraisal council"),
}


def num(value: Decimal | int | str) -> str:
    """A number for the screen: no trailing zeros, at most 4 decimals, the
    active language's decimal separator (0,8 in Vietnamese)."""
    number = to_decimal(value).quantize(Decimal("0.0001")).normalize()
    return number_format(Decimal(format(number, "f")))


def percent(fraction: Decimal) -> str:
    return f"{num(fraction * HUNDRED)} %"


def describe_rule(
    rule: Mapping[str, Any] | None,
    max_points: Decimal,
    *,
    is_parent: bool = True,
    inputs: Sequence[Mapping[str, Any]] = (),
) -> str:
    """The rule in plain words with a worked example.

    `rule` is the stored form ({"kind": ..., params}); None means the
    indicator is scored as the sum of its children (or, for a leaf with
    `is_parent=False`, not scored at all). `inputs` (optional) gives the
    labels of choice values and parts.
    """
    maximum = to_decimal(max_points)
    if not rule:
        if is_parent:
            return _("Sum of the component indicators.")
        return _("Not scored.")
    kind = rule.get("kind")
    try:
        parsed = parse_rule(rule)
    except RuleError as exc:
        return _("The rule is not valid: %(reason)s") % {"reason": exc}
    describer = _DESCRIBERS.get(str(kind))
    if describer is None:  # a kind the core knows but this module does not (yet)
        return str(RULE_KIND_LABELS.get(str(kind), kind))
    return describer(parsed.to_dict() | {"kind": kind}, maximum, _labels(inputs))


def _labels(inputs: Sequence[Mapping[str, Any]]) -> dict[str, str]:
    """Input name → label, and "name=value" → the label of a choice."""
    labels: dict[str, str] = {}
    for spec in inputs:
        name = str(spec.get("name", ""))
        labels[name] = str(spec.get("label") or name)
        for choice in spec.get("choices") or []:
            labels[f"{name}={choice.get('value')}"] = str(choice.get("label") or choice["value"])
    return labels


def _points(value: Decimal, maximum: Decimal) -> str:
    return num(round_points(clamp(value, ZERO, maximum)))


def _yes_no(rule: dict[str, Any], maximum: Decimal, labels: dict[str, str]) -> str:
    return _("Full points when the answer is yes, otherwise 0. Example: yes → %(max)s points.") % {
        "max": num(maximum)
    }


def _level(rule: dict[str, Any], maximum: Decimal, labels: dict[str, str]) -> str:
    name = rule["input"]
    levels = [
        (labels.get(f"{name}={lv['value']}", lv["value"]), lv["fraction"]) for lv in rule["levels"]
    ]
    listed = "; ".join(f"{label} → {percent(fraction)}" for label, fraction in levels)
    label, fraction = levels[1] if len(levels) > 1 else levels[0]
    return _(
        "A share of the maximum for each level: %(levels)s. "
        "Example: %(level)s → %(fraction)s × %(max)s = %(points)s points."
    ) % {
        "levels": listed,
        "level": label,
        "fraction": num(fraction),
        "max": num(maximum),
        "points": _points(maximum * fraction, maximum),
    }


def _ratio(rule: dict[str, Any], maximum: Decimal, labels: dict[str, str]) -> str:
    share = Decimal("0.8")
    return _(
        "Points = max × numerator / denominator. "
        "Example: 8 of 10 → %(share)s × %(max)s = %(points)s points."
    ) % {"share": num(share), "max": num(maximum), "points": _points(maximum * share, maximum)}


def _ratio_target(rule: dict[str, Any], maximum: Decimal, labels: dict[str, str]) -> str:
    target = to_decimal(rule["target"])
    share = target / 2
    return _(
        "Points = max × share / target, full points from %(target)s up. "
        "Example: %(a)s of 100 → %(share)s / %(t)s × %(max)s = %(points)s points."
    ) % {
        "target": percent(target),
        "a": num(share * HUNDRED),
        "share": num(share),
        "t": num(target),
        "max": num(maximum),
        "points": _points(maximum * share / target, maximum),
    }


def _count_target(rule: dict[str, Any], maximum: Decimal, labels: dict[str, str]) -> str:
    target = to_decimal(rule["target"])
    n = (target / 2).to_integral_value(rounding=ROUND_FLOOR) or target / 2
    return _(
        "Points = max × count / %(target)s, full points from %(target)s up. "
        "Example: %(n)s → %(n)s / %(target)s × %(max)s = %(points)s points."
    ) % {
        "target": num(target),
        "n": num(n),
        "max": num(maximum),
        "points": _points(maximum * n / target, maximum),
    }


def _tiers(rule: dict[str, Any], maximum: Decimal, labels: dict[str, str]) -> str:
    tiers = [(to_decimal(t["min"]), to_decimal(t["fraction"])) for t in rule["tiers"]]
    as_share = bool(rule.get("denominator"))

    def shown(value: Decimal) -> str:
        return percent(value) if as_share else num(value)

    listed = "; ".join(f"≥ {shown(low)} → {percent(fraction)}" for low, fraction in tiers)
    low, fraction = tiers[1] if len(tiers) > 1 else tiers[0]
    text = (
        _("Points by thresholds on the share numerator / denominator: %(tiers)s; below: 0.")
        if as_share
        else _("Points by thresholds on the value: %(tiers)s; below: 0.")
    )
    example = _("Example: %(value)s → %(fraction)s × %(max)s = %(points)s points.")
    return (
        text % {"tiers": listed}
        + " "
        + example
        % {
            "value": shown(low),
            "fraction": num(fraction),
            "max": num(maximum),
            "points": _points(maximum * fraction, maximum),
        }
    )


def _count_steps(rule: dict[str, Any], maximum: Decimal, labels: dict[str, str]) -> str:
    steps = [(to_decimal(s["min"]), to_decimal(s["points"])) for s in rule["steps"]]
    listed = "; ".join(f"≥ {num(low)} → {num(points)}" for low, points in steps)
    low, points = steps[1] if len(steps) > 1 else steps[0]
    return _("Points by count: %(steps)s; fewer: 0. Example: %(n)s → %(points)s points.") % {
        "steps": listed,
        "n": num(low),
        "points": _points(points, maximum),
    }


def _relative_best(rule: dict[str, Any], maximum: Decimal, labels: dict[str, str]) -> str:
    share = Decimal("0.75")
    return _(
        "Points = max × the unit's value / the best value among its peers. "
        "Example: 6 while the best peer has 8 → %(share)s × %(max)s = %(points)s points."
    ) % {"share": num(share), "max": num(maximum), "points": _points(maximum * share, maximum)}


def _formula(rule: dict[str, Any], maximum: Decimal, labels: dict[str, str]) -> str:
    expression = rule["expression"]
    share = share_of_standard(expression)
    if share is not None:
        parts, denominator, standard = share
        # Half the standard share earns half the maximum.
        return _(
            "Points in proportion to %(parts)s as a share of %(whole)s: %(standard)s or "
            "more earns the full %(max)s points, less earns its proportion. Example: "
            "%(half)s → %(half)s / %(standard)s × %(max)s = %(points)s points."
        ) % {
            "parts": " + ".join(f"«{labels.get(n, n)}»" for n in parts),
            "whole": f"«{labels.get(denominator, denominator)}»",
            "standard": percent(standard),
            "half": percent(standard / 2),
            "max": num(maximum),
            "points": _points(maximum / 2, maximum),
        }
    return _("Points = %(expression)s, kept between 0 and %(max)s.") % {
        "expression": formula_in_words(expression, maximum, labels),
        "max": num(maximum),
    }


def share_of_standard(expression: str) -> tuple[list[str], str, Decimal] | None:
    """`max * min(1, (a + b) / c / k)`: the parts a, b…, the whole c and the
    standard share k, the shape the national frameworks use for budgets."""
    try:
        body = formula.parse(expression).body
    except formula.FormulaError:
        return None
    if not (isinstance(body, ast.BinOp) and isinstance(body.op, ast.Mult)):
        return None
    if not (isinstance(body.left, ast.Name) and body.left.id == "max"):
        return None
    call = body.right
    if not (
        isinstance(call, ast.Call)
        and isinstance(call.func, ast.Name)
        and call.func.id == "min"
        and len(call.args) == 2
        and isinstance(call.args[0], ast.Constant)
        and call.args[0].value == 1
    ):
        return None
    ratio = call.args[1]
    if not (isinstance(ratio, ast.BinOp) and isinstance(ratio.op, ast.Div)):
        return None
    inner, standard = ratio.left, ratio.right
    if not (isinstance(standard, ast.Constant) and isinstance(standard.value, int | float)):
        return None
    if not (isinstance(inner, ast.BinOp) and isinstance(inner.op, ast.Div)):
        return None
    if not isinstance(inner.right, ast.Name):
        return None
    parts = _summed_names(inner.left)
    if parts is None:
        return None
    return parts, inner.right.id, to_decimal(str(standard.value))


def _summed_names(node: ast.expr) -> list[str] | None:
    if isinstance(node, ast.Name):
        return [node.id]
    if isinstance(node, ast.BinOp) and isinstance(node.op, ast.Add):
        left, right = _summed_names(node.left), _summed_names(node.right)
        return left + right if left is not None and right is not None else None
    return None


_SIGNS = {ast.Add: "+", ast.Sub: "−", ast.Mult: "×", ast.Div: "/"}


def formula_in_words(expression: str, maximum: Decimal, labels: Mapping[str, str]) -> str:
    """The expression with each input's label in «», `max` as the number of
    points and numbers written the active language's way; what the renderer
    does not know (comparisons, conditions) stays as written."""
    try:
        body = formula.parse(expression).body
    except formula.FormulaError:
        return expression
    separator = "; " if num(Decimal("0.5")) == "0,5" else ", "

    def words(node: ast.expr, parent: int = 0) -> str:
        if isinstance(node, ast.Name):
            return num(maximum) if node.id == "max" else f"«{labels.get(node.id, node.id)}»"
        if isinstance(node, ast.Constant) and isinstance(node.value, int | float):
            return num(str(node.value))
        if isinstance(node, ast.UnaryOp) and isinstance(node.op, ast.USub):
            return f"−{words(node.operand, 3)}"
        if isinstance(node, ast.BinOp) and type(node.op) in _SIGNS:
            rank = 1 if isinstance(node.op, ast.Add | ast.Sub) else 2
            text = f"{words(node.left, rank)} {_SIGNS[type(node.op)]} {words(node.right, rank + 1)}"
            return f"({text})" if rank < parent else text
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Name):
            return f"{node.func.id}({separator.join(words(a) for a in node.args)})"
        return ast.unparse(node)

    return words(body)


def _half_credits(rule: dict[str, Any], maximum: Decimal, labels: dict[str, str]) -> str:
    parts = [(labels.get(p["input"], p["input"]), to_decimal(p["share"])) for p in rule["parts"]]
    listed = "; ".join(f"{label} → {percent(share)}" for label, share in parts)
    first = parts[0][1]
    return _(
        "Each part achieved earns its share of the maximum: %(parts)s. "
        "Example: only the first part → %(share)s × %(max)s = %(points)s points."
    ) % {
        "parts": listed,
        "share": num(first),
        "max": num(maximum),
        "points": _points(maximum * first, maximum),
    }


def _manual(rule: dict[str, Any], maximum: Decimal, labels: dict[str, str]) -> str:
    return _("The appraisal council enters the points, from 0 to %(max)s.") % {"max": num(maximum)}


_DESCRIBERS = {
    "yes_no": _yes_no,
    "level": _level,
    "ratio": _ratio,
    "ratio_target": _ratio_target,
    "count_target": _count_target,
    "tiers": _tiers,
    "count_steps": _count_steps,
    "relative_best": _relative_best,
    "formula": _formula,
    "half_credits": _half_credits,
    "manual": _manual,
}


_IDENTIFIER = re.compile(r"\b[a-z_][a-z0-9_]*\b")


def explanation_in_words(
    text: str,
    rule: Mapping[str, Any] | None,
    maximum: Decimal,
    inputs: Sequence[Mapping[str, Any]] = (),
) -> str:
    """The scoring core's working ("15 × 0.5 (cap_pho)", "a = 3; b = 4")
    with the inputs' labels instead of their internal names, choices by
    their labels and yes/no in words: what a reporter reads under the
    self-score. The core keeps its terse text for logs and tests."""
    labels = _labels(inputs)
    if rule and rule.get("kind") == "formula":
        expression = str(rule.get("expression", ""))
        if expression and expression in text:
            text = text.replace(expression, formula_in_words(expression, maximum, labels))
    choices = {key.split("=", 1)[1]: label for key, label in labels.items() if "=" in key}
    words = {"yes": _("yes"), "no": _("no")}

    def replace(match: re.Match[str]) -> str:
        token = match.group(0)
        if token in labels:
            return f"«{labels[token]}»"
        if token in choices:
            return choices[token]
        return words.get(token, token)

    # Inside «…» the labels are already words: only what is outside is replaced.
    pieces = re.split(r"(«[^»]*»)", text)
    return "".join(p if p.startswith("«") else _IDENTIFIER.sub(replace, p) for p in pieces)
