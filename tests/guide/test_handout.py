"""The DOCX handout (read back with python-docx) and the PDF made from it."""

from __future__ import annotations

import datetime as dt
import io
import shutil

import pytest
from docx import Document

from dtis.guide import content, handout


def _document(lang: str = "vi"):  # type: ignore[no-untyped-def]
    made = handout.docx(lang, dt.date(2026, 12, 3))
    return made, Document(io.BytesIO(made.data))


def _styled(doc, prefix: str) -> list[str]:  # type: ignore[no-untyped-def]
    return [p.text for p in doc.paragraphs if p.style.name.startswith(prefix)]


def test_it_has_a_cover_with_the_date_and_a_table_of_contents():
    _, doc = _document()
    texts = [p.text for p in doc.paragraphs]
    assert any("03/12/2026" in t for t in texts)
    xml = doc.element.xml
    assert 'TOC \\o "1-2"' in xml  # the Word field
    assert _styled(doc, "List Number")[:2] == ["Bắt đầu sử dụng DTIS", "Người báo cáo của đơn vị"]


def test_each_chapter_starts_a_new_page_with_its_headings():
    _, doc = _document()
    chapters = [
        p
        for p in doc.paragraphs
        if p.style.name == "Heading 1" and p.paragraph_format.page_break_before
    ]
    assert [p.text for p in chapters] == ["Bắt đầu sử dụng DTIS", "Người báo cáo của đơn vị"]
    assert _styled(doc, "Heading 2") == [
        "Đăng nhập", "Trang chủ", "Nhập số liệu", "Minh chứng", "Gửi thủ trưởng",
    ]  # fmt: skip
    assert "Bước 2: Đăng nhập hai bước" in _styled(doc, "Heading 3")


def test_every_picture_is_in_with_its_caption():
    made, doc = _document()
    expected = sum(len(c.images) for c in content.chapters())
    assert len(doc.inline_shapes) == expected == made.images == 3
    assert {round(s.width.cm) for s in doc.inline_shapes} == {16}
    captions = _styled(doc, "Caption")
    assert len(captions) == 3 and captions[0].endswith("Trang đăng nhập của DTIS")


def test_runs_lists_and_tables_keep_their_form():
    _, doc = _document()
    runs = [r for p in doc.paragraphs for r in p.runs]
    assert any(r.bold and r.text == "đăng nhập" for r in runs)
    assert any(r.italic and r.text == "trang chủ" for r in runs)
    assert any(r.font.name == handout.CODE_FONT and r.text == "tên đăng nhập" for r in runs)
    assert "Nhập mã sáu chữ số." in _styled(doc, "List Number")
    assert "Chuyển ngôn ngữ bằng nút VI/EN." in _styled(doc, "List Bullet")
    (table,) = doc.tables
    assert [c.text for c in table.rows[0].cells] == ["Cột", "Ý nghĩa"]
    assert table.rows[0].cells[0].paragraphs[0].runs[0].bold


def test_each_numbered_list_starts_again_from_one():
    _, doc = _document()
    ids = []
    for p in doc.paragraphs:
        num = p._p.pPr.numPr if p._p.pPr is not None else None
        if p.style.name == "List Number" and num is not None:
            ids.append(num.numId.val)
    assert len(set(ids)) == 2  # two numbered lists in the chapters, two numberings


def test_the_english_handout_uses_the_english_chapter_where_there_is_one():
    _, doc = _document("en")
    assert _styled(doc, "Heading 1")[1:] == [
        "Getting started with DTIS",
        "Người báo cáo của đơn vị",
    ]


def test_the_handout_is_cached_until_a_file_changes():
    assert handout.docx("vi") is handout.docx("vi")


def test_no_pdf_without_libreoffice(monkeypatch):
    monkeypatch.setattr(shutil, "which", lambda name: None)
    with pytest.raises(handout.PdfUnavailable):
        handout.pdf("vi")


@pytest.mark.skipif(shutil.which("libreoffice") is None, reason="LibreOffice is not installed")
def test_the_pdf_is_made_from_the_docx():
    made = handout.pdf("vi", dt.date(2026, 12, 3))
    assert made.data[:5] == b"%PDF-"
    assert made.images == 3
