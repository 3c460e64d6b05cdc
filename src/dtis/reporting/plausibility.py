"""Figures that cannot both be right: a part larger than its whole.

A share rule (ratio, or tiers on a share) reads "a of b"; 12.150 documents
signed of 11.240 issued is a typing slip (two fields swapped), and the score
would be capped at the maximum without anyone noticing. The entry page warns
as it is typed; the pre-submission check lists it for the head.
"""

from __future__ import annotations

from collections.abc import Mapping
from decimal import Decimal
from typing import Any

from django.utils.formats import number_format
from django.utils.translation import gettext as _

from dtis.frameworks.models import Indicator
from dtis.scoring.numbers import to_decimal
from dtis.scoring.rules import Ratio, RuleError, Tiers, parse_rule


def share_pairs(rule: Mapping[str, Any] | None) -> list[tuple[str, str]]:
    """(part, whole) input names of a rule that reads as a share."""
    if not rule:
        return []
    try:
        parsed = parse_rule(rule)
    except RuleError:
        return []
    if isinstance(parsed, Ratio):
        return [(parsed.numerator, parsed.denominator)]
    if isinstance(parsed, Tiers) and parsed.denominator:
        return [(parsed.input, parsed.denominator)]
    return []


def implausible(indicator: Indicator, values: Mapping[str, Any]) -> list[str]:
    """What is wrong with these figures, in words (empty: nothing found)."""
    labels = {str(i["name"]): str(i.get("label") or i["name"]) for i in indicator.inputs}
    problems = []
    for part, whole in share_pairs(indicator.rule):
        a, b = _number(values.get(part)), _number(values.get(whole))
        if a is None or b is None or a <= b:
            continue
        problems.append(
            _(
                "“%(part)s” (%(a)s) is larger than “%(whole)s” (%(b)s): a part cannot "
                "exceed its whole. Check that the two figures are not swapped."
            )
            % {
                "part": labels.get(part, part),
                "a": number_format(a, use_l10n=True, force_grouping=True),
                "whole": labels.get(whole, whole),
                "b": number_format(b, use_l10n=True, force_grouping=True),
            }
        )
    return problems


def _number(value: Any) -> Decimal | None:
    if value in (None, "") or isinstance(value, bool):
        return None
    try:
        return to_decimal(value)
    except (ArithmeticError, ValueError, TypeError):
        return None
