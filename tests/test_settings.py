"""Configuration comes from DTIS_* variables and a production set-up is clean."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest
from django.conf import settings
from django.db import connection


def dtis(*args: str, **env: str) -> subprocess.CompletedProcess[str]:
    full_env = {k: v for k, v in os.environ.items() if not k.startswith("DTIS_")}
    full_env.update(env)
    full_env.setdefault("DTIS_VAR_DIR", os.environ["DTIS_VAR_DIR"])
    return subprocess.run(
        [sys.executable, "-m", "dtis", *args], capture_output=True, text=True, env=full_env
    )


def test_production_settings_pass_the_deploy_check_without_warnings():
    result = dtis(
        "check", "--deploy", "--fail-level", "WARNING",
        DTIS_DEBUG="0", DTIS_SECRET_KEY="k" * 20 + "-Vf8#pQ2!zR7@mW4$xT9%bN6^cJ3&hL5*",
        DTIS_ALLOWED_HOSTS="example.org",
    )  # fmt: skip
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_debug_on_is_flagged_by_the_deploy_check():
    result = dtis("check", "--deploy", "--fail-level", "WARNING", DTIS_DEBUG="1")
    assert result.returncode != 0


def test_a_bad_boolean_stops_start_up_with_its_name():
    result = dtis("check", DTIS_DEBUG="perhaps")
    assert result.returncode != 0
    assert "DTIS_DEBUG" in result.stderr


def test_an_unknown_language_stops_start_up():
    result = dtis("check", DTIS_LANGUAGE="fr")
    assert result.returncode != 0 and "DTIS_LANGUAGE" in result.stderr


def test_vietnamese_and_the_vietnamese_time_zone_are_the_defaults():
    assert settings.LANGUAGE_CODE == "vi"
    assert settings.TIME_ZONE == "Asia/Ho_Chi_Minh"
    assert [code for code, _ in settings.LANGUAGES] == ["vi", "en"]


def test_the_secret_key_is_generated_once_and_kept(tmp_path):  # type: ignore[no-untyped-def]
    code = "from django.conf import settings; print(settings.SECRET_KEY)"
    env = {k: v for k, v in os.environ.items() if not k.startswith("DTIS_")}
    env |= {"DTIS_VAR_DIR": str(tmp_path), "DJANGO_SETTINGS_MODULE": "dtis.settings"}
    run = lambda: subprocess.run(  # noqa: E731
        [sys.executable, "-c", f"import django; django.setup(); {code}"],
        capture_output=True, text=True, env=env, check=True,
    ).stdout.strip()  # fmt: skip
    first, second = run(), run()
    assert len(first) >= 50 and first == second
    assert (tmp_path / "secret.key").stat().st_mode & 0o077 == 0


@pytest.mark.django_db
def test_sqlite_runs_in_wal_mode_outside_tests():
    if connection.vendor != "sqlite":
        pytest.skip("this run is on PostgreSQL; the SQLite run covers this")
    assert "journal_mode=WAL" in settings.DATABASES["default"]["OPTIONS"]["init_command"]


def test_the_console_script_runs_management_commands():
    result = dtis("help")
    assert result.returncode == 0
    for command in ("seed-demo", "issue-accounts", "import-units", "export-units"):
        assert command in result.stdout


def test_the_apps_own_css_and_htmx_are_served_without_a_cdn(client):  # type: ignore[no-untyped-def]
    for path in ("/static/dtis/css/app.css", "/static/django_htmx/htmx-2.min.js"):
        response = client.get(path)
        assert response.status_code == 200, path
