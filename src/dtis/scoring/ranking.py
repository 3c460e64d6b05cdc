"""Ranking within a peer group: ties share a rank and the next rank is skipped.

0.71, 0.70, 0.70, 0.69 → 1, 2, 2, 4 (the published 2022 ranking has …14,
15, 15, 17…). Among tied units the display order is by Vietnamese name; it
never changes the rank.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Generic, TypeVar

from dtis.core.text import vi_sort_key

T = TypeVar("T")


@dataclass(frozen=True)
class Ranked(Generic[T]):
    rank: int
    item: T


def rank(
    items: Sequence[T], value: Callable[[T], Decimal | None], name: Callable[[T], str]
) -> list[Ranked[T]]:
    """Best first. Items without a value come last, unranked (rank 0)."""
    with_value = [i for i in items if value(i) is not None]
    without = [i for i in items if value(i) is None]
    ordered = sorted(with_value, key=lambda i: (-value(i), vi_sort_key(name(i))))  # type: ignore[operator]
    ranked: list[Ranked[T]] = []
    for position, item in enumerate(ordered, start=1):
        if ranked and value(item) == value(ranked[-1].item):
            ranked.append(Ranked(ranked[-1].rank, item))
        else:
            ranked.append(Ranked(position, item))
    ranked.extend(Ranked(0, i) for i in sorted(without, key=lambda i: vi_sort_key(name(i))))
    return ranked
