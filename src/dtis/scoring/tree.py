"""The framework tree (bộ chỉ số) as plain data, and its validation."""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from decimal import Decimal

from dtis.scoring.messages import Message, gettext_noop
from dtis.scoring.numbers import ZERO
from dtis.scoring.rules import CountSteps, Levels, Rule

CODE_RE = re.compile(r"^\d+(\.\d+)*$")
INPUT_TYPES = ("boolean", "number", "integer", "choice")


@dataclass(frozen=True)
class InputSpec:
    """One figure a unit gives for an indicator (label in Vietnamese)."""

    name: str
    label: str
    type: str = "number"
    unit: str = ""
    choices: tuple[tuple[str, str], ...] = ()  # (value, label)


@dataclass(frozen=True)
class Indicator:
    code: str
    name: str
    max_points: Decimal
    rule: Rule | None = None
    inputs: tuple[InputSpec, ...] = ()
    children: tuple[Indicator, ...] = ()

    @property
    def is_leaf(self) -> bool:
        return not self.children

    def walk(self) -> Iterator[Indicator]:
        yield self
        for child in self.children:
            yield from child.walk()


@dataclass(frozen=True)
class Pillar:
    """A named combination of main indicators with its own index (chính quyền số…)."""

    code: str
    name: str
    indicators: tuple[str, ...]


@dataclass(frozen=True)
class Band:
    """A classification band: units at or above `min_percent` of their max."""

    name: str
    min_percent: Decimal


DEFAULT_BANDS = (
    Band("Xuất sắc", Decimal(90)),
    Band("Tốt", Decimal(80)),
    Band("Khá", Decimal(70)),
    Band("Trung bình", Decimal(50)),
    Band("Yếu", Decimal(0)),
)


@dataclass(frozen=True)
class Framework:
    code: str
    name: str
    indicators: tuple[Indicator, ...]  # the main indicators, in order
    pillars: tuple[Pillar, ...] = ()
    bands: tuple[Band, ...] = DEFAULT_BANDS
    _index: dict[str, Indicator] = field(default_factory=dict, compare=False, repr=False)
    _pre_order: list[tuple[Indicator, str | None]] = field(
        default_factory=list, compare=False, repr=False
    )

    def __post_init__(self) -> None:
        self._index.update({i.code: i for i in self.walk()})

        def visit(ind: Indicator, parent: str | None) -> None:
            self._pre_order.append((ind, parent))
            for child in ind.children:
                visit(child, ind.code)

        for main in self.indicators:
            visit(main, None)

    def pre_order(self) -> list[tuple[Indicator, str | None]]:
        """Every indicator with its parent's code, each parent before its
        children (computed once: scoring walks it for every unit)."""
        return self._pre_order

    def walk(self) -> Iterator[Indicator]:
        for main in self.indicators:
            yield from main.walk()

    def leaves(self) -> Iterator[Indicator]:
        return (i for i in self.walk() if i.is_leaf)

    def get(self, code: str) -> Indicator:
        return self._index[code]

    @property
    def max_points(self) -> Decimal:
        return sum((m.max_points for m in self.indicators), ZERO)

    @property
    def scored_main(self) -> tuple[Indicator, ...]:
        return tuple(m for m in self.indicators if m.max_points > 0)

    @property
    def scored_leaves(self) -> tuple[Indicator, ...]:
        return tuple(i for i in self.leaves() if i.max_points > 0)


@dataclass(frozen=True)
class Problem:
    """A validation problem, located by indicator code ('' for the framework)."""

    code: str
    detail: str | Message

    @property
    def message(self) -> str:
        """The text in the reader's language (rendered when read)."""
        return str(self.detail)


def _problem(code: str, template: str, **params: object) -> Problem:
    return Problem(code, Message(template, **params))


def validate(framework: Framework) -> list[Problem]:
    """Every problem in a framework, so an import can report them all at once."""
    problems: list[Problem] = []
    seen: set[str] = set()
    for main in framework.indicators:
        if "." in main.code:
            problems.append(
                _problem(main.code, gettext_noop("a main indicator's code has no dot (1, 2, …)"))
            )
        _check(main, None, seen, problems)
    for pillar in framework.pillars:
        unknown = [c for c in pillar.indicators if c not in {m.code for m in framework.indicators}]
        if unknown:
            problems.append(
                _problem(
                    "",
                    gettext_noop("pillar %(pillar)s: unknown main indicators %(codes)s"),
                    pillar=pillar.code,
                    codes=", ".join(unknown),
                )
            )
    percents = [b.min_percent for b in framework.bands]
    if percents != sorted(percents, reverse=True) or len(set(percents)) != len(percents):
        problems.append(
            _problem("", gettext_noop("bands must be listed from the highest threshold down"))
        )
    if any(not ZERO <= p <= 100 for p in percents):
        problems.append(
            _problem("", gettext_noop("band thresholds are percentages between 0 and 100"))
        )
    return problems


def _check(ind: Indicator, parent: Indicator | None, seen: set[str], out: list[Problem]) -> None:
    if not CODE_RE.match(ind.code):
        out.append(_problem(ind.code, gettext_noop("the code must look like 1, 1.2 or 1.2.1")))
    elif parent is not None and not ind.code.startswith(parent.code + "."):
        out.append(
            _problem(
                ind.code,
                gettext_noop("the code must start with its parent's code %(parent)s."),
                parent=parent.code,
            )
        )
    if ind.code in seen:
        out.append(_problem(ind.code, gettext_noop("the code is used twice")))
    seen.add(ind.code)
    if not ind.name.strip():
        out.append(_problem(ind.code, gettext_noop("the name is empty")))
    if ind.max_points < 0:
        out.append(_problem(ind.code, gettext_noop("max points cannot be negative")))
    if ind.children:
        total = sum((c.max_points for c in ind.children), ZERO)
        if total != ind.max_points:
            out.append(
                _problem(
                    ind.code,
                    gettext_noop("max points %(max)s ≠ the sum of its children %(sum)s"),
                    max=ind.max_points,
                    sum=total,
                )
            )
        if ind.rule is not None:
            out.append(
                _problem(
                    ind.code, gettext_noop("an indicator with children is scored as their sum")
                )
            )
        for child in ind.children:
            _check(child, ind, seen, out)
        return
    _check_leaf_rule(ind, out)


def check_leaf(ind: Indicator) -> list[Problem]:
    """The problems of one leaf's rule and inputs (used when a draft is edited)."""
    problems: list[Problem] = []
    _check_leaf_rule(ind, problems)
    return problems


def _check_leaf_rule(ind: Indicator, out: list[Problem]) -> None:
    declared = {i.name for i in ind.inputs}
    if len(declared) != len(ind.inputs):
        out.append(_problem(ind.code, gettext_noop("input names must be unique")))
    for spec in ind.inputs:
        if spec.type not in INPUT_TYPES:
            out.append(
                _problem(
                    ind.code,
                    gettext_noop("input %(name)s: unknown type %(type)s"),
                    name=spec.name,
                    type=spec.type,
                )
            )
    if ind.rule is None:
        if ind.max_points > 0:
            out.append(_problem(ind.code, gettext_noop("a scored indicator needs a scoring rule")))
        return
    used = ind.rule.input_names()
    if used - declared:
        out.append(
            _problem(
                ind.code,
                gettext_noop("the rule reads inputs that are not declared: %(names)s"),
                names=", ".join(sorted(used - declared)),
            )
        )
    if declared - used:
        out.append(
            _problem(
                ind.code,
                gettext_noop("inputs not used by the rule: %(names)s"),
                names=", ".join(sorted(declared - used)),
            )
        )
    if isinstance(ind.rule, Levels):
        choice = next((i for i in ind.inputs if i.name == ind.rule.input), None)
        levels = {lv.value for lv in ind.rule.levels}
        if choice is not None and {v for v, _ in choice.choices} != levels:
            out.append(
                _problem(
                    ind.code, gettext_noop("the input's choices must be exactly the rule's levels")
                )
            )
    if isinstance(ind.rule, CountSteps) and any(s.points > ind.max_points for s in ind.rule.steps):
        out.append(_problem(ind.code, gettext_noop("a step gives more points than the maximum")))
