"""XLSX exports of a cycle's results.

`ranking_xlsx` follows the layout the ministry publishes its rankings in:
one table per peer group (one sheet each), the header in the first row —
"Xếp hạng | Tên đơn vị | <each main indicator's name> | Chỉ số DTI" — and
index values as numbers with 4 decimals. The header stays in Vietnamese
whatever the interface language, and no title row sits above it, so the
file reads back through the published-results import
(`frameworks.published.published_import`) with the same numbers.

`emulation_xlsx` is the table the standing office hands to the emulation
council: units by band, with their reporting record.
"""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Iterable
from decimal import Decimal
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter
from openpyxl.worksheet._write_only import WriteOnlyWorksheet

from dtis.appraisal.emulation import emulation
from dtis.appraisal.standings import standings
from dtis.reporting.models import Cycle

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
INDEX_FORMAT = "0.0000"
POINTS_FORMAT = "0.00"
PERCENT_FORMAT = "0.0%"
# The ministry's column names (what published_import recognises).
RANK_HEADER = "Xếp hạng"
UNIT_HEADER = "Tên đơn vị"
TOTAL_HEADER = "Chỉ số DTI"
_FORBIDDEN = str.maketrans({c: " " for c in "[]:*?/\\"})


def _number(value: Decimal | None) -> float | None:
    # 4-decimal index values and 2-decimal points are exact as floats' shortest repr.
    return None if value is None else float(value)


def _sheet_title(name: str, taken: set[str]) -> str:
    base = (" ".join(name.translate(_FORBIDDEN).split()) or _("Ranking"))[:31]
    title, n = base, 2
    while title.lower() in taken:
        suffix = f" ({n})"
        title, n = base[: 31 - len(suffix)] + suffix, n + 1
    taken.add(title.lower())
    return title


class _Sheet:
    """Write-only sheet with typed, formatted cells."""

    def __init__(self, sheet: WriteOnlyWorksheet) -> None:
        self.sheet = sheet
        self.bold = Font(bold=True)
        self.wrap = Alignment(wrap_text=True, vertical="top")

    def widths(self, widths: Iterable[float]) -> None:
        for col, width in enumerate(widths, start=1):
            self.sheet.column_dimensions[get_column_letter(col)].width = width

    def header(self, titles: Iterable[str]) -> None:
        cells = []
        for title in titles:
            cell = WriteOnlyCell(self.sheet, value=title)
            cell.font = self.bold
            cell.alignment = self.wrap
            cells.append(cell)
        self.sheet.append(cells)

    def row(self, values: Iterable[tuple[Any, str | None]]) -> None:
        cells = []
        for value, number_format in values:
            cell = WriteOnlyCell(self.sheet, value=value)
            if number_format and value is not None:
                cell.number_format = number_format
            cells.append(cell)
        self.sheet.append(cells)


def _save(workbook: Workbook) -> bytes:
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def ranking_xlsx(cycle: Cycle) -> bytes:
    table = standings(cycle)
    workbook = Workbook(write_only=True)
    workbook.properties.title = cycle.name
    taken: set[str] = set()
    header = [RANK_HEADER, UNIT_HEADER, *(name for _code, name, _max in table.mains), TOTAL_HEADER]
    if not table.groups:  # a workbook needs a sheet: an empty table keeps its header
        _Sheet(workbook.create_sheet(_sheet_title(_("Ranking"), taken))).header(header)
    for group in table.groups:
        sheet = _Sheet(workbook.create_sheet(_sheet_title(group.name, taken)))
        sheet.sheet.freeze_panes = "C2"
        sheet.widths([10, 42, *(16 for _m in table.mains), 12])
        sheet.header(header)
        for row in group.rows:
            sheet.row(
                [
                    (row.rank or None, None),
                    (row.unit.name, None),
                    *((_number(cell.index), INDEX_FORMAT) for cell in row.main),
                    (_number(row.result.index), INDEX_FORMAT),
                ]
            )
    return _save(workbook)


def emulation_xlsx(cycle: Cycle, today: dt.date | None = None) -> bytes:
    today = today or timezone.localdate()
    table = emulation(cycle, today)
    workbook = Workbook(write_only=True)
    workbook.properties.title = cycle.name
    sheet = _Sheet(workbook.create_sheet(_("Emulation")[:31]))
    with_group = table.peer_groups > 1
    sheet.widths([14, 9, 42, *([20] if with_group else []), 12, 10, 14, 12, 12, 14, 14])
    sheet.row([(_("Emulation and reward: %(cycle)s") % {"cycle": cycle.name}, None)])
    sheet.row([(_("As of %(date)s") % {"date": today.strftime("%d/%m/%Y")}, None)])
    sheet.row([])
    sheet.sheet.freeze_panes = "A5"
    sheet.header(
        [
            _("Band"),
            _("Rank"),
            _("Unit"),
            *([_("Peer group")] if with_group else []),
            _("Final points"),
            _("Index"),
            _("On-time reporting rate"),
            _("Periods on time"),
            _("Items returned"),
            _("Explanations requested"),
            _("Explanations overdue"),
        ]
    )
    for band in table.bands:
        for row in band.rows:
            sheet.row(
                [
                    (band.name or _("No band"), None),
                    (row.rank or None, None),
                    (row.assessed.unit.name, None),
                    *([(row.assessed.peer_group, None)] if with_group else []),
                    (_number(row.final_points), POINTS_FORMAT),
                    (_number(row.index), INDEX_FORMAT),
                    (_number(row.on_time_rate), PERCENT_FORMAT),
                    (f"{row.on_time}/{row.periods_due}", None),
                    (row.returned, None),
                    (row.explanations, None),
                    (row.overdue, None),
                ]
            )
    return _save(workbook)
