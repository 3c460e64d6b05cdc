"""Searching the guide: accent-insensitive, ranked, with a marked snippet."""

from __future__ import annotations

from dtis.guide import content
from dtis.guide.search import folded_with_map, search, snippet


def _where(hits):  # type: ignore[no-untyped-def]
    return [(h.chapter.slug, h.section.title if h.section else None) for h in hits]


def test_minh_chung_finds_minh_chung_with_its_accents():
    hits = search(content.chapters(), "minh chung")
    assert _where(hits)[0] == ("02-nguoi-bao-cao", "Minh chứng")  # the heading outranks the text
    assert "<mark>minh chứng</mark>" in hits[0].snippet.lower()


def test_dang_nhap_finds_dang_nhap_and_the_title_ranks_first():
    hits = search(content.chapters(), "dang nhap")
    assert ("01-bat-dau", "Đăng nhập") in _where(hits)
    assert "<mark>" in str(hits[0].snippet)
    # "Đăng nhập" is a heading in chapter 01: before any hit in running text.
    assert _where(hits)[0] == ("01-bat-dau", "Đăng nhập")


def test_a_title_hit_comes_before_heading_and_text_hits():
    hits = search(content.chapters(), "nguoi bao cao")
    assert _where(hits)[0] == ("02-nguoi-bao-cao", None)
    assert hits[0].score > max(h.score for h in hits[1:])


def test_capital_d_with_stroke_folds_to_d():
    assert folded_with_map("Đ")[0] == "d"
    hits = search(content.chapters(), "ĐĂNG NHẬP")
    assert hits and hits[0].chapter.slug == "01-bat-dau"


def test_words_apart_still_match_below_the_phrase():
    hits = search(content.chapters(), "thu truong chi so")
    assert ("02-nguoi-bao-cao", "Gửi thủ trưởng") in _where(hits)


def test_nothing_for_an_empty_or_unknown_query():
    assert search(content.chapters(), "   ") == []
    assert search(content.chapters(), "xyzzy") == []


def test_the_snippet_is_about_80_characters_either_side_and_escaped():
    text = ("a " * 100) + "<b>Đăng nhập</b> " + ("z " * 100)
    out = str(snippet(text, "dang nhap"))
    assert "<mark>Đăng nhập</mark>" in out
    assert "&lt;b&gt;" in out and "<b>" not in out
    assert out.startswith("…") and out.endswith("…")
    assert 150 <= len(out.replace("<mark>", "").replace("</mark>", "")) <= 200


def test_positions_survive_folding():
    folded, where = folded_with_map("Sở  Khoa học")
    assert folded == "so  khoa hoc"
    assert len(where) == len(folded)
