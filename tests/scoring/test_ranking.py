"""Ranking: ties share a rank, the next rank is skipped, names only order ties."""

from __future__ import annotations

import random
from decimal import Decimal as D

from hypothesis import given
from hypothesis import strategies as st

from dtis.scoring.ranking import rank


def ranks(values: dict[str, str]) -> list[tuple[int, str]]:
    items = list(values.items())
    return [(r.rank, r.item[0]) for r in rank(items, lambda i: D(i[1]), lambda i: i[0])]


def test_ties_share_a_rank_and_the_next_is_skipped():
    assert ranks(
        {"Lạng Sơn": "0.71", "Yên Bái": "0.70", "Thanh Hóa": "0.70", "Hậu Giang": "0.69"}
    ) == [
        (1, "Lạng Sơn"),
        (2, "Thanh Hóa"),
        (2, "Yên Bái"),
        (4, "Hậu Giang"),
    ]


def test_tied_units_are_listed_in_vietnamese_order():
    result = ranks({"Đồng Nai": "0.5", "Điện Biên": "0.5", "Đà Nẵng": "0.5", "Bắc Ninh": "0.5"})
    assert [name for _, name in result] == ["Bắc Ninh", "Đà Nẵng", "Điện Biên", "Đồng Nai"]


def test_units_without_a_value_come_last_unranked():
    items = [("Cà Mau", D("0.4")), ("Bạc Liêu", None)]
    result = rank(items, lambda i: i[1], lambda i: i[0])
    assert [(r.rank, r.item[0]) for r in result] == [(1, "Cà Mau"), (0, "Bạc Liêu")]


values = st.lists(st.decimals(min_value=0, max_value=1, places=2), min_size=1, max_size=30)


@given(values)
def test_ranks_do_not_depend_on_input_order(scores: list[D]):
    items = [(f"Đơn vị {i}", s) for i, s in enumerate(scores)]
    shuffled = items[:]
    random.Random(7).shuffle(shuffled)
    first = {r.item[0]: r.rank for r in rank(items, lambda i: i[1], lambda i: i[0])}
    second = {r.item[0]: r.rank for r in rank(shuffled, lambda i: i[1], lambda i: i[0])}
    assert first == second


@given(values)
def test_rank_is_one_plus_the_number_of_better_units(scores: list[D]):
    items = [(f"Đơn vị {i}", s) for i, s in enumerate(scores)]
    for r in rank(items, lambda i: i[1], lambda i: i[0]):
        assert r.rank == 1 + sum(1 for _, s in items if s > r.item[1])
