"""Frameworks as Excel workbooks, in the layout of the seed plans.

Sheet "Bộ chỉ số" holds one row per indicator in tree order, with the seven
columns the provincial plans use (STT, indicator, max points, work to do,
evidence, lead unit, coordinating units) followed by the scoring columns
(rule kind, its parameters as JSON, the inputs as JSON, guidance, measured
automatically). Sheet "Thông tin" holds the framework's metadata as
field/value pairs. `read_workbook` is the inverse of `workbook_bytes`: an
exported workbook imports back to the same framework.

Reading collects every structural problem of the workbook (a row without a
code, a code whose parent row is missing, max points that are not a number,
JSON that does not parse…) and raises them together, each with the row
number a person sees in Excel (header = row 1). Problems of content (sums,
rules) are left to `framework_import`; the returned dict carries
`_rows = {code: row}` so that `locate` can put row numbers on them too.
"""

from __future__ import annotations

import datetime as dt
import io
import json
import math
import re
import zipfile
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import IO, Any

from django.utils import translation
from django.utils.translation import gettext as _
from openpyxl import Workbook, load_workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter
from openpyxl.utils.exceptions import InvalidFileException
from openpyxl.worksheet.pagebreak import Break
from openpyxl.worksheet.worksheet import Worksheet

from dtis.core.text import fold
from dtis.frameworks.files import FileFormatError
from dtis.frameworks.models import Level, Status
from dtis.scoring.tree import Problem

SHEET_INDICATORS = "Bộ chỉ số"
SHEET_INFO = "Thông tin"
HEADER_SEARCH_ROWS = 10  # a title above the table is tolerated


@dataclass(frozen=True)
class Column:
    key: str
    title: str
    width: float
    aliases: tuple[str, ...] = ()


COLUMNS = (
    Column("code", "STT", 6, ("TT", "Số thứ tự", "Mã", "Mã chỉ số", "code")),
    Column(
        "name",
        "Chỉ số/Chỉ số thành phần",
        38,
        ("Chỉ số", "Tên chỉ số", "Chỉ tiêu", "Nội dung", "name"),
    ),
    Column("max_points", "Điểm tối đa", 7, ("Điểm", "Thang điểm", "max points")),
    Column("tasks", "Công việc thực hiện", 34, ("Nhiệm vụ", "tasks")),
    Column(
        "evidence", "Tài liệu kiểm chứng", 24, ("Minh chứng", "Tài liệu minh chứng", "evidence")
    ),
    Column(
        "lead_unit",
        "Đơn vị thực hiện",
        15,
        ("Đơn vị chủ trì", "Cơ quan chủ trì", "Cơ quan phụ trách", "Đơn vị phụ trách", "lead unit"),
    ),
    Column("coordinating_units", "Đơn vị phối hợp", 17, ("Cơ quan phối hợp", "coordinating units")),
    Column("kind", "Cách tính điểm", 12, ("Quy tắc", "Quy tắc chấm điểm", "rule", "kind")),
    Column("params", "Tham số", 26, ("params", "parameters")),
    Column("inputs", "Dữ liệu đầu vào", 40, ("inputs",)),
    Column("guidance", "Hướng dẫn", 40, ("Hướng dẫn chấm điểm", "guidance")),
    Column("auto_measurable", "Đo tự động", 7, ("auto measurable",)),
)
HEADER = [c.title for c in COLUMNS]
REQUIRED = ("code", "name", "max_points")
TEXT_KEYS = ("tasks", "evidence", "guidance")  # kept verbatim (line breaks and all)

# (key, label in the "Thông tin" sheet)
INFO_FIELDS = (
    ("code", "Mã bộ chỉ số"),
    ("name", "Tên bộ chỉ số"),
    ("level", "Cấp áp dụng"),
    ("version", "Phiên bản"),
    ("status", "Trạng thái"),
    ("legal_number", "Số quyết định"),
    ("legal_date", "Ngày quyết định"),
    ("legal_issuer", "Cơ quan ban hành"),
    ("year_from", "Áp dụng từ năm"),
    ("year_to", "Áp dụng đến năm"),
    ("bands", "Xếp loại"),
    ("pillars", "Trụ cột"),
)
INFO_HEADER = ["Trường", "Giá trị"]

CODE_RE = re.compile(r"^\d+(\.\d+)*$")
YES = {"x", "co", "yes", "true", "1", "v", "✓", "✔", "dung"}
NO = {"", "khong", "no", "false", "0"}
DATE_FORMAT = "DD/MM/YYYY"
SEED_COLUMNS = 7  # STT … Đơn vị phối hợp: the columns of the seed plans' tables
PRINT_SCALE = 80
CHARS_PER_WIDTH = 1.15  # Times New Roman 11 pt characters per unit of column width
WRAP_SLACK = 1.1
LINE_HEIGHT = 13.5  # points per line of 11 pt text
MAX_ROW_HEIGHT = 409  # Excel's limit
INFO_WIDTHS = (22, 100)
TOTAL_RE = re.compile(r"^(tong|tong cong|tong diem|tong so diem|cong)$")


class WorkbookError(FileFormatError):
    """The workbook cannot be read as a framework; `lines` lists every problem."""

    def __init__(self, lines: list[str]) -> None:
        super().__init__("\n".join(lines))
        self.lines = lines


# --- writing --------------------------------------------------------------------

_FONT = Font(name="Times New Roman", size=11)
_BOLD = Font(name="Times New Roman", size=11, bold=True)
_THIN = Side(style="thin", color="808080")
_BORDER = Border(left=_THIN, right=_THIN, top=_THIN, bottom=_THIN)
_HEADER_FILL = PatternFill("solid", fgColor="DDEBF7")
_MAIN_FILL = PatternFill("solid", fgColor="F2F2F2")
_WRAP = Alignment(wrap_text=True, vertical="top")
_LEFT = Alignment(wrap_text=True, vertical="top", horizontal="left")
_CENTRE = Alignment(wrap_text=True, vertical="top", horizontal="center")
_HEADER_ALIGN = Alignment(wrap_text=True, vertical="center", horizontal="center")
_CENTRED_KEYS = {"code", "max_points", "kind", "auto_measurable"}


def workbook_bytes(data: Mapping[str, Any]) -> bytes:
    """The framework dict (as `framework_dict` gives it) as an .xlsx workbook."""
    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.title = SHEET_INDICATORS
    _write_indicators(sheet, data.get("indicators") or [])
    _write_info(workbook.create_sheet(SHEET_INFO), data)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _walk(nodes: Iterable[Mapping[str, Any]]) -> Iterator[Mapping[str, Any]]:
    for node in nodes:
        yield node
        yield from _walk(node.get("children") or [])


def _indicator_cells(node: Mapping[str, Any]) -> list[Any]:
    rule = dict(node.get("rule") or {})
    kind = rule.pop("kind", "")
    return [
        str(node.get("code") or ""),
        str(node.get("name") or ""),
        _number(node.get("max_points")),
        node.get("tasks") or "",
        node.get("evidence") or "",
        node.get("lead_unit") or "",
        "; ".join(node.get("coordinating_units") or []),
        kind,
        _json(rule) if rule else "",
        _json(node["inputs"]) if node.get("inputs") else "",
        node.get("guidance") or "",
        "x" if node.get("auto_measurable") else "",
    ]


def _write_indicators(sheet: Worksheet, roots: Sequence[Mapping[str, Any]]) -> None:
    for col, column in enumerate(COLUMNS, start=1):
        cell = sheet.cell(row=1, column=col)
        _header_cell(cell, column.title)
        sheet.column_dimensions[get_column_letter(col)].width = column.width
    for row, node in enumerate(_walk(roots), start=2):
        main = "." not in str(node.get("code") or "")
        for col, (column, value) in enumerate(zip(COLUMNS, _indicator_cells(node), strict=True), 1):
            cell = sheet.cell(row=row, column=col)
            _set(cell, value)
            cell.font = _BOLD if main else _FONT
            cell.alignment = _CENTRE if column.key in _CENTRED_KEYS else _WRAP
            cell.border = _BORDER
            if main:
                cell.fill = _MAIN_FILL
        sheet.row_dimensions[row].height = _row_height(
            (c.width, v) for c, v in zip(COLUMNS, _indicator_cells(node), strict=True)
        )
    sheet.row_dimensions[1].height = _row_height((c.width, c.title) for c in COLUMNS)
    sheet.freeze_panes = "C2"
    _page_setup(sheet)
    # Printed, the seven seed columns make one set of pages (the assignment
    # table of the plans) and the scoring columns another, STT and name
    # repeated: one page wide at a readable scale instead of a tiny print.
    sheet.sheet_properties.pageSetUpPr.fitToPage = False
    sheet.page_setup.scale = PRINT_SCALE
    sheet.col_breaks.append(Break(id=SEED_COLUMNS))
    sheet.print_title_rows = "1:1"
    sheet.print_title_cols = "A:B"


def _write_info(sheet: Worksheet, data: Mapping[str, Any]) -> None:
    basis = data.get("legal_basis") or {}
    values: dict[str, Any] = {
        "code": data.get("code") or "",
        "name": data.get("name") or "",
        "level": data.get("level") or "",
        "version": data.get("version"),
        "status": data.get("status") or "",
        "legal_number": basis.get("number") or "",
        "legal_date": _date(basis.get("date")),
        "legal_issuer": basis.get("issuer") or "",
        "year_from": data.get("year_from"),
        "year_to": data.get("year_to"),
        "bands": _json(data.get("bands") or []),
        "pillars": _json(data.get("pillars") or []),
    }
    for col, title in enumerate(INFO_HEADER, start=1):
        cell = sheet.cell(row=1, column=col)
        _header_cell(cell, title)
    for row, (key, label) in enumerate(INFO_FIELDS, start=2):
        label_cell, value_cell = sheet.cell(row=row, column=1), sheet.cell(row=row, column=2)
        _set(label_cell, label)
        _set(value_cell, values[key])
        label_cell.font, value_cell.font = _BOLD, _FONT
        label_cell.alignment, value_cell.alignment = _WRAP, _LEFT
        label_cell.border = value_cell.border = _BORDER
        if key == "legal_date":
            value_cell.number_format = DATE_FORMAT
        sheet.row_dimensions[row].height = _row_height(
            [(INFO_WIDTHS[0], label), (INFO_WIDTHS[1], values[key])]
        )
    sheet.column_dimensions["A"].width, sheet.column_dimensions["B"].width = INFO_WIDTHS
    sheet.freeze_panes = "A2"
    _page_setup(sheet)


def _row_height(cells: Iterable[tuple[float, Any]]) -> float:
    """Points for a row whose wrapped cells all show in full.

    Excel does not fit row heights when it opens a file and LibreOffice does
    not always either, so the height is estimated from the text: about one
    character per unit of column width, a little more for word wrapping.
    """
    lines = 1
    for width, value in cells:
        if not isinstance(value, str) or not value:
            continue
        per_line = max(1.0, width * CHARS_PER_WIDTH)
        lines = max(
            lines,
            sum(math.ceil(len(part) * WRAP_SLACK / per_line) or 1 for part in value.split("\n")),
        )
    return min(LINE_HEIGHT * lines + 4, MAX_ROW_HEIGHT)


def _header_cell(cell: Any, title: str) -> None:
    _set(cell, title)
    cell.font, cell.fill, cell.alignment, cell.border = _BOLD, _HEADER_FILL, _HEADER_ALIGN, _BORDER


def _page_setup(sheet: Worksheet) -> None:
    sheet.page_setup.orientation = "landscape"
    sheet.page_setup.paperSize = sheet.PAPERSIZE_A4
    sheet.page_setup.fitToWidth = 1
    sheet.page_setup.fitToHeight = 0
    sheet.sheet_properties.pageSetUpPr.fitToPage = True
    sheet.page_margins.left = sheet.page_margins.right = 0.4
    sheet.page_margins.top = sheet.page_margins.bottom = 0.6
    sheet.print_options.horizontalCentered = True
    sheet.oddFooter.center.text = "&P/&N"


def _set(cell: Any, value: Any) -> None:
    """Write a value; text is always text (a leading '=' is not a formula)."""
    if isinstance(value, str):
        value = ILLEGAL_CHARACTERS_RE.sub("", value)
        cell.value = value or None
        if value:
            cell.data_type = "s"
        return
    cell.value = value


def _number(value: Any) -> Any:
    """Decimal → int when integral, else float; numbers in text become numbers."""
    if isinstance(value, bool) or value is None:
        return value
    if isinstance(value, str):
        try:
            value = Decimal(value)
        except InvalidOperation:
            return value
    if isinstance(value, Decimal):
        return int(value) if value == value.to_integral_value() else float(value)
    return value


def _json_default(value: Any) -> Any:
    if isinstance(value, Decimal):
        return _number(value)
    if isinstance(value, dt.date):
        return value.isoformat()
    raise TypeError(f"{type(value).__name__} is not JSON serialisable")


def _json(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, default=_json_default)


def _date(value: Any) -> dt.date | str | None:
    if value in (None, ""):
        return None
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    try:
        return dt.date.fromisoformat(str(value))
    except ValueError:
        return str(value)


# --- reading ----------------------------------------------------------------------


class _Errors:
    """Problems located by sheet and row, reported in reading order."""

    def __init__(self) -> None:
        self._items: list[tuple[int, int, str]] = []

    def row(self, row: int, message: str) -> None:
        text = _("Row %(row)s: %(message)s") % {"row": row, "message": message}
        self._items.append((1, row, text))

    def info(self, row: int, message: str) -> None:
        text = _("Sheet “%(sheet)s”, row %(row)s: %(message)s") % {
            "sheet": SHEET_INFO,
            "row": row,
            "message": message,
        }
        self._items.append((2, row, text))

    def general(self, message: str) -> None:
        self._items.append((0, 0, message))

    def raise_any(self) -> None:
        if self._items:
            raise WorkbookError([text for *_where, text in sorted(self._items)])


def read_workbook(upload: IO[bytes]) -> dict[str, Any]:
    """The framework dict of a workbook in the layout `workbook_bytes` writes.

    Raises WorkbookError (a FileFormatError) listing every structural problem
    with its row. The result carries `_rows = {code: Excel row number}`.
    """
    try:
        workbook = load_workbook(upload, read_only=True, data_only=True)
    except (InvalidFileException, zipfile.BadZipFile, KeyError, OSError, ValueError) as exc:
        raise FileFormatError(_("The file is not a valid Excel (.xlsx) workbook.")) from exc
    try:
        return _read(workbook)
    finally:
        workbook.close()


def _read(workbook: Any) -> dict[str, Any]:
    errors = _Errors()
    by_name = {fold(ws.title): ws for ws in workbook.worksheets}
    info_sheet = by_name.get(fold(SHEET_INFO))
    indicator_sheet = by_name.get(fold(SHEET_INDICATORS)) or next(
        (ws for ws in workbook.worksheets if ws is not info_sheet), None
    )
    data: dict[str, Any] = {}
    if info_sheet is None:
        errors.general(
            _(
                "The workbook has no sheet “%(sheet)s” with the framework's code, name and "
                "level; export a framework to Excel to see the layout."
            )
            % {"sheet": SHEET_INFO}
        )
    else:
        data = _read_info(info_sheet, errors)
    if indicator_sheet is None:
        errors.general(
            _("The workbook has no sheet “%(sheet)s” with the indicators.")
            % {"sheet": SHEET_INDICATORS}
        )
        errors.raise_any()
    indicators, rows = _read_indicators(indicator_sheet, errors)
    errors.raise_any()
    return data | {"indicators": indicators, "_rows": rows}


def _header_key(text: Any) -> str:
    return fold(str(text or "")).replace(" ", "").replace("_", "")


_ALIASES = {
    _header_key(name): column.key
    for column in COLUMNS
    for name in (column.title, column.key, *column.aliases)
}


def _find_header(
    rows: Iterator[tuple[int, tuple[Any, ...]]], errors: _Errors
) -> dict[str, int] | None:
    """{column key: index} from the first row naming at least two known columns."""
    for number, cells in rows:
        keys: dict[str, int] = {}
        for index, cell in enumerate(cells):
            key = _ALIASES.get(_header_key(cell))
            if key and key not in keys:
                keys[key] = index
        if len(keys) >= 2:
            missing = [c.title for c in COLUMNS if c.key in REQUIRED and c.key not in keys]
            if missing:
                errors.row(
                    number,
                    _("the header lacks the columns %(columns)s") % {"columns": ", ".join(missing)},
                )
                return None
            return keys
        if number >= HEADER_SEARCH_ROWS:
            break
    errors.general(
        _("The sheet “%(sheet)s” has no header row with the columns %(columns)s.")
        % {"sheet": SHEET_INDICATORS, "columns": ", ".join(HEADER)}
    )
    return None


def _read_indicators(sheet: Any, errors: _Errors) -> tuple[list[dict[str, Any]], dict[str, int]]:
    sheet.reset_dimensions()  # some writers store a wrong size; read every row
    rows = enumerate(sheet.iter_rows(values_only=True), start=1)
    columns = _find_header(rows, errors)
    if columns is None:
        return [], {}
    nodes: dict[str, dict[str, Any]] = {}
    where: dict[str, int] = {}
    for number, cells in rows:

        def cell(key: str, cells: tuple[Any, ...] = cells) -> Any:
            index = columns.get(key)
            value = cells[index] if index is not None and index < len(cells) else None
            return None if isinstance(value, str) and not value.strip() else value

        if all(cell(c.key) is None for c in COLUMNS):
            continue
        node = _read_row(number, cell, errors)
        if node is None:
            continue
        code = node["code"]
        if code in where:
            errors.row(
                number,
                _("code %(code)s is already used on row %(other)s")
                % {"code": code, "other": where[code]},
            )
            continue
        nodes[code], where[code] = node, number
    roots = []
    for code, node in nodes.items():
        parent_code = code.rpartition(".")[0]
        if not parent_code:
            roots.append(node)
        elif parent_code in nodes:
            nodes[parent_code].setdefault("children", []).append(node)
        else:
            errors.row(
                where[code],
                _("there is no row for %(parent)s, the parent of %(code)s")
                % {"parent": parent_code, "code": code},
            )
    for node in nodes.values():
        if "children" in node:
            node["children"].sort(key=lambda n: _code_key(n["code"]))
    roots.sort(key=lambda n: _code_key(n["code"]))
    return roots, where


def _code_key(code: str) -> tuple[int, ...]:
    return tuple(int(part) for part in code.split("."))


def _read_row(number: int, cell: Any, errors: _Errors) -> dict[str, Any] | None:
    raw_code = cell("code")
    if raw_code is None:
        if TOTAL_RE.match(fold(_text(cell("name")))):
            return None  # a "Tổng cộng" line under the table
        errors.row(number, _("the STT (indicator code) is empty"))
        return None
    code = _text(raw_code).rstrip(".")
    if not CODE_RE.match(code):
        errors.row(
            number,
            _("“%(code)s” is not an indicator code like 1, 1.2 or 1.2.1") % {"code": raw_code},
        )
        return None
    # The node is kept even when a cell is wrong, so that its children still
    # find their parent and only the real problems are reported.
    node: dict[str, Any] = {"code": code, "name": _text(cell("name"))}
    max_points = _points(cell("max_points"))
    if cell("max_points") is None:
        errors.row(number, _("max points are missing"))
    elif max_points is None:
        errors.row(
            number,
            _("max points “%(value)s” is not a number") % {"value": _text(cell("max_points"))},
        )
    node["max_points"] = max_points
    rule = _rule(number, cell("kind"), cell("params"), errors)
    if rule:
        node["rule"] = rule
    inputs = _json_cell(cell("inputs"), list)
    if inputs is None:
        errors.row(
            number,
            _("%(column)s must be a JSON list like %(example)s")
            % {"column": "“Dữ liệu đầu vào”", "example": '[{"name": "a", "label": "…"}]'},
        )
    elif inputs:
        node["inputs"] = inputs
    for key in TEXT_KEYS:
        value = cell(key)
        if value is not None:
            node[key] = value if isinstance(value, str) else _text(value)
    lead = _text(cell("lead_unit"))
    if lead:
        node["lead_unit"] = lead
    units = [u.strip() for u in re.split(r"[;\n]", _text(cell("coordinating_units")))]
    if any(units):
        node["coordinating_units"] = [u for u in units if u]
    auto = fold(_text(cell("auto_measurable")))
    if auto in YES:
        node["auto_measurable"] = True
    elif auto not in NO:
        errors.row(
            number,
            _("%(column)s must be “x” or empty, not “%(value)s”")
            % {"column": "“Đo tự động”", "value": _text(cell("auto_measurable"))},
        )
    return node


def _rule(number: int, kind: Any, params: Any, errors: _Errors) -> dict[str, Any] | None:
    """The rule dict; None for no rule or after reporting a problem."""
    kind_text = fold(_text(kind)).replace(" ", "_")
    parsed = _json_cell(params, dict)
    if parsed is None:
        errors.row(
            number,
            _("%(column)s must be a JSON object like %(example)s")
            % {"column": "“Tham số”", "example": '{"input": "so_tin_bai", "target": 25}'},
        )
        return None
    if not kind_text:
        if parsed:
            errors.row(
                number,
                _("parameters are given but %(column)s is empty") % {"column": "“Cách tính điểm”"},
            )
        return None
    parsed.pop("kind", None)
    return {"kind": kind_text, **parsed}


def _json_cell(value: Any, expected: type) -> Any:
    """The parsed JSON of a cell ({}/[] when empty), None when it is not `expected`."""
    if value is None:
        return expected()
    if not isinstance(value, str):
        return None
    try:
        parsed = json.loads(value)
    except json.JSONDecodeError:
        return None
    return parsed if isinstance(parsed, expected) else None


def _points(value: Any) -> Decimal | None:
    if isinstance(value, bool) or value is None:
        return None
    if isinstance(value, int | float | Decimal):
        number = Decimal(str(value))
    else:
        text = str(value).strip().replace(" ", "")
        if "," in text and "." not in text:
            text = text.replace(",", ".")  # 22,5 written the Vietnamese way
        try:
            number = Decimal(text)
        except InvalidOperation:
            return None
    return number if number.is_finite() else None


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, dt.datetime | dt.date):
        return value.strftime("%d/%m/%Y")
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


# --- the "Thông tin" sheet ---------------------------------------------------------------

_INFO_ALIASES = {_header_key(name): key for key, label in INFO_FIELDS for name in (key, label)} | {
    _header_key("legal basis"): "legal_number",
    _header_key("issuer"): "legal_issuer",
}


def _choices(choices: Iterable[tuple[str, Any]]) -> dict[str, str]:
    """Accepted spellings of a choice: its value and its label in Vietnamese and English."""
    accepted: dict[str, str] = {}
    for language in ("en", "vi"):
        with translation.override(language):
            for value, label in choices:
                accepted[fold(str(label))] = value
    for value, _label in choices:
        accepted[fold(value)] = value
    return accepted


def _read_info(sheet: Any, errors: _Errors) -> dict[str, Any]:
    found: dict[str, tuple[int, Any]] = {}
    sheet.reset_dimensions()
    for number, cells in enumerate(sheet.iter_rows(values_only=True), start=1):
        if not cells:
            continue
        key = _INFO_ALIASES.get(_header_key(cells[0]))
        if key and key not in found:
            value = cells[1] if len(cells) > 1 else None
            found[key] = (number, None if isinstance(value, str) and not value.strip() else value)

    def get(key: str) -> Any:
        return found.get(key, (0, None))[1]

    data: dict[str, Any] = {
        "code": _text(get("code")),
        "name": _text(get("name")),
        "level": _choice(get("level"), Level.choices),
        "version": _whole(get("version")),
        "status": _choice(get("status"), Status.choices) or Status.DRAFT.value,
        "legal_basis": {
            "number": _text(get("legal_number")),
            "date": None,
            "issuer": _text(get("legal_issuer")),
        },
        "year_from": _whole(get("year_from")),
        "year_to": _whole(get("year_to")),
    }
    if "legal_date" in found:
        number, value = found["legal_date"]
        try:
            data["legal_basis"]["date"] = _read_date(value)
        except ValueError:
            errors.info(
                number,
                _("the decision date “%(value)s” is not a date like 29/12/2022")
                % {"value": _text(value)},
            )
    for key, example in (
        ("bands", '[{"name": "Tốt", "min_percent": 80}]'),
        ("pillars", '[{"code": "CQS", "name": "Chính quyền số", "indicators": ["1", "2"]}]'),
    ):
        parsed = _json_cell(get(key), list)
        if parsed is None:
            errors.info(
                found[key][0],
                _("%(column)s must be a JSON list like %(example)s")
                % {"column": f"“{dict(INFO_FIELDS)[key]}”", "example": example},
            )
            parsed = []
        data[key] = parsed
    return data


def _choice(value: Any, choices: Iterable[tuple[str, Any]]) -> str:
    text = _text(value)
    return _choices(choices).get(fold(text), text)


def _whole(value: Any) -> Any:
    """Whole numbers as int; anything else stays as written for validation to report."""
    if value is None:
        return None
    text = _text(value)
    return int(text) if text.isdigit() else text


def _read_date(value: Any) -> str | None:
    if value is None:
        return None
    if isinstance(value, dt.datetime | dt.date):
        return _date(value).isoformat()  # type: ignore[union-attr]
    text = _text(value)
    for pattern in ("%d/%m/%Y", "%d-%m-%Y", "%d.%m.%Y", "%Y-%m-%d"):
        try:
            return dt.datetime.strptime(text, pattern).date().isoformat()
        except ValueError:
            continue
    raise ValueError(text)


# --- locating problems ------------------------------------------------------------------


def locate(problems: Iterable[Problem], data: Mapping[str, Any]) -> list[str]:
    """FrameworkError problems as "Row N (code): message" using data["_rows"]."""
    rows: Mapping[str, int] = data.get("_rows") or {}
    out = []
    for problem in problems:
        if problem.code in rows:
            out.append(
                _("Row %(row)s (%(code)s): %(message)s")
                % {"row": rows[problem.code], "code": problem.code, "message": problem.message}
            )
        elif problem.code:
            out.append(f"{problem.code}: {problem.message}")
        else:
            out.append(problem.message)
    return out


__all__ = ["HEADER", "WorkbookError", "locate", "read_workbook", "workbook_bytes"]
