"""Frameworks to and from plain dicts (the YAML/JSON file layout).

`from_dict` collects every problem instead of stopping at the first, so a
bad file is rejected whole with a complete list.
"""

from __future__ import annotations

from collections.abc import Mapping
from decimal import Decimal
from typing import Any

from dtis.scoring.messages import Message, gettext_noop
from dtis.scoring.numbers import to_decimal
from dtis.scoring.rules import Rule, RuleError, parse_rule
from dtis.scoring.tree import (
    DEFAULT_BANDS,
    Band,
    Framework,
    Indicator,
    InputSpec,
    Pillar,
    Problem,
    validate,
)


class FrameworkError(ValueError):
    def __init__(self, problems: list[Problem]) -> None:
        super().__init__("; ".join(f"{p.code or '—'}: {p.message}" for p in problems))
        self.problems = problems


def from_dict(data: Mapping[str, Any]) -> Framework:
    """Build and validate; raises FrameworkError listing every problem."""
    problems: list[Problem] = []
    indicators = tuple(_indicator(d, problems) for d in data.get("indicators") or [])
    if not indicators:
        problems.append(Problem("", Message(gettext_noop("the framework has no indicators"))))
    framework = Framework(
        code=str(data.get("code") or ""),
        name=str(data.get("name") or ""),
        indicators=indicators,
        pillars=tuple(
            Pillar(str(p["code"]), str(p["name"]), tuple(str(c) for c in p["indicators"]))
            for p in data.get("pillars") or []
        ),
        bands=tuple(
            Band(str(b["name"]), to_decimal(b["min_percent"])) for b in data.get("bands") or []
        )
        or DEFAULT_BANDS,
    )
    problems.extend(validate(framework))
    if problems:
        raise FrameworkError(problems)
    return framework


def _points(value: Any, code: str, problems: list[Problem]) -> Decimal:
    try:
        return to_decimal(value if value is not None else 0)
    except ValueError:
        problems.append(
            Problem(
                code, Message(gettext_noop("max points %(value)s is not a number"), value=value)
            )
        )
        return Decimal(0)


def _indicator(data: Mapping[str, Any], problems: list[Problem]) -> Indicator:
    code = str(data.get("code") or "").strip()
    rule: Rule | None = None
    if data.get("rule"):
        try:
            rule = parse_rule(data["rule"])
        except RuleError as exc:
            problems.append(Problem(code, exc.message))
    return Indicator(
        code=code,
        name=str(data.get("name") or "").strip(),
        max_points=_points(data.get("max_points"), code, problems),
        rule=rule,
        inputs=tuple(
            InputSpec(
                name=str(i["name"]),
                label=str(i.get("label") or i["name"]),
                type=str(i.get("type") or "number"),
                unit=str(i.get("unit") or ""),
                choices=tuple((str(c["value"]), str(c["label"])) for c in i.get("choices") or []),
            )
            for i in data.get("inputs") or []
        ),
        children=tuple(_indicator(c, problems) for c in data.get("children") or []),
    )


def indicator_to_dict(ind: Indicator) -> dict[str, Any]:
    out: dict[str, Any] = {"code": ind.code, "name": ind.name, "max_points": ind.max_points}
    if ind.rule is not None:
        out["rule"] = ind.rule.to_dict()
    if ind.inputs:
        out["inputs"] = [
            {"name": i.name, "label": i.label, "type": i.type}
            | ({"unit": i.unit} if i.unit else {})
            | ({"choices": [{"value": v, "label": lb} for v, lb in i.choices]} if i.choices else {})
            for i in ind.inputs
        ]
    if ind.children:
        out["children"] = [indicator_to_dict(c) for c in ind.children]
    return out
