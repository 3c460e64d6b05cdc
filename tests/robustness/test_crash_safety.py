"""An import killed half-way leaves no partial data.

A real `dtis import-units` process imports a large generated file of units
(a province, its departments and thousands of offices) into a throw-away
database of the suite's vendor: a SQLite file, or a PostgreSQL database
created and dropped here. Once it is writing, it is killed with SIGKILL (no
handler, no clean-up can run), and every table holds exactly the rows it held
before.

How the test knows the process was killed mid-way, inside its write:
- SQLite (WAL mode): the write-ahead log has grown (the writer spilled pages
  of its transaction there) while another connection still reads the old
  row counts, i.e. nothing was committed yet;
- PostgreSQL: the process's backend holds a transaction id (it has written
  rows) and nothing is visible to another connection yet.
And the process had not exited when it was killed (its return code is
-SIGKILL, and it never printed its summary).
"""

from __future__ import annotations

import csv
import os
import signal
import sqlite3
import subprocess
import sys
import time
import uuid
from collections.abc import Callable, Iterator
from contextlib import closing
from dataclasses import dataclass
from pathlib import Path

import pytest
from django.conf import settings

UNITS = 6000  # about 2 s of writing on this machine: time enough to catch it at work
TIMEOUT = 90


@dataclass
class Scratch:
    """A migrated, empty database the `dtis` process works on."""

    env: dict[str, str]
    counts: Callable[[], dict[str, int]]
    writing: Callable[[], bool]


def _run_dtis(env: dict[str, str], *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "dtis", *args],
        env=env,
        capture_output=True,
        text=True,
        timeout=TIMEOUT,
    )


def _environment(tmp_path: Path, url: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("DTIS_")}
    var = tmp_path / "var"
    var.mkdir()
    return env | {
        "DTIS_DATABASE_URL": url,
        "DTIS_VAR_DIR": str(var),
        "DTIS_SECRET_KEY": "crash-safety-test-" + uuid.uuid4().hex,
    }


def _sqlite(tmp_path: Path) -> Iterator[Scratch]:
    path = tmp_path / "dtis.sqlite3"
    wal = Path(f"{path}-wal")

    def counts() -> dict[str, int]:
        with closing(sqlite3.connect(path, timeout=20)) as db:
            tables = [r[0] for r in db.execute("SELECT name FROM sqlite_master WHERE type='table'")]
            return {t: db.execute(f'SELECT COUNT(*) FROM "{t}"').fetchone()[0] for t in tables}

    def writing() -> bool:
        return wal.exists() and wal.stat().st_size > 256 * 1024

    yield Scratch(_environment(tmp_path, f"sqlite:///{path}"), counts, writing)


def _postgresql(tmp_path: Path) -> Iterator[Scratch]:
    import psycopg

    cfg = settings.DATABASES["default"]
    server = {
        "host": cfg["HOST"] or None,
        "port": cfg["PORT"] or None,
        "user": cfg["USER"] or None,
        "password": cfg["PASSWORD"] or None,
    }
    name = f"dtis_crash_{uuid.uuid4().hex[:12]}"
    with psycopg.connect(dbname="postgres", autocommit=True, **server) as admin:
        admin.execute(f'CREATE DATABASE "{name}"')
    auth = cfg["USER"] + (f":{cfg['PASSWORD']}" if cfg["PASSWORD"] else "")
    url = f"postgres://{auth}@{cfg['HOST'] or '127.0.0.1'}:{cfg['PORT'] or 5432}/{name}"

    def counts() -> dict[str, int]:
        with psycopg.connect(dbname=name, **server) as db:
            tables = [
                r[0]
                for r in db.execute("SELECT tablename FROM pg_tables WHERE schemaname = 'public'")
            ]
            return {t: db.execute(f'SELECT COUNT(*) FROM "{t}"').fetchone()[0] for t in tables}

    def writing() -> bool:
        with psycopg.connect(dbname="postgres", autocommit=True, **server) as db:
            row = db.execute(
                "SELECT count(*) FROM pg_stat_activity WHERE datname = %s "
                "AND backend_xid IS NOT NULL",
                [name],
            ).fetchone()
            return bool(row and row[0])

    try:
        yield Scratch(_environment(tmp_path, url), counts, writing)
    finally:
        with psycopg.connect(dbname="postgres", autocommit=True, **server) as admin:
            admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@pytest.fixture
def scratch(tmp_path: Path) -> Iterator[Scratch]:
    vendor = settings.DATABASES["default"]["ENGINE"].rsplit(".", 1)[-1]
    make = _postgresql if "postgresql" in vendor else _sqlite
    yield from make(tmp_path)


def write_units(path: Path, count: int) -> None:
    """Tỉnh Thử Nghiệm, 1 % departments, the rest offices under them."""
    departments = max(1, count // 100)
    with path.open("w", newline="", encoding="utf-8") as fh:
        out = csv.writer(fh)
        out.writerow(["Mã đơn vị", "Tên đầy đủ", "Loại", "Mã đơn vị cấp trên"])
        out.writerow(["TTN", "Ủy ban nhân dân tỉnh Thử Nghiệm", "Tỉnh", ""])
        for d in range(departments):
            out.writerow([f"TTN-S{d:03d}", f"Sở Khoa học và Công nghệ số {d}", "Sở", "TTN"])
        for i in range(count - departments - 1):
            parent = f"TTN-S{i % departments:03d}"
            out.writerow(
                [
                    f"{parent}-P{i:05d}",
                    f"Phòng Chuyển đổi số {i} – Sở số {i % departments}",
                    "Phòng",
                    parent,
                ]
            )


def test_an_import_killed_while_writing_leaves_every_table_as_it_was(scratch, tmp_path):
    migrated = _run_dtis(scratch.env, "migrate", "--noinput")
    assert migrated.returncode == 0, migrated.stderr
    big = tmp_path / "don-vi-tinh-thu-nghiem.csv"
    write_units(big, UNITS)
    before = scratch.counts()
    assert before["orgs_unit"] == 0

    process = subprocess.Popen(
        [sys.executable, "-m", "dtis", "import-units", str(big)],
        env=scratch.env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        deadline = time.monotonic() + TIMEOUT
        while not scratch.writing():
            assert process.poll() is None, "the import ended before it was caught writing"
            assert time.monotonic() < deadline, "the import never started writing"
            time.sleep(0.02)
        mid_way = scratch.counts()
        os.kill(process.pid, signal.SIGKILL)
        out, _err = process.communicate(timeout=TIMEOUT)
    finally:
        if process.poll() is None:
            process.kill()
            process.communicate()

    assert mid_way == before, "the import had committed part of its work"
    assert process.returncode == -signal.SIGKILL, "the import finished before the kill"
    assert "6000" not in out  # it never printed its summary
    assert scratch.counts() == before

    # The database is whole and unlocked: a small import afterwards goes through.
    small = tmp_path / "mot-don-vi.csv"
    write_units(small, 3)
    again = _run_dtis(scratch.env, "import-units", str(small), "--json")
    assert again.returncode == 0, again.stderr
    assert '"created": 3' in again.stdout
    assert scratch.counts()["orgs_unit"] == 3
