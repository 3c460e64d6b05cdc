"""The plan solver on the seeds' cases: the score a target asks for, the gap,
where the missing points come from, and an honest "out of reach"."""

from __future__ import annotations

from decimal import Decimal as D

import pytest
from hypothesis import given
from hypothesis import strategies as st

from dtis.scoring.solver import (
    Room,
    by_priority,
    mains_in_top,
    points_for_rank,
    rank_among,
    solve,
)

# Seed 000: Sở KH&CN Ninh Thuận, 420/500 in 2022, 15th of 20 departments.
NINH_THUAN = [
    Room("1", D("70"), D("80")),  # 10 to recover
    Room("2", D("60"), D("80"), effort=3),  # 20, hard
    Room("3", D("95"), D("100")),  # 5
    Room("4", D("120"), D("140"), effort=1),  # 20, easy
    Room("5", D("75"), D("100")),  # 25
]
NINH_THUAN_PEERS = [D(t) for t in (
    478, 470, 466, 461, 455, 452, 447, 444, 441, 438, 433, 430, 428, 425,  # above it
    415, 410, 402, 396, 388,  # below it
)]  # fmt: skip


def test_the_seed_000_unit_is_15th_with_420():
    assert sum(r.points for r in NINH_THUAN) == D(420)
    assert rank_among(NINH_THUAN_PEERS, D(420)) == 15


def test_420_to_430_is_a_gap_of_10_given_to_the_highest_priority_first():
    solution = solve(NINH_THUAN, D(420), D(430))
    assert solution.gap == D(10) and solution.reachable
    # Easy 20 (priority 20) before 25 at usual effort (12.5): 4 takes all ten.
    assert [(s.room.code, s.allocated) for s in solution.shares if s.allocated] == [("4", D(10))]
    assert solution.allocated == D(10)


def test_the_upper_end_440_spreads_over_two_indicators():
    solution = solve(NINH_THUAN, D(420), D(440))
    assert [(s.room.code, s.allocated) for s in solution.shares if s.allocated] == [
        ("4", D(20)),
    ]
    solution = solve(NINH_THUAN, D(420), D(441))
    assert [(s.room.code, s.allocated) for s in solution.shares if s.allocated] == [
        ("4", D(20)),
        ("5", D(1)),
    ]


def test_top_10_of_20_needs_the_10th_best_peer_total():
    needed = points_for_rank(NINH_THUAN_PEERS, 10)
    assert needed == D(438)
    assert rank_among(NINH_THUAN_PEERS, needed) == 10  # a tie shares the rank
    solution = solve(NINH_THUAN, D(420), needed)
    assert solution.gap == D(18) and solution.reachable
    assert rank_among(NINH_THUAN_PEERS, D(420) + solution.allocated) <= 10


def test_first_place_is_out_of_reach_and_says_by_how_much():
    solution = solve(NINH_THUAN, D(420), points_for_rank(NINH_THUAN_PEERS, 1) + D(30))
    assert not solution.reachable
    # Every point a year can win back: 20 (easy) + 18,75 + 7,5 + 3,75 (usual) + 10 (hard).
    assert solution.allocated == D(60)
    assert solution.shortfall == D(88) - D(60)
    assert all(s.allocated == s.room.attainable for s in solution.shares)


def test_no_indicator_is_given_more_than_a_year_can_win_back_on_it():
    solution = solve(NINH_THUAN, D(420), D(475))
    given = {s.room.code: s.allocated for s in solution.shares}
    # Priority (recoverable ÷ effort): 4 (20), 5 (12,5), 2 (6,67), 1 (5), 3 (2,5).
    assert list(given) == ["4", "5", "2", "1", "3"]
    assert given == {"4": D(20), "5": D("18.75"), "2": D(10), "1": D("6.25"), "3": D(0)}
    assert all(s.allocated <= s.room.attainable <= s.room.recoverable for s in solution.shares)


def test_a_target_already_reached_leaves_nothing_to_allocate():
    solution = solve(NINH_THUAN, D(420), D(400))
    assert solution.gap == 0 and solution.reachable and solution.allocated == 0


def test_with_fewer_peers_than_the_rank_any_total_will_do():
    assert points_for_rank([D(10), D(9)], 5) == 0
    with pytest.raises(ValueError):
        points_for_rank([D(10)], 0)


# Seed 002: Khánh Hòa, ≥ 800/1000 and the top 20 of the provinces in 2025.
def test_khanh_hoa_needs_the_higher_of_800_points_and_the_20th_place():
    peers = [D(900) - D(6) * n for n in range(33)]  # 900, 894, … 708
    for_rank = points_for_rank(peers, 20)
    assert for_rank == D(786)
    target = max(D(800), for_rank)
    rooms = [Room(str(n), D(95), D(125)) for n in range(1, 9)]  # 760 of 1000
    solution = solve(rooms, D(760), target)
    assert solution.gap == D(40) and solution.reachable
    assert rank_among(peers, D(760) + solution.allocated) <= 20


def test_khanh_hoa_top_10_in_one_year_from_760_is_out_of_reach():
    peers = [D(990) - D(2) * n for n in range(33)]  # a strong field at the top
    rooms = [Room(str(n), D(95), D(125)) for n in range(1, 9)]  # 240 lost, 180 a year
    solution = solve(rooms, D(760), points_for_rank(peers, 10))
    assert solution.gap == D(212)
    assert not solution.reachable and solution.shortfall == D(32)


def test_easy_indicators_come_before_bigger_hard_ones_and_ties_keep_order():
    rooms = [
        Room("a", D(0), D(30), effort=3),  # 10 per unit of effort
        Room("b", D(0), D(12), effort=1),  # 12
        Room("c", D(0), D(20)),  # 10
        Room("d", D(5), D(5)),  # nothing to recover
    ]
    assert [r.code for r in by_priority(rooms)] == ["b", "a", "c"]


def test_an_unknown_effort_is_refused():
    with pytest.raises(ValueError):
        Room("1", D(1), D(2), effort=5)


# "≥ 4 of the 8 main indicators in the national top 10" (seed 002).
def test_three_of_eight_in_the_top_10_points_to_the_nearest_main_indicator():
    own = {str(n): D("0.70") + D("0.01") * n for n in range(1, 9)}  # 0.71 … 0.78
    line = {  # the 10th best peer's index on each main indicator
        "1": D("0.60"), "2": D("0.65"), "3": D("0.72"),  # in: 3 of 8
        "4": D("0.80"), "5": D("0.76"), "6": D("0.90"), "7": D("0.79"), "8": D("0.85"),
    }  # fmt: skip
    peers = {
        code: [value + D("0.01") * n for n in range(9)] + [value] for code, value in line.items()
    }
    answer = mains_in_top(own, peers, top=10, wanted=4)
    assert [m.code for m in answer.in_top] == ["1", "2", "3"]
    assert answer.missing == 1 and not answer.reached
    assert [m.code for m in answer.to_work_on] == ["5"]  # 0.75 against 0.76
    assert answer.closest[0].distance == D("0.01")
    assert [m.code for m in answer.closest[:3]] == ["5", "7", "4"]


@given(
    st.lists(st.tuples(st.integers(0, 50), st.integers(0, 50), st.integers(1, 3)), max_size=12),
    st.integers(0, 400),
)
def test_the_allocation_never_exceeds_the_gap_nor_any_room(rows, target):
    rooms = [Room(str(n), D(min(p, m)), D(m), e) for n, (p, m, e) in enumerate(rows)]
    current = sum((r.points for r in rooms), D(0))
    solution = solve(rooms, current, D(target))
    assert solution.allocated <= solution.gap
    assert all(D(0) <= s.allocated <= s.room.attainable for s in solution.shares)
    assert solution.reachable == (sum((r.attainable for r in rooms), D(0)) >= solution.gap)
