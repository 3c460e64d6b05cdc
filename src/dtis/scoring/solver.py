"""How far a unit is from its target, and where the missing points could come
from: the numbers behind next year's improvement plan (DOMAIN.md §3.1).

Ranks are competition ranks, as in `ranking`: a total equal to a peer's
shares its rank. So the total needed for rank r is the r-th best peer total
(best first), and with fewer than r peers any total will do.

The gap is shared out over the indicators below their maximum in order of
priority: the points an indicator can still give, divided by the effort the
office expects to recover them (1 easy, 2 usual, 3 hard). Large losses that
are easy to win back come first. No indicator is given more than one year's
work can win back on it: all of its lost points when easy, three quarters
when usual, half when hard (`YEAR_SHARE`, a planning assumption the office
tunes through the effort it sets), and never more than its maximum. When all
of them together cannot cover the gap, the target is out of reach, and the
answer says so and by how much.

Totals and indices are whatever measure the caller compares in (points of
this framework, or an index); the functions only need them to be the same.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from decimal import Decimal

from dtis.scoring.numbers import ZERO

EFFORTS = (1, 2, 3)  # easy, usual, hard
USUAL_EFFORT = 2
# The share of an indicator's lost points one year's work can win back, by effort.
YEAR_SHARE = {1: Decimal(1), 2: Decimal("0.75"), 3: Decimal("0.5")}


@dataclass(frozen=True)
class Room:
    """An indicator's room to grow: where it stands against its maximum."""

    code: str
    points: Decimal
    max_points: Decimal
    effort: int = USUAL_EFFORT

    def __post_init__(self) -> None:
        if self.effort not in EFFORTS:
            raise ValueError(f"effort must be one of {EFFORTS}, not {self.effort}")

    @property
    def recoverable(self) -> Decimal:
        return max(ZERO, self.max_points - self.points)

    @property
    def attainable(self) -> Decimal:
        """What one year's work can win back (`YEAR_SHARE`)."""
        return (self.recoverable * YEAR_SHARE[self.effort]).quantize(Decimal("0.01"))

    @property
    def priority(self) -> Decimal:
        return self.recoverable / self.effort


@dataclass(frozen=True)
class Share:
    """The part of the gap given to one indicator (zero once the gap is covered)."""

    room: Room
    allocated: Decimal


@dataclass(frozen=True)
class Solution:
    current: Decimal
    target: Decimal
    shares: tuple[Share, ...] = field(default_factory=tuple)

    @property
    def gap(self) -> Decimal:
        """Points missing to the target (zero when already reached)."""
        return max(ZERO, self.target - self.current)

    @property
    def allocated(self) -> Decimal:
        return sum((s.allocated for s in self.shares), ZERO)

    @property
    def shortfall(self) -> Decimal:
        """What even every attainable point would leave missing."""
        return max(ZERO, self.gap - self.allocated)

    @property
    def reachable(self) -> bool:
        return self.shortfall == ZERO


def by_priority(rooms: Sequence[Room]) -> list[Room]:
    """Indicators below their maximum, highest priority first; ties keep the
    order given (the framework's order)."""
    below = [(n, r) for n, r in enumerate(rooms) if r.recoverable > ZERO]
    below.sort(key=lambda pair: (-pair[1].priority, -pair[1].recoverable, pair[0]))
    return [r for _n, r in below]


def points_for_rank(peer_totals: Sequence[Decimal], rank: int) -> Decimal:
    """The least total that places a unit at `rank` or better among its peers
    (the other units, without it)."""
    if rank < 1:
        raise ValueError("a rank starts at 1")
    ordered = sorted(peer_totals, reverse=True)
    return ordered[rank - 1] if len(ordered) >= rank else ZERO


def rank_among(peer_totals: Sequence[Decimal], total: Decimal) -> int:
    """The rank a total would take among the peers (ties share it)."""
    return 1 + sum(1 for t in peer_totals if t > total)


def solve(rooms: Sequence[Room], current: Decimal, target: Decimal) -> Solution:
    """Share the gap between `current` and `target` over the rooms."""
    remaining = max(ZERO, target - current)
    shares = []
    for room in by_priority(rooms):
        take = min(room.attainable, remaining)
        shares.append(Share(room, take))
        remaining -= take
    return Solution(current, target, tuple(shares))


@dataclass(frozen=True)
class MainLine:
    """One main indicator against the top-n line of its peers."""

    code: str
    value: Decimal | None  # the unit's index on it (None: not known)
    line: Decimal  # the value that reaches the top n (the n-th best peer's)
    rank: int | None

    @property
    def in_top(self) -> bool:
        return self.value is not None and self.value >= self.line

    @property
    def distance(self) -> Decimal | None:
        """How far below the line (zero when in the top n)."""
        return None if self.value is None else max(ZERO, self.line - self.value)


@dataclass(frozen=True)
class MainsAnswer:
    """ "At least k of the n main indicators in the top t": where it stands."""

    wanted: int
    top: int
    lines: tuple[MainLine, ...]

    @property
    def in_top(self) -> list[MainLine]:
        return [m for m in self.lines if m.in_top]

    @property
    def missing(self) -> int:
        return max(0, self.wanted - len(self.in_top))

    @property
    def closest(self) -> list[MainLine]:
        """The main indicators not yet in the top, nearest to the line first."""
        out = [m for m in self.lines if not m.in_top and m.distance is not None]
        return sorted(out, key=lambda m: (m.distance or ZERO, m.code))

    @property
    def to_work_on(self) -> list[MainLine]:
        """The nearest ones, as many as are missing."""
        return self.closest[: self.missing]

    @property
    def reached(self) -> bool:
        return self.missing == 0


def mains_in_top(
    own: dict[str, Decimal | None],
    peers: dict[str, Sequence[Decimal]],
    *,
    top: int,
    wanted: int,
) -> MainsAnswer:
    """Each main indicator's value (`own`) against its peers' values."""
    lines = []
    for code, value in own.items():
        others = peers.get(code, ())
        line = points_for_rank(others, top)
        rank = None if value is None else rank_among(others, value)
        lines.append(MainLine(code, value, line, rank))
    return MainsAnswer(wanted, top, tuple(lines))
