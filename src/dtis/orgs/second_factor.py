"""The second factor: a six-digit code from an authenticator app (TOTP), with
ten one-time backup codes for the day the phone is lost.

Who must have one is a rule of this module (`is_required`): the people who
can change what a province is ranked on or who it is — administrators (the
standing office), appraisers (the council) and system administrators. Anyone
else may add one. The mechanics (keys, clocks, replay and throttling of wrong
codes) are django-otp's; this module says who, when, and what is logged.

A session counts as verified once `django_otp.login` has stored the device
that accepted a code (`is_verified`); `SecondFactorMiddleware` sends a
signed-in person who still needs that step to the code page or, if they must
have a factor and have none, to the set-up page.
"""

from __future__ import annotations

import binascii
from base64 import b32encode
from dataclasses import dataclass
from typing import Any

import segno
from django.contrib.auth.signals import user_logged_in
from django.db import transaction
from django.dispatch import receiver
from django.http import HttpRequest
from django.utils import timezone
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp import login as otp_login
from django_otp.oath import TOTP
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from dtis.orgs.models import Role, SecurityEventKind, User
from dtis.orgs.policy import grants_of
from dtis.orgs.security_log import record

HAS_FACTOR_KEY = "dtis_has_factor"
REQUIRED_FOR = frozenset({Role.ADMIN, Role.APPRAISER})
APP_DEVICE = "authenticator"
BACKUP_DEVICE = "backup"
BACKUP_CODES = 10

# The published key of the demo accounts' authenticator (README, `dtis
# demo-code`). Only a device holding exactly this key is a demo device, so
# printing its codes reveals nothing that is not already public.
DEMO_KEY = "3132333435363738393031323334353637383930"  # RFC 6238's test key
DEMO_DEVICE = "demo"


def is_required(user: User) -> bool:
    """Uses the grants the request loads anyway (`policy.grants_of`)."""
    return user.is_superuser or any(g.role in REQUIRED_FOR for g in grants_of(user))


def app_device(user: User) -> TOTPDevice | None:
    return TOTPDevice.objects.filter(user=user, confirmed=True).order_by("pk").first()


def has_factor(user: User) -> bool:
    return TOTPDevice.objects.filter(user=user, confirmed=True).exists()


def session_has_factor(request: HttpRequest) -> bool:
    """Whether the signed-in person had a factor when they signed in, kept in
    the session so that a page costs no query for it. A factor added later in
    the session verifies the session at once (`confirm_app`); one removed
    later leaves the session unverified (the code page then sends them on)."""
    known = request.session.get(HAS_FACTOR_KEY)
    if known is None:
        known = request.session[HAS_FACTOR_KEY] = has_factor(request.user)  # type: ignore[arg-type]
    return bool(known)


def remember_factor(request: HttpRequest, user: User) -> None:
    request.session[HAS_FACTOR_KEY] = has_factor(user)


@receiver(user_logged_in)
def _signed_in(sender: Any, request: HttpRequest | None, user: User, **kwargs: Any) -> None:
    if request is not None and hasattr(request, "session"):
        remember_factor(request, user)


def is_verified(request: HttpRequest) -> bool:
    verified = getattr(request.user, "is_verified", None)
    return bool(verified and verified())


def backup_codes_left(user: User) -> int:
    return StaticToken.objects.filter(device__user=user, device__confirmed=True).count()


# --- enrolment ---------------------------------------------------------------------


def readable_secret(hex_key: str) -> str:
    """A key as authenticator apps want it typed: base32, in groups of four."""
    raw = b32encode(binascii.unhexlify(hex_key)).decode("ascii").rstrip("=")
    return " ".join(raw[i : i + 4] for i in range(0, len(raw), 4))


@dataclass(frozen=True)
class Pending:
    """An app not yet confirmed: what the person scans or types."""

    device: TOTPDevice

    @property
    def secret(self) -> str:
        return readable_secret(self.device.key)

    def qr_svg(self) -> str:
        return segno.make(self.device.config_url, error="m").svg_inline(
            scale=5, dark="#111", light="#fff", omitsize=False
        )


def pending_app(user: User) -> Pending:
    """The unconfirmed app device being set up, made on first call. Reloading
    the set-up page keeps the same key, so a code scanned a minute ago still
    works."""
    device = TOTPDevice.objects.filter(user=user, confirmed=False).order_by("pk").first()
    if device is None:
        device = TOTPDevice.objects.create(user=user, name=APP_DEVICE, confirmed=False)
    return Pending(device)


@dataclass(frozen=True)
class Confirmation:
    codes: list[str] | None  # the new backup codes; None when the code was refused
    wait_seconds: int = 0  # > 0 when wrong codes made us pause


@transaction.atomic
def confirm_app(request: HttpRequest, user: User, code: str) -> Confirmation:
    """Confirm the pending app with a code it shows; on success the session is
    verified with it and fresh backup codes are returned (shown once)."""
    pending = TOTPDevice.objects.select_for_update().filter(user=user, confirmed=False).first()
    if pending is None:
        return Confirmation(None)
    allowed, data = pending.verify_is_allowed()
    if not allowed:
        return Confirmation(None, _seconds_left(data))
    if not pending.verify_token(normalised(code)):
        record(SecurityEventKind.OTP_FAILED, request, user)
        return Confirmation(None)
    TOTPDevice.objects.filter(user=user, confirmed=True).delete()
    pending.confirmed = True
    pending.save(update_fields=["confirmed"])
    codes = new_backup_codes(user)
    otp_login(request, pending)
    request.session[HAS_FACTOR_KEY] = True
    record(SecurityEventKind.OTP_ENROLLED, request, user)
    return Confirmation(codes)


def new_backup_codes(user: User) -> list[str]:
    """Replace the person's backup codes with ten new ones."""
    StaticDevice.objects.filter(user=user).delete()
    device = StaticDevice.objects.create(user=user, name=BACKUP_DEVICE, confirmed=True)
    codes = [StaticToken.random_token() for _ in range(BACKUP_CODES)]
    StaticToken.objects.bulk_create(StaticToken(device=device, token=c) for c in codes)
    return codes


# --- signing in ----------------------------------------------------------------------


def normalised(code: str) -> str:
    """People type codes with spaces ("123 456") or as the app groups them."""
    return "".join(code.split()).lower()


@dataclass(frozen=True)
class Check:
    ok: bool
    wait_seconds: int = 0  # > 0 when too many wrong codes made us pause
    used_backup: bool = False


def verify(request: HttpRequest, user: User, code: str) -> Check:
    """Check a code against the app, then the backup codes. Wrong codes slow
    the next attempt down (django-otp's throttling, doubling each time)."""
    token = normalised(code)
    with transaction.atomic():
        devices: list[TOTPDevice | StaticDevice] = [
            *TOTPDevice.objects.select_for_update().filter(user=user, confirmed=True),
            *StaticDevice.objects.select_for_update().filter(user=user, confirmed=True),
        ]
        wait = 0
        for device in devices:
            allowed, data = device.verify_is_allowed()
            if not allowed:
                wait = max(wait, _seconds_left(data))
                continue
            if device.verify_token(token):
                otp_login(request, device)
                if isinstance(device, StaticDevice):
                    record(SecurityEventKind.OTP_BACKUP_USED, request, user)
                return Check(True, used_backup=isinstance(device, StaticDevice))
    record(SecurityEventKind.OTP_FAILED, request, user)
    return Check(False, wait_seconds=wait)


def _seconds_left(data: dict | None) -> int:
    until = (data or {}).get("locked_until")
    if until is None:
        return 1
    return max(1, int((until - timezone.now()).total_seconds()) + 1)


# --- administration ------------------------------------------------------------------


@transaction.atomic
def reset(request: HttpRequest, target: User) -> int:
    """Remove every factor of a person who lost their phone (an administrator
    does this after checking who is asking). They set up a new one at their
    next sign-in; their open sessions stop being verified."""
    removed = TOTPDevice.objects.filter(user=target).delete()[0]
    removed += StaticDevice.objects.filter(user=target).delete()[0]
    record(SecurityEventKind.OTP_RESET, request, request.user, username=target.username)
    return removed


@transaction.atomic
def remove_own(request: HttpRequest, user: User) -> None:
    """A person for whom the factor is optional turns it off."""
    TOTPDevice.objects.filter(user=user).delete()
    StaticDevice.objects.filter(user=user).delete()
    request.session.pop(DEVICE_ID_SESSION_KEY, None)
    request.session[HAS_FACTOR_KEY] = False
    record(SecurityEventKind.OTP_RESET, request, user)


# --- demo and tests ------------------------------------------------------------------


def give_demo_app(user: User) -> TOTPDevice:
    """A confirmed app holding the published demo key (`seed-demo`)."""
    device, _ = TOTPDevice.objects.update_or_create(
        user=user, name=DEMO_DEVICE, defaults={"key": DEMO_KEY, "confirmed": True}
    )
    return device


def demo_code(user: User) -> str | None:
    """The code a demo account's app shows now (or the next one, if the
    current one was already used); None for any other account."""
    device = TOTPDevice.objects.filter(user=user, key=DEMO_KEY, confirmed=True).first()
    if device is None:
        return None
    return code_for(device)


def code_for(device: TOTPDevice) -> str:
    """The code an app holding this device's key would accept now."""
    totp = TOTP(binascii.unhexlify(device.key), device.step, device.t0, device.digits, device.drift)
    step = max(totp.t(), device.last_t + 1)  # a code is accepted once
    totp.time = (step - device.drift) * device.step + device.t0 + 1
    return f"{totp.token():0{device.digits}d}"
