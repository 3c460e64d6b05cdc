"""Browser tests: a real Chromium (Debian's, not a Playwright download) drives the live app.

Every test here is marked `e2e`. When no Chromium is installed, all of them are
skipped with one reason, so `make test` still runs everywhere.
"""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import pytest

E2E_DIR = Path(__file__).resolve().parent
SCREENSHOT_DIR = Path(
    os.environ.get("DTIS_SCREENSHOT_DIR") or E2E_DIR.parent.parent / "var" / "screenshots"
)
SKIP_REASON = "Chromium not found (apt-get install chromium): browser tests skipped"
LAUNCH_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
    "--lang=vi",  # the browser's own words (a file input's "Choose File") in Vietnamese too
]
DESKTOP = {"width": 1280, "height": 800}
PHONE = {"width": 390, "height": 844}


def chromium_path() -> str | None:
    """DTIS_CHROMIUM if set (a path to another Chromium build), else Debian's."""
    chosen = os.environ.get("DTIS_CHROMIUM")
    if chosen is not None:
        return chosen if os.access(chosen, os.X_OK) else None
    if os.access("/usr/bin/chromium", os.X_OK):
        return "/usr/bin/chromium"
    return shutil.which("chromium")


CHROMIUM = chromium_path()


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    skip = pytest.mark.skip(reason=SKIP_REASON)
    for item in items:
        if E2E_DIR not in Path(str(item.path)).resolve().parents:
            continue
        item.add_marker(pytest.mark.e2e)
        if CHROMIUM is None:
            item.add_marker(skip)


def pytest_report_header(config: pytest.Config) -> str:
    if CHROMIUM is None:
        return f"browser tests: skipped — {SKIP_REASON}"
    try:
        # Debian's launcher script may print shell noise on stderr; only stdout matters.
        out = subprocess.run(
            [CHROMIUM, "--version"], capture_output=True, text=True, timeout=30, check=False
        ).stdout.strip()
    except (OSError, subprocess.SubprocessError) as exc:
        out = f"version unknown ({exc})"
    return f"browser tests: {out or 'Chromium (version unknown)'} at {CHROMIUM}"


# --- server ----------------------------------------------------------------
# pytest-django's live_server; tests/pytest_env.py turns the HTTPS redirect and
# secure-only cookies off for the whole run, since the live server speaks HTTP.


@pytest.fixture
def _orm_beside_playwright(monkeypatch):  # type: ignore[no-untyped-def]
    """Playwright's sync API keeps an asyncio loop running in this thread, so
    Django's ORM would refuse to run in the test body ("async unsafe").

    Set for each e2e test only, never at import time: a process-wide
    DJANGO_ALLOW_ASYNC_UNSAFE leaks into other tests and into the subprocesses
    they start (`dtis check --deploy` then warns about it)."""
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


@pytest.fixture
def transactional_db(_orm_beside_playwright, transactional_db):  # type: ignore[no-untyped-def]
    # Wraps pytest-django's fixture so the flag is set before it and removed
    # only after its teardown (which flushes the tables through the ORM).
    return transactional_db


@pytest.fixture
def e2e_org(transactional_db):  # type: ignore[no-untyped-def]
    """The shared province (tests.factories.build_org), committed so the live
    server thread sees it."""
    from tests.factories import build_org

    return build_org()


@pytest.fixture
def quarter(e2e_org, settings, tmp_path):  # type: ignore[no-untyped-def]
    """Sở Nội vụ's first quarter of this year's departments cycle, open, its
    deadline ten days ahead: the period and the assessed unit."""
    import datetime as dt

    from django.core.management import call_command
    from django.utils import timezone

    from dtis.frameworks.services import find
    from dtis.reporting.cycles import cycle_create
    from dtis.reporting.models import PeriodState

    settings.MEDIA_ROOT = tmp_path / "media"
    call_command("load-frameworks", verbosity=0)
    cycle = cycle_create(
        actor=e2e_org.admin,
        framework=find("hy-department-2023"),  # type: ignore[arg-type]
        year=timezone.localdate().year,
        name="Đánh giá chuyển đổi số các sở, ban, ngành",
        scope=e2e_org.province,
        assessed=[(e2e_org.dept_home, "Sở, ban, ngành")],
    )
    period = cycle.periods.get(kind="q1")
    period.state = PeriodState.OPEN
    period.unit_deadline = timezone.localdate() + dt.timedelta(days=10)
    period.save()
    return period, cycle.assessed.get()


# --- browser ---------------------------------------------------------------


@pytest.fixture(scope="module")
def browser(django_db_setup):  # type: ignore[no-untyped-def]
    # After the test database exists: once Playwright's loop runs in this
    # thread, creating (and later dropping) it would count as "async unsafe".
    # One browser per module, not per session: stopping Playwright stops its
    # loop, so the tests an xdist worker runs after the browser tests can
    # open database connections again (transactional tests reconnect).
    if CHROMIUM is None:
        pytest.skip(SKIP_REASON)
    from playwright.sync_api import sync_playwright

    p = sync_playwright().start()
    # Each launch gets its own temporary user-data dir from Playwright.
    browser = p.chromium.launch(executable_path=CHROMIUM, headless=True, args=LAUNCH_ARGS)
    try:
        yield browser
    finally:
        browser.close()
        p.stop()


def _new_page(browser, live_server, viewport: dict[str, int]):  # type: ignore[no-untyped-def]
    context = browser.new_context(
        locale="vi-VN", base_url=live_server.url, viewport=viewport, timezone_id="Asia/Ho_Chi_Minh"
    )
    context.set_default_timeout(10_000)
    context.set_default_navigation_timeout(15_000)
    context.csp_violations = []  # type: ignore[attr-defined]

    def watch(page):  # type: ignore[no-untyped-def]
        page.on(
            "console",
            lambda msg: (
                "Content Security Policy" in msg.text
                and context.csp_violations.append(f"{page.url}: {msg.text}")
            ),  # type: ignore[attr-defined]
        )

    context.on("page", watch)
    return context, context.new_page()


def _close(context) -> None:  # type: ignore[no-untyped-def]
    """Every browser test also checks that the Content Security Policy refused
    nothing the page needed (an inline script, style or handler)."""
    violations = context.csp_violations
    context.close()
    assert not violations, "\n".join(violations)


@pytest.fixture
def page(browser, live_server):  # type: ignore[no-untyped-def]
    context, page = _new_page(browser, live_server, DESKTOP)
    yield page
    _close(context)


@pytest.fixture
def phone_page(browser, live_server):  # type: ignore[no-untyped-def]
    context, page = _new_page(browser, live_server, PHONE)
    yield page
    _close(context)


# --- helpers ---------------------------------------------------------------


def login(page, username: str, password: str, *, tour: bool = False) -> None:  # type: ignore[no-untyped-def]
    """Sign in through the real form, from whatever page we are on.

    The first-login tour (dtis.onboarding) covers the home page and would catch
    the clicks of a test about something else, so the person's tours are marked
    seen before signing in, unless the test asks for the tour (`tour=True`,
    tests/e2e/test_onboarding.py)."""
    if not tour:
        _tours_seen(username)
    page.goto("/dang-nhap/")
    page.locator("#id_username").fill(username)
    page.locator("#id_password").fill(password)
    # The top bar also holds submit buttons (language switch), so stay inside <main>.
    page.locator("main form button[type=submit]").click()
    page.wait_for_load_state("domcontentloaded")
    second_step(page, username)


def _tours_seen(login: str) -> None:
    from django.db.models import Q

    from dtis.onboarding.models import TourSeen
    from dtis.orgs.models import Role, User

    for user in User.objects.filter(Q(username__iexact=login) | Q(email__iexact=login)):
        TourSeen.objects.bulk_create(
            [TourSeen(user=user, role=role) for role in Role], ignore_conflicts=True
        )


def second_step(page, login: str) -> None:  # type: ignore[no-untyped-def]
    """After the password: type the code the person's app would show (their
    device's key is in the database), or set the app up first, as the pages
    ask. A person who needs neither is already where they were going."""
    from django.db.models import Q
    from django_otp.plugins.otp_totp.models import TOTPDevice

    from dtis.orgs.second_factor import code_for

    setting_up = "/dang-nhap-hai-buoc/" in page.url
    if not setting_up and "/ma-xac-thuc/" not in page.url:
        return
    device = (
        TOTPDevice.objects.filter(Q(user__username__iexact=login) | Q(user__email__iexact=login))
        .filter(confirmed=not setting_up)
        .order_by("-pk")
        .first()
    )
    assert device is not None, f"{login}: no authenticator to take a code from"
    page.locator("#id_code").fill(code_for(device))
    page.locator("main form:has(#id_code) button[type=submit]").click()
    page.wait_for_load_state("domcontentloaded")
    if setting_up:  # the backup codes, shown once
        page.get_by_test_id("backup-codes").wait_for()
        page.locator("main a.button.primary").click()
        page.wait_for_load_state("domcontentloaded")


def logout(page) -> None:  # type: ignore[no-untyped-def]
    page.locator("form[action='/dang-xuat/'] button[type=submit]").click()
    page.wait_for_url("**/dang-nhap/**")


def screenshot(page, name: str) -> Path:  # type: ignore[no-untyped-def]
    """Save a full-page picture of what the test saw (for the guide and reviews).

    Headless Chromium on a loaded two-core machine sometimes answers "Unable
    to capture screenshot" to a full-page capture; a second try after a short
    pause succeeds. A third failure is a real problem and fails the test.
    """
    from playwright.sync_api import Error

    SCREENSHOT_DIR.mkdir(parents=True, exist_ok=True)
    path = SCREENSHOT_DIR / f"{name}.png"
    for attempt in range(3):
        try:
            page.screenshot(path=str(path), full_page=True)
            return path
        except Error:
            if attempt == 2:
                raise
            page.wait_for_timeout(500)
    return path


def in_vietnamese(text: object) -> str:
    """How the app renders an English msgid for a Vietnamese browser (whatever
    the catalogue holds right now)."""
    from django.utils import translation

    with translation.override("vi"):
        return str(text) if not isinstance(text, str) else translation.gettext(text)


def vi_catalogue_compiled() -> bool:
    import dtis

    return (Path(dtis.__file__).parent / "locale" / "vi" / "LC_MESSAGES" / "django.mo").exists()
