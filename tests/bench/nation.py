"""The generated nation the benchmarks share (not a benchmark itself).

`DTIS_BENCH_SCALE` sizes it (default 0.1: 3 provinces with about the real
number of departments and communes each, five years of quarterly figures —
about 350,000 figure rows, built in about a minute on a 2-core machine;
1.0 is the whole country, 34 provinces and ~3.4 million figure rows, about
ten minutes). It is generated once per `make bench` run into a SQLite file
by `dtis generate-national`; each benchmark works on its own copy, in a
child process (Django is configured once per process).
"""

from __future__ import annotations

import atexit
import json
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Any

SCALE = float(os.environ.get("DTIS_BENCH_SCALE", "0.1"))
SEED = 2026
_built: dict[str, Any] = {}


def child_env(tmp: str, database_url: str) -> dict[str, str]:
    return os.environ | {
        "DTIS_VAR_DIR": tmp,
        "DTIS_DATABASE_URL": database_url,
        "DJANGO_SETTINGS_MODULE": "dtis.settings",
        "DTIS_PUBLIC_RESULTS": "1",
        "DTIS_ALLOWED_HOSTS": "testserver,127.0.0.1",
        "DTIS_SECURE_SSL_REDIRECT": "0",
        "DTIS_SECURE_COOKIES": "0",
    }


def dtis(env: dict[str, str], *args: str) -> str:
    out = subprocess.run(
        [sys.executable, "-m", "dtis", *args], env=env, capture_output=True, text=True
    )
    if out.returncode != 0:
        raise RuntimeError(f"dtis {' '.join(args)}: {out.stderr[-3000:]}")
    return out.stdout


def sqlite_copy(tmp: str) -> tuple[str, dict[str, Any]]:
    """A copy of the generated nation in `tmp` (its URL) and what was made."""
    if not _built:
        home = tempfile.mkdtemp(prefix="dtis-nation-")
        atexit.register(shutil.rmtree, home, True)
        db = Path(home) / "nation.sqlite3"
        env = child_env(home, f"sqlite:///{db}")
        dtis(env, "migrate", "--verbosity", "0")
        dtis(env, "load-frameworks", "--verbosity", "0")
        made = json.loads(
            dtis(env, "generate-national", "--scale", str(SCALE), "--seed", str(SEED), "--json")
        )
        _built.update(path=db, made=made)
    target = Path(tmp) / "bench.sqlite3"
    shutil.copyfile(_built["path"], target)
    return f"sqlite:///{target}", _built["made"]


def run_child(script: str, env: dict[str, str], *args: str) -> Any:
    """Run a benchmark module's `--child` part; its last output line is JSON."""
    out = subprocess.run(
        [sys.executable, script, "--child", *args], env=env, capture_output=True, text=True
    )
    if out.returncode != 0:
        raise RuntimeError(out.stderr[-3000:])
    return json.loads(out.stdout.strip().splitlines()[-1])


def goal(name: str, ratio: float, limit: float) -> dict[str, object]:
    """A ratio row with its goal and whether this run met it."""
    verdict = "met" if ratio <= limit else "NOT met"
    return {
        "name": f"{name} (goal ≤ {limit:g}: {verdict})",
        "value": round(ratio, 2),
        "unit": "×",
        "ratio": round(ratio, 2),
        "goal": limit,
        "met": ratio <= limit,
    }
