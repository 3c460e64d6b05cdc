"""Fixtures shared by the whole suite: a small province with people in every role."""

from __future__ import annotations

import pytest

from tests.factories import Org, build_org


@pytest.fixture(autouse=True)
def _fast_passwords(settings):  # type: ignore[no-untyped-def]
    # Argon2 is deliberately slow; the suite checks behaviour, not hashing cost.
    settings.PASSWORD_HASHERS = [
        "django.contrib.auth.hashers.MD5PasswordHasher",
        "dtis.orgs.hashers.IssuedPasswordHasher",
    ]


@pytest.fixture
def org(db) -> Org:  # type: ignore[no-untyped-def]
    return build_org()
