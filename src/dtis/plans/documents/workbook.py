"""Small openpyxl helpers: a sheet with title rows, a bold frozen header and
readable column widths; numbers stay numbers and dates stay dates, so that
the office can sort and sum them in Excel."""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Iterable, Sequence
from decimal import Decimal

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

POINTS_FORMAT = "#,##0.00"
INDEX_FORMAT = "0.0000"
DATE_FORMAT = "dd/mm/yyyy"
MAX_WIDTH = 60


def cell_value(value: object) -> object:
    """Decimal → float (openpyxl writes floats as numbers); the rest as is."""
    if isinstance(value, Decimal):
        return float(value)
    return value


def add_sheet(
    wb: Workbook,
    name: str,
    titles: Sequence[str],
    header: Sequence[str],
    rows: Iterable[Sequence[object]],
    *,
    formats: dict[int, str] | None = None,
) -> Worksheet:
    """A sheet: title rows, a blank row, the bold header (frozen), the rows.
    `formats` maps a column index (0-based) to a number format."""
    ws = wb.create_sheet(name[:31])
    for n, text in enumerate(titles, start=1):
        ws.cell(row=n, column=1, value=text).font = Font(bold=n == 1, size=13 if n == 1 else 11)
    head = len(titles) + 2
    for col, text in enumerate(header, start=1):
        cell = ws.cell(row=head, column=col, value=text)
        cell.font = Font(bold=True)
        cell.alignment = Alignment(wrap_text=True, vertical="center", horizontal="center")
    widths = [len(str(h)) + 2 for h in header]
    formats = formats or {}
    for r, values in enumerate(rows, start=head + 1):
        for col, value in enumerate(values):
            cell = ws.cell(row=r, column=col + 1, value=cell_value(value))
            if isinstance(value, dt.date):
                cell.number_format = DATE_FORMAT
            elif col in formats:
                cell.number_format = formats[col]
            cell.alignment = Alignment(wrap_text=True, vertical="top")
            shown = 10 if isinstance(value, dt.date | Decimal | float | int) else len(str(value))
            widths[col] = max(widths[col], min(shown + 2, MAX_WIDTH))
    for col, width in enumerate(widths, start=1):
        ws.column_dimensions[get_column_letter(col)].width = width
    ws.freeze_panes = ws.cell(row=head + 1, column=1)
    return ws


def new_workbook() -> Workbook:
    wb = Workbook()
    wb.remove(wb.active)  # sheets are added by name
    return wb


def to_bytes(wb: Workbook) -> bytes:
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()
