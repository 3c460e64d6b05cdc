"""Vietnamese text helpers: accent-insensitive matching and alphabetical order.

Pure functions (no Django) so that search keys and sort keys computed in
Python match what is stored in the database on SQLite and PostgreSQL alike.
"""

from __future__ import annotations

import functools
import unicodedata

# Marks that make a *different letter* in Vietnamese (ă â ê ô ơ ư) versus
# marks that only carry the tone. Sorting compares letters first, tones after.
_LETTER_MARKS = {"\u0306": "breve", "\u0302": "circumflex", "\u031b": "horn"}
_TONE_ORDER = {"": 0, "\u0300": 1, "\u0309": 2, "\u0303": 3, "\u0301": 4, "\u0323": 5}

_ALPHABET = [
    "a", "ă", "â", "b", "c", "d", "đ", "e", "ê", "f", "g", "h", "i", "j", "k", "l", "m",
    "n", "o", "ô", "ơ", "p", "q", "r", "s", "t", "u", "ư", "v", "w", "x", "y", "z",
]  # fmt: skip
# Rank 00 ends the letters (so a prefix sorts first), 01 is the word gap,
# 02-11 digits, then letters; anything else sorts last.
_RANK = {" ": 1} | {str(d): 2 + d for d in range(10)} | {c: 12 + i for i, c in enumerate(_ALPHABET)}
_OTHER_RANK = 99


def fold(text: str) -> str:
    """Lower-case, strip every diacritic (đ → d) and squeeze spaces.

    "Sở Khoa học và Công nghệ" → "so khoa hoc va cong nghe", so a search for
    "khoa hoc" or "Khoa Học" finds it.
    """
    decomposed = unicodedata.normalize("NFD", text.replace("đ", "d").replace("Đ", "D"))
    bare = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return " ".join(bare.lower().split())


def _letters(text: str) -> list[tuple[str, int]]:
    """Split into (letter, tone) pairs: "Đồng" → [("đ",0), ("ô",1), ("n",0), ("g",0)]."""
    out: list[tuple[str, int]] = []
    for cluster_base, marks in _clusters(unicodedata.normalize("NFD", text.lower())):
        letter_marks = "".join(m for m in marks if m in _LETTER_MARKS)
        tone = next((_TONE_ORDER[m] for m in marks if m in _TONE_ORDER), 0)
        letter = unicodedata.normalize("NFC", cluster_base + letter_marks)
        out.append((letter, tone))
    return out


def _clusters(decomposed: str) -> list[tuple[str, list[str]]]:
    clusters: list[tuple[str, list[str]]] = []
    for ch in decomposed:
        if unicodedata.combining(ch) and clusters:
            clusters[-1][1].append(ch)
        else:
            clusters.append((ch, []))
    return clusters


@functools.lru_cache(maxsize=65536)
def vi_sort_key(text: str) -> str:
    """A digits-only key whose plain string order is Vietnamese dictionary order.

    Cached: rankings sort the same unit names again for every main indicator.

    Letters first (a < ă < â < b … d < đ …), then tones (ngang < huyền < hỏi <
    ngã < sắc < nặng) as a tie-break. Digits only, so every database collation
    orders it the same way.
    """
    pairs = _letters(" ".join(text.split()))
    primary = "".join(f"{_RANK.get(letter, _OTHER_RANK):02d}" for letter, _ in pairs)
    tones = "".join(str(tone) for _, tone in pairs)
    return f"{primary}00{tones}"
