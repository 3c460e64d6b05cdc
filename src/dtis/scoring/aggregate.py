"""Score one unit: leaves by their rules, parents as sums, index values.

Not applicable indicators leave both the points and the maximum, so a unit
without administrative procedures is scored out of 750 or 800 and compared
with others by index (DOMAIN.md §1).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from decimal import Decimal

from dtis.scoring.numbers import ZERO, clamp, round_index, round_points
from dtis.scoring.rules import RelativeBest, Value
from dtis.scoring.tree import Band, Framework, Indicator, Pillar

Figures = Mapping[str, Mapping[str, Value]]  # indicator code -> input name -> value


@dataclass(frozen=True)
class Explanation:
    rule: str  # rule kind, "sum" for parents, "" when not applicable
    text: str  # the arithmetic, e.g. "10 × 45 / 50"
    inputs: Mapping[str, Value]
    notes: tuple[str, ...] = ()  # see dtis.scoring.rules; plus "clamped", "not_applicable"


@dataclass(frozen=True)
class Score:
    code: str
    points: Decimal
    max_points: Decimal
    applicable: bool
    explanation: Explanation

    @property
    def index(self) -> Decimal | None:
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
    scores: dict[str, Score] = {}
    for main in framework.indicators:
        _score(main, figures, na, peer_best or {}, scores, inherited_na=False)
    return UnitResult(framework, scores)


def _score(
    ind: Indicator,
    figures: Figures,
    na: set[str],
    best: Mapping[str, Decimal],
    out: dict[str, Score],
    *,
    inherited_na: bool,
) -> Score:
    not_applicable = inherited_na or ind.code in na
    if ind.children:
        children = [
            _score(c, figures, na, best, out, inherited_na=not_applicable) for c in ind.children
        ]
        counted = [c for c in children if c.applicable]
        applicable = bool(counted) and not not_applicable
        score = Score(
            ind.code,
            sum((c.points for c in counted), ZERO),
            sum((c.max_points for c in counted), ZERO),
            applicable,
            Explanation("sum" if applicable else "", " + ".join(c.code for c in counted), {},
                        () if applicable else ("not_applicable",)),
        )  # fmt: skip
    elif not_applicable:
        score = Score(ind.code, ZERO, ZERO, False, Explanation("", "", {}, ("not_applicable",)))
    else:
        score = _score_leaf(ind, figures.get(ind.code, {}), best.get(ind.code))
    out[ind.code] = score
    return score


def _score_leaf(ind: Indicator, values: Mapping[str, Value], best: Decimal | None) -> Score:
    if ind.rule is None:  # a 0-point indicator (smart city in 2025): nothing to score
        return Score(ind.code, ZERO, ind.max_points, True, Explanation("", "", {}))
    outcome = ind.rule.evaluate(values, ind.max_points, best)
    points = round_points(clamp(outcome.points, ZERO, ind.max_points))
    notes = outcome.notes
    if points != round_points(outcome.points):
        notes = (*notes, "clamped")
    used = {name: values.get(name) for name in sorted(ind.rule.input_names())}
    explanation = Explanation(ind.rule.to_dict()["kind"], f"{outcome.text} = {points}", used, notes)
    return Score(ind.code, points, ind.max_points, True, explanation)


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
