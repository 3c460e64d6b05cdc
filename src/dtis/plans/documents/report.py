"""A quarterly or yearly report on the index as the official document (DOCX,
Decree 30 layout, the same header and signature as the plan) and as a
workbook with one sheet per part (XLSX). The data is gathered by
`dtis.plans.reports.report_of`; here only the wording and the layout.

The issuing body is the cycle's scope: the province's People's Committee
(signed on its behalf by a vice-chairman, as the seeds' reports are), or
for another scope (a ministry) the scope itself. The office edits the
number, date and signer in Word before it is issued.
"""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal

from docx.document import Document as DocxDocument
from docx.shared import Length, Mm

from dtis.orgs.models import UnitKind
from dtis.plans.documents import decree as D
from dtis.plans.documents import workbook as W
from dtis.plans.reports import Report
from dtis.plans.wording import UNIT_SUFFIX, place_name, vn_number

LOST_IN_DOCUMENT = 20  # the largest losses in the document; all of them in the workbook
PROVINCE_RECIPIENTS = "\n".join(
    [
        "Bộ Khoa học và Công nghệ (b/c)",
        "TT Tỉnh ủy, TT HĐND tỉnh (b/c)",
        "Chủ tịch, các PCT UBND tỉnh",
        "Các sở, ban, ngành",
        "UBND các xã, phường",
        "Lưu: VT, KGVX",
    ]
)


def short(name: str) -> str:
    """ "Sở Y tế tỉnh Khánh Hòa" → "Sở Y tế": the document is about one province."""
    return UNIT_SUFFIX.sub("", name) if name else name


def num(value: Decimal | None, places: int = 2) -> str:
    return vn_number(value, places) if value is not None else "–"


def signed(value: Decimal | int | None, places: int = 2) -> str:
    """+1,50 / -0,25 / 0; a dash when unknown."""
    if value is None:
        return "–"
    text = vn_number(value, places) if places else str(value)
    return f"+{text}" if value > 0 else text


def rank(value: int, peers: int = 0) -> str:
    if not value:
        return "–"
    return f"{value}/{peers}" if peers else str(value)


def _issuer(report: Report) -> dict[str, str]:
    scope = report.cycle.scope
    if scope.kind == UnitKind.PROVINCE:
        place = place_name(scope)
        return {
            "issuer": f"ỦY BAN NHÂN DÂN\nTỈNH {place.upper()}",
            "place": place,
            "number": "…/BC-UBND",
            "signer": "TM. ỦY BAN NHÂN DÂN\nKT. CHỦ TỊCH\nPHÓ CHỦ TỊCH",
            "recipients": PROVINCE_RECIPIENTS,
        }
    return {
        "issuer": scope.name,
        "place": "Hà Nội",
        "number": "…/BC",
        "signer": "BỘ TRƯỞNG" if scope.kind == UnitKind.MINISTRY else "THỦ TRƯỞNG",
        "recipients": "Thủ tướng Chính phủ (b/c)\nBộ Khoa học và Công nghệ\nLưu: VT",
    }


# --- the parts, as rows (shared by DOCX and XLSX) --------------------------------


def unit_rows(report: Report) -> list[list[str]]:
    return [
        [
            str(n),
            short(u.unit),
            f"{num(u.points)} / {num(u.max_points, 0)}",
            num(u.index, 4),
            rank(u.rank, u.peers),
            u.band or "–",
        ]
        for n, u in enumerate(report.units, start=1)
    ]


def main_rows(report: Report) -> list[list[str]]:
    if report.own:
        return [
            [m.code, m.name, num(m.max_points), num(m.points), num(m.index, 4), rank(m.rank)]
            for m in report.mains
        ]
    return [
        [m.code, m.name, num(m.max_points), num(m.index, 4), num(m.best, 4), num(m.lowest, 4)]
        for m in report.mains
    ]


def change_rows(report: Report) -> list[list[str]]:
    return [
        [
            str(n),
            short(u.unit),
            num(u.previous_points),
            num(u.points),
            signed(u.points_change),
            str(u.previous_rank or "–"),
            str(u.rank or "–"),
            signed(u.rank_change, 0),
        ]
        for n, u in enumerate(report.units, start=1)
    ]


def late_rows(report: Report) -> list[list[str]]:
    return [
        [str(n), short(r.unit), r.status_words, D.dmy(r.deadline), str(r.days_late)]
        for n, r in enumerate(report.late, start=1)
    ]


def lost_rows(report: Report, limit: int | None = None) -> list[list[str]]:
    """The document's table: a departments' report names the unit (each
    leads its own indicators), the province's own names the lead unit."""
    rows = report.lost[:limit] if limit else report.lost
    out = []
    for n, r in enumerate(rows, start=1):
        scored = f"{num(r.points)} / {num(r.max_points)}"
        if report.own:
            out.append([str(n), r.code, r.name, scored, num(r.recoverable), short(r.owner) or "–"])
        else:
            out.append([str(n), short(r.unit), r.code, r.name, scored, num(r.recoverable)])
    return out


def task_rows(report: Report) -> list[list[str]]:
    return [
        [
            str(n),
            t.code,
            t.name,
            short(t.owner),
            D.dmy(t.deadline),
            t.status_words + (" (quá hạn)" if t.overdue else ""),
            f"{t.progress}%",
        ]
        for n, t in enumerate(report.tasks, start=1)
    ]


UNIT_HEADER = ("STT", "Đơn vị", "Điểm / Tối đa", "Chỉ số", "Xếp hạng", "Mức xếp loại")
OWN_MAIN_HEADER = ("Mã", "Chỉ số chính", "Điểm tối đa", "Điểm đạt", "Chỉ số", "Xếp hạng")
MAIN_HEADER = ("Mã", "Chỉ số chính", "Điểm tối đa", "Chỉ số trung bình", "Cao nhất", "Thấp nhất")
LATE_HEADER = ("STT", "Đơn vị", "Tình trạng", "Hạn báo cáo", "Số ngày chậm")
TASK_HEADER = ("STT", "Mã chỉ số", "Chỉ số", "Đơn vị chủ trì", "Thời hạn", "Tình trạng", "Tiến độ")


def change_header(report: Report) -> tuple[str, ...]:
    before = report.previous_year or report.year - 1
    return (
        "STT",
        "Đơn vị",
        f"Điểm năm {before}",
        f"Điểm năm {report.year}",
        "Tăng/giảm",
        f"Hạng năm {before}",
        f"Hạng năm {report.year}",
        "Thay đổi hạng",
    )


def lost_header(report: Report) -> tuple[str, ...]:
    if report.own:
        return ("STT", "Mã chỉ số", "Chỉ số", "Điểm đạt / Tối đa", "Điểm bị mất", "Đơn vị chủ trì")
    return ("STT", "Đơn vị", "Mã chỉ số", "Chỉ số", "Điểm đạt / Tối đa", "Điểm bị mất")


def _widths(*mm: float) -> list[Length]:
    return [Mm(w) for w in mm]


# --- DOCX ----------------------------------------------------------------------


def report_docx(report: Report) -> bytes:
    """The report in the Decree 30/2020 layout."""
    who = _issuer(report)
    doc = D.new_document()
    D.header(
        doc,
        issuer=who["issuer"],
        issuer_parent="",
        number=who["number"],
        place=who["place"],
        on=None,
        year=report.today.year,
    )
    D.title(doc, "BÁO CÁO", report.subject)
    _results(doc, report)
    _changes(doc, report)
    _late(doc, report)
    _lost(doc, report)
    _tasks(doc, report)
    D.signature(doc, recipients=who["recipients"], signer_title=who["signer"], signer_name="")
    return D.to_bytes(doc)


def _table(
    doc: DocxDocument,
    header: Sequence[str],
    rows: list[list[str]],
    widths: list[Length],
    left: Sequence[int],
) -> None:
    D.grid(doc, header, rows, widths, left=left)
    doc.add_paragraph()


def _results(doc: DocxDocument, report: Report) -> None:
    D.heading(doc, "I. KẾT QUẢ CHỈ SỐ CHUYỂN ĐỔI SỐ")
    D.body(doc, report.basis)
    if report.own and report.units:
        u = report.units[0]
        D.body(
            doc,
            f"{u.unit} đạt {num(u.points)}/{num(u.max_points, 0)} điểm, "
            f"chỉ số {num(u.index, 4)}"
            + (f", xếp hạng {u.rank}/{u.peers}" if u.rank and u.peers else "")
            + (f", mức {u.band}" if u.band else "")
            + ".",
        )
    elif report.units:
        D.heading(doc, "1. Kết quả theo đơn vị")
        _table(doc, UNIT_HEADER, unit_rows(report), _widths(13, 62, 30, 20, 18, 22), left=(1,))
    D.heading(doc, "2. Kết quả theo chỉ số chính" if not report.own else "Theo chỉ số chính:")
    header = OWN_MAIN_HEADER if report.own else MAIN_HEADER
    _table(doc, header, main_rows(report), _widths(12, 63, 20, 25, 22, 23), left=(1,))


def _changes(doc: DocxDocument, report: Report) -> None:
    D.heading(doc, "II. THAY ĐỔI SO VỚI NĂM TRƯỚC")
    if report.previous_year is None:
        D.body(doc, "Chưa có kết quả đã công bố của năm trước để so sánh.")
        return
    up = sum(1 for u in report.units if (u.points_change or 0) > 0)
    down = sum(1 for u in report.units if (u.points_change or 0) < 0)
    if report.own and report.units:
        u = report.units[0]
        D.body(
            doc,
            f"So với năm {report.previous_year}: điểm {signed(u.points_change)}, "
            f"thứ hạng {signed(u.rank_change, 0)} bậc.",
        )
    else:
        D.body(
            doc,
            f"So với năm {report.previous_year}: {up} đơn vị tăng điểm, {down} đơn vị giảm điểm.",
        )
    _table(
        doc,
        change_header(report),
        change_rows(report),
        _widths(13, 48, 20, 20, 18, 15, 15, 16),
        left=(1,),
    )


def _late(doc: DocxDocument, report: Report) -> None:
    when = report.period_words or f"năm {report.year}"
    D.heading(doc, f"III. TÌNH HÌNH BÁO CÁO {when.upper()}")
    if not report.late:
        D.body(doc, "Các đơn vị đã báo cáo đúng hạn.")
        return
    pending = sum(1 for r in report.late if r.pending)
    D.body(
        doc,
        f"{len(report.late)} đơn vị báo cáo chậm, trong đó {pending} đơn vị "
        f"đến ngày {D.dmy(report.today)} chưa gửi báo cáo.",
    )
    _table(doc, LATE_HEADER, late_rows(report), _widths(13, 74, 35, 23, 20), left=(1,))


def _lost(doc: DocxDocument, report: Report) -> None:
    D.heading(doc, "IV. CÁC CHỈ SỐ THÀNH PHẦN BỊ MẤT ĐIỂM")
    if not report.lost:
        D.body(doc, "Không có chỉ số thành phần bị mất điểm.")
        return
    total = sum((r.recoverable for r in report.lost), Decimal(0))
    shown = min(len(report.lost), LOST_IN_DOCUMENT)
    D.body(
        doc,
        f"{len(report.lost)} chỉ số thành phần chưa đạt điểm tối đa, tổng cộng "
        f"{num(total)} điểm bị mất; {shown} chỉ số mất nhiều điểm nhất:",
    )
    if report.own:
        widths = _widths(13, 16, 52, 30, 18, 36)
        left: tuple[int, ...] = (2, 5)
    else:
        widths = _widths(13, 36, 16, 52, 30, 18)
        left = (1, 3)
    _table(doc, lost_header(report), lost_rows(report, LOST_IN_DOCUMENT), widths, left=left)


def _tasks(doc: DocxDocument, report: Report) -> None:
    D.heading(doc, "V. TIẾN ĐỘ THỰC HIỆN KẾ HOẠCH NÂNG CAO CHỈ SỐ")
    if not report.tasks:
        D.body(doc, f"Chưa có kế hoạch nâng cao chỉ số năm {report.year} được phê duyệt.")
        return
    done = sum(1 for t in report.tasks if t.status == "done")
    D.body(
        doc,
        f"{len(report.tasks)} nhiệm vụ: {done} đã hoàn thành, {len(report.overdue_tasks)} quá hạn.",
    )
    _table(doc, TASK_HEADER, task_rows(report), _widths(13, 16, 44, 27, 25, 26, 14), left=(2, 3))


# --- XLSX ----------------------------------------------------------------------


def report_xlsx(report: Report) -> bytes:
    """One sheet per part; numbers as numbers, dates as dates."""
    wb = W.new_workbook()
    titles = [report.subject.upper(), report.cycle.name, report.basis]
    points, index = W.POINTS_FORMAT, W.INDEX_FORMAT
    mains = [m.code for m in report.mains]
    W.add_sheet(
        wb,
        "Kết quả",
        titles,
        ["STT", "Đơn vị", "Điểm", "Điểm tối đa", "Chỉ số", "Xếp hạng", "Mức xếp loại"]
        + [f"Chỉ số chính {c}" for c in mains],
        [
            [n, u.unit, u.points, u.max_points, u.index, u.rank or None, u.band, *u.mains]
            for n, u in enumerate(report.units, start=1)
        ],
        formats={2: points, 3: points, 4: index} | {7 + i: index for i in range(len(mains))},
    )
    W.add_sheet(
        wb,
        "Thay đổi",
        titles,
        change_header(report),
        [
            [
                n,
                u.unit,
                u.previous_points,
                u.points,
                u.points_change,
                u.previous_rank,
                u.rank or None,
                u.rank_change,
            ]
            for n, u in enumerate(report.units, start=1)
        ],
        formats={2: points, 3: points, 4: points},
    )
    W.add_sheet(
        wb,
        "Báo cáo chậm",
        titles,
        LATE_HEADER,
        [
            [n, r.unit, r.status_words, r.deadline, r.days_late]
            for n, r in enumerate(report.late, start=1)
        ],
    )
    W.add_sheet(
        wb,
        "Điểm bị mất",
        titles,
        (
            "STT",
            "Đơn vị",
            "Mã chỉ số",
            "Chỉ số",
            "Điểm đạt",
            "Điểm tối đa",
            "Điểm bị mất",
            "Đơn vị chủ trì",
        ),
        [
            [n, r.unit, r.code, r.name, r.points, r.max_points, r.recoverable, r.owner]
            for n, r in enumerate(report.lost, start=1)
        ],
        formats={4: points, 5: points, 6: points},
    )
    W.add_sheet(
        wb,
        "Tiến độ kế hoạch",
        titles,
        (
            "STT",
            "Kế hoạch của",
            "Mã chỉ số",
            "Chỉ số",
            "Đơn vị chủ trì",
            "Thời hạn",
            "Tình trạng",
            "Tiến độ (%)",
            "Quá hạn",
        ),
        [
            [
                n,
                t.plan_unit,
                t.code,
                t.name,
                t.owner,
                t.deadline,
                t.status_words,
                t.progress,
                "Quá hạn" if t.overdue else "",
            ]
            for n, t in enumerate(report.tasks, start=1)
        ],
    )
    return W.to_bytes(wb)
