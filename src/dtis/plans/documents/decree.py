"""The layout of an official document under Decree 30/2020/NĐ-CP (Nghị định
về công tác văn thư), shared by plans and reports.

A4 portrait, margins 20 mm top and bottom, 30 mm left (the binding side),
15 mm right; Times New Roman, body 14 pt. The header is a borderless
two-column table: the issuing body and the document number on the left, the
national title, the motto and the place-date line on the right. The
signature block is another borderless table: recipients on the left, the
signer on the right. Short rules under the issuing body, the motto and the
title are paragraph borders narrowed by indents, which Word and LibreOffice
both draw the same way (a drawn line would float and move with the text).

Everything goes through python-docx; raw XML is written only where
python-docx has no API: paragraph borders, repeated table header rows and
the East Asian font slot.
"""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Iterable, Sequence

from docx import Document
from docx.document import Document as DocxDocument
from docx.enum.section import WD_ORIENT, WD_SECTION
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_BREAK
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.section import Section
from docx.shared import Length, Mm, Pt
from docx.table import Table, _Cell
from docx.text.paragraph import Paragraph

FONT = "Times New Roman"
BODY_PT = 14
TABLE_PT = 12
PAGE_SHORT, PAGE_LONG = Mm(210), Mm(297)
TOP, BOTTOM, LEFT, RIGHT = Mm(20), Mm(20), Mm(30), Mm(15)
TEXT_WIDTH = PAGE_SHORT - LEFT - RIGHT  # 165 mm
WIDE_TEXT_WIDTH = PAGE_LONG - LEFT - RIGHT  # 252 mm (landscape)
HEADER_LEFT = Mm(65)  # the issuing body's column; the rest is the national title's

NATIONAL_TITLE = "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"
MOTTO = "Độc lập - Tự do - Hạnh phúc"


def new_document() -> DocxDocument:
    """An empty A4 portrait document with the decree's margins and font."""
    doc = Document()
    section = doc.sections[0]
    section.orientation = WD_ORIENT.PORTRAIT
    section.page_width, section.page_height = PAGE_SHORT, PAGE_LONG
    _margins(section)
    normal = doc.styles["Normal"]
    normal.font.name = FONT
    normal.font.size = Pt(BODY_PT)
    # Without the East Asian slot Word may pick another font for some glyphs.
    normal.element.get_or_add_rPr().get_or_add_rFonts().set(qn("w:eastAsia"), FONT)
    fmt = normal.paragraph_format
    fmt.space_before, fmt.space_after, fmt.line_spacing = Pt(0), Pt(6), 1.1
    page_numbers(section)
    return doc


def page_numbers(section: Section) -> None:
    """The page number centred at the top, from the second page on (the decree)."""
    section.different_first_page_header_footer = True
    p = section.header.paragraphs[0]
    tight(p)
    field = OxmlElement("w:fldSimple")
    field.set(qn("w:instr"), "PAGE")
    run = OxmlElement("w:r")
    text = OxmlElement("w:t")
    text.text = "2"
    run.append(text)
    field.append(run)
    p._p.append(field)


def _margins(section: object) -> None:
    section.top_margin, section.bottom_margin = TOP, BOTTOM  # type: ignore[attr-defined]
    section.left_margin, section.right_margin = LEFT, RIGHT  # type: ignore[attr-defined]


def date_line(place: str, on: dt.date | None, year: int) -> str:
    """ "Khánh Hòa, ngày 05 tháng 01 năm 2026"; blanks to fill by hand when
    the date is not known yet. As the decree asks, days below 10 and the
    months January and February take a leading zero (so do not tháng 3–9)."""
    if on is None:
        return f"{place}, ngày      tháng      năm {year}"
    month = f"{on.month:02d}" if on.month < 3 else str(on.month)
    return f"{place}, ngày {on.day:02d} tháng {month} năm {on.year}"


def dmy(on: dt.date | None) -> str:
    return on.strftime("%d/%m/%Y") if on is not None else ""


# --- paragraphs -----------------------------------------------------------------


def write(
    paragraph: Paragraph,
    text: str,
    *,
    size: float | None = None,
    bold: bool = False,
    italic: bool = False,
    underline: bool = False,
) -> Paragraph:
    run = paragraph.add_run(text)
    run.bold, run.italic, run.underline = bold, italic, underline
    if size is not None:
        run.font.size = Pt(size)
    return paragraph


def tight(paragraph: Paragraph, *, align: int | None = WD_ALIGN_PARAGRAPH.CENTER) -> Paragraph:
    """No spacing around, single line: header and table cells."""
    fmt = paragraph.paragraph_format
    fmt.space_before, fmt.space_after, fmt.line_spacing = Pt(0), Pt(0), 1.0
    if align is not None:
        paragraph.alignment = align  # type: ignore[assignment]
    return paragraph


def centred(doc: DocxDocument, text: str, *, size: float = BODY_PT, **style: bool) -> Paragraph:
    return write(tight(doc.add_paragraph()), text, size=size, **style)


def heading(doc: DocxDocument, text: str, *, level: int = 1) -> Paragraph:
    """ "I. MỤC ĐÍCH, YÊU CẦU" (level 1) or "1. Mục đích" (level 2), bold, indented."""
    p = doc.add_paragraph()
    p.paragraph_format.first_line_indent = Mm(10)
    p.paragraph_format.space_before = Pt(6)
    p.paragraph_format.keep_with_next = True
    return write(p, text, bold=True)


def body(doc: DocxDocument, text: str, *, lead: str = "") -> list[Paragraph]:
    """The office's text, one paragraph per line (lines starting with "- " as
    they are), justified with the usual first-line indent; `lead` is a bold
    start of the first paragraph ("1.1. Chỉ số …: ")."""
    lines = [line.strip() for line in (text or "").splitlines() if line.strip()]
    if not lines:
        lines = [""] if lead else []
    out = []
    for n, line in enumerate(lines):
        p = doc.add_paragraph()
        p.alignment = WD_ALIGN_PARAGRAPH.JUSTIFY
        p.paragraph_format.first_line_indent = Mm(10)
        if n == 0 and lead:
            write(p, lead, bold=True)
        write(p, line)
        out.append(p)
    return out


def rule(paragraph: Paragraph, width: Length, cell_width: Length) -> Paragraph:
    """A short centred line under a header text: a bottom border on an empty
    paragraph, narrowed by equal indents."""
    side = max((cell_width - width) // 2, 0)
    fmt = paragraph.paragraph_format
    fmt.left_indent, fmt.right_indent = Length(side), Length(side)
    p_pr = paragraph._p.get_or_add_pPr()
    borders = OxmlElement("w:pBdr")
    bottom = OxmlElement("w:bottom")
    for key, value in {"w:val": "single", "w:sz": "6", "w:space": "1", "w:color": "000000"}.items():
        bottom.set(qn(key), value)
    borders.append(bottom)
    p_pr.append(borders)
    fmt.line_spacing = Pt(3)  # exact: the line sits just under the text above
    fmt.space_before = Pt(2)
    return paragraph


def page_break(doc: DocxDocument) -> None:
    doc.add_paragraph().add_run().add_break(WD_BREAK.PAGE)


# --- tables ---------------------------------------------------------------------


def fixed_table(doc: DocxDocument, widths: Sequence[Length], *, rows: int = 1) -> Table:
    """A table of fixed column widths (Word and LibreOffice both honour the
    cells' widths, not the columns', so both are set)."""
    table = doc.add_table(rows=rows, cols=len(widths))
    table.autofit = False
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    for column, width in zip(table.columns, widths, strict=True):
        column.width = width
    for row in table.rows:
        for cell, width in zip(row.cells, widths, strict=True):
            cell.width = width
    return table


def cell_lines(
    cell: _Cell, lines: Iterable[str], *, size: float, bold: bool = False, italic: bool = False
) -> None:
    """Write lines into a cell, one paragraph each, using its first empty paragraph."""
    first = True
    for line in lines:
        p = cell.paragraphs[0] if first and not cell.paragraphs[0].text else cell.add_paragraph()
        first = False
        write(tight(p), line, size=size, bold=bold, italic=italic)


def grid(
    doc: DocxDocument,
    header: Sequence[str],
    rows: Iterable[Sequence[str]],
    widths: Sequence[Length],
    *,
    size: float = TABLE_PT,
    left: Iterable[int] = (),
) -> Table:
    """A bordered table whose header row repeats on every page; columns in
    `left` are aligned left (names), the others centred (codes, numbers)."""
    table = fixed_table(doc, widths)
    table.style = doc.styles["Table Grid"]
    left_columns = set(left)
    for cell, text in zip(table.rows[0].cells, header, strict=True):
        cell_lines(cell, [text], size=size, bold=True)
    repeat_header(table.rows[0])
    for values in rows:
        cells = table.add_row().cells
        for n, (cell, text) in enumerate(zip(cells, values, strict=True)):
            cell.width = widths[n]
            align = WD_ALIGN_PARAGRAPH.LEFT if n in left_columns else WD_ALIGN_PARAGRAPH.CENTER
            write(tight(cell.paragraphs[0], align=align), str(text), size=size)
    return table


def repeat_header(row: object) -> None:
    tr_pr = row._tr.get_or_add_trPr()  # type: ignore[attr-defined]
    flag = OxmlElement("w:tblHeader")
    flag.set(qn("w:val"), "true")
    tr_pr.append(flag)


# --- the parts every document has -----------------------------------------------


def header(
    doc: DocxDocument,
    *,
    issuer: str,
    issuer_parent: str,
    number: str,
    place: str,
    on: dt.date | None,
    year: int,
) -> Table:
    """Issuing body and number (left); national title, motto and date (right)."""
    right_width = TEXT_WIDTH - HEADER_LEFT
    table = fixed_table(doc, [HEADER_LEFT, right_width])
    left, right = table.rows[0].cells
    if issuer_parent:
        cell_lines(left, [issuer_parent.upper()], size=13)
    cell_lines(left, issuer.upper().splitlines(), size=13, bold=True)
    rule(tight(left.add_paragraph()), Mm(22), HEADER_LEFT)
    number_line = tight(left.add_paragraph())
    number_line.paragraph_format.space_before = Pt(6)
    write(number_line, f"Số: {number}", size=13)
    cell_lines(right, [NATIONAL_TITLE], size=12.5, bold=True)
    cell_lines(right, [MOTTO], size=13.5, bold=True)
    rule(tight(right.add_paragraph()), Mm(60), right_width)
    when = tight(right.add_paragraph())
    when.paragraph_format.space_before = Pt(6)
    write(when, date_line(place, on, year), size=14, italic=True)
    gap = doc.add_paragraph()
    gap.paragraph_format.space_after = Pt(6)
    return table


def title(doc: DocxDocument, kind: str, subject: str) -> None:
    """ "KẾ HOẠCH" and what it is about, bold and centred, with a short rule."""
    first = centred(doc, kind, bold=True)
    first.paragraph_format.space_before = Pt(6)
    for line in subject.splitlines():
        centred(doc, _without_kind(line, kind), bold=True)
    rule(tight(doc.add_paragraph()), Mm(40), TEXT_WIDTH)
    doc.add_paragraph()


def _without_kind(subject: str, kind: str) -> str:
    """ "Kế hoạch nâng cao …" under "KẾ HOẠCH" reads "Nâng cao …" (the seeds)."""
    if subject.casefold().startswith(kind.casefold() + " "):
        rest = subject[len(kind) + 1 :].lstrip()
        return rest[:1].upper() + rest[1:]
    return subject


def recipient_lines(recipients: str) -> list[str]:
    """ "- Bộ Khoa học và Công nghệ (b/c);" … "- Lưu: VT, KGVX." """
    names = [line.strip().lstrip("-").strip().rstrip(";.") for line in recipients.splitlines()]
    names = [n for n in names if n]
    return [f"- {n}{'.' if i == len(names) - 1 else ';'}" for i, n in enumerate(names)]


def signature(doc: DocxDocument, *, recipients: str, signer_title: str, signer_name: str) -> Table:
    """ "Nơi nhận:" with the recipients (left); the signer's title, room to
    sign and the name (right)."""
    spacer = doc.add_paragraph()
    spacer.paragraph_format.keep_with_next = True
    left_width = Mm(80)
    table = fixed_table(doc, [left_width, TEXT_WIDTH - left_width])
    left, right = table.rows[0].cells
    write(
        tight(left.paragraphs[0], align=WD_ALIGN_PARAGRAPH.LEFT),
        "Nơi nhận:",
        size=12,
        bold=True,
        italic=True,
    )
    for line in recipient_lines(recipients):
        write(tight(left.add_paragraph(), align=WD_ALIGN_PARAGRAPH.LEFT), line, size=11)
    cell_lines(right, signer_title.upper().splitlines() or [""], size=14, bold=True)
    for _ in range(4):
        tight(right.add_paragraph())
    write(tight(right.add_paragraph()), signer_name, size=14, bold=True)
    # Keep the block on one page: a signature is never split from its title.
    for p in [*left.paragraphs, *right.paragraphs]:
        p.paragraph_format.keep_with_next = True
    return table


def landscape_section(doc: DocxDocument) -> None:
    """Start a new page in A4 landscape (wide appendix tables)."""
    section = doc.add_section(WD_SECTION.NEW_PAGE)
    section.different_first_page_header_footer = False  # numbered like the pages before
    section.orientation = WD_ORIENT.LANDSCAPE
    section.page_width, section.page_height = PAGE_LONG, PAGE_SHORT
    _margins(section)


def to_bytes(doc: DocxDocument) -> bytes:
    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()
