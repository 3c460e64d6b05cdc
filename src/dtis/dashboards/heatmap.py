"""The ranking table as leaders sort and filter it, and the heatmap of units ×
main indicators (departments' and communes' cycles).

Reads a `dtis.appraisal.standings.Standings` (materialised `UnitResult` and
the `IndicatorResult` rows of the main indicators): no query of its own, so
the pages stay at a fixed number of queries whatever the number of units.

Colour bands of an index (the class names are in app.css, "heatmap" section):
≥ 0.90, ≥ 0.80, ≥ 0.70, ≥ 0.50, below 0.50, and no value.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.utils.translation import gettext_lazy as _

from dtis.appraisal.standings import Standing, Standings
from dtis.core.text import vi_sort_key
from dtis.frameworks.models import Level
from dtis.reporting.models import Cycle

# (lower bound, CSS class); the last band has no lower bound.
BANDS: list[tuple[Decimal | None, str]] = [
    (Decimal("0.9"), "hm-0"),
    (Decimal("0.8"), "hm-1"),
    (Decimal("0.7"), "hm-2"),
    (Decimal("0.5"), "hm-3"),
    (None, "hm-4"),
]
NO_VALUE = "hm-none"
HEATMAP_LEVELS = frozenset({Level.DEPARTMENT, Level.DISTRICT, Level.COMMUNE})

ASCENDING = "tang"
DESCENDING = "giam"
DEFAULT_SORT = "hang"
MAIN_PREFIX = "tc-"  # ?sap-xep=tc-<main indicator code>


def band_class(index: Decimal | None) -> str:
    """The heatmap colour class of an index."""
    if index is None:
        return NO_VALUE
    for bound, css in BANDS:
        if bound is None or index >= bound:
            return css
    return NO_VALUE  # pragma: no cover - the last band takes everything


@dataclass(frozen=True)
class LegendEntry:
    css: str
    low: Decimal | None  # inclusive
    high: Decimal | None  # exclusive


def legend() -> list[LegendEntry]:
    entries = []
    high: Decimal | None = None
    for bound, css in BANDS:
        entries.append(LegendEntry(css, bound, high))
        high = bound
    return entries


def shows_heatmap(cycle: Cycle) -> bool:
    """The heatmap is drawn for the departments' and the communes' cycles."""
    return cycle.framework.level in HEATMAP_LEVELS


# --- sorting and filtering -----------------------------------------------------------


@dataclass(frozen=True)
class Column:
    key: str  # the value of ?sap-xep=
    label: Any
    title: str = ""  # a main indicator's name
    numeric: bool = True
    main: bool = False


def columns(table: Standings) -> list[Column]:
    """The sortable columns of the ranking table, left to right."""
    cols = [Column("hang", _("Rank")), Column("don-vi", _("Unit"), numeric=False)]
    for code, name, _max in table.mains:
        cols.append(Column(MAIN_PREFIX + code, code, title=name, main=True))
    cols += [
        Column("diem", _("Points")),
        Column("chi-so", _("Index")),
        Column("xep-loai", _("Band"), numeric=False),
        Column("thay-doi", _("Change")),
    ]
    return cols


def _value(table: Standings, key: str) -> Callable[[Standing], Any]:
    """How to read one column's value of a row (None: no value)."""
    if key == "hang":
        return lambda r: r.rank or None
    if key == "don-vi":
        return lambda r: vi_sort_key(r.unit.name)
    if key == "diem":
        return lambda r: r.result.final_points
    if key == "chi-so":
        return lambda r: r.result.index
    if key == "xep-loai":
        # The framework's bands, best first: sort by their position.
        names = [b.get("name") for b in table.cycle.framework.bands or []]
        return lambda r: names.index(r.result.band) if r.result.band in names else None
    if key == "thay-doi":
        return lambda r: r.rank_change
    code = key.removeprefix(MAIN_PREFIX)
    position = [c for c, _n, _m in table.mains].index(code)
    return lambda r: r.main[position].index


@dataclass
class Sorting:
    key: str
    direction: str
    notice: str = ""  # set when the request asked for something unknown

    @property
    def descending(self) -> bool:
        return self.direction == DESCENDING


def sorting(table: Standings, key: str | None, direction: str | None) -> Sorting:
    """Read ?sap-xep= and ?chieu=; an unknown column or direction falls back to
    the rank, ascending, with a notice."""
    keys = {c.key for c in columns(table)}
    notice = ""
    key = (key or "").strip()
    direction = (direction or "").strip()
    if key and key not in keys:
        notice = str(_("There is no column “%(key)s” to sort by; sorted by rank.")) % {
            "key": key[:40]
        }
        key, direction = DEFAULT_SORT, ASCENDING
    if direction and direction not in (ASCENDING, DESCENDING):
        notice = notice or str(_("Unknown sort direction; sorted in ascending order."))
        direction = ASCENDING
    return Sorting(key or DEFAULT_SORT, direction or ASCENDING, notice)


def sort_rows(table: Standings, rows: list[Standing], how: Sorting) -> list[Standing]:
    """The rows ordered by one column; rows without a value always come last,
    ties keep the ranking order (rank, then Vietnamese name order)."""
    value = _value(table, how.key)
    known = [r for r in rows if value(r) is not None]
    unknown = [r for r in rows if value(r) is None]
    known.sort(key=value, reverse=how.descending)  # stable: ties keep the ranking order
    return known + unknown


def toggle(how: Sorting, key: str) -> str:
    """The direction a header link asks for: the other one on the current column."""
    if key == how.key:
        return ASCENDING if how.descending else DESCENDING
    # Numbers that are "better when higher" start from the best.
    return ASCENDING if key in ("hang", "don-vi", "xep-loai") else DESCENDING


def aria_sort(how: Sorting, key: str) -> str:
    if key != how.key:
        return ""
    return "descending" if how.descending else "ascending"


# --- the heatmap ---------------------------------------------------------------------


@dataclass(frozen=True)
class HeatCell:
    code: str
    name: str
    index: Decimal | None
    points: Decimal | None
    max_points: Decimal | None
    css: str


@dataclass(frozen=True)
class HeatRow:
    standing: Standing
    cells: list[HeatCell]
    total_css: str


@dataclass(frozen=True)
class Heatmap:
    mains: list[tuple[str, str, Decimal]]
    rows: list[HeatRow]
    legend: list[LegendEntry]


def heatmap(table: Standings, rows: list[Standing] | None = None) -> Heatmap:
    """Units (in the order given, default the ranking's) × main indicators."""
    rows = table.rows() if rows is None else rows
    out = []
    for row in rows:
        cells = [
            HeatCell(c.code, c.name, c.index, c.points, c.max_points, band_class(c.index))
            for c in row.main
        ]
        out.append(HeatRow(row, cells, band_class(row.result.index)))
    return Heatmap(table.mains, out, legend())
