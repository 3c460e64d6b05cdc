"""The guide's pages: index, chapters, search and the handout downloads."""

from __future__ import annotations

import shutil

import pytest

pytestmark = pytest.mark.django_db


def test_the_index_lists_the_chapters_for_the_reporter_first(
    client, org, django_assert_max_num_queries
):
    client.force_login(org.reporter)
    with django_assert_max_num_queries(8):
        response = client.get("/huong-dan/")
    assert response.status_code == 200
    page = response.content.decode()
    assert '<html lang="vi">' in page
    assert "Bắt đầu sử dụng DTIS" in page and "Người báo cáo của đơn vị" in page
    assert page.count("guide-card is-for-you") == 2  # chapter 01 is for all, 02 for reporters
    assert 'href="/huong-dan/tai-ve.docx"' in page
    assert 'action="/huong-dan/tim/"' in page


def test_the_chapters_for_ones_roles_come_first(client, org):
    client.force_login(org.appraiser)
    page = client.get("/huong-dan/").content.decode()
    assert page.count("is-for-you") == 1
    assert page.index("Bắt đầu sử dụng DTIS") < page.index("Người báo cáo của đơn vị")


def test_a_chapter_page_has_its_contents_pictures_and_neighbours(
    client, org, django_assert_max_num_queries
):
    client.force_login(org.head)
    with django_assert_max_num_queries(8):
        response = client.get("/huong-dan/02-nguoi-bao-cao/")
    assert response.status_code == 200
    page = response.content.decode()
    assert "<h1>Người báo cáo của đơn vị</h1>" in page
    assert '<a href="#minh-chung">Minh chứng</a>' in page  # the table of contents
    assert 'loading="lazy"' in page and 'width="320" height="200"' in page
    assert 'href="/huong-dan/bat-dau/" rel="prev"' in page
    assert 'rel="next"' not in page  # the last chapter
    assert "style=" not in page.split('<main id="main"')[1]  # the CSP forbids inline styles
    assert "<script" not in page.split('<main id="main"')[1]


def test_chapter_01_is_readable_without_signing_in(client, db):
    response = client.get("/huong-dan/bat-dau/")
    assert response.status_code == 200
    page = response.content.decode()
    assert "Bắt đầu sử dụng DTIS" in page
    assert 'href="/huong-dan/02-nguoi-bao-cao/" rel="next"' in page
    assert "tai-ve.docx" not in page  # the handout is for signed-in people


@pytest.mark.parametrize(
    "url",
    ["/huong-dan/", "/huong-dan/02-nguoi-bao-cao/", "/huong-dan/tim/?q=a",
     "/huong-dan/tai-ve.docx", "/huong-dan/tai-ve.pdf"],
)  # fmt: skip
def test_the_rest_needs_signing_in(client, db, url):
    response = client.get(url)
    assert response.status_code == 302
    assert response["Location"].startswith("/dang-nhap/")


def test_chapter_01_by_its_file_name_goes_to_the_start_page(client, org):
    client.force_login(org.viewer)
    response = client.get("/huong-dan/01-bat-dau/")
    assert response.status_code == 302 and response["Location"] == "/huong-dan/bat-dau/"


def test_an_unknown_chapter_is_404(client, org):
    client.force_login(org.viewer)
    assert client.get("/huong-dan/99-khong-co/").status_code == 404


def test_the_search_page_marks_the_words_found(client, org, django_assert_max_num_queries):
    client.force_login(org.reporter)
    with django_assert_max_num_queries(8):
        response = client.get("/huong-dan/tim/", {"q": "minh chung"})
    assert response.status_code == 200
    page = response.content.decode()
    assert 'href="/huong-dan/02-nguoi-bao-cao/#minh-chung"' in page
    assert "<mark>" in page


def test_the_search_page_escapes_the_query(client, org):
    client.force_login(org.reporter)
    page = client.get("/huong-dan/tim/", {"q": "<b>xyz</b>"}).content.decode()
    assert "&lt;b&gt;xyz&lt;/b&gt;" in page and "<b>xyz" not in page


def test_the_top_bar_and_the_sign_in_page_link_to_the_guide(client, org):
    login = client.get("/dang-nhap/").content.decode()
    assert 'href="/huong-dan/bat-dau/"' in login
    client.force_login(org.reporter)
    home = client.get("/").content.decode()
    assert 'href="/huong-dan/"' in home


def test_the_docx_download(client, org):
    client.force_login(org.reporter)
    response = client.get("/huong-dan/tai-ve.docx")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    assert 'filename="huong-dan-dtis.docx"' in response["Content-Disposition"]
    assert response.content[:2] == b"PK"


def test_the_pdf_download_answers_503_without_libreoffice(client, org, monkeypatch):
    monkeypatch.setattr(shutil, "which", lambda name: None)
    client.force_login(org.reporter)
    response = client.get("/huong-dan/tai-ve.pdf")
    assert response.status_code == 503
    assert 'href="/huong-dan/tai-ve.docx"' in response.content.decode()
    page = client.get("/huong-dan/").content.decode()
    assert "tai-ve.pdf" not in page  # no button for a file that cannot be made


@pytest.mark.skipif(shutil.which("libreoffice") is None, reason="LibreOffice is not installed")
def test_the_pdf_download(client, org):
    client.force_login(org.reporter)
    response = client.get("/huong-dan/tai-ve.pdf")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response.content[:5] == b"%PDF-"


def test_english_pages_fall_back_to_vietnamese_chapters(client, org):
    client.force_login(org.reporter)
    client.post("/ngon-ngu/", {"language": "en", "next": "/"})
    page = client.get("/huong-dan/").content.decode()
    assert "Getting started with DTIS" in page
    assert "Người báo cáo của đơn vị" in page  # no English chapter 02: the Vietnamese one


def test_the_start_chapter_says_the_next_one_needs_signing_in(client, db):
    page = client.get("/huong-dan/bat-dau/").content.decode()
    assert "Chương sau (sau khi đăng nhập)" in page


def test_a_signed_in_reader_sees_a_plain_next_chapter_link(client, org):
    client.force_login(org.viewer)
    page = client.get("/huong-dan/bat-dau/").content.decode()
    assert "Chương sau</span>" in page and "Chương sau (sau khi đăng nhập)" not in page
