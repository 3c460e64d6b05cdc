"""Sign-in lock-out after repeated failures, and the security log of who
signed in, failed, was locked out, was refused a page or changed a password."""

from __future__ import annotations

import pytest
from django.test import Client

from dtis.orgs import accounts
from dtis.orgs.models import SecurityEvent, SecurityEventKind
from tests.factories import PASSWORD, Org

WRONG = "sai-mat-khau-0000"


def _sign_in(client: Client, username: str, password: str, ip: str = "10.0.0.7"):  # type: ignore[no-untyped-def]
    return client.post("/dang-nhap/", {"username": username, "password": password}, REMOTE_ADDR=ip)


def _kinds() -> list[str]:
    return list(SecurityEvent.objects.order_by("pk").values_list("kind", flat=True))


@pytest.fixture
def limit(settings) -> int:  # type: ignore[no-untyped-def]
    settings.AXES_FAILURE_LIMIT = 3
    return 3


def test_a_successful_sign_in_is_logged_with_the_address(org: Org):
    response = _sign_in(Client(), org.reporter.username, PASSWORD)
    assert response.status_code == 302
    event = SecurityEvent.objects.get()
    assert (event.kind, event.user, event.ip) == (SecurityEventKind.LOGIN, org.reporter, "10.0.0.7")


def test_a_wrong_password_is_logged_with_the_username_given(org: Org):
    response = _sign_in(Client(), org.reporter.username, WRONG)
    assert response.status_code == 200
    event = SecurityEvent.objects.get()
    assert (event.kind, event.username) == (SecurityEventKind.LOGIN_FAILED, org.reporter.username)


def test_repeated_failures_lock_the_account_from_that_address_with_a_clear_message(org: Org, limit):
    client = Client()
    for _ in range(limit - 1):
        _sign_in(client, org.reporter.username, WRONG)
    response = _sign_in(client, org.reporter.username, WRONG)
    assert response.status_code == 429
    page = response.content.decode()
    assert "Tạm khóa đăng nhập" in page and "15 phút" in page
    # Even the right password is refused while the lock lasts.
    again = _sign_in(client, org.reporter.username, PASSWORD)
    assert again.status_code == 429
    assert "_auth_user_id" not in client.session
    assert _kinds().count(SecurityEventKind.LOCKOUT) >= 1


def test_the_lock_is_for_that_address_only(org: Org, limit):
    for _ in range(limit):
        _sign_in(Client(), org.reporter.username, WRONG)
    response = _sign_in(Client(), org.reporter.username, PASSWORD, ip="10.0.0.99")
    assert response.status_code == 302


def test_a_password_reset_by_the_office_lifts_the_lock(org: Org, limit):
    for _ in range(limit):
        _sign_in(Client(), org.reporter.username, WRONG)
    password = accounts.password_reset_by_admin(actor=org.admin, user=org.reporter)
    response = _sign_in(Client(), org.reporter.username, password)
    assert response.status_code == 302


def test_a_refused_page_is_logged(org: Org):
    client = Client()
    client.force_login(org.reporter)
    assert client.get("/tai-khoan/").status_code == 403
    event = SecurityEvent.objects.get(kind=SecurityEventKind.PERMISSION_DENIED)
    assert (event.user, event.path) == (org.reporter, "/tai-khoan/")


def test_system_administrators_read_the_log_filtered_by_event(org: Org):
    _sign_in(Client(), org.reporter.username, WRONG)
    _sign_in(Client(), org.head.username, PASSWORD)
    client = Client()
    client.force_login(org.superuser)
    response = client.get("/tai-khoan/nhat-ky-bao-mat/?kind=login_failed")
    assert response.status_code == 200
    rows = list(response.context["page"].object_list)
    assert [(e.kind, e.username) for e in rows] == [
        (SecurityEventKind.LOGIN_FAILED, org.reporter.username)
    ]
    assert "Nhật ký bảo mật" in response.content.decode()


def test_the_office_does_not_read_the_security_log(org: Org):
    client = Client()
    client.force_login(org.admin)
    assert client.get("/tai-khoan/nhat-ky-bao-mat/").status_code == 403


def test_the_log_cannot_be_written_through_its_page(org: Org):
    client = Client()
    client.force_login(org.superuser)
    before = SecurityEvent.objects.count()
    client.post("/tai-khoan/nhat-ky-bao-mat/", {"kind": "login", "q": "x"})
    assert SecurityEvent.objects.count() == before
