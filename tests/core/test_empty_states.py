"""An empty page says what to do next, to the person reading it (issue 10):
the office is shown the action, the others who will do it and when."""

from __future__ import annotations

import pytest
from django.test import Client

from tests.factories import Org

pytestmark = pytest.mark.django_db


def page(user, url: str) -> str:  # type: ignore[no-untyped-def]
    client = Client()
    client.force_login(user)
    response = client.get(url)
    assert response.status_code == 200
    return response.content.decode()


def test_a_reporter_with_no_open_period_is_told_when_a_report_appears(org: Org):
    text = page(org.reporter, "/bao-cao/")
    assert "Báo cáo sẽ hiển thị tại đây khi cơ quan thường trực mở một kỳ báo cáo" in text


def test_the_office_with_no_cycle_is_told_to_create_one(org: Org):
    text = page(org.admin, "/dot-danh-gia/")
    assert "Hãy tạo đợt đánh giá của năm theo bộ chỉ số đang áp dụng" in text


def test_a_reporter_with_no_cycle_is_told_who_creates_it(org: Org):
    text = page(org.reporter, "/dot-danh-gia/")
    assert "Cơ quan thường trực tạo đợt đánh giá hằng năm" in text
    assert "Hãy tạo đợt đánh giá" not in text


def test_leadership_with_no_plan_is_told_where_plans_come_from(org: Org):
    text = page(org.viewer, "/ke-hoach/")
    assert "Cơ quan thường trực lập dự thảo kế hoạch năm sau" in text
