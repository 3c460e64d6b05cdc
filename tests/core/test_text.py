"""Accent-insensitive matching and Vietnamese alphabetical order."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from dtis.core.text import fold, vi_sort_key


def test_fold_drops_every_diacritic_including_dd():
    assert fold("Sở Khoa học và Công nghệ ĐÀ NẴNG") == "so khoa hoc va cong nghe da nang"


def test_fold_squeezes_spaces():
    assert fold("  Xã   Diên\tKhánh ") == "xa dien khanh"


def test_dictionary_order_compares_letters_before_tones():
    names = ["Đồng Nai", "Ăn Phú", "Bắc Ninh", "Ân Thi", "An Giang", "Dak Lak", "Ba Vì", "Bà Rịa"]
    assert sorted(names, key=vi_sort_key) == [
        "An Giang", "Ăn Phú", "Ân Thi", "Bà Rịa", "Ba Vì", "Bắc Ninh", "Dak Lak", "Đồng Nai",
    ]  # fmt: skip


def test_tones_only_break_ties_between_the_same_letters():
    assert sorted(["Hóa", "Hòa", "Hoa", "Họa", "Hỏa", "Hõa"], key=vi_sort_key) == [
        "Hoa", "Hòa", "Hỏa", "Hõa", "Hóa", "Họa",
    ]  # fmt: skip


def test_a_word_sorts_before_longer_words_that_start_with_it():
    assert sorted(["Ơn", "Ơ 1", "Ở", "Ơ"], key=vi_sort_key) == ["Ơ", "Ở", "Ơ 1", "Ơn"]


@given(st.text(alphabet="aăâbcdđeêghiklmnoôơpqrstuưvxyàảãáạ ", max_size=30))
def test_the_sort_key_holds_only_digits(text: str):
    assert vi_sort_key(text).isdigit()


@given(st.text(max_size=40))
def test_fold_is_idempotent(text: str):
    assert fold(fold(text)) == fold(text)
