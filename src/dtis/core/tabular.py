"""Reading and writing the tables users exchange: CSV and XLSX.

Imports read row by row (openpyxl read-only mode, the csv module) so a large
file never sits in memory as a whole; exports are written in openpyxl's
write-only mode. Row numbers are the ones a person sees in Excel: the header
is row 1, the first data row is row 2.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from typing import IO, Any

from django.utils.translation import gettext as _
from openpyxl import Workbook, load_workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Font

from dtis.core.text import fold


class TableError(ValueError):
    """The file as a whole cannot be read (wrong format, no header, bad encoding)."""


@dataclass(frozen=True)
class Row:
    number: int
    values: dict[str, str]


def _cell_text(value: Any) -> str:
    if value is None:
        return ""
    if hasattr(value, "strftime"):
        return value.strftime("%d/%m/%Y")
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def _header_keys(header: Iterable[Any], aliases: Mapping[str, str]) -> list[str | None]:
    """Map header cells to canonical keys by accent-insensitive name."""
    folded = {fold(alias): key for alias, key in aliases.items()}
    return [folded.get(fold(_cell_text(cell))) for cell in header]


def read_table(upload: IO[bytes], filename: str, aliases: Mapping[str, str]) -> Iterator[Row]:
    """Yield the data rows of a CSV or XLSX file as {canonical key: text}.

    `aliases` maps every accepted header (Vietnamese or English, any accents
    or case) to a canonical key; unknown columns are ignored. Blank rows are
    skipped.
    """
    name = filename.lower()
    if name.endswith(".xlsx"):
        rows = _xlsx_rows(upload)
    elif name.endswith(".csv"):
        rows = _csv_rows(upload)
    else:
        raise TableError(_("Only .csv and .xlsx files are accepted."))
    try:
        header = next(rows)
    except StopIteration:
        raise TableError(_("The file is empty.")) from None
    keys = _header_keys(header, aliases)
    if not any(keys):
        raise TableError(_("The first row must hold the column names."))
    for number, cells in enumerate(rows, start=2):
        texts = [_cell_text(c) for c in cells]
        if not any(texts):
            continue
        yield Row(number, {k: v for k, v in zip(keys, texts, strict=False) if k})


def _xlsx_rows(upload: IO[bytes]) -> Iterator[tuple[Any, ...]]:
    # A damaged zip or XML raises many kinds of errors (zlib.error, ParseError,
    # ValueError…), on opening or only when a row is read (read-only mode
    # parses the sheet lazily): each is the same bad file to the person.
    try:
        workbook = load_workbook(upload, read_only=True, data_only=True)
    except Exception as exc:
        raise TableError(_("The file is not a valid Excel (.xlsx) workbook.")) from exc
    try:
        try:
            rows = workbook.worksheets[0].iter_rows(values_only=True)
        except Exception as exc:
            raise TableError(_("The file is not a valid Excel (.xlsx) workbook.")) from exc
        while True:
            try:
                row = next(rows)
            except StopIteration:
                return
            except Exception as exc:
                raise TableError(_("The file is not a valid Excel (.xlsx) workbook.")) from exc
            yield row
    finally:
        workbook.close()


def _csv_rows(upload: IO[bytes]) -> Iterator[list[str]]:
    text = io.TextIOWrapper(upload, encoding="utf-8-sig", newline="")
    try:
        sample = text.read(4096)
        text.seek(0)
        dialect = csv.Sniffer().sniff(sample, delimiters=",;\t") if sample else csv.excel
        yield from csv.reader(text, dialect)
    except UnicodeDecodeError as exc:
        raise TableError(_("The CSV file must be saved as UTF-8.")) from exc
    except csv.Error as exc:
        raise TableError(_("The CSV file cannot be read: %(reason)s") % {"reason": exc}) from exc
    finally:
        text.detach()


def xlsx_bytes(sheet_title: str, header: list[str], rows: Iterable[Iterable[Any]]) -> bytes:
    """A one-sheet workbook with a bold, frozen header row."""
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(sheet_title[:31])
    sheet.freeze_panes = "A2"
    bold = Font(bold=True)
    header_cells = []
    for title in header:
        cell = WriteOnlyCell(sheet, value=title)
        cell.font = bold
        header_cells.append(cell)
    sheet.append(header_cells)
    for row in rows:
        sheet.append(list(row))
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


class _Echo:
    def write(self, value: str) -> str:
        return value


def csv_lines(header: list[str], rows: Iterable[Iterable[Any]]) -> Iterator[str]:
    """CSV text line by line, for streaming responses; starts with a BOM so
    that Excel opens the Vietnamese text as UTF-8."""
    writer = csv.writer(_Echo())
    yield "\ufeff" + writer.writerow(header)
    for row in rows:
        yield writer.writerow(["" if v is None else v for v in row])
