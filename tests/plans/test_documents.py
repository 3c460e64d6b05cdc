"""The plan as an official document (Decree 30/2020/NĐ-CP layout) and its
appendix as a workbook, read back the way an office would open them."""

from __future__ import annotations

import datetime as dt
import io
import shutil
import subprocess
from pathlib import Path

import pytest
from docx import Document
from docx.enum.section import WD_ORIENT
from docx.oxml.ns import qn
from docx.shared import Pt
from openpyxl import load_workbook

from dtis.plans.documents import plan_docx, plan_xlsx, report_docx
from dtis.plans.documents.decree import body, date_line, new_document, recipient_lines
from dtis.plans.draft import draft, save_draft
from dtis.plans.models import Plan
from dtis.plans.reports import find_period, report_of

SCREENSHOTS = Path(__file__).resolve().parents[2] / "var" / "screenshots"


@pytest.fixture(name="plan")
def _plan(published, org):  # type: ignore[no-untyped-def]
    """Sở Y tế's 2026 plan drafted from its 2025 result, numbered and dated."""
    plan = save_draft(draft(published.health), org.admin)
    plan.number = "125/KH-SYT"
    plan.issued_on = dt.date(2026, 1, 5)
    plan.signer_name = "Nguyễn Văn Hùng"
    plan.save()
    return plan


def _doc(plan: Plan):  # type: ignore[no-untyped-def]
    return Document(io.BytesIO(plan_docx(plan)))


def _texts(doc) -> list[str]:  # type: ignore[no-untyped-def]
    return [p.text for p in doc.paragraphs]


def _cell_text(cell) -> str:  # type: ignore[no-untyped-def]
    return "\n".join(p.text for p in cell.paragraphs)


# --- the page -------------------------------------------------------------------


def test_it_is_a4_portrait_with_the_decree_margins_in_times_new_roman_14(plan):
    doc = _doc(plan)
    section = doc.sections[0]
    assert section.orientation == WD_ORIENT.PORTRAIT
    mm = [
        round(x.mm)
        for x in (
            section.page_width,
            section.page_height,
            section.top_margin,
            section.bottom_margin,
            section.left_margin,
            section.right_margin,
        )
    ]
    assert mm == [210, 297, 20, 20, 30, 15]
    normal = doc.styles["Normal"]
    assert (normal.font.name, normal.font.size) == ("Times New Roman", Pt(14))


# --- header ---------------------------------------------------------------------


def test_the_header_names_the_issuing_body_and_the_document_number(plan):
    header = _doc(plan).tables[0]
    left = header.rows[0].cells[0]
    lines = [p.text for p in left.paragraphs if p.text]
    assert lines == ["UBND TỈNH KHÁNH HÒA", "SỞ Y TẾ", "Số: 125/KH-SYT"]
    assert left.paragraphs[1].runs[0].bold  # the issuer, not the body above it
    assert header.style.name != "Table Grid"  # no borders


def test_the_header_carries_the_national_title_the_motto_and_the_date(plan):
    right = _doc(plan).tables[0].rows[0].cells[1]
    lines = [p for p in right.paragraphs if p.text]
    assert [p.text for p in lines] == [
        "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
        "Độc lập - Tự do - Hạnh phúc",
        "Khánh Hòa, ngày 05 tháng 01 năm 2026",
    ]
    assert lines[0].runs[0].bold and lines[1].runs[0].bold
    assert lines[2].runs[0].italic


def test_dates_follow_the_decree_leading_zeros():
    """Days below 10 and months below 3 take a zero; September does not."""
    assert date_line("Khánh Hòa", dt.date(2026, 9, 7), 2026) == (
        "Khánh Hòa, ngày 07 tháng 9 năm 2026"
    )
    assert date_line("Khánh Hòa", dt.date(2026, 2, 15), 2026) == (
        "Khánh Hòa, ngày 15 tháng 02 năm 2026"
    )


def test_an_undated_document_leaves_day_and_month_blank_to_fill_by_hand():
    line = date_line("Khánh Hòa", None, 2026)
    assert line.startswith("Khánh Hòa, ngày ")
    assert "tháng" in line
    assert line.endswith("năm 2026")


# --- title and sections ---------------------------------------------------------


def test_the_title_says_ke_hoach_and_what_the_plan_is_about(plan):
    texts = _texts(_doc(plan))
    n = texts.index("KẾ HOẠCH")
    assert texts[n + 1] == (
        "Nâng cao Chỉ số đánh giá mức độ chuyển đổi số (DTI) của Sở Y tế năm 2026"
    )


def test_it_has_the_four_sections_in_order(plan):
    texts = _texts(_doc(plan))
    found = [
        texts.index(h)
        for h in (
            "I. MỤC ĐÍCH, YÊU CẦU",
            "II. CHỈ TIÊU PHẤN ĐẤU",
            "III. NHIỆM VỤ, GIẢI PHÁP",
            "IV. TỔ CHỨC THỰC HIỆN",
        )
    ]
    assert found == sorted(found)


def test_the_offices_text_keeps_one_paragraph_per_line():
    doc = new_document()
    body(doc, "Khắc phục các chỉ số bị mất điểm.\n\n- Hoàn thành trước quý III.")
    assert [p.text for p in doc.paragraphs] == [
        "Khắc phục các chỉ số bị mất điểm.",
        "- Hoàn thành trước quý III.",
    ]


def test_each_task_names_its_work_lead_unit_and_deadline(plan):
    task = plan.tasks.order_by("order").first()
    line = next(t for t in _texts(_doc(plan)) if t.startswith(f"{task.code}. "))
    assert f"Đơn vị chủ trì: {task.owner_name}" in line
    assert f"thời hạn: {task.deadline:%d/%m/%Y}" in line


def test_tasks_are_grouped_under_their_main_indicator_in_framework_order(plan):
    texts = _texts(_doc(plan))
    mains = sorted({t.main_code for t in plan.tasks.all()}, key=int)
    positions = [next(n for n, t in enumerate(texts) if t.startswith(f"{m}. ")) for m in mains]
    assert positions == sorted(positions)
    for task in plan.tasks.all():
        at = next(n for n, t in enumerate(texts) if t.startswith(f"{task.code}. "))
        main_at = positions[mains.index(task.main_code)]
        assert at > main_at


# --- signature ------------------------------------------------------------------


def test_recipients_end_with_semicolons_and_the_last_with_a_full_stop():
    assert recipient_lines("UBND tỉnh (b/c)\nSở Khoa học và Công nghệ;\nLưu: VT, VP") == [
        "- UBND tỉnh (b/c);",
        "- Sở Khoa học và Công nghệ;",
        "- Lưu: VT, VP.",
    ]


def test_the_signature_block_has_recipients_signer_title_and_name(plan):
    left, right = _doc(plan).tables[1].rows[0].cells
    assert left.paragraphs[0].text == "Nơi nhận:"
    assert left.paragraphs[0].runs[0].bold and left.paragraphs[0].runs[0].italic
    assert left.paragraphs[-1].text == "- Lưu: VT, VP."
    lines = [p.text for p in right.paragraphs if p.text]
    assert lines == ["GIÁM ĐỐC", "Nguyễn Văn Hùng"]


# --- appendix -------------------------------------------------------------------


def test_the_appendix_is_a_landscape_page_of_its_own(plan):
    doc = _doc(plan)
    assert len(doc.sections) == 2
    assert doc.sections[1].orientation == WD_ORIENT.LANDSCAPE
    texts = _texts(doc)
    assert "PHỤ LỤC" in texts
    assert "PHÂN CÔNG NHIỆM VỤ THỰC HIỆN CÁC CHỈ SỐ THÀNH PHẦN" in texts
    assert any(t.startswith("(Kèm theo Kế hoạch số 125/KH-SYT ngày 05/01/2026") for t in texts)


def test_the_appendix_table_has_one_row_per_task_under_a_repeated_header(plan):
    table = _doc(plan).tables[-1]
    header = [c.text for c in table.rows[0].cells]
    assert header == [
        "STT", "Mã chỉ số", "Chỉ số", "Điểm đạt / Tối đa", "Điểm bị mất", "Điểm cần tăng",
        "Đơn vị chủ trì", "Đơn vị phối hợp", "Thời hạn",
    ]  # fmt: skip
    assert table.rows[0]._tr.trPr.find(qn("w:tblHeader")) is not None  # on every page
    codes = [row.cells[1].text for row in table.rows[1:]]
    assert codes == list(plan.tasks.order_by("order").values_list("code", flat=True))


def test_appendix_numbers_use_the_vietnamese_decimal_comma(plan):
    task = plan.tasks.order_by("order").first()
    row = _doc(plan).tables[-1].rows[1]
    lost = f"{task.max_points - task.points:.2f}".replace(".", ",")
    assert row.cells[4].text == lost
    assert row.cells[8].text == f"{task.deadline:%d/%m/%Y}"


# --- workbook -------------------------------------------------------------------


def test_the_workbook_reopens_with_the_appendix_rows(plan):
    ws = load_workbook(io.BytesIO(plan_xlsx(plan))).active
    rows = [r for r in ws.iter_rows(min_row=7, values_only=True) if r[0] is not None]
    tasks = list(plan.tasks.order_by("order"))
    assert [(r[0], r[1], r[2]) for r in rows] == [
        (n, t.code, t.name) for n, t in enumerate(tasks, start=1)
    ]


def test_the_workbook_keeps_numbers_and_dates_under_a_bold_frozen_header(plan):
    ws = load_workbook(io.BytesIO(plan_xlsx(plan))).active
    assert (ws["A6"].value, ws["A6"].font.bold, ws.freeze_panes) == ("STT", True, "A7")
    first = next(ws.iter_rows(min_row=7, max_row=7, values_only=True))
    task = plan.tasks.order_by("order").first()
    assert (first[3], first[4]) == (float(task.points), float(task.max_points))
    assert first[9] == dt.datetime.combine(task.deadline, dt.time())


# --- LibreOffice ----------------------------------------------------------------


def test_the_plan_and_the_report_open_in_libreoffice(plan, published, tmp_path):
    """Both documents converted in one LibreOffice run (it takes seconds); page 1
    of each kept as a PNG in var/screenshots for a person to look at."""
    office = shutil.which("libreoffice") or shutil.which("soffice")
    if office is None:
        pytest.skip("LibreOffice is not installed (no `libreoffice` on PATH)")
    if shutil.which("pdftoppm") is None or shutil.which("pdfinfo") is None:
        pytest.skip("pdftoppm/pdfinfo (poppler-utils) are not installed")
    period = find_period(published.cycle, "year")
    (tmp_path / "plan-docx.docx").write_bytes(plan_docx(plan))
    (tmp_path / "report-docx.docx").write_bytes(report_docx(report_of(published.cycle, period)))
    subprocess.run(
        [
            office,
            f"-env:UserInstallation=file://{tmp_path / 'profile'}",
            "--headless",
            "--convert-to",
            "pdf",
            "--outdir",
            str(tmp_path),
            str(tmp_path / "plan-docx.docx"),
            str(tmp_path / "report-docx.docx"),
        ],
        check=True,
        capture_output=True,
        timeout=180,
    )
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    for name in ("plan-docx", "report-docx"):
        pdf = tmp_path / f"{name}.pdf"
        assert pdf.exists()
        info = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True, check=True)
        pages = next(int(line.split()[1]) for line in info.stdout.splitlines()
                     if line.startswith("Pages:"))  # fmt: skip
        assert pages >= 1
        subprocess.run(
            ["pdftoppm", "-png", "-r", "60", "-f", "1", "-l", "1", "-singlefile", str(pdf),
             str(SCREENSHOTS / f"{name}-page1")],
            check=True,
            timeout=60,
        )  # fmt: skip
        assert (SCREENSHOTS / f"{name}-page1.png").exists()
