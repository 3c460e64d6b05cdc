"""Assignments (phân công): import from the seed tables, export, copy from
last year's cycle, and edit one.

The file layout is the one the seeds use (one row per indicator): STT | Chỉ
số | Điểm tối đa | Công việc thực hiện | Tài liệu kiểm chứng | Đơn vị chủ trì
| Đơn vị phối hợp (+ an optional due date). Rows of parent indicators and
rows without a lead unit are skipped.

Who a lead unit can be depends on who is assessed:

- the scope assesses itself (a province's own DTI): any unit within the
  scope, found by full name, short name or code; an unknown name is an error;
- the scope assesses units below it (departments): the assessed unit's own
  internal offices; when the office does not exist in the system the
  indicator stays with the assessed unit ("kept with the department") — the
  seeds name offices ("Kế toán Sở", "Văn thư") few provinces register.

An import is all-or-nothing: every problem is reported with its row number,
and only a clean file is written, in one transaction, with bulk writes.
"""

from __future__ import annotations

import calendar
import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal
from typing import IO, Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q, QuerySet
from django.utils.translation import gettext as _

from dtis.core.tabular import TableError, read_table, xlsx_bytes
from dtis.core.text import fold
from dtis.frameworks.models import Indicator
from dtis.orgs import policy
from dtis.orgs.models import Unit, User
from dtis.reporting.models import AssessedUnit, Assignment, Cycle

# Spreadsheet columns, in the order of the seed tables.
HEADERS_VI = [
    "STT",
    "Chỉ số",
    "Điểm tối đa",
    "Công việc thực hiện",
    "Tài liệu kiểm chứng",
    "Đơn vị chủ trì",
    "Đơn vị phối hợp",
    "Thời hạn",
]

_ALIASES = {
    "code": ["STT", "TT", "Mã", "Mã chỉ số", "code"],
    "name": ["Chỉ số", "Chỉ số thành phần", "Tên chỉ số", "Chỉ số, chỉ số thành phần",
             "Nội dung", "name"],
    "max_points": ["Điểm tối đa", "Điểm", "Điểm tối đa (điểm)", "max_points", "max points"],
    "tasks": ["Công việc thực hiện", "Nhiệm vụ", "Nội dung thực hiện", "tasks", "work to do"],
    "evidence": ["Tài liệu kiểm chứng", "Minh chứng", "Tài liệu minh chứng", "evidence"],
    "lead_unit": ["Đơn vị thực hiện", "Đơn vị chủ trì", "Cơ quan chủ trì", "Đơn vị phụ trách",
                  "Cơ quan phụ trách", "lead_unit", "lead unit"],
    "coordinating_units": ["Đơn vị phối hợp", "Cơ quan phối hợp", "coordinating_units",
                           "coordinating units"],
    "due": ["Thời hạn", "Thời hạn hoàn thành", "Hạn hoàn thành", "due", "due date"],
    "note": ["assignment_note", "Ghi chú", "note"],
}  # fmt: skip
HEADER_ALIASES = {alias: key for key, aliases in _ALIASES.items() for alias in aliases}

XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@dataclass(frozen=True)
class Problem:
    row: int  # 0: the file as a whole
    message: str


@dataclass
class Report:
    """What an import did, or why it did nothing."""

    updated: int = 0
    unchanged: int = 0
    # Rows without an assignment: parent indicators, rows with no lead unit,
    # indicators worth no points.
    skipped: int = 0
    # (row, lead unit as written): an office the system does not know, so the
    # indicator stays with the assessed unit itself.
    kept_with_unit: list[Problem] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems


# --- finding units by name -------------------------------------------------


class UnitNames:
    """Units found by full name, short name or code, without accents; a name
    two units share is reported, not guessed."""

    def __init__(self, units: Iterable[Unit]):
        self.units = list(units)
        self._by: dict[str, list[Unit]] = {}
        for unit in self.units:
            for name in {unit.code, unit.name, unit.short_name}:
                if name:
                    found = self._by.setdefault(fold(name), [])
                    if unit not in found:
                        found.append(unit)

    def find(self, name: str) -> list[Unit]:
        return self._by.get(fold(name), [])

    def label(self, unit: Unit) -> str:
        """The shortest name that finds this unit again (for exports)."""
        for name in (unit.short_name, unit.name, unit.code):
            if name and self.find(name) == [unit]:
                return name
        return unit.code


def _current(units: QuerySet[Unit], year: int) -> QuerySet[Unit]:
    """Units not dissolved before the cycle's year began."""
    return units.filter(Q(valid_to__isnull=True) | Q(valid_to__gte=dt.date(year, 1, 1)))


def self_assessed(cycle: Cycle, assessed: AssessedUnit) -> bool:
    """The scope assesses itself: any unit of the scope may lead an indicator."""
    return assessed.unit_id == cycle.scope_id


def lead_candidates(cycle: Cycle, assessed: AssessedUnit) -> UnitNames:
    if self_assessed(cycle, assessed):
        units = Unit.objects.within(cycle.scope)
    else:
        units = Unit.objects.filter(parent=assessed.unit)
    return UnitNames(_current(units, cycle.year).order_by("sort_key"))


# --- import ------------------------------------------------------------------


@dataclass
class _Change:
    assignment: Assignment
    owner: Unit
    coordinators: list[Unit] | None  # None: column absent, keep
    coordinators_text: str | None
    tasks: str | None
    evidence: str | None
    due: dt.date | bool | None  # False: column absent, keep


def parse_date(text: str) -> dt.date:
    """dd/mm/yyyy (what users type) or yyyy-mm-dd (what machines write)."""
    for pattern in ("%d/%m/%Y", "%Y-%m-%d", "%d-%m-%Y", "%d.%m.%Y"):
        try:
            return dt.datetime.strptime(text.strip(), pattern).date()
        except ValueError:
            continue
    raise ValueError(text)


def _split_coordinators(text: str, names: UnitNames) -> tuple[list[Unit], list[str]]:
    """Units named in "A; B" (or "A, B" when every piece is a unit); a
    collective phrase ("Các sở, ban, ngành, địa phương") stays text."""
    units: list[Unit] = []
    rest: list[str] = []
    for part in (p.strip() for p in text.split(";")):
        if not part:
            continue
        found = names.find(part)
        if len(found) == 1:
            units.append(found[0])
            continue
        pieces = [p.strip() for p in part.split(",") if p.strip()]
        matches = [names.find(p) for p in pieces]
        if len(pieces) > 1 and all(len(m) == 1 for m in matches):
            units.extend(m[0] for m in matches)
        else:
            rest.append(part)
    unique = list(dict.fromkeys(units))
    return unique, rest


def _resolve_assessed(cycle: Cycle, assessed: AssessedUnit | None) -> AssessedUnit:
    if assessed is not None:
        if assessed.cycle_id != cycle.pk:
            raise ValidationError(_("That unit is not assessed in this cycle."))
        return assessed
    rows = list(cycle.assessed.select_related("unit")[:2])
    if len(rows) != 1:
        raise ValidationError(_("Choose the assessed unit the file is for."))
    return rows[0]


def assignments_import(
    *,
    actor: User | None,
    cycle: Cycle,
    assessed: AssessedUnit | None,
    upload: IO[bytes],
    filename: str,
) -> Report:
    """Check the whole file, then update the assessed unit's assignments, all or nothing."""
    report = Report()
    if actor is not None and not policy.can_run_cycle(actor, cycle):
        report.problems.append(Problem(0, _("Only the cycle's standing office may do this.")))
        return report
    try:
        assessed = _resolve_assessed(cycle, assessed)
    except ValidationError as exc:
        report.problems.append(Problem(0, exc.messages[0]))
        return report
    try:
        rows = list(read_table(upload, filename, HEADER_ALIASES))
    except TableError as exc:
        report.problems.append(Problem(0, str(exc)))
        return report
    if not rows:
        report.problems.append(Problem(0, _("The file holds no indicators.")))
        return report
    columns = set().union(*(r.values.keys() for r in rows))
    if "code" not in columns:
        report.problems.append(Problem(0, _("The file has no indicator code column (STT).")))
        return report

    indicators = {i.code: i for i in cycle.framework.indicators.all()}
    parents = {i.parent_id for i in indicators.values() if i.parent_id}
    assignments = {
        a.indicator.code: a
        for a in Assignment.objects.filter(assessed=assessed)
        .select_related("indicator", "owner")
        .prefetch_related("coordinators")
    }
    names = lead_candidates(cycle, assessed)
    own = UnitNames([assessed.unit])
    strict = self_assessed(cycle, assessed)
    first_row: dict[str, int] = {}
    changes: list[_Change] = []

    for row in rows:
        v = row.values
        code = v.get("code", "").strip().rstrip(".")
        lead = v.get("lead_unit", "").strip()
        problems: list[str] = []
        if not lead:
            # Group headings ("I", "1. Nhận thức số") and rows nobody leads.
            report.skipped += 1
            continue
        if not code:
            report.problems.append(Problem(row.number, _("the indicator code is missing")))
            continue
        indicator = indicators.get(code)
        if indicator is None:
            report.problems.append(
                Problem(
                    row.number,
                    _("indicator “%(code)s” is not in framework %(framework)s")
                    % {"code": code, "framework": cycle.framework.label},
                )
            )
            continue
        if code in first_row:
            report.problems.append(
                Problem(
                    row.number,
                    _("indicator “%(code)s” already appears in row %(row)s")
                    % {"code": code, "row": first_row[code]},
                )
            )
            continue
        first_row[code] = row.number
        assignment = assignments.get(code)
        if indicator.pk in parents or assignment is None:
            # A parent indicator, or one worth no points (no assignment).
            report.skipped += 1
            continue

        owner: Unit | None = None
        found = names.find(lead)
        if len(found) == 1:
            owner = found[0]
        elif len(found) > 1:
            problems.append(
                _("lead unit “%(name)s” names several units: %(units)s")
                % {"name": lead, "units": ", ".join(u.code for u in found)}
            )
        elif not strict and own.find(lead):
            owner = assessed.unit
        elif strict:
            problems.append(
                _("lead unit “%(name)s” is not a unit of %(scope)s")
                % {"name": lead, "scope": cycle.scope.display_name}
            )
        else:
            owner = assessed.unit
            report.kept_with_unit.append(Problem(row.number, lead))

        coordinators: list[Unit] | None = None
        coordinators_text: str | None = None
        if "coordinating_units" in columns:
            coordinators, rest = _split_coordinators(v.get("coordinating_units", ""), names)
            if owner is not None:
                coordinators = [u for u in coordinators if u.pk != owner.pk]
            coordinators_text = "; ".join(rest)
            if len(coordinators_text) > 500:
                problems.append(_("the coordinating units are longer than 500 characters"))

        due: dt.date | bool | None = False
        if "due" in columns:
            text = v.get("due", "").strip()
            try:
                due = parse_date(text) if text else None
            except ValueError:
                problems.append(
                    _("due date “%(value)s” is not a date in the form dd/mm/yyyy") % {"value": text}
                )

        report.problems.extend(Problem(row.number, p) for p in problems)
        if problems or owner is None:
            continue
        changes.append(
            _Change(
                assignment=assignment,
                owner=owner,
                coordinators=coordinators,
                coordinators_text=coordinators_text,
                tasks=v.get("tasks", "").strip() if "tasks" in columns else None,
                evidence=v.get("evidence", "").strip() if "evidence" in columns else None,
                due=due,
            )
        )

    if report.problems:
        report.problems.sort(key=lambda p: p.row)
        report.kept_with_unit.clear()
        return report
    if not changes:
        report.problems.append(Problem(0, _("The file assigns no indicator.")))
        return report
    _write(changes, actor, report)
    return report


def _apply(change: _Change) -> tuple[bool, bool]:
    """Set the new values on the assignment; (fields changed, coordinators changed)."""
    a = change.assignment
    before = (a.owner_id, a.coordinators_text, a.tasks, a.evidence, a.due)
    a.owner = change.owner
    if change.coordinators_text is not None:
        a.coordinators_text = change.coordinators_text
    if change.tasks is not None:
        a.tasks = change.tasks
    if change.evidence is not None:
        a.evidence = change.evidence
    if change.due is not False:
        a.due = change.due  # type: ignore[assignment]
    after = (a.owner_id, a.coordinators_text, a.tasks, a.evidence, a.due)
    m2m_changed = change.coordinators is not None and {u.pk for u in change.coordinators} != {
        u.pk for u in a.coordinators.all()
    }
    return before != after, m2m_changed


FIELDS = ["owner", "coordinators_text", "tasks", "evidence", "due"]


@transaction.atomic
def _save_many(items: list[tuple[Assignment, list[Unit] | None]], actor: User | None) -> None:
    """Write assignments and their coordinators in bulk, with history rows
    (including the coordinators as they now are)."""
    through = Assignment.coordinators.through
    replaced = {a.pk: units for a, units in items if units is not None}
    if replaced:
        through.objects.filter(assignment_id__in=list(replaced)).delete()
        through.objects.bulk_create(
            through(assignment_id=pk, unit_id=u.pk) for pk, units in replaced.items() for u in units
        )
    objs = [a for a, _units in items]
    Assignment.objects.bulk_update(objs, FIELDS)
    history = Assignment.history.bulk_history_create(  # type: ignore[attr-defined]
        objs, update=True, default_user=actor
    )
    latest = {h.id: h for h in history}
    m2m_history = Assignment.history.model.coordinators.model  # type: ignore[attr-defined]
    rows = through.objects.filter(assignment_id__in=list(latest))
    m2m_history.objects.bulk_create(
        m2m_history(history=latest[r.assignment_id], id=r.pk, assignment_id=r.assignment_id,
                    unit_id=r.unit_id)
        for r in rows
    )  # fmt: skip


def _write(changes: list[_Change], actor: User | None, report: Report) -> None:
    items: list[tuple[Assignment, list[Unit] | None]] = []
    for change in changes:
        fields_changed, m2m_changed = _apply(change)
        if fields_changed or m2m_changed:
            items.append((change.assignment, change.coordinators if m2m_changed else None))
        else:
            report.unchanged += 1
    if items:
        _save_many(items, actor)
    report.updated = len(items)


# --- edit one ------------------------------------------------------------------


@transaction.atomic
def assignment_update(
    *,
    actor: User | None,
    assignment: Assignment,
    owner: Unit,
    coordinators: Iterable[Unit],
    coordinators_text: str,
    tasks: str,
    evidence: str,
    due: dt.date | None,
) -> Assignment:
    """Change one assignment; the owner and coordinators must belong to the cycle's scope."""
    scope = assignment.cycle.scope
    coordinators = [u for u in coordinators if u.pk != owner.pk]
    outside = [u for u in [owner, *coordinators] if not u.path.startswith(scope.path)]
    if outside:
        raise ValidationError(
            _("%(unit)s is outside %(scope)s.") % {"unit": outside[0].name, "scope": scope.name}
        )
    if len(coordinators_text) > 500:
        raise ValidationError(_("The other coordinators are longer than 500 characters."))
    assignment.owner = owner
    assignment.coordinators_text = coordinators_text.strip()
    assignment.tasks = tasks.strip()
    assignment.evidence = evidence.strip()
    assignment.due = due
    _save_many([(assignment, list(coordinators))], actor)
    return assignment


# --- copy from another cycle ---------------------------------------------------


def _shift_year(day: dt.date | None, years: int) -> dt.date | None:
    if day is None or years == 0:
        return day
    year = day.year + years
    return day.replace(year=year, day=min(day.day, calendar.monthrange(year, day.month)[1]))


def assignments_copy(*, actor: User | None, source: Cycle, target: Cycle) -> int:
    """Copy lead and coordinating units, work, evidence and due dates (moved
    by the years between the cycles) from another cycle of the same scope,
    indicator by indicator code and assessed unit by unit. Units dissolved
    before the target year are not copied. Returns how many assignments
    were copied."""
    if source.pk == target.pk:
        raise ValidationError(_("Choose another cycle to copy from."))
    if source.scope_id != target.scope_id:
        raise ValidationError(_("Assignments can only be copied between cycles of the same scope."))
    years = target.year - source.year
    start = dt.date(target.year, 1, 1)

    def alive(unit: Unit) -> bool:
        return unit.valid_to is None or unit.valid_to >= start

    old = {
        (a.assessed.unit_id, a.indicator.code): a
        for a in Assignment.objects.filter(cycle=source)
        .select_related("assessed", "indicator", "owner")
        .prefetch_related("coordinators")
    }
    items: list[tuple[Assignment, list[Unit] | None]] = []
    for a in (
        Assignment.objects.filter(cycle=target)
        .select_related("assessed", "indicator", "owner")
        .prefetch_related("coordinators")
    ):
        prior = old.get((a.assessed.unit_id, a.indicator.code))
        if prior is None:
            continue
        if alive(prior.owner):
            a.owner = prior.owner
        a.coordinators_text = prior.coordinators_text
        a.tasks = prior.tasks
        a.evidence = prior.evidence
        a.due = _shift_year(prior.due, years)
        coordinators = [u for u in prior.coordinators.all() if alive(u) and u.pk != a.owner_id]
        items.append((a, coordinators))
    with transaction.atomic():
        if items:
            _save_many(items, actor)
        target.copied_from = source
        target._history_user = actor  # type: ignore[attr-defined]
        target.save(update_fields=["copied_from"])
    return len(items)


# --- export ----------------------------------------------------------------------


def _points(value: Decimal) -> int | float:
    return int(value) if value == value.to_integral_value() else float(value)


def export_rows(cycle: Cycle, assessed: AssessedUnit) -> list[list[Any]]:
    """The framework tree in the import layout, with the assessed unit's assignments."""
    indicators: list[Indicator] = list(cycle.framework.indicators.order_by("order"))
    assignments = {
        a.indicator_id: a
        for a in Assignment.objects.filter(assessed=assessed)
        .select_related("owner")
        .prefetch_related("coordinators")
    }
    names = lead_candidates(cycle, assessed)
    rows: list[list[Any]] = []
    for ind in indicators:
        a = assignments.get(ind.pk)
        if a is None:
            rows.append([ind.code, ind.name, _points(ind.max_points), "", "", "", "", ""])
            continue
        coordinators = [names.label(u) for u in a.coordinators.all()]
        if a.coordinators_text:
            coordinators.append(a.coordinators_text)
        rows.append(
            [
                ind.code,
                ind.name,
                _points(ind.max_points),
                a.tasks,
                a.evidence,
                names.label(a.owner) if a.owner_id != assessed.unit_id else a.owner.name,
                "; ".join(coordinators),
                a.due.strftime("%d/%m/%Y") if a.due else "",
            ]
        )
    return rows


def assignments_export(cycle: Cycle, assessed: AssessedUnit) -> bytes:
    """An XLSX workbook in the seed layout; importing it back changes nothing."""
    return xlsx_bytes(_("Assignments"), HEADERS_VI, export_rows(cycle, assessed))
