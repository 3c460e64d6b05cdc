"""The year figures of the appraisal tests' three departments.

Frozen here, not drawn from `dtis.reporting.demo`: the ranks, bands and
indices these tests expect (Sở Tài chính ahead of Sở Y tế, a tie…) follow
from exactly these numbers, and the demo's figures may change to read more
plausibly without moving them.
"""

from __future__ import annotations

import random
from decimal import Decimal
from typing import Any

from dtis.frameworks.models import Indicator


def _value(spec: dict[str, Any], rng: random.Random, denominator: int | None) -> Any:
    kind = spec.get("type", "number")
    if kind == "boolean":
        return rng.random() < 0.8
    if kind == "choice":
        choices = [c["value"] for c in spec.get("choices", [])]
        return choices[min(int(rng.random() * 1.6), len(choices) - 1)] if choices else None
    if denominator is not None:
        return int(denominator * rng.uniform(0.55, 0.98))
    return rng.choice([4, 12, 25, 60, 150, 480, 1200])


def year_figures(indicator: Indicator, rng: random.Random) -> dict[str, Any]:
    rule = indicator.rule or {}
    values: dict[str, Any] = {}
    denominator_name = rule.get("denominator")
    denominator = rng.choice([40, 120, 350, 1800]) if denominator_name else None
    for spec in indicator.inputs:
        if spec["name"] == denominator_name:
            values[spec["name"]] = denominator
        elif spec["name"] == rule.get("numerator"):
            values[spec["name"]] = _value(spec, rng, denominator)
        elif spec["name"] == "diem":
            values[spec["name"]] = str(
                (indicator.max_points * Decimal(rng.uniform(0.5, 0.9))).quantize(Decimal("0.5"))
            )
        else:
            values[spec["name"]] = _value(spec, rng, None)
    return values
