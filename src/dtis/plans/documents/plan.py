"""The improvement plan as the official document (DOCX) and its assignment
appendix as a workbook (XLSX).

The document follows the seeds' plans: purpose and requirements, targets,
tasks and solutions grouped by main indicator (in the framework's order),
organisation of implementation, the signature block with the recipients,
then on a landscape page the appendix assigning every indicator to its
lead and coordinating units, in the plan's priority order (largest points
to win back first), as the office discusses it.
"""

from __future__ import annotations

import re
from collections import defaultdict

from docx.document import Document as DocxDocument
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.shared import Mm, Pt

from dtis.frameworks.models import Indicator
from dtis.plans.documents import decree as D
from dtis.plans.documents import workbook as W
from dtis.plans.models import Plan, PlanTask
from dtis.plans.wording import vn_number

SECTIONS = (
    "I. MỤC ĐÍCH, YÊU CẦU",
    "II. CHỈ TIÊU PHẤN ĐẤU",
    "III. NHIỆM VỤ, GIẢI PHÁP",
    "IV. TỔ CHỨC THỰC HIỆN",
)
APPENDIX_TITLE = "PHÂN CÔNG NHIỆM VỤ THỰC HIỆN CÁC CHỈ SỐ THÀNH PHẦN"
APPENDIX_HEADER = (
    "STT",
    "Mã chỉ số",
    "Chỉ số",
    "Điểm đạt / Tối đa",
    "Điểm bị mất",
    "Điểm cần tăng",
    "Đơn vị chủ trì",
    "Đơn vị phối hợp",
    "Thời hạn",
)
# Landscape A4 between the margins: 252 mm.
APPENDIX_WIDTHS = [Mm(w) for w in (12, 17, 60, 27, 17, 18, 35, 40, 26)]
XLSX_HEADER = (
    "STT",
    "Mã chỉ số",
    "Chỉ số",
    "Điểm đạt",
    "Điểm tối đa",
    "Điểm bị mất",
    "Điểm cần tăng",
    "Đơn vị chủ trì",
    "Đơn vị phối hợp",
    "Thời hạn",
)


def code_key(code: str) -> tuple[object, ...]:
    """ "1.10" after "1.9": the numeric parts of a code compared as numbers."""
    return tuple((0, int(p)) if p.isdigit() else (1, p) for p in re.split(r"[.\s]+", code) if p)


def tasks_of(plan: Plan) -> list[PlanTask]:
    """The plan's tasks in priority order, their owners loaded (one query)."""
    return list(plan.tasks.select_related("owner").order_by("order", "pk"))


def grouped(plan: Plan, tasks: list[PlanTask]) -> list[tuple[str, str, list[PlanTask]]]:
    """(main code, main indicator's name, its tasks by code), main indicators in
    the framework's order (one query for the names)."""
    by_main: dict[str, list[PlanTask]] = defaultdict(list)
    for t in tasks:
        by_main[t.main_code or t.code].append(t)
    mains = {
        i.code: (i.order, i.name)
        for i in Indicator.objects.filter(
            framework_id=plan.source.cycle.framework_id, code__in=list(by_main)
        ).only("code", "order", "name")
    }
    order = sorted(by_main, key=lambda c: (mains.get(c, (10**6, ""))[0], code_key(c)))
    return [
        (code, mains.get(code, (0, ""))[1], sorted(by_main[code], key=lambda t: code_key(t.code)))
        for code in order
    ]


def task_text(task: PlanTask) -> tuple[str, str]:
    """The lead ("1.2. Name: ") and the text of one task with its assignment
    in brackets: "(Đơn vị chủ trì: …; phối hợp: …; thời hạn: dd/mm/yyyy)"."""
    parts = [f"Đơn vị chủ trì: {task.owner_name or '…'}"]
    coordinators = "; ".join(c.strip() for c in task.coordinators.splitlines() if c.strip())
    if coordinators:
        parts.append(f"phối hợp: {coordinators}")
    if task.deadline:
        parts.append(f"thời hạn: {D.dmy(task.deadline)}")
    work = (task.tasks or "").strip().rstrip(".")
    return f"{task.code}. {task.name}: ", f"{work} ({'; '.join(parts)})."


def appendix_rows(tasks: list[PlanTask]) -> list[list[str]]:
    return [
        [
            str(n),
            t.code,
            t.name,
            f"{vn_number(t.points)} / {vn_number(t.max_points)}",
            vn_number(t.points_lost),
            vn_number(t.allocated) if t.allocated else "",
            t.owner_name,
            "; ".join(c.strip() for c in t.coordinators.splitlines() if c.strip()),
            D.dmy(t.deadline),
        ]
        for n, t in enumerate(tasks, start=1)
    ]


def attached_to(plan: Plan) -> str:
    """ "(Kèm theo Kế hoạch số …/KH-UBND ngày … của Ủy ban nhân dân tỉnh …)" """
    on = D.dmy(plan.issued_on) if plan.issued_on else f"      /      /{plan.year}"
    return f"(Kèm theo Kế hoạch số {plan.number or '…'} ngày {on} của {plan.source.unit.name})"


def plan_docx(plan: Plan) -> bytes:
    """The plan in the Decree 30/2020 layout, appendix included."""
    plan = Plan.objects.select_related("source__unit", "source__cycle").get(pk=plan.pk)
    tasks = tasks_of(plan)
    doc = D.new_document()
    D.header(
        doc,
        issuer=plan.issuer,
        issuer_parent=plan.issuer_parent,
        number=plan.number or "…",
        place=plan.place,
        on=plan.issued_on,
        year=plan.year,
    )
    D.title(doc, "KẾ HOẠCH", plan.title)
    _sections(doc, plan, tasks)
    D.signature(
        doc,
        recipients=plan.recipients,
        signer_title=plan.signer_title,
        signer_name=plan.signer_name,
    )
    _appendix(doc, plan, tasks)
    return D.to_bytes(doc)


def _sections(doc: DocxDocument, plan: Plan, tasks: list[PlanTask]) -> None:
    purpose, targets, work, organisation = SECTIONS
    D.heading(doc, purpose)
    D.heading(doc, "1. Mục đích")
    D.body(doc, plan.purpose)
    D.heading(doc, "2. Yêu cầu")
    D.body(doc, plan.requirements)
    D.heading(doc, targets)
    D.body(doc, plan.targets_text or _default_target(plan))
    D.heading(doc, work)
    if not tasks:
        D.body(doc, "Duy trì kết quả các chỉ số đã đạt điểm tối đa.")
    for n, (code, name, group) in enumerate(grouped(plan, tasks), start=1):
        # Numbered by the main indicator's code, so that "2.1." follows "2.".
        D.heading(doc, f"{code}. {name}" if name else f"{n}. Chỉ số {code}")
        for task in group:
            lead, text = task_text(task)
            D.body(doc, text, lead=lead)
    D.heading(doc, organisation)
    D.body(doc, plan.organisation)


def _default_target(plan: Plan) -> str:
    """The draft's own target, when the office left the section empty."""
    if plan.target_points <= plan.current_points:
        return (
            f"- Phấn đấu Chỉ số DTI năm {plan.year} giữ vững và cao hơn mức "
            f"{vn_number(plan.current_points)}/{vn_number(plan.max_points, 0)} điểm đã đạt."
        )
    return (
        f"- Phấn đấu Chỉ số DTI năm {plan.year} đạt từ {vn_number(plan.target_points)}/"
        f"{vn_number(plan.max_points, 0)} điểm trở lên."
    )


def _appendix(doc: DocxDocument, plan: Plan, tasks: list[PlanTask]) -> None:
    D.landscape_section(doc)
    D.centred(doc, "PHỤ LỤC", bold=True)
    D.centred(doc, APPENDIX_TITLE, bold=True)
    note = D.centred(doc, attached_to(plan), italic=True)
    note.paragraph_format.space_after = Pt(12)
    D.grid(doc, APPENDIX_HEADER, appendix_rows(tasks), APPENDIX_WIDTHS, left=(2, 6, 7))
    if not tasks:
        p = doc.add_paragraph()
        p.alignment = WD_ALIGN_PARAGRAPH.CENTER
        D.write(p, "(Không có chỉ số bị mất điểm.)", italic=True)


def plan_xlsx(plan: Plan) -> bytes:
    """The appendix as a workbook: the same rows, points as numbers."""
    plan = Plan.objects.select_related("source__unit").get(pk=plan.pk)
    tasks = tasks_of(plan)
    wb = W.new_workbook()
    rows = [
        [
            n,
            t.code,
            t.name,
            t.points,
            t.max_points,
            t.points_lost,
            t.allocated,
            t.owner_name,
            "; ".join(c.strip() for c in t.coordinators.splitlines() if c.strip()),
            t.deadline,
        ]
        for n, t in enumerate(tasks, start=1)
    ]
    W.add_sheet(
        wb,
        "Phụ lục",
        ["PHỤ LỤC", APPENDIX_TITLE, plan.title, attached_to(plan)],
        XLSX_HEADER,
        rows,
        formats={c: W.POINTS_FORMAT for c in (3, 4, 5, 6)},
    )
    return W.to_bytes(wb)
