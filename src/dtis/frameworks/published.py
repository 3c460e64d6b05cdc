"""Importing the results the ministry published, and checking them.

The file has one row per unit: its name, optionally the year, one column per
main indicator holding its index value 0…1 (named by code, e.g. "3", or by
the exact name, e.g. "Hạ tầng số"), and optionally the published total and
rank. The import replaces that framework's results for that year, all or
nothing.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from typing import IO

from django.db import transaction
from django.utils.translation import gettext as _

from dtis.core.tabular import TableError, read_table
from dtis.core.text import fold
from dtis.frameworks.models import Framework, PublishedResult
from dtis.frameworks.services import to_core
from dtis.orgs.models import Unit
from dtis.scoring.numbers import to_decimal
from dtis.scoring.published import CheckedRow, PublishedRow, check

UNIT_HEADERS = [
    "Đơn vị",
    "Tên đơn vị",
    "Tỉnh, thành phố",
    "Tỉnh/thành phố",
    "Tỉnh, thành phố trực thuộc TW",
    "Các tỉnh, thành phố trực thuộc TW",
    "Bộ, ngành",
    "unit",
    "name",
]
YEAR_HEADERS = ["Năm", "year"]
TOTAL_HEADERS = ["Chỉ số DTI", "DTI", "PDTI", "Tổng", "Chỉ số chuyển đổi số", "total"]
RANK_HEADERS = ["Xếp hạng", "Hạng", "Xếp hạng DTI", "rank"]


@dataclass
class Problem:
    row: int
    message: str


@dataclass
class PublishedImport:
    stored: int = 0
    problems: list[Problem] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems


def _aliases(fw: Framework) -> dict[str, str]:
    aliases = {h: "unit" for h in UNIT_HEADERS}
    aliases |= {h: "year" for h in YEAR_HEADERS} | {h: "total" for h in TOTAL_HEADERS}
    aliases |= {h: "rank" for h in RANK_HEADERS}
    for ind in fw.indicators.filter(parent__isnull=True, max_points__gt=0):
        key = f"main:{ind.code}"
        aliases |= {ind.code: key, ind.name: key, f"Chỉ số {ind.name}": key}
    return aliases


def _decimal(text: str) -> Decimal:
    return to_decimal(text)


@transaction.atomic
def published_import(
    *, framework: Framework, year: int, upload: IO[bytes], filename: str
) -> PublishedImport:
    report = PublishedImport()
    mains = list(
        framework.indicators.filter(parent__isnull=True, max_points__gt=0).order_by("order")
    )
    try:
        rows = list(read_table(upload, filename, _aliases(framework)))
    except TableError as exc:
        report.problems.append(Problem(0, str(exc)))
        return report
    if not rows:
        report.problems.append(Problem(0, _("The file holds no results.")))
        return report
    missing_columns = [m for m in mains if f"main:{m.code}" not in rows[0].values]
    if "unit" not in rows[0].values or missing_columns:
        names = ", ".join(f"{m.code} ({m.name})" for m in missing_columns) or _("unit name")
        report.problems.append(Problem(1, _("Missing columns: %(names)s") % {"names": names}))
        return report
    units = {fold(u.name): u for u in Unit.objects.filter(kind__in=["province", "ministry"])}
    units |= {fold(u.short_name): u for u in Unit.objects.filter(kind__in=["province", "ministry"])}
    seen: dict[str, int] = {}
    results = []
    for row in rows:
        v = row.values
        problems = []
        name = v.get("unit", "").strip()
        if not name:
            problems.append(_("the unit name is missing"))
        elif fold(name) in seen:
            problems.append(
                _("“%(name)s” already appears in row %(row)s")
                % {"name": name, "row": seen[fold(name)]}
            )
        else:
            seen[fold(name)] = row.number
        if v.get("year") and v["year"].strip() != str(year):
            problems.append(
                _("year %(found)s differs from %(year)s") % {"found": v["year"], "year": year}
            )
        indices: dict[str, str] = {}
        for main in mains:
            text = v.get(f"main:{main.code}", "").strip()
            try:
                value = _decimal(text)
            except ValueError:
                problems.append(
                    _("%(name)s: “%(value)s” is not a number") % {"name": main.name, "value": text}
                )
                continue
            if not 0 <= value <= 1:
                problems.append(
                    _("%(name)s: %(value)s is not an index value between 0 and 1")
                    % {"name": main.name, "value": text}
                )
            indices[main.code] = str(value)
        total = rank = None
        if v.get("total"):
            try:
                total = _decimal(v["total"])
            except ValueError:
                problems.append(
                    _("the published total “%(v)s” is not a number") % {"v": v["total"]}
                )
        if v.get("rank"):
            if v["rank"].strip().isdigit():
                rank = int(v["rank"])
            else:
                problems.append(
                    _("the published rank “%(v)s” is not a whole number") % {"v": v["rank"]}
                )
        report.problems.extend(Problem(row.number, p) for p in problems)
        results.append(
            PublishedResult(
                framework=framework,
                year=year,
                unit_name=name,
                unit=units.get(fold(name)),
                indices=indices,
                published_total=total,
                published_rank=rank,
            )
        )
    if report.problems:
        return report
    PublishedResult.objects.filter(framework=framework, year=year).delete()
    PublishedResult.objects.bulk_create(results)
    report.stored = len(results)
    return report


def published_check(framework: Framework, year: int) -> list[CheckedRow]:
    """The stored rows recomputed and ranked (ties share a rank), best first."""
    rows = [
        PublishedRow(
            r.unit_name,
            {c: Decimal(x) for c, x in r.indices.items()},
            r.published_total,
            r.published_rank,
        )
        for r in PublishedResult.objects.filter(framework=framework, year=year)
    ]
    return check(to_core(framework), rows)


def checked_json(row: CheckedRow) -> dict[str, object]:
    """The contract shape of `dtis results rank --json`."""
    # Index values with 4 decimals are exact as JSON numbers (0.8002).
    return {
        "unit": row.row.unit,
        "total": float(row.total),
        "rank": row.rank,
        "published_total": float(row.row.total) if row.row.total is not None else None,
        "published_rank": row.row.rank,
        "mismatch": row.mismatch,
        "pillars": {name: float(value) for name, value in row.pillars.items()},
        "indices": {code: float(value) for code, value in row.row.indices.items()},
    }
