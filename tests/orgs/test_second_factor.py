"""Two-step sign-in: a code from an authenticator app after the password,
required for the standing office, the appraisal council and system
administrators, optional for everyone else; backup codes for a lost phone,
and an administrator who can remove a lost phone's factor."""

from __future__ import annotations

import pytest
from django.test import Client
from django_otp.oath import TOTP
from django_otp.plugins.otp_static.models import StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from dtis.orgs import second_factor
from dtis.orgs.models import SecurityEvent, SecurityEventKind, User
from tests.factories import PASSWORD, Org

UNITS = "/don-vi/"
VERIFY = "/ma-xac-thuc/"
SETUP = "/dang-nhap-hai-buoc/"


def _sign_in(client: Client, user: User, next_url: str = ""):  # type: ignore[no-untyped-def]
    data = {"username": user.username, "password": PASSWORD, "next": next_url}
    return client.post("/dang-nhap/", data, REMOTE_ADDR="10.0.0.9")


def _app(user: User) -> TOTPDevice:
    return TOTPDevice.objects.create(user=user, name="authenticator", confirmed=True)


def _code(device: TOTPDevice) -> str:
    device.refresh_from_db()
    return second_factor.code_for(device)


def _wrong(device: TOTPDevice) -> str:
    right = int(_code(device))
    return f"{(right + 500_000) % 1_000_000:06d}"


def _log(kind: str) -> int:
    return SecurityEvent.objects.filter(kind=kind).count()


# --- who must have one ----------------------------------------------------------------


def test_the_office_must_set_it_up_before_opening_any_page(org: Org):
    client = Client()
    _sign_in(client, org.admin)
    response = client.get(UNITS)
    assert response.status_code == 302
    assert response["Location"] == f"{SETUP}?next=%2Fdon-vi%2F"


@pytest.mark.parametrize("who", ["appraiser", "superuser"])
def test_the_council_and_system_administrators_must_have_it_too(org: Org, who: str):
    client = Client()
    _sign_in(client, getattr(org, who))
    assert client.get(UNITS)["Location"].startswith(SETUP)


def test_a_reporter_is_not_asked_for_a_second_factor(org: Org):
    client = Client()
    _sign_in(client, org.reporter)
    assert client.get("/bao-cao/").status_code == 200


def test_the_set_up_page_shows_a_qr_code_and_the_key_to_type(org: Org):
    client = Client()
    _sign_in(client, org.admin)
    page = client.get(SETUP).content.decode()
    assert "<svg" in page and 'data-testid="otp-secret"' in page
    device = TOTPDevice.objects.get(user=org.admin, confirmed=False)
    assert "issuer=DTIS" in device.config_url


# --- setting it up --------------------------------------------------------------------


def test_a_wrong_code_does_not_turn_it_on(org: Org):
    client = Client()
    _sign_in(client, org.admin)
    client.get(SETUP)
    pending = TOTPDevice.objects.get(user=org.admin)
    response = client.post(SETUP, {"action": "confirm", "code": _wrong(pending)})
    assert "Mã không đúng" in response.content.decode()
    assert not second_factor.has_factor(org.admin)
    assert client.get(UNITS).status_code == 302
    assert _log(SecurityEventKind.OTP_FAILED) == 1
    # Trying again at once is paused too, with a message that says so.
    again = client.post(SETUP, {"action": "confirm", "code": _code(pending)})
    assert "Hãy chờ" in again.content.decode()


def test_the_right_code_turns_it_on_shows_ten_backup_codes_once_and_opens_the_pages(org: Org):
    client = Client()
    _sign_in(client, org.admin)
    client.get(SETUP)
    pending = TOTPDevice.objects.get(user=org.admin)
    response = client.post(SETUP, {"action": "confirm", "code": _code(pending), "next": UNITS})
    page = response.content.decode()
    codes = StaticToken.objects.filter(device__user=org.admin).values_list("token", flat=True)
    assert len(codes) == 10 and all(code in page for code in codes)
    assert client.get(UNITS).status_code == 200
    assert _log(SecurityEventKind.OTP_ENROLLED) == 1
    # Shown once: the status page only counts them.
    status = client.get(SETUP).content.decode()
    assert "Còn 10 mã dự phòng" in status and codes[0] not in status


def test_reloading_the_set_up_page_keeps_the_same_key(org: Org):
    client = Client()
    _sign_in(client, org.admin)
    client.get(SETUP)
    client.get(SETUP)
    assert TOTPDevice.objects.filter(user=org.admin).count() == 1


# --- signing in with it ---------------------------------------------------------------


def test_after_the_password_a_person_with_a_factor_is_asked_for_the_code(org: Org):
    _app(org.reporter)
    client = Client()
    response = _sign_in(client, org.reporter, next_url="/bao-cao/")
    follow = client.get(response["Location"])
    assert follow.status_code == 302 and follow["Location"].startswith(VERIFY)


def test_the_right_code_opens_the_page_asked_for(org: Org):
    device = _app(org.admin)
    client = Client()
    _sign_in(client, org.admin)
    response = client.post(VERIFY, {"code": _code(device), "next": UNITS})
    assert response["Location"] == UNITS
    assert client.get(UNITS).status_code == 200


def test_a_code_typed_with_a_space_is_accepted(org: Org):
    device = _app(org.admin)
    client = Client()
    _sign_in(client, org.admin)
    code = _code(device)
    client.post(VERIFY, {"code": f"{code[:3]} {code[3:]}"})
    assert client.get(UNITS).status_code == 200


def test_a_wrong_code_is_refused_logged_and_slows_the_next_try(org: Org):
    device = _app(org.admin)
    client = Client()
    _sign_in(client, org.admin)
    first = client.post(VERIFY, {"code": _wrong(device)}).content.decode()
    assert "Mã không đúng" in first
    # Right away, even the right code waits: wrong codes cannot be tried fast.
    second = client.post(VERIFY, {"code": _code(device)}).content.decode()
    assert "Nhập sai quá nhiều lần" in second
    assert client.get(UNITS).status_code == 302
    assert _log(SecurityEventKind.OTP_FAILED) == 2


def test_a_code_works_only_once(org: Org):
    device = _app(org.admin)
    code = _code(device)
    first, second = Client(), Client()
    _sign_in(first, org.admin)
    _sign_in(second, org.admin)
    first.post(VERIFY, {"code": code})
    assert first.get(UNITS).status_code == 200
    second.post(VERIFY, {"code": code})
    assert second.get(UNITS).status_code == 302


def test_a_page_elsewhere_is_not_a_place_to_go_after_the_code(org: Org):
    device = _app(org.admin)
    client = Client()
    _sign_in(client, org.admin)
    response = client.post(VERIFY, {"code": _code(device), "next": "https://evil.example/"})
    assert response["Location"] == "/"


def test_a_backup_code_signs_in_once_and_says_how_many_are_left(org: Org):
    _app(org.admin)
    codes = second_factor.new_backup_codes(org.admin)
    client = Client()
    _sign_in(client, org.admin)
    response = client.post(VERIFY, {"code": codes[0]}, follow=True)
    assert "còn 9 mã" in response.content.decode()
    assert _log(SecurityEventKind.OTP_BACKUP_USED) == 1
    again = Client()
    _sign_in(again, org.admin)
    again.post(VERIFY, {"code": codes[0]})
    assert again.get(UNITS).status_code == 302


# --- turning it off and losing the phone ----------------------------------------------


def test_a_reporter_may_turn_it_on_and_off(org: Org):
    client = Client()
    _sign_in(client, org.reporter)
    client.get(SETUP)
    pending = TOTPDevice.objects.get(user=org.reporter)
    client.post(SETUP, {"action": "confirm", "code": _code(pending)})
    assert second_factor.has_factor(org.reporter)
    client.post(SETUP, {"action": "remove"})
    assert not second_factor.has_factor(org.reporter)
    assert client.get("/bao-cao/").status_code == 200


def test_the_office_cannot_turn_its_own_off(org: Org, client):  # type: ignore[no-untyped-def]
    client.force_login(org.admin)
    client.post(SETUP, {"action": "remove"})
    assert second_factor.has_factor(org.admin)


def test_moving_to_a_new_phone_replaces_the_old_key(org: Org, client):  # type: ignore[no-untyped-def]
    client.force_login(org.admin)
    old = second_factor.app_device(org.admin)
    client.get(SETUP + "?doi=1")
    pending = TOTPDevice.objects.get(user=org.admin, confirmed=False)
    client.post(SETUP, {"action": "confirm", "code": _code(pending)})
    assert list(TOTPDevice.objects.filter(user=org.admin)) == [pending]
    assert old is not None and old.pk != pending.pk


def test_the_office_removes_a_lost_phone_and_the_person_sets_up_anew(org: Org, client):  # type: ignore[no-untyped-def]
    device = _app(org.appraiser)
    client.force_login(org.admin)
    response = client.post(f"/tai-khoan/{org.appraiser.pk}/dang-nhap-hai-buoc/xoa/", follow=True)
    assert "đăng nhập hai bước" in response.content.decode()
    assert not TOTPDevice.objects.filter(pk=device.pk).exists()
    event = SecurityEvent.objects.get(kind=SecurityEventKind.OTP_RESET)
    assert (event.user, event.username) == (org.admin, org.appraiser.username)
    appraiser = Client()
    _sign_in(appraiser, org.appraiser)
    assert appraiser.get(UNITS)["Location"].startswith(SETUP)


def test_an_office_cannot_remove_the_factor_of_another_provinces_staff(org: Org, client):  # type: ignore[no-untyped-def]
    device = _app(org.other_admin)
    client.force_login(org.admin)
    response = client.post(f"/tai-khoan/{org.other_admin.pk}/dang-nhap-hai-buoc/xoa/")
    assert response.status_code == 403
    assert TOTPDevice.objects.filter(pk=device.pk).exists()


def test_a_session_waiting_for_its_code_after_a_reset_goes_on_to_set_up(org: Org):
    device = _app(org.admin)
    client = Client()
    _sign_in(client, org.admin)
    device.delete()
    response = client.get(VERIFY)
    assert response.status_code == 302
    assert client.get(UNITS)["Location"].startswith(SETUP)


# --- the demo --------------------------------------------------------------------------


def test_a_demo_account_gets_the_published_key_and_its_codes_can_be_printed(org: Org):
    device = second_factor.give_demo_app(org.admin)
    code = second_factor.demo_code(org.admin)
    assert code is not None and len(code) == 6
    totp = TOTP(bytes.fromhex(second_factor.DEMO_KEY))
    assert totp.verify(int(code), tolerance=1)
    assert device.confirmed
    assert second_factor.demo_code(org.reporter) is None
    _app(org.head)
    assert second_factor.demo_code(org.head) is None


def test_demo_code_prints_the_code_of_a_demo_account(org: Org):
    from io import StringIO

    from django.core.management import call_command

    second_factor.give_demo_app(org.admin)
    out = StringIO()
    call_command("demo-code", org.admin.username, stdout=out)
    assert out.getvalue().strip() == second_factor.demo_code(org.admin)


@pytest.mark.parametrize(
    ("who", "message"), [("reporter", "không dùng khóa demo"), (None, "Không có tài khoản")]
)
def test_demo_code_refuses_other_accounts_with_a_clear_message(org: Org, who, message):  # type: ignore[no-untyped-def]
    from django.core.management import call_command
    from django.core.management.base import CommandError

    _app(org.reporter)
    name = getattr(org, who).username if who else "khong.ai.ca"
    with pytest.raises(CommandError, match=message):
        call_command("demo-code", name)
