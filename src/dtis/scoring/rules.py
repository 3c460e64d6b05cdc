"""Scoring rules: how one indicator's figures become its points.

Each kind of DOMAIN.md §4 is a small frozen dataclass that knows its
parameters, the input names it reads and how to evaluate them. `evaluate`
returns the *raw* points with an explanation; clamping to [0, max] and
rounding happen once, in `dtis.scoring.aggregate`.

Explanations are data, not prose: the arithmetic as text (numbers with a
dot, as in files) and note codes that the UI translates:
- `missing`: an input has no figure yet, so the points are 0;
- `zero_denominator`: a ratio's denominator is 0, so the points are 0;
- `no_peer_value`: no peer has a positive value to compare with;
- `formula_error`: the formula could not be computed with these inputs.
"""

from __future__ import annotations

import abc
import functools
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any, ClassVar

from dtis.scoring import formula
from dtis.scoring.messages import CoreError, Message, gettext_noop
from dtis.scoring.numbers import ONE, ZERO, to_decimal

Value = bool | int | Decimal | str | None


class RuleError(CoreError):
    """The rule's parameters are invalid."""


class Outcome:
    """Raw points with the arithmetic that produced them.

    The text is built only when someone reads it: scoring a whole country
    computes millions of outcomes and shows a handful of explanations.
    """

    __slots__ = ("_text", "notes", "points")

    def __init__(
        self, points: Decimal, text: str | Callable[[], str], notes: tuple[str, ...] = ()
    ) -> None:
        self.points = points
        self._text = text
        self.notes = notes

    @property
    def text(self) -> str:
        if callable(self._text):
            self._text = self._text()
        return self._text


def _fmt(value: Decimal) -> str:
    """Plain decimal text without exponent or trailing zeros: 0.8, 12, 0.05."""
    text = format(value.normalize(), "f")
    return text


def _missing(name: str) -> Outcome:
    return Outcome(ZERO, lambda: f"{name} = ?", ("missing",))


def _number(values: Mapping[str, Value], name: str) -> Decimal | None:
    value = values.get(name)
    if value is None or value == "":
        return None
    return to_decimal(value)


def _what(template: str) -> Message:
    """A translatable noun for the messages below ("the target", …)."""
    return Message(template)


def _fraction(value: object, what: Message) -> Decimal:
    try:
        number = to_decimal(value)
    except ValueError as exc:
        raise RuleError(gettext_noop("%(what)s must be a number"), what=what) from exc
    if not ZERO <= number <= ONE:
        raise RuleError(gettext_noop("%(what)s must be between 0 and 1"), what=what)
    return number


def _positive(value: object, what: Message) -> Decimal:
    try:
        number = to_decimal(value)
    except ValueError as exc:
        raise RuleError(gettext_noop("%(what)s must be a number"), what=what) from exc
    if number <= 0:
        raise RuleError(gettext_noop("%(what)s must be greater than 0"), what=what)
    return number


def _name(params: Mapping[str, Any], key: str) -> str:
    value = params.get(key)
    if not isinstance(value, str) or not value.isidentifier():
        raise RuleError(
            gettext_noop("“%(key)s” must name an input (letters, digits and _)"), key=key
        )
    return value


def _optional_name(params: Mapping[str, Any], key: str) -> str | None:
    return _name(params, key) if params.get(key) not in (None, "") else None


class Rule(abc.ABC):
    """A scoring rule kind; the subclasses below are the whole list."""

    kind: ClassVar[str]

    @property
    def kind_name(self) -> str:
        """The stored kind (a ratio with a target is stored as ratio_target)."""
        return self.kind

    @functools.cached_property
    def sorted_inputs(self) -> tuple[str, ...]:
        return tuple(sorted(self.input_names()))

    @abc.abstractmethod
    def input_names(self) -> set[str]:
        """The input names the rule reads."""

    @abc.abstractmethod
    def params(self) -> dict[str, Any]:
        """The stored parameters, without the kind."""

    @abc.abstractmethod
    def evaluate(
        self, values: Mapping[str, Value], max_points: Decimal, best: Decimal | None
    ) -> Outcome:
        """Raw points (clamped and rounded later, by the aggregation)."""

    def to_dict(self) -> dict[str, Any]:
        return {"kind": self.kind_name, **self.params()}


@dataclass(frozen=True)
class YesNo(Rule):
    """Max points when the answer is yes, else 0."""

    kind: ClassVar[str] = "yes_no"
    input: str

    def input_names(self) -> set[str]:
        return {self.input}

    def params(self) -> dict[str, Any]:
        return {"input": self.input}

    def evaluate(
        self, values: Mapping[str, Value], max_points: Decimal, best: Decimal | None
    ) -> Outcome:
        answer = values.get(self.input)
        if answer is None:
            return _missing(self.input)
        yes = bool(to_decimal(answer)) if not isinstance(answer, bool) else answer
        points = max_points if yes else ZERO
        return Outcome(points, lambda: f"{_fmt(points)} ({self.input} = {'yes' if yes else 'no'})")


@dataclass(frozen=True)
class Level:
    value: str
    fraction: Decimal


@dataclass(frozen=True)
class Levels(Rule):
    """A fraction of max per chosen level (Chairman → 1, Vice-chairman → ½ …)."""

    kind: ClassVar[str] = "level"
    input: str
    levels: tuple[Level, ...]

    def input_names(self) -> set[str]:
        return {self.input}

    def params(self) -> dict[str, Any]:
        return {
            "input": self.input,
            "levels": [{"value": lv.value, "fraction": lv.fraction} for lv in self.levels],
        }

    def evaluate(
        self, values: Mapping[str, Value], max_points: Decimal, best: Decimal | None
    ) -> Outcome:
        chosen = values.get(self.input)
        if chosen is None or chosen == "":
            return _missing(self.input)
        for level in self.levels:
            if level.value == str(chosen):
                points = max_points * level.fraction
                return Outcome(
                    points, functools.partial(_level_text, max_points, level, str(chosen))
                )
        return Outcome(ZERO, lambda: f"{self.input} = {chosen}", ("missing",))


@dataclass(frozen=True)
class Ratio(Rule):
    """max × a / b, optionally against a target share: max × min(1, (a/b)/target)."""

    kind: ClassVar[str] = "ratio"
    numerator: str
    denominator: str
    target: Decimal | None = None

    def input_names(self) -> set[str]:
        return {self.numerator, self.denominator}

    def params(self) -> dict[str, Any]:
        params: dict[str, Any] = {"numerator": self.numerator, "denominator": self.denominator}
        if self.target is not None:
            params["target"] = self.target
        return params

    @property
    def kind_name(self) -> str:
        return "ratio_target" if self.target is not None else "ratio"

    def evaluate(
        self, values: Mapping[str, Value], max_points: Decimal, best: Decimal | None
    ) -> Outcome:
        a, b = _number(values, self.numerator), _number(values, self.denominator)
        if a is None:
            return _missing(self.numerator)
        if b is None:
            return _missing(self.denominator)
        if b == 0:
            return Outcome(ZERO, lambda: f"{_fmt(a)} / 0", ("zero_denominator",))
        share = a / b
        target = self.target
        if target is None:
            return Outcome(
                max_points * share, lambda: f"{_fmt(max_points)} × {_fmt(a)} / {_fmt(b)}"
            )
        return Outcome(
            max_points * min(ONE, share / target),
            lambda: f"{_fmt(max_points)} × min(1, ({_fmt(a)} / {_fmt(b)}) / {_fmt(target)})",
        )


@dataclass(frozen=True)
class CountTarget(Rule):
    """max × min(1, n / target): ≥ 25 DX articles a year earns the maximum."""

    kind: ClassVar[str] = "count_target"
    input: str
    target: Decimal

    def input_names(self) -> set[str]:
        return {self.input}

    def params(self) -> dict[str, Any]:
        return {"input": self.input, "target": self.target}

    def evaluate(
        self, values: Mapping[str, Value], max_points: Decimal, best: Decimal | None
    ) -> Outcome:
        n = _number(values, self.input)
        if n is None:
            return _missing(self.input)
        return Outcome(
            max_points * min(ONE, n / self.target),
            lambda: f"{_fmt(max_points)} × min(1, {_fmt(n)} / {_fmt(self.target)})",
        )


@dataclass(frozen=True)
class Tier:
    min: Decimal
    fraction: Decimal


@dataclass(frozen=True)
class Tiers(Rule):
    """A fraction of max by thresholds on a value (or a ratio), highest first."""

    kind: ClassVar[str] = "tiers"
    input: str
    tiers: tuple[Tier, ...]
    denominator: str | None = None

    def input_names(self) -> set[str]:
        return {self.input} | ({self.denominator} if self.denominator else set())

    def params(self) -> dict[str, Any]:
        params: dict[str, Any] = {
            "input": self.input,
            "tiers": [{"min": t.min, "fraction": t.fraction} for t in self.tiers],
        }
        if self.denominator:
            params["denominator"] = self.denominator
        return params

    def evaluate(
        self, values: Mapping[str, Value], max_points: Decimal, best: Decimal | None
    ) -> Outcome:
        value, text, notes = _value_of(values, self.input, self.denominator)
        if value is None:
            return Outcome(ZERO, text, notes)
        for tier in self.tiers:
            if value >= tier.min:
                return Outcome(
                    max_points * tier.fraction,
                    functools.partial(_tier_text, text, tier, max_points),
                )
        return Outcome(ZERO, lambda: f"{text()} < {_fmt(self.tiers[-1].min)}")


@dataclass(frozen=True)
class Step:
    min: Decimal
    points: Decimal


@dataclass(frozen=True)
class CountSteps(Rule):
    """Absolute points by count: met 4 times → 20, 3 → 15, 2 → 10, 1 → 5."""

    kind: ClassVar[str] = "count_steps"
    input: str
    steps: tuple[Step, ...]

    def input_names(self) -> set[str]:
        return {self.input}

    def params(self) -> dict[str, Any]:
        return {
            "input": self.input,
            "steps": [{"min": s.min, "points": s.points} for s in self.steps],
        }

    def evaluate(
        self, values: Mapping[str, Value], max_points: Decimal, best: Decimal | None
    ) -> Outcome:
        n = _number(values, self.input)
        if n is None:
            return _missing(self.input)
        for step in self.steps:
            if n >= step.min:
                return Outcome(
                    step.points,
                    functools.partial(_step_text, self.input, n, step),
                )
        return Outcome(ZERO, lambda: f"{self.input} = {_fmt(n)} < {_fmt(self.steps[-1].min)}")


@dataclass(frozen=True)
class RelativeBest(Rule):
    """max × value / best value among the peers (e.g. .vn domains per capita)."""

    kind: ClassVar[str] = "relative_best"
    input: str
    denominator: str | None = None

    def input_names(self) -> set[str]:
        return {self.input} | ({self.denominator} if self.denominator else set())

    def params(self) -> dict[str, Any]:
        params: dict[str, Any] = {"input": self.input}
        if self.denominator:
            params["denominator"] = self.denominator
        return params

    def value(self, values: Mapping[str, Value]) -> Decimal | None:
        """The unit's value compared with its peers (None when incomplete)."""
        a = _number(values, self.input)
        if a is None or self.denominator is None:
            return a
        b = _number(values, self.denominator)
        return a / b if b else None

    def evaluate(
        self, values: Mapping[str, Value], max_points: Decimal, best: Decimal | None
    ) -> Outcome:
        value, text, notes = _value_of(values, self.input, self.denominator)
        if value is None:
            return Outcome(ZERO, text, notes)
        if best is None or best <= 0:
            return Outcome(ZERO, lambda: f"{text()}; best = ?", ("no_peer_value",))
        return Outcome(
            max_points * value / best, lambda: f"{_fmt(max_points)} × {text()} / {_fmt(best)}"
        )


@dataclass(frozen=True)
class Formula(Rule):
    """Any safe arithmetic on named inputs and `max`, clamped afterwards."""

    kind: ClassVar[str] = "formula"
    expression: str

    def input_names(self) -> set[str]:
        return set(formula.names(self.expression) - {"max"})

    def params(self) -> dict[str, Any]:
        return {"expression": self.expression}

    def evaluate(
        self, values: Mapping[str, Value], max_points: Decimal, best: Decimal | None
    ) -> Outcome:
        env: dict[str, Decimal] = {"max": max_points}
        for name in sorted(self.input_names()):
            number = _number(values, name)
            if number is None:
                return _missing(name)
            env[name] = number

        def shown() -> str:
            return ", ".join(f"{k} = {_fmt(v)}" for k, v in env.items() if k != "max")

        try:
            points = formula.evaluate(self.expression, env)
        except formula.FormulaError:
            return Outcome(ZERO, lambda: f"{self.expression}; {shown()}", ("formula_error",))
        return Outcome(points, lambda: f"{self.expression}; {shown()}")


@dataclass(frozen=True)
class Part:
    input: str
    share: Decimal


@dataclass(frozen=True)
class HalfCredits(Rule):
    """Parts that each earn a share of max (attended all sessions → ½, chaired → ½)."""

    kind: ClassVar[str] = "half_credits"
    parts: tuple[Part, ...]

    def input_names(self) -> set[str]:
        return {p.input for p in self.parts}

    def params(self) -> dict[str, Any]:
        return {"parts": [{"input": p.input, "share": p.share} for p in self.parts]}

    def evaluate(
        self, values: Mapping[str, Value], max_points: Decimal, best: Decimal | None
    ) -> Outcome:
        earned = ZERO
        shown = []
        notes: tuple[str, ...] = ()
        for part in self.parts:
            answer = values.get(part.input)
            if answer is None:
                notes = ("missing",)
                shown.append(f"{part.input} = ?")
                continue
            yes = answer if isinstance(answer, bool) else bool(to_decimal(answer))
            earned += part.share if yes else ZERO
            shown.append(f"{part.input} = {'yes' if yes else 'no'}")
        return Outcome(
            max_points * earned, f"{_fmt(max_points)} × {_fmt(earned)} ({'; '.join(shown)})", notes
        )


MANUAL_INPUT = "diem"


@dataclass(frozen=True)
class Manual(Rule):
    """The appraisal council enters the points itself."""

    kind: ClassVar[str] = "manual"
    input: str = MANUAL_INPUT

    def input_names(self) -> set[str]:
        return {self.input}

    def params(self) -> dict[str, Any]:
        return {} if self.input == MANUAL_INPUT else {"input": self.input}

    def evaluate(
        self, values: Mapping[str, Value], max_points: Decimal, best: Decimal | None
    ) -> Outcome:
        points = _number(values, self.input)
        if points is None:
            return _missing(self.input)
        return Outcome(points, lambda: f"{self.input} = {_fmt(points)}")


def _level_text(max_points: Decimal, level: Level, chosen: str) -> str:
    return f"{_fmt(max_points)} × {_fmt(level.fraction)} ({chosen})"


def _tier_text(text: Callable[[], str], tier: Tier, max_points: Decimal) -> str:
    return f"{text()} ≥ {_fmt(tier.min)} → {_fmt(max_points)} × {_fmt(tier.fraction)}"


def _step_text(name: str, n: Decimal, step: Step) -> str:
    return f"{name} = {_fmt(n)} ≥ {_fmt(step.min)} → {_fmt(step.points)}"


def _value_of(
    values: Mapping[str, Value], name: str, denominator: str | None
) -> tuple[Decimal | None, Callable[[], str], tuple[str, ...]]:
    """The compared value (a, or a / b) and a lazy text showing it."""
    a = _number(values, name)
    if a is None:
        return None, lambda: f"{name} = ?", ("missing",)
    if denominator is None:
        return a, lambda: _fmt(a), ()
    b = _number(values, denominator)
    if b is None:
        return None, lambda: f"{denominator} = ?", ("missing",)
    if b == 0:
        return None, lambda: f"{_fmt(a)} / 0", ("zero_denominator",)
    return a / b, lambda: f"({_fmt(a)} / {_fmt(b)})", ()


def _descending(items: Sequence[Any], key: str, what: Message) -> None:
    mins = [getattr(i, key) for i in items]
    if not mins:
        raise RuleError(gettext_noop("%(what)s: at least one is needed"), what=what)
    if mins != sorted(mins, reverse=True) or len(set(mins)) != len(mins):
        raise RuleError(
            gettext_noop("%(what)s must be listed from the highest threshold down"), what=what
        )


def parse_rule(data: Mapping[str, Any]) -> Rule:
    """Build a rule from its stored form ({"kind": ..., params...}); RuleError if invalid."""
    kind = data.get("kind")
    try:
        if kind == "yes_no":
            return YesNo(_name(data, "input"))
        if kind == "level":
            levels = tuple(
                Level(
                    str(lv["value"]),
                    _fraction(lv["fraction"], _what(gettext_noop("the level fraction"))),
                )
                for lv in data.get("levels") or []
            )
            if len(levels) < 2 or len({lv.value for lv in levels}) != len(levels):
                raise RuleError(gettext_noop("a level rule needs at least two distinct levels"))
            return Levels(_name(data, "input"), levels)
        if kind in ("ratio", "ratio_target"):
            target = (
                _positive(data["target"], _what(gettext_noop("the target")))
                if kind == "ratio_target"
                else None
            )
            if target is not None and target > 1:
                raise RuleError(
                    gettext_noop("the target must be a share between 0 and 1 (0.8 = 80%%)")
                )
            return Ratio(_name(data, "numerator"), _name(data, "denominator"), target)
        if kind == "count_target":
            return CountTarget(
                _name(data, "input"),
                _positive(data.get("target"), _what(gettext_noop("the target"))),
            )
        if kind == "tiers":
            tiers = tuple(
                Tier(
                    to_decimal(t["min"]),
                    _fraction(t["fraction"], _what(gettext_noop("the tier fraction"))),
                )
                for t in data.get("tiers") or []
            )
            _descending(tiers, "min", _what(gettext_noop("the tiers")))
            return Tiers(_name(data, "input"), tiers, _optional_name(data, "denominator"))
        if kind == "count_steps":
            steps = tuple(
                Step(to_decimal(s["min"]), to_decimal(s["points"])) for s in data.get("steps") or []
            )
            _descending(steps, "min", _what(gettext_noop("the steps")))
            return CountSteps(_name(data, "input"), steps)
        if kind == "relative_best":
            return RelativeBest(_name(data, "input"), _optional_name(data, "denominator"))
        if kind == "formula":
            expression = str(data.get("expression") or "")
            formula.parse(expression)
            return Formula(expression)
        if kind == "half_credits":
            parts = tuple(
                Part(str(p["input"]), _fraction(p["share"], _what(gettext_noop("the share"))))
                for p in data.get("parts") or []
            )
            if not parts or sum((p.share for p in parts), ZERO) != ONE:
                raise RuleError(gettext_noop("the shares of the parts must add up to 1"))
            return HalfCredits(parts)
        if kind == "manual":
            return Manual(_optional_name(data, "input") or MANUAL_INPUT)
    except formula.FormulaError as exc:
        raise RuleError(gettext_noop("formula: %(reason)s"), reason=exc) from exc
    except (KeyError, TypeError, ValueError) as exc:
        if isinstance(exc, RuleError):
            raise
        raise RuleError(
            gettext_noop("invalid parameters for %(kind)s: %(reason)s"), kind=kind, reason=exc
        ) from exc
    raise RuleError(gettext_noop("unknown rule kind: %(kind)s"), kind=kind)


RULE_KINDS = (
    "yes_no", "level", "ratio", "ratio_target", "count_target", "tiers", "count_steps",
    "relative_best", "formula", "half_credits", "manual",
)  # fmt: skip

__all__ = ["RULE_KINDS", "Outcome", "Rule", "RuleError", "Value", "parse_rule"]
