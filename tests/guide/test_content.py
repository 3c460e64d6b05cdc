"""Reading and parsing the chapters (the placeholder chapters of tests/guide/content)."""

from __future__ import annotations

import os
import time

from dtis.guide import content


def test_it_reads_the_chapters_in_order_with_title_and_roles():
    chapters = content.chapters("vi")
    assert [c.slug for c in chapters] == ["01-bat-dau", "02-nguoi-bao-cao"]
    first, second = chapters
    assert first.title == "Bắt đầu sử dụng DTIS"
    assert first.number == 1 and second.number == 2
    assert first.roles == ("all",)
    assert second.roles == ("reporter", "head")
    assert second.is_for({"head"}) and not second.is_for({"appraiser"})
    assert first.is_for(set())


def test_it_splits_sections_with_anchors_steps_and_text():
    first = content.chapter("01-bat-dau")
    assert first is not None
    assert [(s.title, s.anchor) for s in first.sections] == [
        ("Đăng nhập", "dang-nhap"),
        ("Trang chủ", "trang-chu"),
    ]
    assert first.sections[0].steps == ("Bước 1: Mở trang đăng nhập", "Bước 2: Đăng nhập hai bước")
    assert "Nhập mã sáu chữ số." in first.sections[0].text
    assert first.intro == "Chương này giúp bạn đăng nhập lần đầu và làm quen với trang chủ."


def test_it_lists_the_pictures_with_captions_and_sizes():
    first = content.chapter("01-bat-dau")
    assert first is not None
    assert [(i.name, i.caption) for i in first.images] == [
        ("01-login", "Trang đăng nhập của DTIS"),
        ("01-home", "Trang chủ sau khi đăng nhập"),
    ]
    assert (first.images[0].width, first.images[0].height) == (320, 200)  # read from the PNG


def test_the_html_has_figures_lazy_images_tables_and_no_raw_html():
    html = content.chapter("01-bat-dau").html  # type: ignore[union-attr]
    assert '<h2 id="dang-nhap">Đăng nhập</h2>' in html
    assert "<h1" not in html  # the title is the page's heading, not the body's
    assert (
        '<img src="/static/dtis/guide/anh/01-login.png" alt="Trang đăng nhập của DTIS" '
        'width="320" height="200" loading="lazy" decoding="async">'
    ) in html
    assert "<figcaption>Trang đăng nhập của DTIS</figcaption></figure>" in html
    assert "roles:" not in html  # the comment on line 2 is not text
    assert "<script>" not in html and "&lt;script&gt;" in html
    # A link to another chapter's file goes to that chapter's page.
    assert 'href="/huong-dan/02-nguoi-bao-cao/#nhap-so-lieu"' in html
    second = content.chapter("02-nguoi-bao-cao").html  # type: ignore[union-attr]
    assert '<div class="table-wrap">\n<table class="table">' in second
    assert "<blockquote>" in second and "<pre><code>" in second


def test_it_falls_back_to_vietnamese_for_a_chapter_missing_in_english():
    chapters = content.chapters("en")
    assert [(c.slug, c.lang) for c in chapters] == [
        ("01-bat-dau", "en"),
        ("02-nguoi-bao-cao", "vi"),
    ]
    assert chapters[0].title == "Getting started with DTIS"
    assert content.chapters("xx") == content.chapters("vi")


def test_the_start_chapter_is_chapter_01():
    assert content.start_chapter().slug == "01-bat-dau"  # type: ignore[union-attr]
    assert content.chapter_url("01-bat-dau") == "/huong-dan/bat-dau/"
    assert content.chapter_url("02-nguoi-bao-cao") == "/huong-dan/02-nguoi-bao-cao/"


def test_it_reads_a_chapter_again_once_its_file_changes(tmp_path, settings):
    folder = tmp_path / "vi"
    folder.mkdir()
    page = folder / "01-bat-dau.md"
    page.write_text("# Cũ\n<!-- roles: all -->\n", encoding="utf-8")
    settings.GUIDE_CONTENT_DIR = str(tmp_path)
    assert content.chapters()[0].title == "Cũ"
    assert content.chapters() is content.chapters()  # cached
    page.write_text("# Mới\n<!-- roles: all -->\n", encoding="utf-8")
    later = time.time() + 5
    os.utime(page, (later, later))
    assert content.chapters()[0].title == "Mới"


def test_duplicate_headings_get_distinct_anchors():
    chapter = content.parse("# T\n\n## Bước\n\n## Bước\n\n### Bước\n", "03-x")
    assert [s.anchor for s in chapter.sections] == ["buoc", "buoc-2"]
    assert 'id="buoc-3"' in chapter.html
    assert chapter.roles == ("all",)  # no roles comment: for everyone
