"""`dtis guide export`: writes the handout, refuses bad input clearly."""

from __future__ import annotations

import io
import json
import shutil

import pytest
from django.core.management import CommandError, call_command
from django.utils import translation
from docx import Document


def test_it_writes_the_docx(tmp_path):
    out = tmp_path / "guide.docx"
    stdout = io.StringIO()
    call_command(
        "guide", "export", "--format", "docx", "--output", str(out), "--json", stdout=stdout
    )
    summary = json.loads(stdout.getvalue())
    assert summary == {
        "file": str(out), "format": "docx", "lang": "vi", "bytes": out.stat().st_size,
        "chapters": 2, "images": 3,
    }  # fmt: skip
    assert len(Document(str(out)).inline_shapes) == 3


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--format", "odt"], "The format must be docx or pdf, not odt."),
        (["--format", "docx", "--lang", "fr"], "The language must be vi or en, not fr."),
    ],
)
def test_it_refuses_a_bad_format_or_language(tmp_path, args, message):
    out = tmp_path / "guide.x"
    with translation.override("en"), pytest.raises(CommandError, match=message.replace(".", r"\.")):
        call_command("guide", "export", *args, "--output", str(out))
    assert not out.exists()


def test_it_refuses_a_missing_folder(tmp_path):
    out = tmp_path / "khong-co" / "guide.docx"
    with translation.override("en"), pytest.raises(CommandError, match="does not exist"):
        call_command("guide", "export", "--format", "docx", "--output", str(out))


def test_it_refuses_without_chapters(tmp_path, settings):
    settings.GUIDE_CONTENT_DIR = str(tmp_path)
    with translation.override("en"), pytest.raises(CommandError, match="no chapters"):
        call_command("guide", "export", "--format", "docx", "--output", str(tmp_path / "g.docx"))


def test_pdf_without_libreoffice_fails_with_a_clear_line(tmp_path, monkeypatch):
    monkeypatch.setattr(shutil, "which", lambda name: None)
    out = tmp_path / "guide.pdf"
    with (
        translation.override("en"),
        pytest.raises(CommandError, match="LibreOffice is not installed"),
    ):
        call_command("guide", "export", "--format", "pdf", "--output", str(out))
    assert not out.exists()


@pytest.mark.skipif(shutil.which("libreoffice") is None, reason="LibreOffice is not installed")
def test_it_writes_the_pdf(tmp_path):
    out = tmp_path / "guide.pdf"
    call_command("guide", "export", "--format", "pdf", "--output", str(out), stdout=io.StringIO())
    assert out.read_bytes()[:5] == b"%PDF-"
