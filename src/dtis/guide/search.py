"""Searching the guide, accent-insensitively: "minh chung" finds "minh chứng",
"dang nhap" finds "Đăng nhập".

Text and query are folded with `dtis.core.text.fold` one character at a time,
so a position in the folded text is a position in the original and the
snippet can mark the words as written. Ranking: a hit in a chapter's title
before one in a section's heading before one in the text; more occurrences
first among equals; then the chapter's order.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from dtis.core.text import fold
from dtis.guide.content import Chapter, Section

SNIPPET_RADIUS = 80
MAX_RESULTS = 30
TITLE, HEADING, TEXT, WORDS = 400, 300, 200, 100


@dataclass(frozen=True)
class Hit:
    chapter: Chapter
    section: Section | None  # None: the chapter itself (its title or introduction)
    score: int
    snippet: SafeString


def folded_with_map(text: str) -> tuple[str, list[int]]:
    """`fold` character by character: the folded text and, for each of its
    characters, the index of the original character it came from."""
    text = unicodedata.normalize("NFC", text)
    out: list[str] = []
    where: list[int] = []
    for i, ch in enumerate(text):
        piece = " " if ch.isspace() else fold(ch)
        for p in piece:
            out.append(p)
            where.append(i)
    return "".join(out), where


def normalise_query(query: str) -> str:
    return fold(query)[:200]


def search(chapters: tuple[Chapter, ...], query: str) -> list[Hit]:
    q = normalise_query(query)
    if not q:
        return []
    words = q.split()
    hits: list[Hit] = []
    for order, ch in enumerate(chapters):
        title_hits = fold(ch.title).count(q)
        if title_hits:
            text = ch.intro or (ch.sections[0].text if ch.sections else ch.title)
            hits.append(Hit(ch, None, TITLE + title_hits - order, snippet(text, q, words)))
        elif ch.intro and (n := _count(ch.intro, q, words)):
            hits.append(Hit(ch, None, n[0] + n[1] - order, snippet(ch.intro, q, words)))
        for section in ch.sections:
            heading = fold(section.title)
            if q in heading or any(q in fold(step) for step in section.steps):
                score = HEADING + (q in heading) * 5 + min(fold(section.text).count(q), 50)
                hits.append(Hit(ch, section, score - order, snippet(section.text, q, words)))
            elif n := _count(section.text, q, words):
                hits.append(Hit(ch, section, n[0] + n[1] - order, snippet(section.text, q, words)))
    hits.sort(key=lambda h: -h.score)
    return hits[:MAX_RESULTS]


def _count(text: str, q: str, words: list[str]) -> tuple[int, int] | None:
    """(rank, occurrences) of the phrase in the text, or of all its words apart."""
    folded = fold(text)
    n = folded.count(q)
    if n:
        return TEXT, min(n, 50)
    if len(words) > 1 and all(w in folded for w in words):
        return WORDS, min(sum(folded.count(w) for w in words), 50)
    return None


def snippet(text: str, q: str, words: list[str] | None = None) -> SafeString:
    """About `SNIPPET_RADIUS` characters either side of the first match, the
    match wrapped in <mark> (the text escaped)."""
    text = unicodedata.normalize("NFC", text)
    folded, where = folded_with_map(text)
    start = folded.find(q)
    length = len(q)
    if start < 0:
        for w in words or ():
            start = folded.find(w)
            if start >= 0:
                length = len(w)
                break
    if start < 0:
        cut = text[: 2 * SNIPPET_RADIUS]
        return mark_safe(escape(cut) + ("…" if len(text) > len(cut) else ""))
    a, b = where[start], where[start + length - 1] + 1
    left = max(0, a - SNIPPET_RADIUS)
    right = min(len(text), b + SNIPPET_RADIUS)
    # Whole words at the edges.
    if left > 0:
        space = text.find(" ", left, a)
        left = space + 1 if space >= 0 else left
    if right < len(text):
        space = text.rfind(" ", b, right)
        right = space if space >= 0 else right
    return mark_safe(
        ("…" if left > 0 else "")
        + escape(text[left:a])
        + "<mark>"
        + escape(text[a:b])
        + "</mark>"
        + escape(text[b:right])
        + ("…" if right < len(text) else "")
    )
