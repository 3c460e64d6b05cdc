"""Evidence: files recognised by their content, links, citations of official
documents, the pre-check before submission, and who may download what."""

from __future__ import annotations

import datetime as dt
import io
import struct
import zipfile
import zlib
from pathlib import Path
from urllib.parse import quote

import pytest
from django.contrib.messages import get_messages
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.template.loader import render_to_string
from django.test import Client, RequestFactory
from django.urls import reverse
from django.utils import timezone, translation
from openpyxl import Workbook

from dtis.orgs.models import Role
from dtis.reporting.evidence import (
    DOCX,
    ODT,
    PDF,
    XLSX,
    Finding,
    evidence_add_document,
    evidence_add_file,
    evidence_add_link,
    evidence_replace_file,
    precheck,
    sniff,
    validate_document_number,
)
from dtis.reporting.figures import figure_save
from dtis.reporting.models import AssessedUnit, Cycle, Evidence, Figure, Period
from dtis.reporting.workflow import submission_submit
from tests.factories import Org, make_user

# --- real, minimal files ---------------------------------------------------

MINIMAL_PDF = (
    b"%PDF-1.4\n"
    b"1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n"
    b"2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>endobj\n"
    b"3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 595 842]>>endobj\n"
    b"xref\n0 4\n0000000000 65535 f \n0000000009 00000 n \n"
    b"0000000052 00000 n \n0000000101 00000 n \n"
    b"trailer<</Size 4/Root 1 0 R>>\nstartxref\n165\n%%EOF\n"
)


def png_bytes() -> bytes:
    """A 1×1 white PNG."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        body = kind + data
        return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body))

    header = struct.pack(">IIBBBBB", 1, 1, 8, 2, 0, 0, 0)
    pixels = zlib.compress(b"\x00\xff\xff\xff")
    return (
        b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", pixels) + chunk(b"IEND", b"")
    )


def docx_bytes() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", '<?xml version="1.0"?><Types/>')
        archive.writestr(
            "word/document.xml",
            '<?xml version="1.0" encoding="UTF-8"?><w:document><w:body><w:p><w:r>'
            "<w:t>Kế hoạch chuyển đổi số năm 2026</w:t></w:r></w:p></w:body></w:document>",
        )
    return buffer.getvalue()


def xlsx_bytes() -> bytes:
    book = Workbook()
    sheet = book.active
    sheet.append(["Đơn vị", "Số hồ sơ trực tuyến", "Tổng số hồ sơ"])
    sheet.append(["Sở Nội vụ", 1250, 1480])
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def odt_bytes(mimetype: str = ODT) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("mimetype", mimetype, compress_type=zipfile.ZIP_STORED)
        archive.writestr("content.xml", "<office:document-content/>", zipfile.ZIP_DEFLATED)
        archive.writestr("META-INF/manifest.xml", "<manifest:manifest/>", zipfile.ZIP_DEFLATED)
    return buffer.getvalue()


def upload(name: str, content: bytes, content_type: str = "application/octet-stream"):  # type: ignore[no-untyped-def]
    return SimpleUploadedFile(name, content, content_type=content_type)


def stored_files(root: Path) -> list[Path]:
    return [p for p in root.rglob("*") if p.is_file()]


# --- fixtures ----------------------------------------------------------------


@pytest.fixture
def media(settings, tmp_path: Path) -> Path:  # type: ignore[no-untyped-def]
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


@pytest.fixture
def q1(dept_cycle: Cycle) -> Period:
    return dept_cycle.periods.get(kind="q1")


@pytest.fixture
def home(dept_cycle: Cycle, org: Org) -> AssessedUnit:
    return dept_cycle.assessed.get(unit=org.dept_home)


def save_figure(org: Org, cycle: Cycle, period: Period, assessed: AssessedUnit, code: str,
                values: dict[str, object] | None = None, **kw: object) -> Figure:  # fmt: skip
    indicator = cycle.framework.indicators.get(code=code)
    return figure_save(
        actor=org.reporter, period=period, assessed=assessed, indicator=indicator,
        values=values or {}, **kw,  # type: ignore[arg-type]
    )  # fmt: skip


@pytest.fixture
def figure(org: Org, dept_cycle: Cycle, q1: Period, home: AssessedUnit, media: Path) -> Figure:
    """Sở Nội vụ, Q1, indicator 2.2 (the yearly DX plan): it has one."""
    return save_figure(org, dept_cycle, q1, home, "2.2", {"co_ke_hoach_hang_nam": True})


@pytest.fixture
def pdf_evidence(org: Org, figure: Figure) -> Evidence:
    return evidence_add_file(
        actor=org.reporter,
        figure=figure,
        upload=upload("Kế hoạch CĐS Sở Nội vụ 2026.pdf", MINIMAL_PDF, "application/pdf"),
    )


@pytest.fixture
def finance_reporter(org: Org):  # type: ignore[no-untyped-def]
    return make_user("pham.thi.thu", "Phạm Thị Thu", Role.REPORTER, org.dept_finance)


# --- recognising files -------------------------------------------------------


def test_a_real_pdf_is_accepted_and_keeps_its_name_size_and_type(
    org: Org, figure: Figure, media: Path
):
    item = evidence_add_file(
        actor=org.reporter,
        figure=figure,
        upload=upload("Kế hoạch CĐS Sở Nội vụ 2026.pdf", MINIMAL_PDF),
    )
    item.refresh_from_db()
    assert (item.kind, item.original_name) == ("file", "Kế hoạch CĐS Sở Nội vụ 2026.pdf")
    assert (item.content_type, item.size) == (PDF, len(MINIMAL_PDF))
    assert item.added_by == org.reporter
    assert (media / item.file.name).read_bytes() == MINIMAL_PDF


def test_the_file_on_disk_is_not_named_after_the_upload(pdf_evidence: Evidence, media: Path):
    stored = Path(pdf_evidence.file.name)
    assert "Kế hoạch" not in stored.name
    assert stored.suffix == ""
    assert stored.parts[0] == "evidence"
    assert [p.name for p in stored_files(media)] == [stored.name]


@pytest.mark.parametrize(
    ("name", "content"),
    [
        ("Báo cáo quý 1.pdf", png_bytes()),  # a screenshot renamed .pdf
        ("Báo cáo quý 1.pdf", b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff" * 8),
        ("Báo cáo quý 1.pdf", b"<!DOCTYPE html><html><script>alert(1)</script></html>"),
        ("Kế hoạch.docx", MINIMAL_PDF),  # a PDF named .docx
        ("Danh sách.xls", docx_bytes()),
        ("Hồ sơ.pdf", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 504),  # OLE2: .doc/.xls only
        ("caidat.exe", b"MZ\x90\x00" * 20),
    ],
)
def test_a_file_whose_content_does_not_match_is_refused_and_nothing_is_stored(
    org: Org, figure: Figure, media: Path, name: str, content: bytes
):
    with pytest.raises(ValidationError):
        evidence_add_file(actor=org.reporter, figure=figure, upload=upload(name, content))
    assert Evidence.objects.count() == 0
    assert stored_files(media) == []


def test_a_file_over_the_limit_is_refused_with_the_limit_in_mb(
    org: Org, figure: Figure, media: Path, settings
):  # type: ignore[no-untyped-def]
    settings.EVIDENCE_MAX_BYTES = 1024 * 1024
    big = MINIMAL_PDF + b"0" * (1024 * 1024)
    with pytest.raises(ValidationError) as refused:
        evidence_add_file(actor=org.reporter, figure=figure, upload=upload("Ảnh chụp.pdf", big))
    assert "1 MB" in refused.value.messages[0]
    assert Evidence.objects.count() == 0
    assert stored_files(media) == []


def test_an_empty_file_is_refused(org: Org, figure: Figure, media: Path):
    with pytest.raises(ValidationError):
        evidence_add_file(actor=org.reporter, figure=figure, upload=upload("Trống.pdf", b""))
    assert stored_files(media) == []


def test_a_word_document_made_as_a_zip_is_accepted(org: Org, figure: Figure):
    item = evidence_add_file(
        actor=org.reporter, figure=figure, upload=upload("Kế hoạch 2026.docx", docx_bytes())
    )
    assert item.content_type == DOCX


def test_an_excel_workbook_made_with_openpyxl_is_accepted(org: Org, figure: Figure):
    item = evidence_add_file(
        actor=org.reporter, figure=figure, upload=upload("Số liệu hồ sơ.xlsx", xlsx_bytes())
    )
    assert item.content_type == XLSX


def test_an_opendocument_text_is_accepted(org: Org, figure: Figure):
    item = evidence_add_file(
        actor=org.reporter, figure=figure, upload=upload("Biên bản họp.odt", odt_bytes())
    )
    assert item.content_type == ODT


def test_an_old_format_excel_file_takes_its_type_from_the_extension(org: Org, figure: Figure):
    ole2 = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 504
    item = evidence_add_file(
        actor=org.reporter, figure=figure, upload=upload("Danh sách.xls", ole2)
    )
    assert item.content_type == "application/vnd.ms-excel"


def test_sniffing_reads_the_opendocument_type_from_the_first_bytes():
    content = odt_bytes("application/vnd.oasis.opendocument.spreadsheet")
    names = set(zipfile.ZipFile(io.BytesIO(content)).namelist())
    assert sniff(content[:4096], names) == "application/vnd.oasis.opendocument.spreadsheet"
    assert sniff(odt_bytes("application/vnd.oasis.opendocument.presentation"), names) is None


def test_sniffing_refuses_macro_enabled_office_files():
    names = {"[Content_Types].xml", "word/document.xml", "word/vbaProject.bin"}
    assert sniff(b"PK\x03\x04" + b"\x00" * 40, names) is None


# --- replacing ---------------------------------------------------------------


def test_replacing_a_file_keeps_the_old_version(
    org: Org, pdf_evidence: Evidence, media: Path, client: Client
):
    new = evidence_replace_file(
        actor=org.reporter,
        evidence=pdf_evidence,
        upload=upload("Kế hoạch CĐS Sở Nội vụ 2026 (bản ký số).pdf", MINIMAL_PDF + b"%ky so\n"),
    )
    pdf_evidence.refresh_from_db()
    assert pdf_evidence.replaced_by == new
    assert new.is_current and not pdf_evidence.is_current
    assert len(stored_files(media)) == 2
    client.force_login(org.reporter)
    old = client.get(reverse("reporting:evidence-download", args=[pdf_evidence.pk]))
    assert b"".join(old.streaming_content) == MINIMAL_PDF  # type: ignore[attr-defined]
    old.close()


def test_a_replaced_version_cannot_be_replaced_again(org: Org, pdf_evidence: Evidence):
    evidence_replace_file(
        actor=org.reporter, evidence=pdf_evidence, upload=upload("v2.pdf", MINIMAL_PDF)
    )
    pdf_evidence.refresh_from_db()
    with pytest.raises(ValidationError):
        evidence_replace_file(
            actor=org.reporter, evidence=pdf_evidence, upload=upload("v3.pdf", MINIMAL_PDF)
        )


# --- links and citations -----------------------------------------------------


def test_a_link_must_be_http_or_https(org: Org, figure: Figure):
    item = evidence_add_link(
        actor=org.reporter,
        figure=figure,
        url="https://snv.khanhhoa.gov.vn/chuyen-doi-so",
        note="Chuyên mục chuyển đổi số trên Cổng thông tin điện tử",
    )
    assert item.kind == "link"
    for bad in ("javascript:alert(1)", "ftp://snv.khanhhoa.gov.vn/", "snv khanhhoa", ""):
        with pytest.raises(ValidationError):
            evidence_add_link(actor=org.reporter, figure=figure, url=bad)
    assert Evidence.objects.count() == 1


def test_an_address_copied_without_its_scheme_is_taken_as_https(org: Org, figure: Figure):
    item = evidence_add_link(
        actor=org.reporter, figure=figure, url="dichvucong.khanhhoa.gov.vn/thu-tuc"
    )
    assert item.url == "https://dichvucong.khanhhoa.gov.vn/thu-tuc"


@pytest.mark.parametrize(
    "number",
    [
        "27/KH-SKHCN",
        "4636/KH-UBND",
        "405/QĐ-BKHCN",
        "30/2020/NĐ-CP",
        "01/2023/TT-BTTTT",
        "123/UBND-VP",
        "749/QĐ-TTg",
        "15/TTr-SKH&CN",
        "57-NQ/TW",
    ],
)
def test_well_formed_document_numbers_are_accepted(number: str):
    assert validate_document_number(number) == number


@pytest.mark.parametrize(
    "number",
    [
        "KH-SKHCN",
        "27 KH-SKHCN",
        "27/KH SKHCN",
        "27/kh-skhcn",
        "27/KH-",
        "27/2020/",
        "27/20/KH-UBND",
        "/KH-UBND",
        "27/KH--UBND",
        "27.KH-UBND",
        "Kế hoạch chuyển đổi số",
    ],
)
def test_malformed_document_numbers_are_refused(number: str):
    with pytest.raises(ValidationError):
        validate_document_number(number)


def test_a_number_copied_from_the_document_header_is_tidied():
    assert validate_document_number("Số: 27/KH–SKHCN") == "27/KH-SKHCN"


def test_a_document_cannot_be_dated_in_the_future(org: Org, figure: Figure):
    with pytest.raises(ValidationError) as refused:
        evidence_add_document(
            actor=org.reporter, figure=figure, number="15/KH-SNV",
            date=timezone.localdate() + dt.timedelta(days=1),
            issuer="Sở Nội vụ", summary="Kế hoạch chuyển đổi số năm 2026",
        )  # fmt: skip
    assert "doc_date" in refused.value.message_dict


def test_a_citation_needs_its_summary(org: Org, figure: Figure):
    with pytest.raises(ValidationError) as refused:
        evidence_add_document(
            actor=org.reporter, figure=figure, number="15/KH-SNV",
            date=dt.date(2026, 1, 12), issuer="Sở Nội vụ", summary="  ",
        )  # fmt: skip
    assert "doc_summary" in refused.value.message_dict


# --- the pre-check -----------------------------------------------------------


def cite(org: Org, figure: Figure, number: str, date: dt.date | None,
         summary: str = "Kế hoạch chuyển đổi số năm 2026 của Sở Nội vụ") -> Evidence:  # fmt: skip
    return evidence_add_document(
        actor=org.reporter, figure=figure, number=number, date=date,
        issuer="Sở Nội vụ tỉnh Khánh Hòa", summary=summary,
    )  # fmt: skip


@pytest.fixture
def complete_report(org: Org, dept_cycle: Cycle, q1: Period, home: AssessedUnit, media: Path):  # type: ignore[no-untyped-def]
    """Every indicator of Sở Nội vụ has a figure and a piece of evidence."""
    for assignment in home.assignments.select_related("indicator"):
        figure = save_figure(org, dept_cycle, q1, home, assignment.indicator.code)
        evidence_add_link(
            actor=org.reporter,
            figure=figure,
            url=f"https://snv.khanhhoa.gov.vn/cds/{assignment.indicator.code}",
        )
    return home


def test_the_precheck_finds_nothing_in_a_complete_report(complete_report, q1: Period):  # type: ignore[no-untyped-def]
    assert precheck(q1, complete_report) == []


def test_the_precheck_lists_indicators_expecting_evidence_that_have_none(
    figure: Figure, q1: Period, home: AssessedUnit
):
    findings = precheck(q1, home)
    codes = [f.indicator_code for f in findings]
    assert "2.2" in codes  # a figure, no evidence
    assert "1.1" in codes  # assigned, no figure yet
    assert len(codes) == home.assignments.count()
    assert all(isinstance(f, Finding) and f.message for f in findings)


def test_the_precheck_skips_indicators_marked_not_applicable(
    org: Org, dept_cycle: Cycle, q1: Period, home: AssessedUnit
):
    save_figure(org, dept_cycle, q1, home, "6.11", not_applicable=True)
    assert "6.11" not in {f.indicator_code for f in precheck(q1, home)}


def test_the_precheck_flags_a_document_dated_outside_the_year(
    org: Org, figure: Figure, q1: Period, home: AssessedUnit
):
    cite(org, figure, "27/KH-SKHCN", dt.date(2022, 3, 21))
    mine = [f.message for f in precheck(q1, home) if f.indicator_code == "2.2"]
    assert len(mine) == 1
    assert "27/KH-SKHCN" in mine[0] and "21/03/2022" in mine[0] and "2026" in mine[0]


def test_the_precheck_flags_a_document_cited_twice_for_one_indicator(
    org: Org, figure: Figure, q1: Period, home: AssessedUnit
):
    cite(org, figure, "15/KH-SNV", dt.date(2026, 1, 12))
    cite(org, figure, "15/KH-SNV", dt.date(2026, 1, 12), "Kế hoạch (bản scan)")
    mine = [f.message for f in precheck(q1, home) if f.indicator_code == "2.2"]
    assert len(mine) == 1 and "15/KH-SNV" in mine[0]


def test_the_precheck_flags_a_citation_without_number_or_date(
    org: Org, figure: Figure, q1: Period, home: AssessedUnit
):
    cite(org, figure, "", None)
    mine = [f.message for f in precheck(q1, home) if f.indicator_code == "2.2"]
    assert len(mine) == 1


def test_the_precheck_ignores_replaced_versions(
    org: Org, figure: Figure, q1: Period, home: AssessedUnit
):
    old = cite(org, figure, "27/KH-SKHCN", dt.date(2022, 3, 21))
    new = cite(org, figure, "15/KH-SNV", dt.date(2026, 1, 12))
    Evidence.objects.filter(pk=old.pk).update(replaced_by=new)
    assert [f for f in precheck(q1, home) if f.indicator_code == "2.2"] == []


def test_the_precheck_runs_a_fixed_number_of_queries(
    complete_report, q1: Period, django_assert_max_num_queries
):  # type: ignore[no-untyped-def]
    period = Period.objects.select_related("cycle").get(pk=q1.pk)
    with django_assert_max_num_queries(3):
        precheck(period, complete_report)


def test_the_head_cannot_submit_with_findings_without_a_reason(
    org: Org, figure: Figure, q1: Period, home: AssessedUnit
):
    with pytest.raises(ValidationError):
        submission_submit(actor=org.head, period=q1, assessed=home)
    submitted = submission_submit(
        actor=org.head, period=q1, assessed=home,
        override_reason="Các chỉ số còn lại sẽ bổ sung trong quý 2",
    )  # fmt: skip
    assert submitted.state == "submitted"


def test_no_evidence_can_be_added_once_the_report_is_submitted(
    org: Org, figure: Figure, q1: Period, home: AssessedUnit
):
    submission_submit(actor=org.head, period=q1, assessed=home, override_reason="Nộp đúng hạn")
    with pytest.raises(ValidationError):
        evidence_add_link(actor=org.reporter, figure=figure, url="https://snv.khanhhoa.gov.vn/")


# --- screens -----------------------------------------------------------------


def add_url(figure: Figure) -> str:
    return reverse("reporting:evidence-add", args=[figure.pk])


def test_the_reporter_attaches_a_file_and_returns_to_the_indicators_card(
    client: Client, org: Org, figure: Figure
):
    client.force_login(org.reporter)
    response = client.post(
        add_url(figure),
        {
            "kind": "file",
            "file": upload("Kế hoạch 2026.pdf", MINIMAL_PDF),
            "next": "/nhap-so-lieu/?chi-so=2.2",
        },
    )
    assert response.status_code == 302
    assert response["Location"] == f"/nhap-so-lieu/?chi-so=2.2#ind-{figure.indicator.code}"
    assert figure.evidence.get().original_name == "Kế hoạch 2026.pdf"


def test_a_citation_typed_with_a_vietnamese_date_is_saved(client: Client, org: Org, figure: Figure):
    client.force_login(org.reporter)
    client.post(
        add_url(figure),
        {
            "kind": "document", "number": "15/KH-SNV", "date": "12/01/2026",
            "issuer": "Sở Nội vụ tỉnh Khánh Hòa",
            "summary": "Kế hoạch chuyển đổi số năm 2026 của Sở Nội vụ", "next": "/",
        },
    )  # fmt: skip
    item = figure.evidence.get()
    assert (item.doc_number, item.doc_date) == ("15/KH-SNV", dt.date(2026, 1, 12))


def test_a_bad_citation_is_refused_with_a_message(client: Client, org: Org, figure: Figure):
    client.force_login(org.reporter)
    response = client.post(
        add_url(figure),
        {"kind": "document", "number": "27 KH SKHCN", "date": "31/02/2026", "summary": "",
         "next": "/"},
    )  # fmt: skip
    errors = [m for m in get_messages(response.wsgi_request) if m.level_tag == "error"]
    assert len(errors) == 1  # the date cannot be read: that is said first
    assert figure.evidence.count() == 0


def test_a_foreign_next_address_is_not_followed(client: Client, org: Org, figure: Figure):
    client.force_login(org.reporter)
    response = client.post(
        add_url(figure),
        {"kind": "link", "url": "https://snv.khanhhoa.gov.vn/", "next": "https://evil.example/"},
        HTTP_REFERER="http://testserver/nhap-so-lieu/",
    )
    assert response["Location"] == f"http://testserver/nhap-so-lieu/#ind-{figure.indicator.code}"


def test_a_reporter_of_another_unit_cannot_add_evidence(
    client: Client, org: Org, figure: Figure, finance_reporter
):  # type: ignore[no-untyped-def]
    client.force_login(finance_reporter)
    response = client.post(add_url(figure), {"kind": "link", "url": "https://stc.khanhhoa.gov.vn/"})
    assert response.status_code == 403
    assert figure.evidence.count() == 0


def test_the_reporter_and_the_office_download_the_file(
    client: Client, org: Org, pdf_evidence: Evidence
):
    for person in (org.reporter, org.admin):
        client.force_login(person)
        response = client.get(reverse("reporting:evidence-download", args=[pdf_evidence.pk]))
        assert response.status_code == 200
        assert b"".join(response.streaming_content) == MINIMAL_PDF  # type: ignore[attr-defined]


def test_a_reporter_cannot_open_another_units_evidence(
    client: Client, org: Org, pdf_evidence: Evidence, finance_reporter
):  # type: ignore[no-untyped-def]
    for person in (org.other_reporter, finance_reporter):
        client.force_login(person)
        for name in ("reporting:evidence-download", "reporting:evidence-preview"):
            assert client.get(reverse(name, args=[pdf_evidence.pk])).status_code == 403


def test_a_download_is_an_attachment_named_as_uploaded(
    client: Client, org: Org, pdf_evidence: Evidence
):
    client.force_login(org.reporter)
    response = client.get(reverse("reporting:evidence-download", args=[pdf_evidence.pk]))
    disposition = response["Content-Disposition"]
    assert disposition.startswith("attachment;")
    assert f"filename*=UTF-8''{quote('Kế hoạch CĐS Sở Nội vụ 2026.pdf')}" in disposition
    assert 'filename="Ke hoach CDS So Noi vu 2026.pdf"' in disposition
    assert response["Content-Type"] == PDF
    assert response["X-Content-Type-Options"] == "nosniff"
    response.close()


def test_a_pdf_preview_is_inline_and_sandboxed(client: Client, org: Org, pdf_evidence: Evidence):
    client.force_login(org.reporter)
    response = client.get(reverse("reporting:evidence-preview", args=[pdf_evidence.pk]))
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("inline;")
    assert response["Content-Security-Policy"] == "sandbox"
    assert response["Content-Type"] == PDF
    response.close()


def test_a_spreadsheet_has_no_preview(client: Client, org: Org, figure: Figure):
    item = evidence_add_file(
        actor=org.reporter, figure=figure, upload=upload("Số liệu hồ sơ.xlsx", xlsx_bytes())
    )
    client.force_login(org.reporter)
    assert client.get(reverse("reporting:evidence-preview", args=[item.pk])).status_code == 404


def test_removing_evidence_takes_its_older_versions_too(
    client: Client, org: Org, pdf_evidence: Evidence
):
    new = evidence_replace_file(
        actor=org.reporter, evidence=pdf_evidence, upload=upload("v2.pdf", MINIMAL_PDF)
    )
    client.force_login(org.reporter)
    client.post(reverse("reporting:evidence-remove", args=[new.pk]), {"next": "/"})
    assert Evidence.objects.count() == 0


# --- the panel ---------------------------------------------------------------


def test_the_panel_shows_citations_files_and_older_versions(
    org: Org, figure: Figure, pdf_evidence: Evidence
):
    evidence_replace_file(
        actor=org.reporter, evidence=pdf_evidence,
        upload=upload("Kế hoạch (bản ký số).pdf", MINIMAL_PDF.ljust(1536, b"0")),
    )  # fmt: skip
    cite(org, figure, "27/KH-SKHCN", dt.date(2022, 3, 21), "Kế hoạch hành động 5 năm về CĐS")
    request = RequestFactory().get("/nhap-so-lieu/")
    request.user = org.reporter
    shown = Figure.objects.prefetch_related("evidence").get(pk=figure.pk)
    with translation.override("en"):
        html = render_to_string(
            "reporting/evidence/panel.html", {"figure": shown, "editable": True}, request=request
        )
    assert "27/KH-SKHCN" in html and "21/03/2022" in html
    assert "Kế hoạch (bản ký số).pdf" in html
    assert "1.5\xa0KB" in html  # 1536 bytes (English UI: decimal point)
    assert html.index("1 older version") < html.index("Kế hoạch CĐS Sở Nội vụ 2026.pdf")
    assert reverse("reporting:evidence-add", args=[figure.pk]) in html
    assert 'name="next" value="/nhap-so-lieu/"' in html


def test_the_panel_has_no_forms_when_the_report_cannot_change(
    org: Org, figure: Figure, pdf_evidence: Evidence
):
    request = RequestFactory().get("/nhap-so-lieu/")
    request.user = org.viewer
    html = render_to_string(
        "reporting/evidence/panel.html", {"figure": figure, "editable": False}, request=request
    )
    assert "Kế hoạch CĐS Sở Nội vụ 2026.pdf" in html
    assert "<form" not in html
