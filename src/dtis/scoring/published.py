"""Check results the ministry published: recompute totals, pillars and ranks.

A published row gives one index value (0…1) per main indicator. The total is
Σ max × index / Σ max over the scored main indicators; a pillar's index the
same over its main indicators. A row is flagged when its published total
differs from the recomputed one by more than 0.0001, or its rank differs.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal

from dtis.scoring.numbers import ZERO, round_index
from dtis.scoring.ranking import rank
from dtis.scoring.tree import Framework

TOLERANCE = Decimal("0.0001")


@dataclass(frozen=True)
class PublishedRow:
    unit: str
    indices: Mapping[str, Decimal]  # main indicator code -> index value
    total: Decimal | None = None
    rank: int | None = None


@dataclass(frozen=True)
class CheckedRow:
    row: PublishedRow
    total: Decimal  # recomputed, 4 decimals
    exact_total: Decimal  # recomputed, unrounded (the tolerance is applied to it)
    rank: int
    pillars: Mapping[str, Decimal]

    @property
    def total_mismatch(self) -> bool:
        published = self.row.total
        return published is not None and abs(self.exact_total - published) > TOLERANCE

    @property
    def rank_mismatch(self) -> bool:
        return self.row.rank is not None and self.row.rank != self.rank

    @property
    def mismatch(self) -> bool:
        return self.total_mismatch or self.rank_mismatch


def weighted(framework: Framework, indices: Mapping[str, Decimal], codes: Sequence[str]) -> Decimal:
    weights = {m.code: m.max_points for m in framework.scored_main if m.code in codes}
    total_weight = sum(weights.values(), ZERO)
    if total_weight == 0:
        return ZERO
    return sum((w * indices.get(c, ZERO) for c, w in weights.items()), ZERO) / total_weight


def check(framework: Framework, rows: Sequence[PublishedRow]) -> list[CheckedRow]:
    """Recompute every row, rank them (ties share a rank), best first."""
    all_main = [m.code for m in framework.scored_main]
    exact = {id(r): weighted(framework, r.indices, all_main) for r in rows}
    ranked = rank(rows, lambda r: round_index(exact[id(r)]), lambda r: r.unit)
    return [
        CheckedRow(
            row=item.item,
            total=round_index(exact[id(item.item)]),
            exact_total=exact[id(item.item)],
            rank=item.rank,
            pillars={
                p.name: round_index(weighted(framework, item.item.indices, p.indicators))
                for p in framework.pillars
            },
        )
        for item in ranked
    ]
