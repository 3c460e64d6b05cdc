"""`GET /healthz`: database, queue and storage, 200 when all work and 503 when
one does not, open to anyone, never cached, and telling nothing secret."""

from __future__ import annotations

import json
import os
import re
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest
from django.db import OperationalError
from django.test import Client

from dtis.ops.storage import LOCAL_BACKEND

pytestmark = pytest.mark.django_db

BAD_REDIS = "redis://:mat-khau-bi-mat@127.0.0.1:1/0"  # port 1: nothing listens there


@pytest.fixture(autouse=True)
def embedded(settings, tmp_path):  # type: ignore[no-untyped-def]
    """The embedded default whatever the suite's environment: tasks inline, files
    on the local disk in a folder of the test's own."""
    settings.CELERY_TASK_ALWAYS_EAGER = True
    settings.MEDIA_ROOT = tmp_path
    settings.STORAGES = {**settings.STORAGES, "default": {"BACKEND": LOCAL_BACKEND}}


def _get(client: Client) -> tuple[int, dict]:
    response = client.get("/healthz")
    assert response["Content-Type"] == "application/json"
    return response.status_code, json.loads(response.content)


def test_it_answers_ok_to_anyone_with_every_check_in_the_embedded_set_up(client):
    # `client` is signed out: monitors and load balancers hold no account.
    status, body = _get(client)
    assert status == 200
    assert body["status"] == "ok"
    assert set(body["checks"]) == {"database", "queue", "storage"}
    assert all(check["status"] == "ok" for check in body["checks"].values())
    assert body["checks"]["queue"]["mode"] == "inline"
    assert body["checks"]["storage"]["backend"] == "local"


def test_it_is_never_cached(client):
    cache_control = client.get("/healthz")["Cache-Control"]
    assert "no-cache" in cache_control and "no-store" in cache_control


def test_it_leaves_no_probe_file_behind(client, tmp_path):
    assert client.get("/healthz").status_code == 200
    assert [p for p in tmp_path.rglob("*") if p.is_file()] == []


def test_it_reports_the_redis_queue_and_its_waiting_tasks(client, settings, redis_url):
    settings.CELERY_TASK_ALWAYS_EAGER = False
    settings.CELERY_BROKER_URL = redis_url
    settings.CELERY_TASK_DEFAULT_QUEUE = "healthz-test-queue-that-nobody-fills"
    status, body = _get(client)
    assert status == 200
    assert body["checks"]["queue"] | {"ms": 0} == {
        "status": "ok",
        "mode": "redis",
        "waiting": 0,
        "ms": 0,
    }


def test_an_unreachable_redis_gives_503_and_names_only_the_failing_check(client, settings):
    settings.CELERY_TASK_ALWAYS_EAGER = False
    settings.CELERY_BROKER_URL = BAD_REDIS
    status, body = _get(client)
    assert status == 503
    assert body["status"] == "error"
    assert body["checks"]["queue"]["status"] == "error"
    assert body["checks"]["database"]["status"] == "ok"
    assert body["checks"]["storage"]["status"] == "ok"


def test_a_failure_tells_no_address_or_password(client, settings):
    settings.CELERY_TASK_ALWAYS_EAGER = False
    settings.CELERY_BROKER_URL = BAD_REDIS
    text = client.get("/healthz").content.decode()
    for secret in ("mat-khau-bi-mat", "127.0.0.1", "redis://"):
        assert secret not in text


def test_a_storage_that_cannot_be_written_gives_503(client, settings, tmp_path):
    blocked = tmp_path / "khong-ghi-duoc"
    blocked.write_text("a file where the storage expects a folder", encoding="utf-8")
    settings.MEDIA_ROOT = blocked
    status, body = _get(client)
    assert status == 503
    assert body["checks"]["storage"]["status"] == "error"
    assert str(tmp_path) not in json.dumps(body)


def test_a_database_that_fails_gives_503(client, monkeypatch):
    from dtis.ops import health

    def broken() -> dict:
        raise OperationalError("could not connect to server at db.noi-bo")

    monkeypatch.setitem(health.CHECKS, "database", broken)
    status, body = _get(client)
    assert status == 503
    assert body["checks"]["database"] == {
        "status": "error",
        "error": "OperationalError",
        "ms": body["checks"]["database"]["ms"],
    }
    assert "db.noi-bo" not in json.dumps(body)


def test_it_refuses_writes(client):
    assert client.post("/healthz").status_code == 405


# --- served by gunicorn with the sample configuration ---------------------------

ROOT = Path(__file__).resolve().parents[2]


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _fetch(url: str, **headers: str) -> tuple[int, dict[str, str], bytes]:
    """GET without following redirects."""

    class NoRedirect(urllib.request.HTTPRedirectHandler):
        def redirect_request(self, *args, **kwargs):  # type: ignore[no-untyped-def]
            return None

    opener = urllib.request.build_opener(NoRedirect)
    try:
        with opener.open(urllib.request.Request(url, headers=headers), timeout=5) as response:
            return response.status, dict(response.headers), response.read()
    except urllib.error.HTTPError as exc:
        return exc.code, dict(exc.headers), exc.read()


@pytest.fixture
def gunicorn(tmp_path):  # type: ignore[no-untyped-def]
    """deploy/gunicorn.conf.py serving the app on a free port, in production
    mode (HTTPS redirect on, behind a proxy that says when the visitor came
    over HTTPS) with an empty SQLite database of its own."""
    port = _free_port()
    env = {k: v for k, v in os.environ.items() if not k.startswith("DTIS_")}
    env |= {
        "DTIS_BIND": f"127.0.0.1:{port}",
        "DTIS_WEB_WORKERS": "1",
        "DTIS_VAR_DIR": str(tmp_path),
        "DTIS_DEBUG": "0",
        "DTIS_SECRET_KEY": "khoa-bi-mat-chi-dung-cho-kiem-thu-" + "x" * 30,
        "DTIS_ALLOWED_HOSTS": "127.0.0.1",
        "DTIS_BEHIND_PROXY": "1",
        "DTIS_ACCESS_LOG": "off",
    }
    process = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "-c", str(ROOT / "deploy" / "gunicorn.conf.py")],
        cwd=tmp_path,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                _fetch(f"{base}/healthz")
                break
            except OSError:
                if process.poll() is not None or time.monotonic() > deadline:
                    process.kill()
                    raise AssertionError(
                        "gunicorn did not start: " + process.stderr.read().decode()[-2000:]
                    ) from None
                time.sleep(0.2)
        yield base
    finally:
        process.terminate()
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
        process.stderr.close()


def test_the_sample_gunicorn_configuration_passes_gunicorns_check():
    done = subprocess.run(
        [sys.executable, "-m", "gunicorn", "--check-config", "-c", "deploy/gunicorn.conf.py"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert done.returncode == 0, done.stderr


def test_gunicorn_serves_healthz_over_plain_http_and_the_pages_only_over_https(gunicorn):
    status, headers, body = _fetch(f"{gunicorn}/healthz")
    assert status == 200, body
    assert json.loads(body)["status"] == "ok"
    status, headers, _body = _fetch(f"{gunicorn}/dang-nhap/")
    assert status == 301
    assert headers["Location"] == f"https://{gunicorn.removeprefix('http://')}/dang-nhap/"


def test_gunicorn_serves_the_static_files_through_whitenoise(gunicorn):
    # As nginx passes a visitor's HTTPS request on.
    status, headers, body = _fetch(
        f"{gunicorn}/static/dtis/favicon.svg", **{"X-Forwarded-Proto": "https"}
    )
    assert status == 200
    assert headers["Content-Type"].startswith("image/svg+xml")
    assert b"<svg" in body


def test_the_operations_guide_explains_every_variable_in_both_languages():
    sources = [*(ROOT / "src" / "dtis").rglob("*.py"), ROOT / "deploy" / "gunicorn.conf.py"]
    names = {
        name
        for path in sources
        for name in re.findall(r"\bDTIS_[A-Z][A-Z_]*[A-Z]\b", path.read_text(encoding="utf-8"))
    }
    assert {"DTIS_STORAGE_URL", "DTIS_REDIS_URL", "DTIS_WEB_WORKERS"} <= names
    guide = (ROOT / "docs" / "operations.md").read_text(encoding="utf-8")
    vietnamese, english = guide.split("\n## English\n")
    for half in (vietnamese, english):
        assert sorted(n for n in names if f"`{n}`" not in half) == []
