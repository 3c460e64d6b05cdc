""" "What you can do now" on the home page leads each role to its own work
first, and to its chapter of the guide."""

from __future__ import annotations

import re

import pytest
from django.test import Client

from dtis.orgs.models import RoleGrant
from tests.factories import Org

pytestmark = pytest.mark.django_db


def next_steps(client: Client, user) -> list[tuple[str, str]]:  # type: ignore[no-untyped-def]
    client.force_login(user)
    page = client.get("/").content.decode()
    section = re.search(r'<h2 id="next-steps">.*?</ul>', page, re.S)
    assert section is not None
    return [
        (href, re.sub(r"\s+", " ", text).strip())
        for href, text in re.findall(
            r'<a class="button[^"]*" href="([^"]+)"[^>]*>(.*?)</a>', section.group(0), re.S
        )
    ]


def test_a_reporter_is_led_first_to_their_reports(client: Client, org: Org):
    steps = next_steps(client, org.reporter)
    assert steps[0] == ("/bao-cao/", "Nhập số liệu của đơn vị")
    assert ("/huong-dan/02-nguoi-bao-cao/", "Hướng dẫn cho vai trò của bạn") in steps


def test_a_unit_head_is_led_first_to_review_and_submit(client: Client, org: Org):
    steps = next_steps(client, org.head)
    assert steps[0] == ("/bao-cao/", "Rà soát và gửi báo cáo của đơn vị")


def test_the_office_is_led_first_to_its_cycles(client: Client, org: Org):
    steps = next_steps(client, org.admin)
    assert steps[0] == ("/dot-danh-gia/", "Điều hành các đợt đánh giá")
    assert ("/huong-dan/05-co-quan-thuong-truc/", "Hướng dẫn cho vai trò của bạn") in steps


def test_leadership_is_led_first_to_the_dashboard_and_the_plans(client: Client, org: Org):
    hrefs = [href for href, _text in next_steps(client, org.viewer)]
    assert hrefs[:2] == ["/bang-dieu-khien/", "/ke-hoach/"]


def test_a_person_without_a_role_is_not_offered_work_they_cannot_do(client: Client, org: Org):
    RoleGrant.objects.filter(user=org.viewer).delete()
    hrefs = [href for href, _text in next_steps(client, org.viewer)]
    assert "/bao-cao/" not in hrefs and "/bang-dieu-khien/" not in hrefs
    assert not any(h.startswith("/huong-dan/") for h in hrefs)
