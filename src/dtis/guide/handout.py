"""The guide as one handout for training sessions: DOCX, and PDF from it.

The DOCX has a cover page ("Hướng dẫn sử dụng DTIS" and the date), a table of
contents (a Word TOC field, which Word fills when asked to update fields, and a
plain list of the chapters for readers that do not), then each chapter from a
new page: headings, paragraphs with bold, italic and code, bullet and
numbered lists, tables, and the screenshots 16 cm wide with their captions.
It is written from the same markdown-it tokens the pages are rendered from.

The PDF is the DOCX converted by LibreOffice (`libreoffice --headless
--convert-to pdf`) in a temporary folder with a profile of its own, so two
conversions never share (and lock) one profile. Without LibreOffice there is
no PDF: `PdfUnavailable`.

Both are cached per process, keyed on the language, the day and the files'
modification times: a training room downloading the handout at once costs one
conversion.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import io
import shutil
import subprocess
import tempfile
import threading
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from django.utils import timezone, translation
from django.utils.translation import gettext as _
from docx.document import Document as DocxDocument
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_BREAK
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Pt, RGBColor
from docx.text.paragraph import Paragraph
from markdown_it.token import Token

from dtis.guide import content
from dtis.plans.documents.decree import FONT, new_document

IMAGE_WIDTH = Cm(16)
CODE_FONT = "Courier New"
HEADING_COLOUR = RGBColor(0x08, 0x40, 0x7A)  # the app's dark blue
PDF_TIMEOUT = 180  # seconds: a first start of LibreOffice on a slow machine


class PdfUnavailable(RuntimeError):
    """LibreOffice is not installed, or failed to convert."""


@dataclass(frozen=True)
class Handout:
    data: bytes
    chapters: int
    images: int


# --- DOCX --------------------------------------------------------------------------------


def docx(lang: str = content.REFERENCE_LANG, today: dt.date | None = None) -> Handout:
    """The handout as DOCX bytes (cached per process)."""
    today = today or timezone.localdate()
    key = ("docx", lang, today, content.signature())
    return _cached(key, lambda: _build_docx(lang, today))


def _build_docx(lang: str, today: dt.date) -> Handout:
    chapters = content.chapters(lang)
    with translation.override(lang):
        doc = new_document()
        _styles(doc)
        _cover(doc, today)
        _contents(doc, chapters)
        writer = _Writer(doc)
        for ch in chapters:
            writer.chapter(ch)
        buffer = io.BytesIO()
        doc.save(buffer)
    return Handout(buffer.getvalue(), len(chapters), writer.images)


def file_name(fmt: str) -> str:
    return f"huong-dan-dtis.{fmt}"


def _styles(doc: DocxDocument) -> None:
    """Headings in the body font, dark blue; smaller body than a decree's."""
    doc.styles["Normal"].font.size = Pt(12)
    sizes = {"Heading 1": 20, "Heading 2": 15, "Heading 3": 13, "Heading 4": 12, "Title": 30,
             "Subtitle": 16, "Caption": 10, "Quote": 12}  # fmt: skip
    for name, size in sizes.items():
        style = doc.styles[name]
        style.font.size = Pt(size)
        fonts = style.element.get_or_add_rPr().get_or_add_rFonts()
        for slot in ("asciiTheme", "hAnsiTheme", "eastAsiaTheme", "cstheme"):
            fonts.attrib.pop(qn(f"w:{slot}"), None)  # the theme's font would win over ours
        for slot in ("ascii", "hAnsi", "eastAsia", "cs"):
            fonts.set(qn(f"w:{slot}"), FONT)
        if name.startswith(("Heading", "Title")):
            style.font.color.rgb = HEADING_COLOUR
    caption = doc.styles["Caption"].font
    caption.bold, caption.italic, caption.color.rgb = False, True, RGBColor(0x33, 0x33, 0x33)


def _cover(doc: DocxDocument, today: dt.date) -> None:
    for _i in range(6):
        doc.add_paragraph()
    title = doc.add_paragraph(_("DTIS user guide"), style="Title")
    title.alignment = WD_ALIGN_PARAGRAPH.CENTER
    sub = doc.add_paragraph(_("Digital Transformation Index system"), style="Subtitle")
    sub.alignment = WD_ALIGN_PARAGRAPH.CENTER
    for _i in range(8):
        doc.add_paragraph()
    when = doc.add_paragraph(_("Edition of %(date)s") % {"date": today.strftime("%d/%m/%Y")})
    when.alignment = WD_ALIGN_PARAGRAPH.CENTER
    note = doc.add_paragraph(_("Handout for training sessions"))
    note.alignment = WD_ALIGN_PARAGRAPH.CENTER
    _page_break(doc)


def _contents(doc: DocxDocument, chapters: tuple[content.Chapter, ...]) -> None:
    doc.add_paragraph(_("Contents"), style="Heading 1")
    p = doc.add_paragraph()
    _toc_field(p, _("Right-click here and choose Update Field to list the pages."))
    doc.add_paragraph(_("Chapters"), style="Heading 3")
    for ch in chapters:
        doc.add_paragraph(ch.title, style="List Number")
    # Each chapter's heading starts a new page itself.


def _toc_field(paragraph: Paragraph, placeholder: str) -> None:
    """A Word TOC field over headings 1-2 (Word fills it when fields are updated)."""

    def fld(kind: str) -> Any:
        run = OxmlElement("w:r")
        char = OxmlElement("w:fldChar")
        char.set(qn("w:fldCharType"), kind)
        if kind == "begin":
            char.set(qn("w:dirty"), "true")
        run.append(char)
        return run

    instr_run = OxmlElement("w:r")
    instr = OxmlElement("w:instrText")
    instr.set(qn("xml:space"), "preserve")
    instr.text = 'TOC \\o "1-2" \\h \\z \\u'
    instr_run.append(instr)
    text_run = OxmlElement("w:r")
    text = OxmlElement("w:t")
    text.text = placeholder
    text_run.append(text)
    for element in (fld("begin"), instr_run, fld("separate"), text_run, fld("end")):
        paragraph._p.append(element)


def _page_break(doc: DocxDocument) -> None:
    doc.add_paragraph().add_run().add_break(WD_BREAK.PAGE)


@dataclass
class _List:
    ordered: bool
    num_id: int | None = None
    items: int = 0
    fresh_item: bool = False  # the next paragraph is an item's first


@dataclass
class _Writer:
    doc: DocxDocument
    images: int = 0
    figures: int = 0
    lists: list[_List] = field(default_factory=list)
    quote: int = 0

    def chapter(self, ch: content.Chapter) -> None:
        heading = self.doc.add_paragraph(ch.title, style="Heading 1")
        heading.paragraph_format.page_break_before = True
        tokens = list(ch.tokens)
        i = 0
        while i < len(tokens):
            i = self.block(tokens, i)

    def block(self, tokens: list[Token], i: int) -> int:
        """Writes the block starting at tokens[i]; returns the next index."""
        tok = tokens[i]
        kind = tok.type
        if kind == "heading_open":
            level = min(int(tok.tag[1:]), 4)
            self.doc.add_paragraph(tokens[i + 1].content.strip(), style=f"Heading {level}")
            return i + 3
        if kind == "paragraph_open":
            if content._lone_image(tokens, i):
                self.figure(tokens[i + 1].children[0])  # type: ignore[index]
            else:
                self.inline(self.new_paragraph(), tokens[i + 1].children or [])
            return i + 3
        if kind in ("bullet_list_open", "ordered_list_open"):
            ordered = kind == "ordered_list_open"
            depth = min(len(self.lists) + 1, 3)
            num_id = self.new_numbering(tok, depth) if ordered else None
            self.lists.append(_List(ordered, num_id))
        elif kind in ("bullet_list_close", "ordered_list_close"):
            self.lists.pop()
        elif kind == "list_item_open":
            self.lists[-1].fresh_item = True
            self.lists[-1].items += 1
        elif kind == "blockquote_open":
            self.quote += 1
        elif kind == "blockquote_close":
            self.quote -= 1
        elif kind in ("fence", "code_block"):
            self.code(tok.content)
        elif kind == "table_open":
            return self.table(tokens, i)
        return i + 1

    def new_paragraph(self) -> Paragraph:
        if self.lists:
            current = self.lists[-1]
            depth = min(len(self.lists), 3)
            suffix = "" if depth == 1 else f" {depth}"
            if current.fresh_item:
                current.fresh_item = False
                style = ("List Number" if current.ordered else "List Bullet") + suffix
                p = self.doc.add_paragraph(style=style)
                if current.num_id is not None:
                    _set_numbering(p, current.num_id)
                return p
            return self.doc.add_paragraph(style="List Continue" + suffix)
        if self.quote:
            return self.doc.add_paragraph(style="Quote")
        return self.doc.add_paragraph()

    def inline(self, p: Paragraph, children: list[Token]) -> None:
        bold = italic = 0
        link = False
        for child in children:
            kind = child.type
            if kind == "strong_open":
                bold += 1
            elif kind == "strong_close":
                bold -= 1
            elif kind == "em_open":
                italic += 1
            elif kind == "em_close":
                italic -= 1
            elif kind == "link_open":
                link = True
            elif kind == "link_close":
                link = False
            elif kind == "text" and child.content:
                run = p.add_run(child.content)
                run.bold, run.italic = bold > 0 or None, italic > 0 or None
                if link:
                    run.underline = True
                    run.font.color.rgb = HEADING_COLOUR
            elif kind == "code_inline":
                run = p.add_run(child.content)
                run.font.name = CODE_FONT
                run.bold = bold > 0 or None
            elif kind == "softbreak":
                p.add_run(" ")
            elif kind == "hardbreak":
                p.add_run().add_break()
            elif kind == "image":
                self.picture(p, child, inline=True)

    def figure(self, image: Token) -> None:
        p = self.doc.add_paragraph()
        p.alignment = WD_ALIGN_PARAGRAPH.CENTER
        p.paragraph_format.keep_with_next = True
        if self.picture(p, image, inline=False):
            self.figures += 1
            caption = content.plain_text(image.children)
            label = _("Figure %(n)s.") % {"n": self.figures}
            cap = self.doc.add_paragraph(style="Caption")
            cap.alignment = WD_ALIGN_PARAGRAPH.CENTER
            cap.add_run(label).bold = True
            cap.add_run(" " + caption)

    def picture(self, p: Paragraph, image: Token, *, inline: bool) -> bool:
        name = content.image_name(str(image.attrGet("src") or ""))
        path = content.image_path(name) if name else None
        if path is None or not path.is_file():
            p.add_run(
                "[" + _("Picture missing: %(name)s") % {"name": image.attrGet("src")} + "]"
            ).italic = True
            return False
        p.add_run().add_picture(str(path), width=IMAGE_WIDTH)
        self.images += 1
        return True

    def code(self, text: str) -> None:
        p = self.doc.add_paragraph()
        p.paragraph_format.left_indent = Cm(0.6)
        lines = text.rstrip("\n").split("\n")
        for n, line in enumerate(lines):
            run = p.add_run(line)
            run.font.name = CODE_FONT
            run.font.size = Pt(10)
            if n < len(lines) - 1:
                run.add_break()

    def table(self, tokens: list[Token], i: int) -> int:
        rows: list[list[tuple[bool, list[Token]]]] = []
        while tokens[i].type != "table_close":
            tok = tokens[i]
            if tok.type == "tr_open":
                rows.append([])
            elif tok.type in ("th_open", "td_open"):
                rows[-1].append((tok.type == "th_open", tokens[i + 1].children or []))
            i += 1
        width = max((len(r) for r in rows), default=0)
        if rows and width:
            table = self.doc.add_table(rows=len(rows), cols=width)
            table.style = self.doc.styles["Table Grid"]
            for r, row in enumerate(rows):
                for c, (header, children) in enumerate(row):
                    cell = table.cell(r, c)
                    p = cell.paragraphs[0]
                    self.inline(p, children)
                    for run in p.runs:
                        run.font.size = Pt(11)
                        if header:
                            run.bold = True
            self.doc.add_paragraph()
        return i + 1

    def new_numbering(self, tok: Token, depth: int) -> int:
        """A fresh numbering instance of the "List Number" list (of its depth),
        so that every numbered list starts again from its own first number."""
        numbering = self.doc.part.numbering_part.element
        name = "List Number" + ("" if depth == 1 else f" {depth}")
        style = self.doc.styles[name].element
        base_num = int(style.pPr.numPr.numId.val)
        abstract = numbering.num_having_numId(base_num).abstractNumId.val
        num = numbering.add_num(abstract)
        override = OxmlElement("w:lvlOverride")
        override.set(qn("w:ilvl"), "0")
        start = OxmlElement("w:startOverride")
        start.set(qn("w:val"), str(int(tok.attrGet("start") or 1)))
        override.append(start)
        num.append(override)
        return int(num.numId)


def _set_numbering(p: Paragraph, num_id: int) -> None:
    num_pr = p._p.get_or_add_pPr().get_or_add_numPr()
    num_pr.get_or_add_ilvl().val = 0
    num_pr.get_or_add_numId().val = num_id


# --- PDF ---------------------------------------------------------------------------------


def libreoffice() -> str | None:
    return shutil.which("libreoffice") or shutil.which("soffice")


def pdf(lang: str = content.REFERENCE_LANG, today: dt.date | None = None) -> Handout:
    """The handout as PDF bytes; PdfUnavailable without LibreOffice."""
    binary = libreoffice()
    if binary is None:
        raise PdfUnavailable(
            _("LibreOffice is not installed on the server, so the handout cannot be made as PDF.")
        )
    today = today or timezone.localdate()
    key = ("pdf", lang, today, content.signature())

    def build() -> Handout:
        source = docx(lang, today)
        return Handout(to_pdf(source.data, binary), source.chapters, source.images)

    return _cached(key, build)


def to_pdf(data: bytes, binary: str) -> bytes:
    with tempfile.TemporaryDirectory(prefix="dtis-guide-") as tmp:
        folder = Path(tmp)
        source = folder / "huong-dan-dtis.docx"
        source.write_bytes(data)
        command = [
            binary,
            f"-env:UserInstallation={(folder / 'profile').as_uri()}",
            "--headless",
            "--norestore",
            "--convert-to",
            "pdf",
            "--outdir",
            str(folder),
            str(source),
        ]
        try:
            subprocess.run(command, capture_output=True, timeout=PDF_TIMEOUT, check=False)
        except (OSError, subprocess.TimeoutExpired) as exc:
            raise PdfUnavailable(_("LibreOffice could not convert the handout to PDF.")) from exc
        result = folder / "huong-dan-dtis.pdf"
        if not result.is_file():
            raise PdfUnavailable(_("LibreOffice could not convert the handout to PDF."))
        return result.read_bytes()


# --- the cache ---------------------------------------------------------------------------

_lock = threading.Lock()
_building = threading.Lock()  # one build at a time: a second request waits and reuses it
_cache: dict[str, tuple[Any, Handout]] = {}


def _cached(key: tuple[Any, ...], build: Any) -> Handout:
    slot = f"{key[0]}:{key[1]}"
    with _lock:
        hit = _cache.get(slot)
    if hit is not None and hit[0] == key:
        return hit[1]
    with _building if key[0] == "pdf" else contextlib.nullcontext():
        with _lock:
            hit = _cache.get(slot)
        if hit is not None and hit[0] == key:
            return hit[1]
        made: Handout = build()
        with _lock:
            _cache[slot] = (key, made)
        return made


def clear_cache() -> None:
    with _lock:
        _cache.clear()
