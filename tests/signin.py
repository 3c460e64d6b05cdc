"""Signing in from tests without going through the pages.

Django's `force_login` skips the password; `force_login` here (installed on
the test client by tests/conftest.py, used by tests/bench too) also skips the
second factor, leaving the session as it would be after both steps. Tests of
the second factor itself sign in through the pages instead
(tests/orgs/test_second_factor.py, tests/e2e/test_sign_in.py).
"""

from __future__ import annotations

from typing import Any

from django.test import Client
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.plugins.otp_totp.models import TOTPDevice

from dtis.orgs import second_factor
from dtis.orgs.policy import forget_grants

_django_force_login = Client.force_login


def force_login(client: Client, user: Any, backend: str | None = None) -> None:
    _django_force_login(client, user, backend)
    needs = second_factor.is_required(user) or second_factor.has_factor(user)
    forget_grants(user)  # grants may change later in the test
    if not needs:
        return
    device = second_factor.app_device(user) or TOTPDevice.objects.create(
        user=user, name="test", confirmed=True
    )
    session = client.session
    session[DEVICE_ID_SESSION_KEY] = device.persistent_id
    session[second_factor.HAS_FACTOR_KEY] = True
    session.save()
