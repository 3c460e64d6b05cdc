"""The Excel round trip for units that prefer a spreadsheet (issue §9).

`workbook_for` writes a pre-filled workbook of the indicators a person may
enter for one assessed unit and period: sheet "Số liệu" has one row per
input of each indicator (an indicator with a numerator and a denominator has
two rows); only the columns "Giá trị" and "Ghi chú" are unlocked. A hidden
sheet "_meta" carries, signed with `django.core.signing`, the period, the
assessed unit and each figure's version and values at download time.

`workbook_import` is all-or-nothing: every cell is checked first and each
problem is reported with the cell a person sees in Excel ("G12"); a figure
that someone changed after the download and that the file changes too is a
conflict naming who changed it. Only when nothing is wrong are the changed
indicators saved, in one transaction, as `figures.figure_save` saves a figure.

Cells follow Vietnamese habits: in text cells the comma is the decimal mark
and dots group thousands ("12,5", "1.250" = 1250, "1.250.000"); yes/no is
"Có"/"Không" (also "x", 1/0). An indicator whose cells are exactly as they
were downloaded is not touched, even if someone changed it on the web since.
"""

from __future__ import annotations

import datetime as dt
import io
import math
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal
from typing import IO, Any

from django.conf import settings
from django.core import signing
from django.core.exceptions import ValidationError
from django.db import IntegrityError, connection, transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from openpyxl import Workbook, load_workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Alignment, Border, Font, PatternFill, Protection, Side
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.worksheet.worksheet import Worksheet

from dtis.core.text import fold
from dtis.frameworks.models import Indicator
from dtis.orgs import policy
from dtis.orgs.models import User
from dtis.reporting.cycles import deadline_for
from dtis.reporting.figures import (
    StaleFigure,
    can_edit,
    clean_values,
    parse_number,
    self_score,
)
from dtis.reporting.models import AssessedUnit, Assignment, Figure, Period, Submission
from dtis.scoring.numbers import to_decimal

SHEET_DATA = "Số liệu"
SHEET_META = "_meta"
SHEET_LISTS = "_lists"
HEADER = (
    "Mã chỉ số",
    "Chỉ số",
    "Điểm tối đa",
    "Dữ liệu đầu vào",
    "Mã dữ liệu",
    "Đơn vị tính",
    "Giá trị",
    "Ghi chú",
)
COL_CODE, COL_NAME, COL_MAX, COL_LABEL, COL_INPUT, COL_UNIT, COL_VALUE, COL_NOTE = range(1, 9)
WIDTHS = (10, 46, 9, 50, 30, 13, 18, 36)
TITLE_ROW, HINT_ROW, HEADER_ROW = 1, 2, 3
HEADER_SEARCH_ROWS = 10
MAX_BYTES = 10 * 1024 * 1024
YES_TEXT, NO_TEXT = "Có", "Không"
YES = {"co", "x", "1", "yes", "true", "dung", "v", "✓", "✔"}
NO = {"khong", "0", "no", "false", "sai"}
NUMBER_FORMAT = "#,##0.##"
INTEGER_FORMAT = "#,##0"
SIGNING_SALT = "dtis.reporting.sheets"
META_KIND = "dtis-figures/1"
SAVE_REASON = "Nhập từ tệp Excel"
# "1.250", "1.250.000": dots grouping thousands, the Vietnamese way.
GROUPED = re.compile(r"^[1-9]\d{0,2}(\.\d{3})+$")

_FONT = Font(name="Times New Roman", size=11)
_BOLD = Font(name="Times New Roman", size=11, bold=True)
_TITLE = Font(name="Times New Roman", size=13, bold=True)
_HINT = Font(name="Times New Roman", size=10, italic=True, color="555555")
_THIN = Side(style="thin", color="808080")
_BORDER = Border(left=_THIN, right=_THIN, top=_THIN, bottom=_THIN)
_HEADER_FILL = PatternFill("solid", fgColor="DDEBF7")
_LOCKED_FILL = PatternFill("solid", fgColor="EDEDED")
_WRAP = Alignment(wrap_text=True, vertical="top")
_CENTRE = Alignment(wrap_text=True, vertical="top", horizontal="center")
_HEADER_ALIGN = Alignment(wrap_text=True, vertical="center", horizontal="center")
_UNLOCKED = Protection(locked=False)


# --- who may enter what ------------------------------------------------------


def assignments_of(assessed: AssessedUnit) -> list[Assignment]:
    """The assessed unit's assignments in framework order, ready for policy checks."""
    return list(
        assessed.assignments.select_related(
            "indicator", "owner", "assessed__unit", "assessed__cycle__scope", "cycle__scope"
        )
        .prefetch_related("coordinators")
        .order_by("indicator__order")
    )


def may_view(user: User, assessed: AssessedUnit, assignments: Iterable[Assignment]) -> bool:
    """The report, or at least one indicator of it (a lead unit elsewhere)."""
    return policy.can_view_report(user, assessed) or any(
        policy.can_view_report(user, assessed, a) for a in assignments
    )


def enterable(
    user: User, assessed: AssessedUnit, assignments: list[Assignment]
) -> list[Assignment]:
    """What goes into the person's workbook: everything for the standing office,
    otherwise the assignments `policy.can_enter_figure` allows."""
    if policy.can_run_cycle(user, assessed.cycle):
        return list(assignments)
    return [a for a in assignments if policy.can_enter_figure(user, a)]


def may_upload(user: User, assignments: Iterable[Assignment]) -> bool:
    return any(policy.can_enter_figure(user, a) for a in assignments)


def _import_assignments(assessed: AssessedUnit) -> list[Assignment]:
    """The assessed unit's assignments as an import checks them: the indicator
    and the lead unit (`policy.can_enter_figure`), each holding `assessed`
    itself. Without `assignments_of`'s coordinators and cycles, which the
    pages need: their prefetch cost an import more than reading its file."""
    return list(assessed.assignments.select_related("indicator", "owner"))


def is_editable(period: Period, assessed: AssessedUnit) -> bool:
    """Entries are accepted now (open period, reopened, or returned for correction)."""
    submission = Submission.objects.filter(period=period, assessed=assessed).first()
    reopenings = list(period.reopenings.filter(unit=assessed.unit))
    return can_edit(submission, period, assessed, timezone.localdate(), reopenings)


def unit_deadline(period: Period, assessed: AssessedUnit) -> Any:
    return deadline_for(period, assessed.unit, period.reopenings.filter(unit=assessed.unit))


# --- values in a canonical form ------------------------------------------------


def _kind(spec: dict[str, Any]) -> str:
    return str(spec.get("type", "number"))


def canonical(indicator: Indicator, values: dict[str, Any]) -> dict[str, str]:
    """Stored (cleaned) values as comparable strings: 12.50 and 12.5 are the same."""
    out: dict[str, str] = {}
    for spec in indicator.inputs:
        name = spec["name"]
        value = values.get(name)
        if value in (None, ""):
            continue
        kind = _kind(spec)
        if kind == "boolean":
            out[name] = "1" if value is True or str(value).lower() in ("1", "true") else "0"
        elif kind == "choice":
            out[name] = str(value)
        else:
            try:
                out[name] = format(to_decimal(value).normalize(), "f")
            except ValueError:
                out[name] = str(value)
    return out


# --- writing -------------------------------------------------------------------


def workbook_for(period: Period, assessed: AssessedUnit, user: User) -> bytes:
    """The pre-filled workbook of what `user` may enter for `assessed` in `period`."""
    if period.cycle_id != assessed.cycle_id:
        raise ValueError("the period and the assessed unit belong to different cycles")
    rows = enterable(user, assessed, assignments_of(assessed))
    figures = {f.indicator_id: f for f in Figure.objects.filter(period=period, assessed=assessed)}
    with translation.override("vi"):
        workbook = Workbook()
        sheet = workbook.active
        assert sheet is not None
        sheet.title = SHEET_DATA
        lists = workbook.create_sheet(SHEET_LISTS)
        meta_sheet = workbook.create_sheet(SHEET_META)
        meta = _write_data(sheet, lists, period, assessed, rows, figures)
        _write_meta(meta_sheet, period, assessed, meta)
        lists.sheet_state = meta_sheet.sheet_state = "hidden"
        lists.protection.sheet = meta_sheet.protection.sheet = True
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def workbook_filename(period: Period, assessed: AssessedUnit) -> str:
    return f"so-lieu-{assessed.unit.code.lower()}-{period.kind}-{period.cycle.year}.xlsx"


def _write_data(
    sheet: Worksheet,
    lists: Worksheet,
    period: Period,
    assessed: AssessedUnit,
    assignments: list[Assignment],
    figures: dict[int, Figure],
) -> dict[str, list[Any]]:
    deadline = unit_deadline(period, assessed)
    title = sheet.cell(row=TITLE_ROW, column=1)
    _set(
        title,
        f"{assessed.unit.name} — Kỳ báo cáo: {period} — Hạn báo cáo: {deadline:%d/%m/%Y}",
    )
    title.font = _TITLE
    sheet.row_dimensions[TITLE_ROW].height = 20
    sheet.row_dimensions[HEADER_ROW].height = 32
    hint = sheet.cell(row=HINT_ROW, column=1)
    _set(
        hint,
        "Chỉ nhập vào cột “Giá trị” và “Ghi chú”. Số thập phân dùng dấu phẩy (12,5); "
        "dấu chấm phân cách hàng nghìn (1.250). Câu hỏi có/không: chọn Có hoặc Không. "
        "Không sửa, thêm hay xoá cột; không sửa trang ẩn.",
    )
    hint.font = _HINT
    for col, (title_text, width) in enumerate(zip(HEADER, WIDTHS, strict=True), start=1):
        cell = sheet.cell(row=HEADER_ROW, column=col)
        _set(cell, title_text)
        cell.font, cell.fill, cell.alignment, cell.border = (
            _BOLD,
            _HEADER_FILL,
            _HEADER_ALIGN,
            _BORDER,
        )
        sheet.column_dimensions[get_column_letter(col)].width = width

    yes_no = DataValidation(
        type="list",
        formula1=f'"{YES_TEXT},{NO_TEXT}"',
        allow_blank=True,
        showErrorMessage=True,
        errorTitle="Giá trị không hợp lệ",
        error="Chọn Có hoặc Không.",
    )
    whole = DataValidation(
        type="whole",
        operator="greaterThanOrEqual",
        formula1="0",
        allow_blank=True,
        showErrorMessage=True,
        errorTitle="Giá trị không hợp lệ",
        error="Nhập một số nguyên không âm.",
    )
    decimal = DataValidation(
        type="decimal",
        operator="greaterThanOrEqual",
        formula1="0",
        allow_blank=True,
        showErrorMessage=True,
        errorTitle="Giá trị không hợp lệ",
        error="Nhập một số không âm (dấu phẩy thập phân).",
    )
    for validation in (yes_no, whole, decimal):
        sheet.add_data_validation(validation)

    meta: dict[str, list[Any]] = {}
    row = HEADER_ROW + 1
    list_col = 0
    for assignment in assignments:
        indicator = assignment.indicator
        if not indicator.inputs:
            continue
        figure = figures.get(indicator.pk)
        values = dict(figure.values) if figure else {}
        note = figure.note if figure else ""
        meta[indicator.code] = [
            figure.version if figure else 0,
            canonical(indicator, values),
            note,
        ]
        for index, spec in enumerate(indicator.inputs):
            first = index == 0
            kind = _kind(spec)
            cells: list[Any] = [
                indicator.code,
                indicator.name if first else "",
                _number(indicator.max_points) if first else None,
                spec.get("label") or spec["name"],
                spec["name"],
                spec.get("unit") or "",
                _display_value(spec, values.get(spec["name"])),
                note if first else "",
            ]
            for col, value in enumerate(cells, start=1):
                cell = sheet.cell(row=row, column=col)
                _set(cell, value)
                cell.font = _BOLD if col == COL_CODE and first else _FONT
                cell.border = _BORDER
                cell.alignment = _CENTRE if col in (COL_CODE, COL_MAX, COL_UNIT) else _WRAP
                if col in (COL_VALUE, COL_NOTE):
                    cell.protection = _UNLOCKED
                else:
                    cell.fill = _LOCKED_FILL
            sheet.row_dimensions[row].height = _row_height(cells)
            sheet.cell(row=row, column=COL_MAX).number_format = NUMBER_FORMAT
            value_cell = sheet.cell(row=row, column=COL_VALUE)
            if kind == "boolean":
                yes_no.add(value_cell.coordinate)
            elif kind == "choice":
                list_col += 1
                labels = [c.get("label") or c["value"] for c in spec.get("choices", [])]
                letter = get_column_letter(list_col)
                for n, label in enumerate(labels, start=1):
                    _set(lists.cell(row=n, column=list_col), label)
                choice = DataValidation(
                    type="list",
                    formula1=f"'{SHEET_LISTS}'!${letter}$1:${letter}${max(len(labels), 1)}",
                    allow_blank=True,
                    showErrorMessage=True,
                    errorTitle="Giá trị không hợp lệ",
                    error="Chọn một mức trong danh sách.",
                )
                sheet.add_data_validation(choice)
                choice.add(value_cell.coordinate)
            elif kind == "integer":
                value_cell.number_format = INTEGER_FORMAT
                whole.add(value_cell.coordinate)
            else:
                value_cell.number_format = NUMBER_FORMAT
                decimal.add(value_cell.coordinate)
            row += 1

    sheet.freeze_panes = sheet.cell(row=HEADER_ROW + 1, column=COL_LABEL).coordinate
    sheet.protection.sheet = True
    sheet.protection.formatColumns = False
    sheet.protection.formatRows = False
    sheet.page_setup.orientation = "landscape"
    sheet.page_setup.paperSize = sheet.PAPERSIZE_A4
    sheet.page_setup.fitToWidth = 1
    sheet.page_setup.fitToHeight = 0
    sheet.sheet_properties.pageSetUpPr.fitToPage = True
    sheet.print_title_rows = f"{HEADER_ROW}:{HEADER_ROW}"
    return meta


def _write_meta(
    sheet: Worksheet, period: Period, assessed: AssessedUnit, meta: dict[str, list[Any]]
) -> None:
    """Readable ids and versions, and the signed copy that alone is trusted."""
    payload = {"k": META_KIND, "p": period.pk, "a": assessed.pk, "f": meta}
    token = signing.dumps(payload, salt=SIGNING_SALT, compress=True)
    rows: list[tuple[str, Any]] = [
        ("Kỳ báo cáo (period id)", period.pk),
        ("Đơn vị được đánh giá (assessed id)", assessed.pk),
        ("Chữ ký (signed)", token),
        ("Mã chỉ số", "Phiên bản (version)"),
    ]
    rows += [(code, entry[0]) for code, entry in meta.items()]
    for n, (label, value) in enumerate(rows, start=1):
        _set(sheet.cell(row=n, column=1), label)
        _set(sheet.cell(row=n, column=2), value)


def _row_height(cells: list[Any]) -> float:
    """Points for a row whose wrapped text shows in full (Excel does not fit
    row heights when it opens a file): about one character per unit of width."""
    lines = 1
    for width, value in zip(WIDTHS, cells, strict=True):
        if isinstance(value, str) and value:
            per_line = max(1.0, width * 1.15)
            lines = max(
                lines, sum(math.ceil(len(part) * 1.1 / per_line) or 1 for part in value.split("\n"))
            )
    return min(13.5 * lines + 4, 409)


def _display_value(spec: dict[str, Any], value: Any) -> Any:
    if value in (None, ""):
        return None
    kind = _kind(spec)
    if kind == "boolean":
        return YES_TEXT if value is True or str(value).lower() in ("1", "true") else NO_TEXT
    if kind == "choice":
        for choice in spec.get("choices", []):
            if choice["value"] == value:
                return choice.get("label") or choice["value"]
        return str(value)
    return _number(value)


def _number(value: Any) -> Any:
    try:
        number = to_decimal(value)
    except ValueError:
        return str(value)
    return int(number) if number == number.to_integral_value() else number


def _set(cell: Any, value: Any) -> None:
    """Text is always text (a leading '=' is not a formula)."""
    if isinstance(value, str):
        value = ILLEGAL_CHARACTERS_RE.sub("", value)
        cell.value = value or None
        if value:
            cell.data_type = "s"
        return
    cell.value = value


# --- reading -------------------------------------------------------------------


@dataclass(frozen=True)
class SheetError:
    """One problem, with the cell a person sees in Excel ("G12") when there is one."""

    message: str
    cell: str = ""
    indicator: str = ""

    def __str__(self) -> str:
        if self.cell:
            return _("Cell %(cell)s: %(message)s") % {"cell": self.cell, "message": self.message}
        return self.message


@dataclass
class Report:
    errors: list[SheetError] = field(default_factory=list)
    changed: list[str] = field(default_factory=list)  # codes of the indicators saved
    unchanged: int = 0

    @property
    def ok(self) -> bool:
        return not self.errors


@dataclass
class _Pending:
    assignment: Assignment
    first_row: int
    cells: dict[str, str] = field(default_factory=dict)  # input name → value cell
    raw: dict[str, Any] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)


class _BadFile(Exception):
    pass


def workbook_import(
    *,
    actor: User,
    period: Period,
    assessed: AssessedUnit,
    upload: IO[bytes],
    filename: str,
) -> Report:
    """Check the whole workbook; save the changed indicators only if nothing is wrong."""
    report = Report()
    size = getattr(upload, "size", None)
    if hasattr(upload, "seek"):
        upload.seek(0)
    data = upload.read(MAX_BYTES + 1)
    if (size is not None and size > MAX_BYTES) or len(data) > MAX_BYTES:
        report.errors.append(SheetError(_("The file is larger than 10 MB.")))
        return report
    if period.cycle_id != assessed.cycle_id:
        report.errors.append(SheetError(_("This period does not belong to this assessment.")))
        return report
    if not is_editable(period, assessed):
        report.errors.append(
            SheetError(
                _("This period is closed for entries. Ask the standing office to reopen it.")
            )
        )
        return report
    try:
        meta, rows = _read(data, filename)
        _check_meta(meta, period, assessed)
    except _BadFile as exc:
        report.errors.append(SheetError(str(exc)))
        return report

    assignments = {a.indicator.code: a for a in _import_assignments(assessed)}
    pending = _collect(rows, assignments, report)
    figures = {
        f.indicator.code: f
        for f in Figure.objects.filter(period=period, assessed=assessed).select_related(
            "indicator", "updated_by"
        )
    }
    to_save: list[tuple[Assignment, dict[str, Any], str, int]] = []
    for code, item in pending.items():
        indicator = item.assignment.indicator
        entry = meta["f"].get(code)
        figure = figures.get(code)
        current = (
            canonical(indicator, figure.values) if figure else {},
            figure.note.strip() if figure else "",
        )
        base = (entry[1], str(entry[2]).strip()) if entry else current
        raw = dict(base[0])
        raw.update(item.raw)
        try:
            cleaned = clean_values(indicator, raw)
        except ValidationError as exc:
            for name, messages in exc.message_dict.items():
                cell = item.cells.get(name, f"{get_column_letter(COL_CODE)}{item.first_row}")
                for message in messages:
                    report.errors.append(SheetError(message, cell, code))
            continue
        new = (canonical(indicator, cleaned), "\n".join(item.notes).strip())
        if new == base:
            report.unchanged += 1
            continue
        where = _first_changed_cell(item, base[0], new[0])
        if not policy.can_enter_figure(actor, item.assignment):
            report.errors.append(
                SheetError(
                    _("you may not enter figures for indicator %(code)s.") % {"code": code},
                    where,
                    code,
                )
            )
            continue
        if entry is None:
            report.errors.append(
                SheetError(
                    _(
                        "indicator %(code)s was not in the file you downloaded; "
                        "download the file again."
                    )
                    % {"code": code},
                    where,
                    code,
                )
            )
            continue
        version = int(entry[0])
        if new == current:
            report.unchanged += 1
            continue
        if (figure.version if figure else 0) != version:
            report.errors.append(_conflict(figure, where))
            continue
        to_save.append((item.assignment, cleaned, new[1], version))

    if report.errors:
        return report
    try:
        with transaction.atomic():
            _write_all(actor, period, assessed, to_save)
    except StaleFigure as exc:  # saved by someone between the check and the save
        report.errors.append(_conflict(exc.current, ""))
        return report
    except ValidationError as exc:
        report.errors.extend(SheetError(m) for m in exc.messages)
        return report
    report.changed = [assignment.indicator.code for assignment, *_rest in to_save]
    return report


def _write_all(
    actor: User,
    period: Period,
    assessed: AssessedUnit,
    to_save: list[tuple[Assignment, dict[str, Any], str, int]],
) -> None:
    """Save the checked figures as `figures.figure_save` saves each one — the
    report must still be editable, a figure changed since the download is
    `StaleFigure`, the version goes up, self-score, history with who and why —
    in a fixed number of statements instead of five or six per figure (the
    import of a whole country's workbooks spent most of its time there).

    `cleaned` is what `clean_values` returned; it is stored as it is, not
    cleaned a second time (a second pass read a cleaned "2.125" as 2,125).
    The caller holds the transaction.
    """
    if not to_save:
        return
    if not is_editable(period, assessed):  # again, now inside the transaction
        raise ValidationError(
            _("This period is closed for entries. Ask the standing office to reopen it.")
        )
    wanted = [assignment.indicator_id for assignment, *_rest in to_save]
    locked = {
        f.indicator_id: f
        for f in Figure.objects.select_for_update().filter(
            period=period, assessed=assessed, indicator_id__in=wanted
        )
    }
    now = timezone.now()
    created: list[Figure] = []
    changed: list[Figure] = []
    for assignment, cleaned, note, version in to_save:
        indicator = assignment.indicator
        figure = locked.get(indicator.pk)
        if figure is None:
            figure = Figure(period=period, assessed=assessed, indicator=indicator)
            created.append(figure)
        elif figure.version != version:
            raise StaleFigure(figure)
        else:
            figure.version += 1
            changed.append(figure)
        figure.values, figure.note = cleaned, note.strip()
        if figure.not_applicable:
            figure.self_points, figure.explanation = None, ""
        else:
            figure.self_points, figure.explanation = self_score(indicator, cleaned)
        figure.updated_by, figure.updated_at = actor, now
    if created:
        try:
            with transaction.atomic():  # a savepoint: the caller's transaction stays usable
                _insert_figures(created)
        except IntegrityError:
            # Someone created one of these figures at the same moment (there
            # was no row to lock): theirs stands, and this file is stale.
            current = (
                Figure.objects.select_for_update()
                .filter(
                    period=period,
                    assessed=assessed,
                    indicator_id__in=[f.indicator_id for f in created],
                )
                .first()
            )
            if current is None:  # pragma: no cover - the row that made the insert fail
                raise
            raise StaleFigure(current) from None
        quote = connection.ops.quote_name
        keys = [
            quote(Figure._meta.get_field(n).column) for n in ("period", "assessed", "indicator")
        ]
        where = f"{keys[0]} = %s AND {keys[1]} = %s AND {keys[2]} IN "  # names only
        _history(
            where, [period.pk, assessed.pk], [f.indicator_id for f in created], actor, now, "+"
        )
    if changed:
        _update_figures(changed)
        pk = connection.ops.quote_name(Figure._meta.pk.column)  # type: ignore[union-attr]
        _history(f"{pk} IN ", [], [f.pk for f in changed], actor, now, "~")


def _insert_figures(figures: list[Figure]) -> None:
    """One parameterised INSERT run over every new figure (`executemany`),
    each value prepared by its own field as `save()` would (`bulk_create`
    costs more than the statement); their ids are not needed, the history
    copies the rows by their natural key."""
    fields = [f for f in Figure._meta.concrete_fields if not f.primary_key]
    quote = connection.ops.quote_name
    columns = ", ".join(quote(f.column) for f in fields)
    marks = ", ".join(["%s"] * len(fields))
    sql = f"INSERT INTO {quote(Figure._meta.db_table)} ({columns}) VALUES ({marks})"  # names only
    # The period, the unit, who and when are the same in every row: prepared once.
    same = {
        f.attname: f.get_db_prep_save(getattr(figures[0], f.attname), connection)
        for f in fields
        if f.attname in ("period_id", "assessed_id", "updated_by_id", "updated_at")
    }
    params = [
        tuple(
            same[f.attname]
            if f.attname in same
            else f.get_db_prep_save(getattr(r, f.attname), connection)
            for f in fields
        )
        for r in figures
    ]
    with connection.cursor() as cursor:
        cursor.executemany(sql, params)


_FIGURE_FIELDS = (
    "values", "note", "not_applicable", "self_points", "explanation", "version", "updated_by",
    "updated_at",
)  # fmt: skip


def _update_figures(figures: list[Figure]) -> None:
    """One parameterised UPDATE by primary key run over every figure
    (`executemany`), each value prepared by its own field as `save()` would;
    `bulk_update` builds a CASE expression per field per row."""
    fields = [Figure._meta.get_field(name) for name in _FIGURE_FIELDS]
    quote = connection.ops.quote_name
    sets = ", ".join(f"{quote(f.column)} = %s" for f in fields)  # type: ignore[union-attr]
    pk = quote(Figure._meta.pk.column)  # type: ignore[union-attr]
    sql = f"UPDATE {quote(Figure._meta.db_table)} SET {sets} WHERE {pk} = %s"  # names only
    params = [
        (*(f.get_db_prep_save(getattr(r, f.attname), connection) for f in fields), r.pk)  # type: ignore[union-attr]
        for r in figures
    ]
    with connection.cursor() as cursor:
        cursor.executemany(sql, params)


def _history(
    where: str, params: list[Any], keys: list[Any], actor: User, when: dt.datetime, kind: str
) -> None:
    """The figures' history entries as saving each one writes them
    (django-simple-history: a copy of the row with who, when, why and "+" for
    a new figure, "~" for a changed one), copied inside the database by an
    INSERT … SELECT of the rows just written (`where` + "(keys…)")."""
    if not getattr(settings, "SIMPLE_HISTORY_ENABLED", True):
        return
    history = Figure.history.model  # type: ignore[attr-defined]
    quote = connection.ops.quote_name
    tracked = history.tracked_fields
    target = [quote(history._meta.get_field(f.name).column) for f in tracked]
    target += [quote(history._meta.get_field(name).column) for name in _HISTORY_FIELDS]
    source = ", ".join(quote(f.column) for f in tracked)
    date = history._meta.get_field("history_date").get_db_prep_save(when, connection)
    pk = quote(Figure._meta.pk.column)  # type: ignore[union-attr]
    with connection.cursor() as cursor:
        for start in range(0, len(keys), 500):  # within every database's parameter limit
            chunk = keys[start : start + 500]
            sql = (  # names only; data is bound
                f"INSERT INTO {quote(history._meta.db_table)} ({', '.join(target)}) "
                f"SELECT {source}, %s, %s, %s, %s FROM {quote(Figure._meta.db_table)} "
                f"WHERE {where}({', '.join(['%s'] * len(chunk))}) ORDER BY {pk}"
            )
            cursor.execute(sql, [date, SAVE_REASON, kind, actor.pk, *params, *chunk])


_HISTORY_FIELDS = ("history_date", "history_change_reason", "history_type", "history_user")


def _conflict(figure: Figure | None, cell: str) -> SheetError:
    if figure is None:  # pragma: no cover - a figure is never deleted
        code = ""
        who, when = _("another user"), ""
    else:
        code = figure.indicator.code
        person = figure.updated_by
        who = (person.full_name or person.username) if person else _("another user")
        when = timezone.localtime(figure.updated_at).strftime("%H:%M %d/%m/%Y")
    return SheetError(
        _(
            "indicator %(code)s was changed by %(who)s at %(when)s after this file was "
            "downloaded. Download the file again and enter your changes there."
        )
        % {"code": code, "who": who, "when": when},
        cell,
        code,
    )


def _first_changed_cell(item: _Pending, before: dict[str, str], after: dict[str, str]) -> str:
    for name, cell in item.cells.items():
        if before.get(name) != after.get(name):
            return cell
    return f"{get_column_letter(COL_NOTE)}{item.first_row}"


def _read(data: bytes, filename: str) -> tuple[dict[str, Any], list[tuple[int, tuple[Any, ...]]]]:
    """The signed meta and the data rows (with their Excel row numbers)."""
    not_xlsx = _(
        "“%(name)s” is not an Excel workbook (.xlsx). Download the form again and "
        "fill it in Excel or LibreOffice, saving as .xlsx."
    ) % {"name": filename}
    if not data.startswith(b"PK"):
        raise _BadFile(not_xlsx)
    try:
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception as exc:  # a damaged zip or XML raises many kinds of errors
        raise _BadFile(not_xlsx) from exc
    try:
        names = workbook.sheetnames
        if SHEET_DATA not in names:
            raise _BadFile(
                _("The workbook has no sheet “%(sheet)s”. Use the form downloaded from DTIS.")
                % {"sheet": SHEET_DATA}
            )
        if SHEET_META not in names:
            raise _BadFile(
                _(
                    "The workbook's hidden information sheet is missing. "
                    "Use the form downloaded from DTIS."
                )
            )
        meta = _meta_of(workbook[SHEET_META])
        sheet = workbook[SHEET_DATA]
        header_row = 0
        rows: list[tuple[int, tuple[Any, ...]]] = []
        for number, values in enumerate(
            sheet.iter_rows(max_col=len(HEADER), values_only=True), start=1
        ):
            values = tuple(values) + (None,) * (len(HEADER) - len(values))
            if not header_row:
                if [fold(str(v or "")) for v in values] == [fold(h) for h in HEADER]:
                    header_row = number
                elif number >= HEADER_SEARCH_ROWS:
                    break
                continue
            rows.append((number, values))
        if not header_row:
            raise _BadFile(
                _(
                    "The sheet “%(sheet)s” has no header row (%(header)s). "
                    "Do not add, remove or rename columns."
                )
                % {"sheet": SHEET_DATA, "header": " | ".join(HEADER)}
            )
        return meta, rows
    finally:
        workbook.close()


def _meta_of(sheet: Any) -> dict[str, Any]:
    tampered = _(
        "The workbook's hidden information was changed, so it cannot be trusted. "
        "Download the form again."
    )
    token = None
    for row in sheet.iter_rows(min_row=1, max_row=10, max_col=2, values_only=True):
        label, value = (*row, None, None)[:2]
        if isinstance(label, str) and label.startswith("Chữ ký"):
            token = value
            break
    if not isinstance(token, str):
        raise _BadFile(tampered)
    try:
        meta = signing.loads(token, salt=SIGNING_SALT)
    except signing.BadSignature as exc:
        raise _BadFile(tampered) from exc
    if not isinstance(meta, dict) or meta.get("k") != META_KIND:
        raise _BadFile(tampered)
    return meta


def _check_meta(meta: dict[str, Any], period: Period, assessed: AssessedUnit) -> None:
    if meta.get("p") != period.pk or meta.get("a") != assessed.pk:
        raise _BadFile(
            _(
                "This file was downloaded for another unit or reporting period. "
                "Download the form of %(unit)s, %(period)s."
            )
            % {"unit": assessed.unit.name, "period": period}
        )


def _collect(
    rows: list[tuple[int, tuple[Any, ...]]],
    assignments: dict[str, Assignment],
    report: Report,
) -> dict[str, _Pending]:
    """Each indicator's cells, typed; every bad cell goes to the report."""
    pending: dict[str, _Pending] = {}
    letter = get_column_letter
    for number, values in rows:
        code_value = _text(values[COL_CODE - 1])
        input_name = _text(values[COL_INPUT - 1])
        value = values[COL_VALUE - 1]
        if isinstance(value, str) and not value.strip():
            value = None
        note = _text(values[COL_NOTE - 1])
        if not code_value and not input_name and value is None and not note:
            continue
        code_cell = f"{letter(COL_CODE)}{number}"
        value_cell = f"{letter(COL_VALUE)}{number}"
        input_cell = f"{letter(COL_INPUT)}{number}"
        if not code_value:
            report.errors.append(SheetError(_("the indicator code is missing."), code_cell))
            continue
        assignment = assignments.get(code_value)
        if assignment is None:
            report.errors.append(
                SheetError(
                    _("there is no indicator “%(code)s” in this assessment.")
                    % {"code": code_value},
                    code_cell,
                    code_value,
                )
            )
            continue
        indicator = assignment.indicator
        specs = {s["name"]: s for s in indicator.inputs}
        spec = specs.get(input_name)
        if spec is None:
            report.errors.append(
                SheetError(
                    _("indicator %(code)s has no input “%(name)s”.")
                    % {"code": code_value, "name": input_name},
                    input_cell,
                    code_value,
                )
            )
            continue
        item = pending.setdefault(code_value, _Pending(assignment, number))
        if input_name in item.cells:
            report.errors.append(
                SheetError(
                    _("input “%(name)s” of indicator %(code)s appears twice.")
                    % {"code": code_value, "name": input_name},
                    input_cell,
                    code_value,
                )
            )
            continue
        item.cells[input_name] = value_cell
        if note:
            item.notes.append(note)
        try:
            item.raw[input_name] = _cell_value(spec, value)
        except ValueError as exc:
            report.errors.append(SheetError(str(exc), value_cell, code_value))
    return pending


def _text(value: Any) -> str:
    if value is None:
        return ""
    return str(value).strip()


def _cell_value(spec: dict[str, Any], value: Any) -> Any:
    """A cell as the raw value `clean_values` expects; ValueError says what is wrong."""
    if value is None:
        return None
    kind = _kind(spec)
    shown = str(value).strip()
    if kind == "boolean":
        if isinstance(value, bool):
            return value
        if isinstance(value, int | float) and value in (0, 1):
            return bool(value)
        folded = fold(shown)
        if folded in YES:
            return True
        if folded in NO:
            return False
        raise ValueError(
            _("“%(value)s” is not a yes/no answer: write Có or Không.") % {"value": shown}
        )
    if kind == "choice":
        folded = fold(shown)
        for choice in spec.get("choices", []):
            if folded in (fold(str(choice.get("label") or "")), fold(str(choice["value"]))):
                return choice["value"]
        raise ValueError(
            _("“%(value)s” is not one of the levels: %(levels)s.")
            % {
                "value": shown,
                "levels": "; ".join(
                    str(c.get("label") or c["value"]) for c in spec.get("choices", [])
                ),
            }
        )
    not_a_number = _("“%(value)s” is not a number.") % {"value": shown}
    if isinstance(value, dt.date | dt.time):
        raise ValueError(
            _("Excel turned the value into a date (%(value)s); type the number again, e.g. 12,5.")
            % {"value": shown}
        )
    if isinstance(value, bool) or not isinstance(value, int | float | Decimal | str):
        raise ValueError(not_a_number)
    if isinstance(value, str):
        text = shown.replace(" ", "").replace("\u00a0", "")
        if GROUPED.match(text):
            text = text.replace(".", "")
        value = text
    try:
        number = parse_number(value)
    except ValueError as exc:
        raise ValueError(not_a_number) from exc
    if not number.is_finite():
        raise ValueError(not_a_number)
    return number
