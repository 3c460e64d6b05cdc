"""Score one unit: leaves by their rules, parents as sums, index values.

Not applicable indicators leave both the points and the maximum, so a unit
without administrative procedures is scored out of 750 or 800 and compared
with others by index (DOMAIN.md §1).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from typing import NamedTuple

from dtis.scoring.numbers import POINTS, ZERO, clamp, round_index
from dtis.scoring.rules import Outcome, RelativeBest, Rule, Value
from dtis.scoring.tree import Band, Framework, Indicator, Pillar

Figures = Mapping[str, Mapping[str, Value]]  # indicator code -> input name -> value


class Explanation:
    """Which rule, which inputs, which numbers: "10 × min(1, (45 / 50) / 0.8) = 10.00".

    `notes` are codes the UI translates (see dtis.scoring.rules, plus
    "clamped" and "not_applicable"). The text is built when first read.
    """

    __slots__ = ("_text", "inputs", "notes", "rule")

    def __init__(
        self,
        rule: str,
        text: str | Callable[[], str],
        inputs: Mapping[str, Value],
        notes: tuple[str, ...] = (),
    ) -> None:
        self.rule = rule  # rule kind, "sum" for parents, "" when nothing is scored
        self._text = text
        self.inputs = inputs
        self.notes = notes

    @property
    def text(self) -> str:
        if callable(self._text):
            self._text = self._text()
        return self._text

    def __repr__(self) -> str:
        return f"Explanation({self.rule!r}, {self.text!r}, {self.notes!r})"


class LeafExplanation(NamedTuple):
    """The same, for a leaf, built from what scoring already had in hand.

    Scoring a country makes millions of these and reads a handful, so it
    keeps references only and works everything out when asked.
    """

    source: Rule
    values: Mapping[str, Value]
    outcome: Outcome
    points: Decimal
    notes: tuple[str, ...]

    @property
    def rule(self) -> str:
        return self.source.kind_name

    @property
    def text(self) -> str:
        # "=" after arithmetic; "→" when a figure was missing or unusable.
        joiner = " → " if set(self.outcome.notes) & _UNUSABLE else " = "
        return f"{self.outcome.text}{joiner}{self.points}"

    @property
    def inputs(self) -> dict[str, Value]:
        return {name: self.values.get(name) for name in self.source.sorted_inputs}


class Score(NamedTuple):
    """One indicator's result for one unit (a tuple: millions are made per run)."""

    code: str
    points: Decimal
    max_points: Decimal
    applicable: bool
    explanation: Explanation | LeafExplanation

    @property
    def index_value(self) -> Decimal | None:
        """points / max to 4 decimals; None when nothing here counts (max 0)."""
        if self.max_points <= 0:
            return None
        return round_index(self.points / self.max_points)

    @property
    def lost(self) -> Decimal:
        return self.max_points - self.points


@dataclass(frozen=True)
class UnitResult:
    framework: Framework
    scores: Mapping[str, Score]

    @property
    def total(self) -> Score:
        points = sum((self.scores[m.code].points for m in self.framework.indicators), ZERO)
        maximum = sum((self.scores[m.code].max_points for m in self.framework.indicators), ZERO)
        return Score("", points, maximum, maximum > 0, Explanation("sum", "", {}))

    def main(self) -> list[Score]:
        return [self.scores[m.code] for m in self.framework.indicators]

    def pillar_index(self, pillar: Pillar) -> Decimal | None:
        points = sum((self.scores[c].points for c in pillar.indicators), ZERO)
        maximum = sum((self.scores[c].max_points for c in pillar.indicators), ZERO)
        return round_index(points / maximum) if maximum > 0 else None

    def band(self) -> Band | None:
        return classify(self.framework.bands, self.total.points, self.total.max_points)


def classify(bands: Iterable[Band], points: Decimal, maximum: Decimal) -> Band | None:
    """The first band (highest first) whose threshold the percentage reaches."""
    if maximum <= 0:
        return None
    percent = points * 100 / maximum
    return next((b for b in bands if percent >= b.min_percent), None)


def score_unit(
    framework: Framework,
    figures: Figures,
    *,
    not_applicable: Iterable[str] = (),
    peer_best: Mapping[str, Decimal] | None = None,
) -> UnitResult:
    na = set(not_applicable)
    best = peer_best or {}
    order = framework.pre_order()
    if na:  # a not-applicable parent takes its whole subtree with it
        for ind, parent in order:
            if parent in na:
                na.add(ind.code)
    scores: dict[str, Score] = {}
    figures_get, best_get = figures.get, best.get
    # Reversed pre-order visits every child before its parent, as sums need.
    for ind, _parent in reversed(order):
        code = ind.code
        if ind.children:
            scores[code] = _sum(ind, [scores[c.code] for c in ind.children], code in na)
            continue
        if code in na:
            scores[code] = Score(code, ZERO, ZERO, False, _NOT_APPLICABLE)
            continue
        rule, maximum = ind.rule, ind.max_points
        if rule is None:  # a 0-point indicator (smart city in 2025): nothing to score
            scores[code] = Score(code, ZERO, maximum, True, _NOTHING)
            continue
        values = figures_get(code, _EMPTY)
        outcome = rule.evaluate(values, maximum, best_get(code))
        points = outcome.points.quantize(POINTS, rounding=ROUND_HALF_UP)
        notes = outcome.notes
        if not ZERO <= points <= maximum:
            points, notes = clamp(points, ZERO, maximum), (*notes, "clamped")
        # tuple.__new__ directly: the generated NamedTuple constructors are
        # Python functions, and this line runs for every unit × indicator.
        explanation = _new(LeafExplanation, (rule, values, outcome, points, notes))
        scores[code] = _new(Score, (code, points, maximum, True, explanation))
    return UnitResult(framework, scores)


_EMPTY: Mapping[str, Value] = {}
_NOT_APPLICABLE = Explanation("", "", {}, ("not_applicable",))
_NOTHING = Explanation("", "", {})
_new = tuple.__new__
_UNUSABLE = {"missing", "zero_denominator", "no_peer_value", "formula_error"}


def _sum(ind: Indicator, children: list[Score], skipped: bool) -> Score:
    counted = [c for c in children if c.applicable]
    applicable = bool(counted) and not skipped
    points = maximum = ZERO
    for child in counted:
        points += child.points
        maximum += child.max_points
    return Score(
        ind.code,
        points,
        maximum,
        applicable,
        Explanation(
            "sum" if applicable else "",
            lambda: " + ".join(c.code for c in counted),
            {},
            () if applicable else ("not_applicable",),
        ),
    )


def adjust(result: UnitResult, leaf_points: Mapping[str, Decimal]) -> UnitResult:
    """The same result with some leaves' points replaced, parents summed again.

    The appraisal council corrects leaves; a main indicator's and the total's
    points follow. A replacement is clamped to [0, the leaf's max] like any
    rule's points; a not-applicable leaf stays not applicable, whatever the
    replacement says, because its maximum is not counted either.
    """
    if not leaf_points:
        return result
    scores = dict(result.scores)
    for code, points in leaf_points.items():
        old = scores[code]
        if not old.applicable:
            continue
        points = clamp(points, ZERO, old.max_points).quantize(POINTS, rounding=ROUND_HALF_UP)
        explanation = Explanation("adjusted", str(points), {})
        scores[code] = _new(Score, (code, points, old.max_points, True, explanation))
    # tuple.__new__ rather than `_replace`, as in score_unit: a national
    # recompute adjusts every unit twice.
    for ind, _parent in reversed(result.framework.pre_order()):
        if ind.children:
            points = ZERO
            for child in ind.children:
                score = scores[child.code]
                if score.applicable:
                    points += score.points
            old = scores[ind.code]
            scores[ind.code] = _new(
                Score, (old.code, points, old.max_points, old.applicable, old.explanation)
            )
    return UnitResult(result.framework, scores)


def peer_best(framework: Framework, figures_by_unit: Iterable[Figures]) -> dict[str, Decimal]:
    """The best value among peers for every relative-to-best indicator."""
    rules = {i.code: i.rule for i in framework.leaves() if isinstance(i.rule, RelativeBest)}
    best: dict[str, Decimal] = {}
    for figures in figures_by_unit:
        for code, rule in rules.items():
            value = rule.value(figures.get(code, {}))
            if value is not None and (code not in best or value > best[code]):
                best[code] = value
    return best
