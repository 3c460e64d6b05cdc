"""Hypothesis strategies for what people really put in spreadsheets and
requests: Vietnamese with every diacritic, NUL and other control characters,
right-to-left text, emoji, formulas, dates, huge and negative numbers, very
long strings, and damaged files."""

from __future__ import annotations

import csv
import datetime as dt
import io
from decimal import Decimal
from typing import Any

from hypothesis import strategies as st
from openpyxl import Workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

VIETNAMESE = (
    "aăâbcdđeêghiklmnoôơpqrstuưvxy"
    "áàảãạấầẩẫậắằẳẵặéèẻẽẹếềểễệíìỉĩịóòỏõọốồổỗộớờởỡợúùủũụứừửữựýỳỷỹỵ"
    "ĂÂĐÊÔƠƯÁÀẢÃẠẤẦẨẪẬẮẰẲẴẶÉÈẺẼẸẾỀỂỄỆÍÌỈĨỊÓÒỎÕỌỐỒỔỖỘỚỜỞỠỢÚÙỦŨỤỨỪỬỮỰÝỲỶỸỴ"
)
ODD = (
    "\x00\x01\x1b\x7f"  # NUL and other control characters
    "\u202e\u200f\u0627\u0644\u05d0"  # right-to-left override, Arabic, Hebrew
    "\U0001f600\U0001f1fb\U0001f1f3\u2603"  # emoji, a flag
    "\ufeff\u00a0\u200b\u0301"  # BOM, no-break and zero-width space, a lone combining accent
    " \t\n\r;,.\"'=-/+%"
)
REALISTIC = [
    "Ủy ban nhân dân tỉnh Khánh Hòa",
    "Sở Thông tin và Truyền thông",
    "Xã Diên Khánh",
    "Tỷ lệ hồ sơ xử lý trực tuyến",
    "1.250.000",
    "12,5",
    "-3",
    "01/01/2026",
    "31/02/2026",
    "2026-13-45",
    "Có",
    "Không",
    "x",
    "=1/0",
    '=HYPERLINK("http://example.org","bấm")',
    "=SUM(A1:A9)",
    "NaN",
    "Infinity",
    "1e400",
    "9" * 40,
]

characters = st.sampled_from(VIETNAMESE + ODD) | st.characters(codec="utf-8")
short_text = st.text(characters, max_size=30)
long_text = st.builds(lambda s, n: (s or "Ủy ban nhân dân ") * n, short_text, st.integers(50, 3000))
text = st.one_of(short_text, st.sampled_from(REALISTIC), long_text)
numbers = st.one_of(
    st.integers(-(10**20), 10**20),
    st.floats(allow_nan=False, allow_infinity=False),
    st.decimals(allow_nan=False, allow_infinity=False, places=4),
)
moments = st.one_of(
    st.dates(dt.date(1900, 1, 1), dt.date(2100, 12, 31)),
    st.datetimes(dt.datetime(1900, 1, 1), dt.datetime(2100, 12, 31)),
    st.times(),
)
cell = st.one_of(st.none(), text, numbers, moments, st.booleans())


def header(known: list[str]) -> st.SearchStrategy[list[Any]]:
    """A header row: known column names (shuffled, some missing, some twice),
    with unknown or odd ones among them."""
    return st.lists(st.one_of(st.sampled_from(known), text, st.none(), numbers), max_size=10)


def rows(row: st.SearchStrategy[list[Any]] | None = None) -> st.SearchStrategy[list[list[Any]]]:
    return st.lists(row if row is not None else st.lists(cell, max_size=10), max_size=6)


def _xlsx_value(value: Any) -> Any:
    if isinstance(value, str):
        return ILLEGAL_CHARACTERS_RE.sub("", value)[:32767]  # what Excel can hold
    if isinstance(value, Decimal):
        return float(value)
    return value


def xlsx(table: list[list[Any]]) -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    for line in table:
        sheet.append([_xlsx_value(v) for v in line])
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def csv_bytes(table: list[list[Any]], delimiter: str, encoding: str) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out, delimiter=delimiter)
    for line in table:
        writer.writerow(["" if v is None else v for v in line])
    return out.getvalue().encode(encoding, errors="replace")


@st.composite
def table_file(draw: st.DrawFn, known: list[str], row: Any = None) -> tuple[bytes, str]:
    """(content, file name): a CSV or XLSX file of a generated table, or a
    damaged one (cut short, bytes flipped, not a spreadsheet at all)."""
    table = [draw(header(known)), *draw(rows(row))]
    kind = draw(st.sampled_from(["xlsx", "csv", "csv", "damaged", "noise"]))
    if kind == "xlsx":
        return xlsx(table), "bang-du-lieu.xlsx"
    if kind == "csv":
        delimiter = draw(st.sampled_from([",", ";", "\t"]))
        encoding = draw(st.sampled_from(["utf-8", "utf-8-sig", "utf-16", "cp1258"]))
        return csv_bytes(table, delimiter, encoding), "bang-du-lieu.csv"
    if kind == "damaged":
        # Positions are drawn before the file's length is known: the bytes of a
        # workbook change with the clock, and the draws must not depend on them.
        cut = draw(st.floats(0, 1))
        flips = draw(st.lists(st.floats(0, 1, exclude_max=True), max_size=8))
        content = bytearray(xlsx(table))
        for at in flips:
            content[int(at * len(content))] ^= 0xFF
        if draw(st.booleans()):
            content = content[: int(cut * len(content))]
        return bytes(content), "bang-du-lieu.xlsx"
    name = draw(st.sampled_from(["bang.xlsx", "bang.csv", "bang.xls", "bang"]))
    return draw(st.binary(max_size=600)), name
