"""A scoring rule in plain words, with a worked example, for people reading a
framework on screen.

The sentences are translatable (English msgids, Vietnamese in the catalogue)
and the numbers are formatted for the active language: "0,8 × 20 = 16 điểm"
in Vietnamese, "0.8 × 20 = 16 points" in English. The examples are computed
from the rule's own parameters and the indicator's maximum with the same
decimal arithmetic the scoring core uses, so they never contradict it.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from decimal import ROUND_FLOOR, Decimal
from typing import Any

from django.utils.formats import number_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

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
    return _("Points = %(expression)s (max = %(max)s), kept between 0 and %(max)s.") % {
        "expression": rule["expression"],
        "max": num(maximum),
    }


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
