"""gunicorn settings for DTIS: `gunicorn -c deploy/gunicorn.conf.py`.

Listens on 127.0.0.1:8000 behind nginx (deploy/nginx/dtis.conf); static files
are answered by WhiteNoise inside the app, so nothing else needs configuring.
Every knob comes from the environment, like the app's own settings (see
docs/operations.md), so the systemd unit's EnvironmentFile holds them all:

- DTIS_BIND            address to listen on (default 127.0.0.1:8000)
- DTIS_WEB_WORKERS     worker processes (default 2 × CPU cores + 1, at most 8)
- DTIS_WEB_THREADS     threads per worker (default 1)
- DTIS_WEB_TIMEOUT     seconds a request may take before its worker is
                       restarted (default 120: a national ranking workbook is big)
- DTIS_WEB_LOG_LEVEL   gunicorn's own log level (default info)
- DTIS_ACCESS_LOG      "-" (default: standard output, i.e. the journal), a file, or "off"
"""

from __future__ import annotations

import multiprocessing
import os


def _int(name: str, default: int) -> int:
    raw = os.environ.get(name, "").strip()
    if not raw:
        return default
    try:
        return int(raw)
    except ValueError as exc:
        raise SystemExit(f"{name}={raw!r}: expected a whole number") from exc


wsgi_app = "dtis.wsgi:application"
bind = os.environ.get("DTIS_BIND", "127.0.0.1:8000")
workers = _int("DTIS_WEB_WORKERS", min(2 * multiprocessing.cpu_count() + 1, 8))
threads = _int("DTIS_WEB_THREADS", 1)
timeout = _int("DTIS_WEB_TIMEOUT", 120)
graceful_timeout = 30
keepalive = 5
# A worker is replaced after this many requests: memory stays bounded however long it runs.
max_requests = 1000
max_requests_jitter = 100
# Heartbeat files in memory, not on a possibly slow or read-only disk.
worker_tmp_dir = "/dev/shm" if os.path.isdir("/dev/shm") else None

# Only nginx on this machine may say the request came over HTTPS (X-Forwarded-Proto);
# the app trusts that header only with DTIS_BEHIND_PROXY=1.
forwarded_allow_ips = os.environ.get("DTIS_FORWARDED_ALLOW_IPS", "127.0.0.1,::1")

loglevel = os.environ.get("DTIS_WEB_LOG_LEVEL", "info").lower()
errorlog = "-"
_access = os.environ.get("DTIS_ACCESS_LOG", "-")
accesslog = None if _access == "off" else _access
# The client's address as nginx saw it, the request, status, size, time in ms.
access_log_format = '%({x-forwarded-for}i)s %(h)s "%(r)s" %(s)s %(b)s %(M)sms "%(a)s"'
proc_name = "dtis-web"
