"""`GET /healthz`: is this installation able to work right now?

For load balancers, monitors and the operator after an upgrade. Three checks,
each cheap and each on its own so one failure does not hide another:

- database: `SELECT 1` on the default connection;
- queue: a PING to the Redis broker, with the number of tasks waiting in the
  default queue (a growing number means no worker is running); "inline"
  when there is no broker (the embedded default: tasks run in-process);
- storage: a tiny file written, read back and deleted through the configured
  storage (local disk or S3-compatible).

200 with `"status": "ok"` when all pass, 503 with `"status": "error"` when
any fails. Anyone may ask, so the answer names no host, URL, path, user or
password: a failure says only which check failed and the kind of error; the
details go to the log, which only operators read. Never cached.
"""

from __future__ import annotations

import logging
import time
import uuid
from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import connection
from django.http import HttpRequest, JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe

from dtis.ops.storage import storage_kind

logger = logging.getLogger(__name__)

PROBE_DIR = "healthz"
QUEUE_TIMEOUT_SECONDS = 2.0

Check = Callable[[], dict[str, Any]]


def check_database() -> dict[str, Any]:
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
        if cursor.fetchone() != (1,):
            raise RuntimeError("SELECT 1 did not answer 1")
    return {"vendor": connection.vendor}


def check_queue() -> dict[str, Any]:
    if settings.CELERY_TASK_ALWAYS_EAGER:
        return {"mode": "inline"}
    import redis

    client = redis.Redis.from_url(
        settings.CELERY_BROKER_URL,
        socket_connect_timeout=QUEUE_TIMEOUT_SECONDS,
        socket_timeout=QUEUE_TIMEOUT_SECONDS,
    )
    try:
        client.ping()
        waiting = client.llen(settings.CELERY_TASK_DEFAULT_QUEUE)
    finally:
        client.close()
    return {"mode": "redis", "waiting": waiting}


def check_storage() -> dict[str, Any]:
    probe = b"dtis healthz"
    name = default_storage.save(f"{PROBE_DIR}/{uuid.uuid4().hex}.txt", ContentFile(probe))
    try:
        with default_storage.open(name, "rb") as fh:
            if fh.read() != probe:
                raise RuntimeError("the probe file read back differs")
    finally:
        default_storage.delete(name)
    return {"backend": storage_kind(settings.STORAGES["default"]["BACKEND"])}


CHECKS: dict[str, Check] = {
    "database": check_database,
    "queue": check_queue,
    "storage": check_storage,
}


def run_checks() -> dict[str, dict[str, Any]]:
    """Every check, each timed; an exception fails that check only."""
    results: dict[str, dict[str, Any]] = {}
    for name, check in CHECKS.items():
        started = time.perf_counter()
        try:
            result = {"status": "ok", **check()}
        except Exception as exc:
            # The details (host names, paths) are for the log, not the public answer.
            logger.warning("healthz: the %s check failed", name, exc_info=True)
            result = {"status": "error", "error": type(exc).__name__}
        result["ms"] = round((time.perf_counter() - started) * 1000, 1)
        results[name] = result
    return results


@never_cache
@require_safe
def healthz(request: HttpRequest) -> JsonResponse:
    checks = run_checks()
    ok = all(c["status"] == "ok" for c in checks.values())
    return JsonResponse(
        {"status": "ok" if ok else "error", "checks": checks}, status=200 if ok else 503
    )
