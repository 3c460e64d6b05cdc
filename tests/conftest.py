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


@pytest.fixture(autouse=True)
def _empty_cache():  # type: ignore[no-untyped-def]
    # Each test's database starts from the same data version (its changes are
    # rolled back), so pages kept by an earlier test must not be found again.
    from django.core.cache import cache

    cache.clear()


@pytest.fixture(autouse=True)
def _deployment_language():  # type: ignore[no-untyped-def]
    # A request in English leaves English active in the worker's thread
    # (LocaleMiddleware does not switch back); each test starts in Vietnamese.
    from django.conf import settings
    from django.utils import translation

    translation.activate(settings.LANGUAGE_CODE)
    yield
    translation.deactivate()


@pytest.fixture(autouse=True)
def _force_login_passes_both_steps(monkeypatch):  # type: ignore[no-untyped-def]
    # See tests/signin.py: a forced sign-in is one past the password and the code.
    from django.test import Client

    from tests.signin import force_login

    monkeypatch.setattr(Client, "force_login", force_login)


@pytest.fixture(scope="module")
def seeded_demo(django_db_setup, django_db_blocker):  # type: ignore[no-untyped-def]
    """The demo province, seeded once for a module (it takes seconds) inside a
    transaction rolled back after the module; each test's own changes roll
    back to it. Yields what `seed-demo --json` printed."""
    import io
    import json

    from django.core.management import call_command
    from django.db import transaction
    from django.test.utils import override_settings

    out = io.StringIO()
    with (
        django_db_blocker.unblock(),
        override_settings(PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"]),
        transaction.atomic(),
    ):
        call_command("seed-demo", "--json", stdout=out)
        yield json.loads(out.getvalue())
        transaction.set_rollback(True)


@pytest.fixture
def org(db) -> Org:  # type: ignore[no-untyped-def]
    return build_org()


def pytest_terminal_summary(terminalreporter, exitstatus, config):  # type: ignore[no-untyped-def]
    """One line saying how many browser tests really ran, even under -q and xdist."""
    from tests.e2e.conftest import CHROMIUM, SKIP_REASON

    counts = {"passed": 0, "failed": 0, "skipped": 0}
    for outcome in counts:
        for report in terminalreporter.stats.get(outcome, []):
            in_e2e = "tests/e2e/" in getattr(report, "nodeid", "")
            # A pass is counted on the call phase; a skip or a failure on any phase.
            if in_e2e and (report.when == "call" or outcome != "passed"):
                counts[outcome] += 1
    if not any(counts.values()):
        return  # no browser test was selected
    where = f"in {CHROMIUM}" if CHROMIUM else f"— {SKIP_REASON}"
    terminalreporter.write_line(
        f"browser tests: {counts['passed']} passed, {counts['failed']} failed, "
        f"{counts['skipped']} skipped {where}"
    )
