"""The province's yearly figures and evidence for the ministry, as XLSX and JSON.

The central system asks each province for its figures indicator by indicator,
in the framework's order, with the evidence behind them. `gather(cycle)`
collects that for the province's own cycle (the cycle assesses the unit whose
standing office runs it, with a province- or ministry-level framework, see
`dashboards.targets.is_own`) from its year period — the period "year", or
the last period when a cycle has none (`appraisal.items.result_period`):

- one row per indicator in the framework's order: main indicators (and any
  intermediate group) as heading rows, scored components as rows;
- for a component: each input the framework declares (label, value, unit),
  the self-score, the maximum, the final (appraised) points once the results
  are published, the lead and coordinating units from the assignments, the
  unit's note, and the current evidence (files, links, cited documents; a
  replaced file's older versions are history, not evidence);
- heading rows: the maximum, the sum of the self-scores beneath, and the
  final points once published.

Points once published come from the stored results (`IndicatorResult`),
which the council's decisions produced; before publication the self-scores
are the units' own (`Figure.self_points`) and the final column stays empty.

`ministry_xlsx` writes the sheet "Chỉ số" shaped like the indicator list
(STT | Chỉ số | Điểm tối đa | …, title rows above a bold frozen header) and
the sheet "Minh chứng" with one row per evidence item; `ministry_json` the
same content for machines (codes, numbers as numbers, ISO dates). Headers
and words in the files are Vietnamese whatever the screen's language: the
files go to a Vietnamese ministry. A fixed number of queries, whatever the
number of indicators.
"""

from __future__ import annotations

import datetime as dt
import io
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.db.models import Prefetch
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter
from openpyxl.worksheet._write_only import WriteOnlyWorksheet

from dtis.appraisal.items import result_period
from dtis.appraisal.models import IndicatorResult, Stage
from dtis.dashboards.targets import is_own
from dtis.frameworks.models import Indicator
from dtis.orgs.models import Unit
from dtis.reporting.models import (
    AssessedUnit,
    Assignment,
    Cycle,
    Evidence,
    EvidenceKind,
    Figure,
    Period,
    PeriodKind,
)

FORMAT = "dtis-ministry-export"
FORMAT_VERSION = 1
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
POINTS_FORMAT = "0.00"
INTEGER_FORMAT = "#,##0"
DATE_FORMAT = "dd/mm/yyyy"
DATETIME_FORMAT = "dd/mm/yyyy hh:mm"
# Words in the file, in Vietnamese whatever the interface language.
YES, NO = "Có", "Không"
NOT_APPLICABLE = "Không áp dụng"
PERIOD_WORDS = {
    PeriodKind.Q1: "Quý I",
    PeriodKind.Q2: "Quý II",
    PeriodKind.H1: "6 tháng đầu năm",
    PeriodKind.Q3: "Quý III",
    PeriodKind.Q4: "Quý IV",
    PeriodKind.YEAR: "Năm",
}
EVIDENCE_WORDS = {
    EvidenceKind.FILE: "Tệp",
    EvidenceKind.LINK: "Liên kết",
    EvidenceKind.DOCUMENT: "Văn bản",
}


class ExportError(Exception):
    """The cycle cannot be exported for the ministry; the message is for people."""


@dataclass
class InputValue:
    name: str
    label: str
    unit: str
    type: str
    value: Any  # bool, int, Decimal or str (a level's code); None when not given
    shown: Any  # what a person reads: "Có", the level's label, the number


@dataclass
class EvidenceItem:
    pk: int
    kind: str
    name: str
    url: str  # the link, or where the file downloads (after signing in)
    size: int
    doc_number: str
    doc_date: dt.date | None
    doc_issuer: str
    doc_summary: str
    added_by: str
    added_at: dt.datetime | None


@dataclass
class Row:
    indicator: Indicator
    depth: int
    is_leaf: bool
    max_points: Decimal
    self_points: Decimal | None = None
    final_points: Decimal | None = None
    not_applicable: bool = False
    lead_unit: Unit | None = None
    coordinators: list[str] = field(default_factory=list)
    note: str = ""
    inputs: list[InputValue] = field(default_factory=list)
    evidence: list[EvidenceItem] = field(default_factory=list)


@dataclass
class MinistryExport:
    cycle: Cycle
    assessed: AssessedUnit
    period: Period
    published: bool
    published_at: dt.datetime | None
    rows: list[Row]
    generated_at: dt.datetime

    @property
    def unit(self) -> Unit:
        return self.assessed.unit

    @property
    def max_inputs(self) -> int:
        return max((len(r.inputs) for r in self.rows if r.is_leaf), default=0)

    @property
    def total_max(self) -> Decimal:
        return sum((r.max_points for r in self.rows if r.depth == 0), Decimal(0))

    def total(self, attr: str) -> Decimal | None:
        values = [getattr(r, attr) for r in self.rows if r.depth == 0]
        if all(v is None for v in values):
            return None
        return sum((v for v in values if v is not None), Decimal(0))


# --- gathering --------------------------------------------------------------------------


def own_assessed(cycle: Cycle) -> AssessedUnit:
    """The assessed unit of a province's own cycle, or ExportError saying why not."""
    assessed = next((a for a in cycle.assessed.all() if a.unit_id == cycle.scope_id), None)
    if assessed is None or not is_own(cycle):
        raise ExportError(
            _(
                "The ministry export is for a province's own index: cycle %(id)s assesses "
                "other units than %(scope)s itself."
            )
            % {"id": cycle.pk, "scope": cycle.scope.name}
        )
    return assessed


def _shown(spec: dict[str, Any], value: Any) -> Any:
    if value is None:
        return None
    kind = spec.get("type", "number")
    if kind == "boolean":
        return YES if value else NO
    if kind == "choice":
        labels = {c["value"]: c.get("label", c["value"]) for c in spec.get("choices", [])}
        return labels.get(value, value)
    return value


def _typed(spec: dict[str, Any], value: Any) -> Any:
    """Stored inputs keep exact numbers as strings: give them back as numbers."""
    if value is None or spec.get("type", "number") in ("boolean", "choice"):
        return value
    if isinstance(value, int):
        return value
    number = Decimal(str(value))
    return int(number) if number == number.to_integral_value() else number


def _inputs(indicator: Indicator, figure: Figure | None) -> list[InputValue]:
    values = figure.values if figure is not None else {}
    out = []
    for spec in indicator.inputs:
        value = _typed(spec, values.get(spec["name"]))
        out.append(
            InputValue(
                name=spec["name"],
                label=spec.get("label", spec["name"]),
                unit=spec.get("unit", ""),
                type=spec.get("type", "number"),
                value=value,
                shown=_shown(spec, value),
            )
        )
    return out


def _evidence_item(item: Evidence, base_url: str) -> EvidenceItem:
    if item.kind == EvidenceKind.FILE:
        url = base_url + reverse("reporting:evidence-download", args=[item.pk])
    else:
        url = item.url
    return EvidenceItem(
        pk=item.pk,
        kind=item.kind,
        name=item.original_name or item.doc_number or item.url,
        url=url,
        size=item.size,
        doc_number=item.doc_number,
        doc_date=item.doc_date,
        doc_issuer=item.doc_issuer,
        doc_summary=item.doc_summary,
        added_by=str(item.added_by) if item.added_by else "",
        added_at=timezone.localtime(item.added_at) if item.added_at else None,
    )


def gather(cycle: Cycle, *, base_url: str | None = None) -> MinistryExport:
    """Everything the export shows, in a fixed number of queries.

    `base_url` goes in front of the evidence download links (the site's
    address; `DTIS_SITE_URL` by default).
    """
    base_url = (settings.SITE_URL if base_url is None else base_url).rstrip("/")
    assessed = own_assessed(cycle)
    period = result_period(cycle)
    if period is None:
        raise ExportError(_("Cycle %(id)s has no period to export.") % {"id": cycle.pk})
    outcome = getattr(cycle, "outcome", None)
    published = outcome is not None and outcome.stage == Stage.PUBLISHED

    indicators = list(Indicator.objects.filter(framework_id=cycle.framework_id).order_by("order"))
    figures = {
        f.indicator_id: f
        for f in Figure.objects.filter(period=period, assessed=assessed).select_related(
            "updated_by"
        )
    }
    assignments = {
        a.indicator_id: a
        for a in Assignment.objects.filter(assessed=assessed)
        .select_related("owner")
        .prefetch_related(Prefetch("coordinators", queryset=Unit.objects.order_by("sort_key")))
    }
    evidence: dict[int, list[EvidenceItem]] = defaultdict(list)
    for item in (
        Evidence.objects.filter(
            figure__period=period, figure__assessed=assessed, replaced_by__isnull=True
        )
        .select_related("added_by", "figure")
        .order_by("added_at", "pk")
    ):
        evidence[item.figure.indicator_id].append(_evidence_item(item, base_url))
    results: dict[int, IndicatorResult] = {}
    if published:
        results = {
            r.indicator_id: r for r in IndicatorResult.objects.filter(result__assessed=assessed)
        }

    parents = {i.parent_id for i in indicators if i.parent_id}
    depth: dict[int, int] = {}
    rows: list[Row] = []
    for ind in indicators:
        depth[ind.pk] = 0 if ind.parent_id is None else depth.get(ind.parent_id, 0) + 1
        figure = figures.get(ind.pk)
        assignment = assignments.get(ind.pk)
        row = Row(
            indicator=ind,
            depth=depth[ind.pk],
            is_leaf=ind.pk not in parents,
            max_points=ind.max_points,
        )
        if row.is_leaf:
            row.inputs = _inputs(ind, figure)
            row.evidence = evidence.get(ind.pk, [])
            if figure is not None:
                row.self_points = figure.self_points
                row.not_applicable = figure.not_applicable
                row.note = figure.note
        if assignment is not None:
            row.lead_unit = assignment.owner
            row.coordinators = [u.name for u in assignment.coordinators.all()]
            if assignment.coordinators_text:
                row.coordinators.append(assignment.coordinators_text)
        stored = results.get(ind.pk)
        if stored is not None:
            row.self_points = stored.self_points
            row.final_points = stored.final_points
            row.not_applicable = not stored.applicable
        rows.append(row)
    if not published:
        _sum_headings(rows)
    return MinistryExport(
        cycle=cycle,
        assessed=assessed,
        period=period,
        published=published,
        published_at=(
            timezone.localtime(outcome.published_at)
            if published and outcome and outcome.published_at
            else None
        ),
        rows=rows,
        generated_at=timezone.localtime(),
    )


def _sum_headings(rows: list[Row]) -> None:
    """Heading rows: the sum of the self-scores of the components beneath."""
    by_id = {r.indicator.pk: r for r in rows}
    for row in rows:
        if not row.is_leaf or row.self_points is None:
            continue
        parent_id = row.indicator.parent_id
        while parent_id is not None:
            parent = by_id[parent_id]
            parent.self_points = (parent.self_points or Decimal(0)) + row.self_points
            parent_id = parent.indicator.parent_id


# --- XLSX ----------------------------------------------------------------------------------


class _Sheet:
    """A write-only sheet with typed, formatted cells."""

    def __init__(self, sheet: WriteOnlyWorksheet) -> None:
        self.sheet = sheet
        self.bold = Font(bold=True)
        self.title_font = Font(bold=True, size=13)
        self.wrap = Alignment(wrap_text=True, vertical="top")
        self.head = Alignment(wrap_text=True, vertical="center", horizontal="center")

    def widths(self, widths: list[float]) -> None:
        for col, width in enumerate(widths, start=1):
            self.sheet.column_dimensions[get_column_letter(col)].width = width

    def title(self, text: str, *, big: bool = False) -> None:
        cell = WriteOnlyCell(self.sheet, value=text)
        cell.font = self.title_font if big else Font(size=11)
        self.sheet.append([cell])

    def header(self, titles: list[str]) -> None:
        cells = []
        for text in titles:
            cell = WriteOnlyCell(self.sheet, value=text)
            cell.font, cell.alignment = self.bold, self.head
            cells.append(cell)
        self.sheet.append(cells)

    def row(self, values: list[tuple[Any, str | None]], *, bold: bool = False) -> None:
        cells = []
        for value, number_format in values:
            cell = WriteOnlyCell(self.sheet, value=_cell(value))
            cell.alignment = self.wrap
            if bold:
                cell.font = self.bold
            if number_format and value is not None:
                cell.number_format = number_format
            cells.append(cell)
        self.sheet.append(cells)


def _cell(value: Any) -> Any:
    if isinstance(value, Decimal):
        return float(value)  # 2-decimal points are exact in a float's shortest repr
    if isinstance(value, dt.datetime):
        return value.replace(tzinfo=None)  # Excel has no time zones: local time
    return value


def _number_format(value: Any) -> str | None:
    if isinstance(value, bool) or not isinstance(value, int | Decimal):
        return None
    return INTEGER_FORMAT if isinstance(value, int) else "#,##0.00##"


def _titles(export: MinistryExport) -> list[str]:
    cycle, fw, period = export.cycle, export.cycle.framework, export.period
    basis = (
        f"Kết quả đã công bố ngày {timezone.localtime(export.published_at):%d/%m/%Y}"
        if export.published_at
        else "Kết quả chưa công bố: điểm thẩm định để trống"
    )
    decision = f" ({fw.legal_number})" if fw.legal_number else ""
    return [
        f"SỐ LIỆU CHỈ SỐ CHUYỂN ĐỔI SỐ NĂM {cycle.year} — {export.unit.name.upper()}",
        f"Bộ chỉ số: {fw.name}{decision}",
        f"Kỳ báo cáo: {PERIOD_WORDS.get(period.kind, period.kind)} {cycle.year} "
        f"({period.start:%d/%m/%Y} – {period.end:%d/%m/%Y}). {basis}.",
        f"Xuất từ DTIS ngày {export.generated_at:%d/%m/%Y %H:%M}",
    ]


def _evidence_names(row: Row) -> str:
    return "\n".join(item.name for item in row.evidence)


def _indicator_sheet(workbook: Workbook, export: MinistryExport) -> None:
    sheet = _Sheet(workbook.create_sheet("Chỉ số"))
    titles = _titles(export)
    # Write-only sheets take their frozen panes before the first row.
    sheet.sheet.freeze_panes = f"C{len(titles) + 3}"  # titles, a blank row, the header
    k = export.max_inputs
    sheet.widths([9, 60, 10, *([30, 14, 12] * k), 11, 11, 30, 30, 36, 40])
    for n, text in enumerate(titles):
        sheet.title(text, big=n == 0)
    sheet.title("")
    inputs_header = []
    for n in range(1, k + 1):
        inputs_header += [f"Số liệu {n}", f"Giá trị {n}", f"Đơn vị tính {n}"]
    sheet.header(
        [
            "STT",
            "Chỉ số",
            "Điểm tối đa",
            *inputs_header,
            "Điểm tự đánh giá",
            "Điểm thẩm định",
            "Đơn vị chủ trì",
            "Đơn vị phối hợp",
            "Ghi chú",
            "Tài liệu kiểm chứng",
        ]
    )
    for row in export.rows:
        ind = row.indicator
        cells: list[tuple[Any, str | None]] = [
            (ind.code, None),
            (ind.name, None),
            (row.max_points, POINTS_FORMAT),
        ]
        for n in range(k):
            given = row.inputs[n] if n < len(row.inputs) else None
            if given is None:
                cells += [(None, None)] * 3
            else:
                cells += [
                    (given.label, None),
                    (given.shown, _number_format(given.shown)),
                    (given.unit or None, None),
                ]
        note = row.note
        if row.not_applicable:
            note = f"{NOT_APPLICABLE}. {note}" if note else NOT_APPLICABLE
        cells += [
            (row.self_points, POINTS_FORMAT),
            (row.final_points, POINTS_FORMAT),
            (row.lead_unit.name if row.lead_unit else None, None),
            ("; ".join(row.coordinators) or None, None),
            (note or None, None),
            (_evidence_names(row) or None, None),
        ]
        sheet.row(cells, bold=not row.is_leaf)
    total: list[tuple[Any, str | None]] = [
        (None, None),
        ("Tổng cộng", None),
        (export.total_max, POINTS_FORMAT),
        *([(None, None)] * (3 * k)),
        (export.total("self_points"), POINTS_FORMAT),
        (export.total("final_points"), POINTS_FORMAT),
    ]
    sheet.row(total, bold=True)


def _evidence_sheet(workbook: Workbook, export: MinistryExport) -> None:
    sheet = _Sheet(workbook.create_sheet("Minh chứng"))
    titles = [*_titles(export)[:1], "Danh mục tài liệu kiểm chứng theo chỉ số"]
    sheet.sheet.freeze_panes = f"C{len(titles) + 3}"
    sheet.widths([9, 50, 6, 10, 40, 16, 12, 28, 40, 50, 26, 17])
    for n, text in enumerate(titles):
        sheet.title(text, big=n == 0)
    sheet.title("")
    sheet.header(
        [
            "Mã chỉ số",
            "Chỉ số",
            "STT",
            "Loại",
            "Tên tệp / số hiệu văn bản",
            "Dung lượng (byte)",
            "Ngày ban hành",
            "Cơ quan ban hành",
            "Trích yếu",
            "Đường dẫn",
            "Người cập nhật",
            "Thời điểm cập nhật",
        ]
    )
    for row in export.rows:
        for n, item in enumerate(row.evidence, start=1):
            sheet.row(
                [
                    (row.indicator.code, None),
                    (row.indicator.name, None),
                    (n, None),
                    (EVIDENCE_WORDS.get(item.kind, item.kind), None),  # type: ignore[call-overload]
                    (item.name, None),
                    (item.size or None, INTEGER_FORMAT),
                    (item.doc_date, DATE_FORMAT),
                    (item.doc_issuer or None, None),
                    (item.doc_summary or None, None),
                    (item.url or None, None),
                    (item.added_by or None, None),
                    (item.added_at, DATETIME_FORMAT),
                ]
            )


def ministry_xlsx(export: MinistryExport) -> bytes:
    workbook = Workbook(write_only=True)
    workbook.properties.title = _titles(export)[0]
    _indicator_sheet(workbook, export)
    _evidence_sheet(workbook, export)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


# --- JSON ----------------------------------------------------------------------------------


def _json_number(value: Any) -> Any:
    if isinstance(value, Decimal):
        return int(value) if value == value.to_integral_value() else float(value)
    return value


def _iso(value: dt.date | dt.datetime | None) -> str | None:
    return value.isoformat() if value is not None else None


def _unit_json(unit: Unit | None) -> dict[str, str] | None:
    return None if unit is None else {"code": unit.code, "name": unit.name}


def ministry_json(export: MinistryExport) -> dict[str, Any]:
    cycle, fw, period = export.cycle, export.cycle.framework, export.period
    codes = {row.indicator.pk: row.indicator.code for row in export.rows}
    return {
        "format": FORMAT,
        "format_version": FORMAT_VERSION,
        "generated_at": _iso(export.generated_at),
        "cycle": {"id": cycle.pk, "name": cycle.name, "year": cycle.year},
        "unit": _unit_json(export.unit),
        "framework": {
            "code": fw.code,
            "version": fw.version,
            "name": fw.name,
            "decision": fw.legal_number,
        },
        "period": {
            "kind": period.kind,
            "start": _iso(period.start),
            "end": _iso(period.end),
        },
        "published": export.published,
        "published_at": _iso(export.published_at),
        "totals": {
            "max_points": _json_number(export.total_max),
            "self_points": _json_number(export.total("self_points")),
            "final_points": _json_number(export.total("final_points")),
        },
        "indicators": [
            {
                "code": row.indicator.code,
                "name": row.indicator.name,
                "parent": codes.get(row.indicator.parent_id),  # type: ignore[arg-type]
                "depth": row.depth,
                "is_leaf": row.is_leaf,
                "max_points": _json_number(row.max_points),
                "self_points": _json_number(row.self_points),
                "final_points": _json_number(row.final_points),
                "not_applicable": row.not_applicable,
                "lead_unit": _unit_json(row.lead_unit),
                "coordinating_units": row.coordinators,
                "note": row.note,
                "inputs": [
                    {
                        "name": i.name,
                        "label": i.label,
                        "unit": i.unit,
                        "type": i.type,
                        "value": _json_number(i.value),
                        "value_label": i.shown if i.type in ("boolean", "choice") else None,
                    }
                    for i in row.inputs
                ],
                "evidence": [
                    {
                        "id": e.pk,
                        "kind": e.kind,
                        "name": e.name,
                        "url": e.url,
                        "size": e.size,
                        "document": {
                            "number": e.doc_number,
                            "date": _iso(e.doc_date),
                            "issuer": e.doc_issuer,
                            "summary": e.doc_summary,
                        }
                        if e.kind == EvidenceKind.DOCUMENT
                        else None,
                        "added_by": e.added_by,
                        "added_at": _iso(e.added_at),
                    }
                    for e in row.evidence
                ],
            }
            for row in export.rows
        ],
    }
