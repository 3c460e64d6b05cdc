"""`make test`: the whole suite on SQLite, then again on PostgreSQL.

PostgreSQL comes from DTIS_TEST_POSTGRES_URL or, failing that, the server CI
machines run on 127.0.0.1:5432 (trust auth, user postgres). Each run gets a
throw-away database with a unique name; when no server answers, the
PostgreSQL half is skipped with one clear line.
"""

from __future__ import annotations

import os
import subprocess
import sys
import uuid
from pathlib import Path

import dj_database_url
import psycopg

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_PG = "postgres://postgres@127.0.0.1:5432/postgres"


def reachable_postgres() -> tuple[str | None, str]:
    url = os.environ.get("DTIS_TEST_POSTGRES_URL") or DEFAULT_PG
    cfg = dj_database_url.parse(url)
    try:
        psycopg.connect(
            host=cfg["HOST"] or None, port=cfg["PORT"] or None, user=cfg["USER"] or None,
            password=cfg["PASSWORD"] or None, dbname=cfg["NAME"] or "postgres", connect_timeout=3,
        ).close()  # fmt: skip
    except psycopg.Error as exc:
        return None, f"{cfg['HOST']}:{cfg['PORT']} — {str(exc).strip().splitlines()[0]}"
    # A fresh database name per run: pytest-django creates test_<name> and drops it after.
    base = url.rsplit("/", 1)[0]
    return f"{base}/dtis_{uuid.uuid4().hex[:8]}", f"{cfg['HOST']}:{cfg['PORT']}"


def run_suite(label: str, extra_env: dict[str, str], args: list[str]) -> int:
    print(f"\n===== test suite on {label} =====", flush=True)
    env = os.environ | extra_env
    code = subprocess.call([sys.executable, "-m", "pytest", *args], cwd=ROOT, env=env)
    print(f"===== {label}: {'passed' if code == 0 else f'FAILED (exit {code})'} =====", flush=True)
    return code


def main() -> int:
    # Two workers: the machines have two cores; browser tests run in both.
    args = sys.argv[1:] or ["-q", "-rs", "-n", "2"]
    results = [run_suite("SQLite", {"DTIS_DATABASE_URL": ""}, args)]
    pg_url, where = reachable_postgres()
    if pg_url is None:
        print(f"\n===== PostgreSQL half SKIPPED: no server reachable at {where} =====")
    else:
        results.append(run_suite(f"PostgreSQL ({where})", {"DTIS_DATABASE_URL": pg_url}, args))
    return 0 if all(code == 0 for code in results) else 1


if __name__ == "__main__":
    sys.exit(main())
