"""The period report is downloaded from the cycle's periods table, by those
who see every unit's result; it is the document `dtis report export` writes."""

from __future__ import annotations

import datetime as dt
import io

from django.test import Client
from django.utils import timezone
from docx import Document
from openpyxl import load_workbook

from dtis.plans.reports import find_period
from dtis.reporting.models import PeriodState


def _client(user) -> Client:  # type: ignore[no-untyped-def]
    client = Client()
    client.force_login(user)
    return client


def test_the_office_downloads_a_quarter_report_as_a_word_document(published, org):
    q1 = find_period(published.cycle, "q1")
    response = _client(org.admin).get(f"/bao-cao-ky/{q1.pk}/bao-cao.docx")
    assert response.status_code == 200
    assert response["Content-Disposition"].endswith(f'-chu-ky-{published.cycle.pk}.docx"')
    texts = [p.text for p in Document(io.BytesIO(response.content)).paragraphs]
    assert "Kết quả thực hiện Chỉ số chuyển đổi số quý I năm 2025" in texts


def test_leadership_downloads_the_year_report_as_a_workbook(published, org):
    year = find_period(published.cycle, "year")
    response = _client(org.viewer).get(f"/bao-cao-ky/{year.pk}/bao-cao.xlsx")
    assert response.status_code == 200
    assert load_workbook(io.BytesIO(response.content)).sheetnames


def test_a_units_reporter_may_not_download_the_whole_provinces_report(published, org):
    q1 = find_period(published.cycle, "q1")
    assert _client(org.reporter).get(f"/bao-cao-ky/{q1.pk}/bao-cao.docx").status_code == 403


def test_the_periods_table_links_each_started_periods_report(published, org):
    q1 = find_period(published.cycle, "q1")
    year = find_period(published.cycle, "year")
    year.state = PeriodState.PLANNED
    year.start = timezone.localdate() + dt.timedelta(days=1)
    year.save(update_fields=["state", "start"])
    page = _client(org.admin).get(f"/dot-danh-gia/{published.cycle.pk}/").content.decode()
    assert f"/bao-cao-ky/{q1.pk}/bao-cao.docx" in page
    assert f"/bao-cao-ky/{q1.pk}/bao-cao.xlsx" in page
    assert f"/bao-cao-ky/{year.pk}/" not in page


def test_the_periods_table_offers_no_report_to_a_reporter(published, org):
    page = _client(org.reporter).get(f"/dot-danh-gia/{published.cycle.pk}/").content.decode()
    assert "/bao-cao-ky/" not in page
