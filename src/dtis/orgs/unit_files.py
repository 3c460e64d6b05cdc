"""Import and export of units as CSV/XLSX.

An import is all-or-nothing: every row is checked first and every problem is
reported with its spreadsheet row number; only a clean file is written, in
one transaction, with bulk writes.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from typing import IO

from django.db import transaction
from django.utils import translation
from django.utils.translation import gettext as _
from simple_history.utils import bulk_create_with_history, bulk_update_with_history

from dtis.core.tabular import Row, TableError, read_table
from dtis.core.text import fold
from dtis.orgs import policy
from dtis.orgs.models import UNIT_CODE_PATTERN, Unit, UnitKind, User
from dtis.orgs.units import rebuild_tree

COLUMNS = ["code", "name", "short_name", "kind", "parent", "valid_from", "valid_to"]

HEADERS_VI = [
    "Mã đơn vị",
    "Tên đầy đủ",
    "Tên viết tắt",
    "Loại",
    "Mã đơn vị cấp trên",
    "Hiệu lực từ",
    "Hiệu lực đến",
]

_ALIASES = {
    "code": ["Mã đơn vị", "Mã", "code", "unit code"],
    "name": ["Tên đầy đủ", "Tên đơn vị", "Tên", "name", "full name"],
    "short_name": ["Tên viết tắt", "Tên ngắn", "short_name", "short name"],
    "kind": ["Loại", "Loại đơn vị", "kind", "type"],
    "parent": ["Mã đơn vị cấp trên", "Đơn vị cấp trên", "Mã cấp trên", "parent", "parent code"],
    "valid_from": ["Hiệu lực từ", "Từ ngày", "valid_from", "valid from"],
    "valid_to": ["Hiệu lực đến", "Đến ngày", "valid_to", "valid to", "valid until"],
}
HEADER_ALIASES = {alias: key for key, aliases in _ALIASES.items() for alias in aliases}

_KIND_EXTRA = {
    UnitKind.NATION: ["quốc gia"],
    UnitKind.MINISTRY: ["bộ", "bộ, ngành"],
    UnitKind.PROVINCE: ["tỉnh", "tỉnh, thành phố", "thành phố trực thuộc trung ương"],
    UnitKind.DEPARTMENT: ["sở", "sở, ban, ngành", "sở/ban/ngành", "ban, ngành"],
    UnitKind.DISTRICT: ["huyện", "quận, huyện", "cấp huyện"],
    UnitKind.COMMUNE: ["xã", "phường", "xã, phường", "xã/phường", "đặc khu"],
    UnitKind.AGENCY: ["cơ quan", "cơ quan khác", "doanh nghiệp"],
    UnitKind.OFFICE: ["phòng", "phòng, ban", "đơn vị trực thuộc"],
}


def _kind_lookup() -> dict[str, str]:
    lookup: dict[str, str] = {}
    for kind in UnitKind:
        names = [kind.value, *_KIND_EXTRA[kind]]
        for language in ("vi", "en"):
            with translation.override(language):
                names.append(str(kind.label))
        lookup.update({fold(n): kind.value for n in names})
    return lookup


def parse_date(text: str) -> dt.date:
    """dd/mm/yyyy (what users type) or yyyy-mm-dd (what machines write)."""
    for pattern in ("%d/%m/%Y", "%Y-%m-%d", "%d-%m-%Y", "%d.%m.%Y"):
        try:
            return dt.datetime.strptime(text.strip(), pattern).date()
        except ValueError:
            continue
    raise ValueError(text)


@dataclass
class Problem:
    row: int
    message: str


@dataclass
class UnitRow:
    number: int
    code: str
    name: str
    short_name: str
    kind: str
    parent: str
    valid_from: dt.date | None
    valid_to: dt.date | None


@dataclass
class ImportReport:
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    problems: list[Problem] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems


def _parse_rows(rows: Iterable[Row], report: ImportReport) -> list[UnitRow]:
    kinds = _kind_lookup()
    code_re = re.compile(UNIT_CODE_PATTERN)
    parsed: list[UnitRow] = []
    first_row_of: dict[str, int] = {}
    for row in rows:
        v = row.values
        problems: list[str] = []
        code = v.get("code", "").strip().upper()
        if not code:
            problems.append(_("the unit code is missing"))
        elif not code_re.match(code):
            problems.append(
                _("unit code “%(code)s” may only hold letters A–Z, digits, “-” and “_”")
                % {"code": code}
            )
        elif code in first_row_of:
            problems.append(
                _("unit code “%(code)s” already appears in row %(row)s")
                % {"code": code, "row": first_row_of[code]}
            )
        else:
            first_row_of[code] = row.number
        name = v.get("name", "").strip()
        if not name:
            problems.append(_("the full name is missing"))
        elif len(name) > 255:
            problems.append(_("the full name is longer than 255 characters"))
        short_name = v.get("short_name", "").strip()
        if len(short_name) > 100:
            problems.append(_("the short name is longer than 100 characters"))
        kind_text = v.get("kind", "").strip()
        kind = kinds.get(fold(kind_text), "")
        if not kind_text:
            problems.append(_("the unit type is missing"))
        elif not kind:
            problems.append(_("unknown unit type “%(kind)s”") % {"kind": kind_text})
        dates: dict[str, dt.date | None] = {}
        for key, label in (("valid_from", _("start date")), ("valid_to", _("end date"))):
            text = v.get(key, "").strip()
            try:
                dates[key] = parse_date(text) if text else None
            except ValueError:
                dates[key] = None
                problems.append(
                    _("%(what)s “%(value)s” is not a date in the form dd/mm/yyyy")
                    % {"what": label, "value": text}
                )
        start, end = dates["valid_from"], dates["valid_to"]
        if start and end and end < start:
            problems.append(_("the end date is before the start date"))
        parent = v.get("parent", "").strip().upper()
        if parent and parent == code:
            problems.append(_("a unit cannot be its own parent"))
        report.problems.extend(Problem(row.number, p) for p in problems)
        parsed.append(UnitRow(row.number, code, name, short_name, kind, parent, start, end))
    return parsed


def _check_tree(
    rows: list[UnitRow], existing: dict[str, Unit], actor: User | None, report: ImportReport
) -> None:
    """Parents must exist, the tree must stay a tree, and the actor must be
    allowed to manage every unit the file touches."""
    in_file = {r.code: r for r in rows if r.code}
    moved_existing = any(
        r.code in existing
        and (existing[r.code].parent.code if existing[r.code].parent else "") != r.parent
        for r in rows
    )
    parent_code: dict[str, str] = {}
    if moved_existing:
        parent_code = dict(
            Unit.objects.filter(parent__isnull=False).values_list("code", "parent__code")
        )
    for r in rows:
        parent_code[r.code] = r.parent
    already_bad = {p.row for p in report.problems}
    for r in rows:
        if r.number in already_bad:
            continue
        if r.parent and r.parent not in in_file and r.parent not in existing:
            report.problems.append(
                Problem(
                    r.number,
                    _("parent unit “%(code)s” is neither in the file nor in the system")
                    % {"code": r.parent},
                )
            )
            continue
        seen = {r.code}
        cursor = parent_code.get(r.code, "")
        while cursor:
            if cursor in seen:
                report.problems.append(
                    Problem(
                        r.number,
                        _("the parent links form a loop through “%(code)s”") % {"code": cursor},
                    )
                )
                break
            seen.add(cursor)
            cursor = parent_code.get(cursor, "")
        if actor is None or actor.is_superuser:
            continue
        target = existing.get(r.code)
        moves = target is None or (target.parent.code if target.parent else "") != r.parent
        # A new or moved unit needs the right to manage its new parent too.
        anchor = existing.get(r.parent) if moves and r.parent not in in_file else None
        if not r.parent and moves:
            report.problems.append(
                Problem(r.number, _("only a system administrator may add top-level units"))
            )
        elif (target and not policy.can(actor, policy.Action.MANAGE_UNITS, target)) or (
            anchor and not policy.can(actor, policy.Action.MANAGE_UNITS, anchor)
        ):
            report.problems.append(
                Problem(
                    r.number,
                    _("unit “%(code)s” is outside the units you administer") % {"code": r.code},
                )
            )


def units_import(*, actor: User | None, upload: IO[bytes], filename: str) -> ImportReport:
    """Check the whole file, then write all of it or nothing."""
    report = ImportReport()
    try:
        rows = _parse_rows(read_table(upload, filename, HEADER_ALIASES), report)
    except TableError as exc:
        report.problems.append(Problem(0, str(exc)))
        return report
    if not rows and not report.problems:
        report.problems.append(Problem(0, _("The file holds no units.")))
        return report
    codes = {r.code for r in rows} | {r.parent for r in rows if r.parent}
    existing = {u.code: u for u in Unit.objects.filter(code__in=codes).select_related("parent")}
    _check_tree(rows, existing, actor, report)
    if report.problems:
        report.problems.sort(key=lambda p: p.row)
        return report
    _write(rows, existing, actor, report)
    return report


def _same(unit: Unit, row: UnitRow, parent: Unit | None) -> bool:
    return (
        unit.name == row.name
        and unit.short_name == row.short_name
        and unit.kind == row.kind
        and unit.parent_id == (parent.pk if parent else None)
        and unit.valid_from == row.valid_from
        and unit.valid_to == row.valid_to
    )


@transaction.atomic
def _write(
    rows: list[UnitRow], existing: dict[str, Unit], actor: User | None, report: ImportReport
) -> None:
    by_code = dict(existing)
    pending = [r for r in rows if r.code not in existing]
    # Create new units level by level so that each level's parents have ids.
    while pending:
        ready = [r for r in pending if not r.parent or r.parent in by_code]
        new_units = []
        for r in ready:
            unit = Unit(
                code=r.code, name=r.name, short_name=r.short_name, kind=r.kind,
                parent=by_code.get(r.parent), valid_from=r.valid_from, valid_to=r.valid_to,
            )  # fmt: skip
            unit.refresh_derived_fields()
            new_units.append(unit)
        created = bulk_create_with_history(new_units, Unit, default_user=actor)
        by_code.update({u.code: u for u in created})
        report.created += len(created)
        written = {r.code for r in ready}  # a set: list membership made big files quadratic
        pending = [r for r in pending if r.code not in written]
    changed = []
    for r in rows:
        unit = existing.get(r.code)
        if unit is None:
            continue
        parent = by_code.get(r.parent) if r.parent else None
        if _same(unit, r, parent):
            report.unchanged += 1
            continue
        unit.name, unit.short_name, unit.kind = r.name, r.short_name, r.kind
        unit.parent, unit.valid_from, unit.valid_to = parent, r.valid_from, r.valid_to
        unit.version += 1
        unit.refresh_derived_fields()
        changed.append(unit)
    if changed:
        bulk_update_with_history(
            changed, Unit, ["name", "short_name", "kind", "parent", "valid_from", "valid_to",
                            "version", "search_text", "sort_key"], default_user=actor,
        )  # fmt: skip
    report.updated = len(changed)
    rebuild_tree()


def _date_text(day: dt.date | None) -> str:
    return day.strftime("%d/%m/%Y") if day else ""


def export_rows(units: Iterable[Unit]) -> Iterator[list[str]]:
    """Rows in the import layout; parents always come before their children."""
    for unit in units:
        yield [
            unit.code,
            unit.name,
            unit.short_name,
            str(unit.get_kind_display()),
            unit.parent.code if unit.parent else "",
            _date_text(unit.valid_from),
            _date_text(unit.valid_to),
        ]


def export_queryset(root: Unit | None) -> Iterable[Unit]:
    units = Unit.objects.select_related("parent").order_by("tree_key")
    return (units.within(root) if root else units).iterator(chunk_size=1000)
