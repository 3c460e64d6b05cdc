"""The unit's pages for explanation requests, and the home page's section."""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal as D
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from dtis.appraisal.decisions import bulk_accept, explanation_answer, item_correct
from dtis.appraisal.models import ExplanationRequest, ItemState, ReasonCode
from dtis.appraisal.publication import sign_off
from dtis.orgs.models import Role
from dtis.reporting.models import Evidence, EvidenceKind
from tests.appraisal.test_explanations import PDF, ask, item_of, stored_files
from tests.factories import make_user
from tests.pages import english as english_pages

LIST = "/giai-trinh/"
LOGIN = "/dang-nhap/"


def page(request: ExplanationRequest) -> str:
    return f"/giai-trinh/{request.pk}/"


@pytest.fixture
def media(settings, tmp_path: Path) -> Path:  # type: ignore[no-untyped-def]
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


@pytest.fixture
def request_home(year_cycle):  # type: ignore[no-untyped-def]
    """Sở Nội vụ is asked about indicator 1.1, due in 6 days."""
    return ask(year_cycle, year_cycle.home, "1.1", due_in=6)


def pdf(name: str = "QD-125-SNV.pdf") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, PDF, content_type="application/pdf")


def english(client, url, **kw):  # type: ignore[no-untyped-def]
    with english_pages(client):
        return client.get(url, **kw)


# --- permission ------------------------------------------------------------------


def test_the_units_reporter_and_head_open_the_request(client, org, request_home):
    for person in (org.reporter, org.head):
        client.force_login(person)
        assert client.get(page(request_home)).status_code == 200


def test_people_who_cannot_answer_get_403(client, org, year_cycle, request_home):
    finance = make_user("ngo.duc.thinh", "Ngô Đức Thịnh", Role.REPORTER, org.dept_finance)
    for person in (org.other_reporter, finance, org.viewer, org.admin, year_cycle.chair):
        client.force_login(person)
        assert client.get(page(request_home)).status_code == 403, person.username
        response = client.post(page(request_home), {"answer": "Không liên quan"})
        assert response.status_code == 403, person.username
    assert ExplanationRequest.objects.get(pk=request_home.pk).is_open


def test_the_pages_need_a_sign_in(client, request_home):
    for url in (LIST, page(request_home)):
        response = client.get(url)
        assert response.status_code == 302 and response["Location"].startswith(LOGIN)


def test_an_unknown_request_is_404(client, org, year_cycle):
    client.force_login(org.reporter)
    assert client.get("/giai-trinh/999999/").status_code == 404


# --- the list ----------------------------------------------------------------------


def test_the_list_shows_waiting_requests_with_due_date_and_overdue_marked(client, org, year_cycle):
    soon = ask(year_cycle, year_cycle.home, "1.1", due_in=4)
    late = ask(year_cycle, year_cycle.home, "2.1", due_in=-3, asked_days_ago=10)
    client.force_login(org.reporter)
    html = english(client, LIST).content.decode()
    assert html.index(page(late)) < html.index(page(soon))  # overdue first
    assert late.due.strftime("%d/%m/%Y") in html and soon.due.strftime("%d/%m/%Y") in html
    assert "3 days overdue" in html and "4 days left" in html
    assert "Võ Thị Ngọc Lan" in html


def test_the_list_shows_answered_requests_with_their_date(client, org, year_cycle):
    answered = ask(year_cycle, year_cycle.home, "1.1", due_in=4)
    explanation_answer(actor=org.head, request=answered, answer="Đã bổ sung Kế hoạch số 9/KH-SNV.")
    waiting = ask(year_cycle, year_cycle.home, "2.1", due_in=4)
    client.force_login(org.reporter)
    html = english(client, LIST).content.decode()
    answered_section = html[html.index('id="answered-h"') :]
    assert page(answered) in answered_section and page(waiting) not in answered_section
    assert timezone.localdate().strftime("%d/%m/%Y") in answered_section
    assert "Lương Văn Bình" in answered_section


def test_someone_with_no_request_sees_an_empty_list(client, org, request_home):
    client.force_login(org.viewer)
    response = english(client, LIST)
    assert response.status_code == 200
    assert page(request_home) not in response.content.decode()


def test_the_list_costs_the_same_queries_for_more_requests(
    client, org, year_cycle, django_assert_max_num_queries
):
    ask(year_cycle, year_cycle.home, "1.1")
    client.force_login(org.reporter)
    # session, user, grants, requests, menu (council seat), unread notifications
    with django_assert_max_num_queries(6):
        assert client.get(LIST).status_code == 200
    for code in ("1.3", "2.1", "2.2", "3.1", "4.1"):
        ask(year_cycle, year_cycle.finance, code)
        ask(year_cycle, year_cycle.home, code)
    with django_assert_max_num_queries(6):
        html = client.get(LIST).content.decode()
    assert len(set(re.findall(r"/giai-trinh/\d+/", html))) == 6


# --- the request page ------------------------------------------------------------------


def test_the_page_shows_the_question_the_figures_and_the_evidence(client, org, year_cycle):
    item = item_of(year_cycle.home, "2.1")
    Evidence.objects.create(
        figure=item.figure,
        kind=EvidenceKind.DOCUMENT,
        doc_number="27/KH-SNV",
        doc_date=dt.date(2025, 3, 21),
        doc_summary="Kế hoạch chuyển đổi số năm 2025",
    )
    request = ask(year_cycle, year_cycle.home, "2.1", due_in=5)
    client.force_login(org.reporter)
    html = english(client, page(request)).content.decode()
    assert request.question in html
    assert item.indicator.name in html
    assert request.due.strftime("%d/%m/%Y") in html
    assert "Võ Thị Ngọc Lan" in html
    assert "27/KH-SNV" in html
    assert "40.00" in html  # the maximum points
    assert 'name="answer"' in html and 'type="file"' in html and "multiple" in html


def test_the_page_uses_the_decimal_comma_in_vietnamese(client, org, year_cycle):
    request = ask(year_cycle, year_cycle.home, "2.1", due_in=5)
    client.force_login(org.reporter)
    html = client.get(page(request)).content.decode()
    assert "40,00" in html


def test_an_overdue_request_carries_a_warning_and_can_still_be_answered(client, org, year_cycle):
    request = ask(year_cycle, year_cycle.home, "1.1", due_in=-2, asked_days_ago=9)
    client.force_login(org.reporter)
    html = english(client, page(request)).content.decode()
    assert "2 days overdue" in html and 'role="alert"' in html
    assert 'name="answer"' in html
    response = client.post(
        page(request), {"answer": "Xin lỗi vì trả lời muộn; gửi kèm quyết định."}
    )
    assert response.status_code == 302
    assert not ExplanationRequest.objects.get(pk=request.pk).is_open


def test_an_answer_with_files_and_a_cited_document_is_stored_and_shown_read_only(
    client, org, year_cycle, request_home, media
):
    client.force_login(org.reporter)
    response = client.post(
        page(request_home),
        {
            "answer": "Sở đã kiện toàn Ban Chỉ đạo, gửi kèm quyết định và danh sách thành viên.",
            "attachments": [pdf(), pdf("Danh-sach-thanh-vien.pdf")],
            "doc_number": "Số: 125/QĐ–SNV",
            "doc_date": "12/03/2025",
            "doc_issuer": "Sở Nội vụ tỉnh Khánh Hòa",
            "doc_summary": "Quyết định kiện toàn Ban Chỉ đạo chuyển đổi số của Sở Nội vụ",
        },
    )
    assert response.status_code == 302 and response["Location"] == page(request_home)
    request = ExplanationRequest.objects.get(pk=request_home.pk)
    assert request.answered_by == org.reporter
    added = list(request.evidence.order_by("pk"))
    assert [(e.kind, e.original_name or e.doc_number) for e in added] == [
        ("file", "QD-125-SNV.pdf"),
        ("file", "Danh-sach-thanh-vien.pdf"),
        ("document", "125/QĐ-SNV"),
    ]
    assert added[2].doc_date == dt.date(2025, 3, 12)
    assert item_of(year_cycle.home, "1.1").state == ItemState.ANSWERED
    assert len(stored_files(media)) == 2
    html = english(client, page(request_home)).content.decode()
    assert "kiện toàn Ban Chỉ đạo, gửi kèm" in html
    assert "Danh-sach-thanh-vien.pdf" in html and "125/QĐ-SNV" in html
    assert 'name="answer"' not in html and 'enctype="multipart/form-data"' not in html


def test_the_success_message_is_shown_after_the_redirect(client, org, request_home):
    client.force_login(org.reporter)
    with english_pages(client):
        response = client.post(page(request_home), {"answer": "Đã bổ sung."}, follow=True)
    assert "has been sent to the appraisal council" in response.content.decode()


def test_an_answer_without_text_changes_nothing(client, org, year_cycle, request_home, media):
    client.force_login(org.reporter)
    response = client.post(page(request_home), {"answer": "   ", "attachments": [pdf()]})
    assert response.status_code == 400
    with english_pages(client):
        response = client.post(page(request_home), {"answer": ""})
    assert "Write your explanation." in response.content.decode()
    request = ExplanationRequest.objects.get(pk=request_home.pk)
    assert request.is_open and not request.evidence.exists()
    assert item_of(year_cycle.home, "1.1").state == ItemState.EXPLANATION
    assert stored_files(media) == []


def test_a_file_of_a_forbidden_type_changes_nothing_and_names_the_file(
    client, org, year_cycle, request_home, media
):
    client.force_login(org.reporter)
    before = Evidence.objects.count()
    response = client.post(
        page(request_home),
        {
            "answer": "Gửi kèm bảng tính.",
            "attachments": [
                pdf(),
                SimpleUploadedFile(
                    "bang-tinh.exe", b"MZ\x90\x00", content_type="application/x-msdownload"
                ),
            ],
        },
    )
    assert response.status_code == 400
    html = response.content.decode()
    assert "bang-tinh.exe" in html and 'role="alert"' in html
    assert "Gửi kèm bảng tính." in html  # the typed text is kept
    assert Evidence.objects.count() == before
    assert stored_files(media) == []
    assert ExplanationRequest.objects.get(pk=request_home.pk).is_open
    assert item_of(year_cycle.home, "1.1").state == ItemState.EXPLANATION


def test_a_pdf_that_is_not_a_pdf_is_refused(client, org, request_home, media):
    client.force_login(org.reporter)
    fake = SimpleUploadedFile(
        "bao-cao.pdf", b"<html>not a pdf</html>", content_type="application/pdf"
    )
    response = client.post(page(request_home), {"answer": "Gửi kèm.", "attachments": [fake]})
    assert response.status_code == 400 and "bao-cao.pdf" in response.content.decode()
    assert stored_files(media) == []


def test_a_badly_written_document_number_or_date_is_shown_on_its_field(client, org, request_home):
    client.force_login(org.reporter)
    with english_pages(client):
        response = client.post(
            page(request_home),
            {"answer": "Gửi kèm.", "doc_number": "QĐ 125 SNV", "doc_summary": "Quyết định"},
        )
        assert response.status_code == 400
        assert "is not written like a document number" in response.content.decode()
        response = client.post(
            page(request_home),
            {"answer": "Gửi kèm.", "doc_date": "31/02/2025", "doc_summary": "Quyết định"},
        )
        assert response.status_code == 400
        assert "dd/mm/yyyy" in response.content.decode()
        response = client.post(
            page(request_home),
            {"answer": "Gửi kèm.", "doc_number": "125/QĐ-SNV"},
        )
        assert response.status_code == 400  # a citation needs its summary
    assert ExplanationRequest.objects.get(pk=request_home.pk).is_open
    assert not Evidence.objects.filter(doc_number__contains="125").exists()


def test_an_answered_request_cannot_be_answered_again(client, org, request_home):
    explanation_answer(actor=org.head, request=request_home, answer="Đã bổ sung.")
    client.force_login(org.reporter)
    response = client.post(page(request_home), {"answer": "Lần hai"})
    assert response.status_code == 302
    assert ExplanationRequest.objects.get(pk=request_home.pk).answer == "Đã bổ sung."


def test_after_sign_off_the_form_is_closed(client, org, year_cycle):
    request = ask(year_cycle, year_cycle.home, "1.1", due_in=-1, asked_days_ago=5)
    item_correct(
        actor=year_cycle.chair,
        item=item_of(year_cycle.home, "1.1"),
        points=D(0),
        reason_code=ReasonCode.MISSING_EVIDENCE,
        reason="Không giải trình.",
    )
    for assessed in (year_cycle.home, year_cycle.finance, year_cycle.health):
        bulk_accept(actor=year_cycle.chair, assessed=assessed)
    sign_off(actor=year_cycle.chair, cycle=year_cycle.cycle)
    client.force_login(org.reporter)
    html = english(client, page(request)).content.decode()
    assert "signed off" in html and 'name="answer"' not in html
    with english_pages(client):
        response = client.post(page(request), {"answer": "Muộn"}, follow=True)
    assert "signed off" in response.content.decode()
    assert ExplanationRequest.objects.get(pk=request.pk).answer == ""


def test_the_page_costs_the_same_queries_with_more_evidence_and_requests(
    client, org, year_cycle, django_assert_max_num_queries
):
    request = ask(year_cycle, year_cycle.home, "1.1", due_in=-1, asked_days_ago=5)
    client.force_login(org.reporter)
    # session, user, the request with its item, grants, assignment (may answer?),
    # evidence, other requests, menu, unread notifications; +1 once answered.
    with django_assert_max_num_queries(11):
        assert client.get(page(request)).status_code == 200
    item = item_of(year_cycle.home, "1.1")
    item_correct(
        actor=year_cycle.chair,
        item=item,
        points=D(0),
        reason_code=ReasonCode.MISSING_EVIDENCE,
        reason="Không giải trình.",
    )
    latest = ask(year_cycle, year_cycle.home, "1.1", due_in=5)
    for n in range(5):
        Evidence.objects.create(
            figure=item.figure,
            kind=EvidenceKind.DOCUMENT,
            doc_number=f"{n + 1}/KH-SNV",
            doc_summary=f"Kế hoạch số {n + 1}",
        )
    with django_assert_max_num_queries(11):
        html = client.get(page(latest)).content.decode()
    assert "5/KH-SNV" in html and page(request) in html


# --- the home page ----------------------------------------------------------------------


def test_the_home_page_lists_the_requests_waiting_for_the_person(client, org, year_cycle):
    soon = ask(year_cycle, year_cycle.home, "2.1", due_in=2)
    late = ask(year_cycle, year_cycle.home, "1.1", due_in=-1, asked_days_ago=6)
    answered = ask(year_cycle, year_cycle.home, "3.1", due_in=4)
    explanation_answer(actor=org.head, request=answered, answer="Đã bổ sung.")
    client.force_login(org.reporter)
    html = english(client, "/").content.decode()
    section = html[html.index('id="my-explanations"') : html.index('id="my-units"')]
    assert section.index(page(late)) < section.index(page(soon))
    assert page(answered) not in section
    assert "Sở Nội vụ" in section and "2.1 " in section
    assert item_of(year_cycle.home, "2.1").indicator.name[:40] in section
    assert soon.due.strftime("%d/%m/%Y") in section and late.due.strftime("%d/%m/%Y") in section
    assert "1 day overdue" in section and "2 days left" in section


def test_the_home_page_has_no_section_without_waiting_requests(client, org, year_cycle):
    ask(year_cycle, year_cycle.finance, "1.1")
    client.force_login(org.reporter)
    assert 'id="my-explanations"' not in client.get("/").content.decode()


def test_the_home_page_stays_cheap_with_requests(
    client, org, year_cycle, django_assert_max_num_queries
):
    client.force_login(org.reporter)
    # session, user, grants with units, the reports (4), requests, menu, unread, tour seen
    with django_assert_max_num_queries(11):
        client.get("/")
    for code in ("1.1", "1.3", "2.1", "2.2", "3.1"):
        ask(year_cycle, year_cycle.home, code)
    with django_assert_max_num_queries(11):
        html = client.get("/").content.decode()
    assert len(set(re.findall(r"/giai-trinh/\d+/", html))) == 5
