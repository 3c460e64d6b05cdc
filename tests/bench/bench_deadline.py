"""Deadline-day load: gunicorn on PostgreSQL, thousands of units saving
figures and submitting in the last hours before the deadline (issue 9).

1. A throw-away PostgreSQL database (`dtis_bench_deadline_<pid>`, dropped at
   the end) gets a generated nation (`dtis generate-national`, one year; its
   scale is DTIS_BENCH_SCALE × 5, at most 1: about 2,000 units by default)
   and, per province, this year's cycles of its departments and communes
   with the last quarter open and due tomorrow. Each province's systems get
   an API client (token); each unit's head a signed-in session.
2. gunicorn (`deploy/gunicorn.conf.py`, DTIS_BENCH_WORKERS workers, default
   4) listens on a free loopback port.
3. An asyncio `httpx.AsyncClient` plays the units, DTIS_BENCH_CONCURRENCY
   (default 32) at a time: each saves a few figures through
   `PUT /api/v1/cycles/{id}/figures` with an Idempotency-Key — one in ten
   sends its last save again with the same key, as a client does when an
   answer is lost — then its head submits the report on the web form.
   Bounded (the plan is finite, and it stops after DTIS_BENCH_SECONDS,
   default 120) and loopback only.
4. Throughput of saves, p50/p95/p99 latency, errors (goal 0), and a check
   in the database that every acknowledged write is stored exactly once:
   the figure holds the acknowledged inputs and has one history row per
   acknowledged key (lost and duplicated: goal 0), and every acknowledged
   submission is submitted. The goal is 250 saves/s, ten times the whole
   country's deadline-day peak of about 25/s.

Without a PostgreSQL server (DTIS_BENCH_PG_URL, default
postgres://postgres@127.0.0.1:5432/postgres) the rows say why it was skipped.
"""

from __future__ import annotations

import asyncio
import json
import os
import random
import resource
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import nation

ROOT = Path(__file__).resolve().parents[2]
PG_URL = os.environ.get("DTIS_BENCH_PG_URL", "postgres://postgres@127.0.0.1:5432/postgres")
SCALE = min(1.0, nation.SCALE * 5)
WORKERS = int(os.environ.get("DTIS_BENCH_WORKERS", "4"))
CONCURRENCY = int(os.environ.get("DTIS_BENCH_CONCURRENCY", "32"))
SECONDS = float(os.environ.get("DTIS_BENCH_SECONDS", "120"))
SAVES_PER_UNIT = 4
GOAL_PER_SECOND = 250


def run() -> list[dict[str, object]]:
    import psycopg

    try:
        admin = psycopg.connect(PG_URL, autocommit=True, connect_timeout=3)
    except psycopg.Error as exc:
        reason = str(exc).splitlines()[0][:80]
        return [{"name": "deadline-day load: skipped, no PostgreSQL", "value": reason, "unit": ""}]
    name = f"dtis_bench_deadline_{os.getpid()}"
    admin.execute(f"DROP DATABASE IF EXISTS {name}")
    admin.execute(f"CREATE DATABASE {name}")
    try:
        with tempfile.TemporaryDirectory() as tmp:
            url = PG_URL.rsplit("/", 1)[0] + f"/{name}"
            return _run(tmp, nation.child_env(tmp, url))
    finally:
        admin.execute(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")
        admin.close()


def _run(tmp: str, env: dict[str, str]) -> list[dict[str, object]]:
    env |= {"DTIS_API_RATE": "1000000/m", "DTIS_SECRET_KEY": "bench-" + "x" * 50}
    nation.dtis(env, "migrate", "--verbosity", "0")
    nation.dtis(env, "load-frameworks", "--verbosity", "0")
    made = json.loads(
        nation.dtis(env, "generate-national", "--scale", str(SCALE), "--years", "1", "--json")
    )
    plan_file = Path(tmp) / "plan.json"
    nation.run_child(__file__, env, "--setup", str(plan_file))
    plan = json.loads(plan_file.read_text("utf-8"))
    port = _free_port()
    log = Path(tmp) / "gunicorn.log"
    children_before = resource.getrusage(resource.RUSAGE_CHILDREN)
    server = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "-c", str(ROOT / "deploy" / "gunicorn.conf.py")],
        env=env
        | {
            "DTIS_BIND": f"127.0.0.1:{port}",
            "DTIS_WEB_WORKERS": str(WORKERS),
            "DTIS_ACCESS_LOG": "off",
            "DTIS_WEB_LOG_LEVEL": "warning",
        },
        cwd=ROOT,
        stdout=subprocess.DEVNULL,
        # A file, not a pipe nobody reads while the load runs: once a pipe's
        # buffer is full of error tracebacks, gunicorn blocks writing to it
        # and every request times out.
        stderr=log.open("wb"),
        start_new_session=True,
    )
    try:
        _wait_until_up(port, server, log)
        client_cpu = time.process_time()
        outcome = asyncio.run(_load(f"http://127.0.0.1:{port}", plan))
        outcome["client_cpu"] = time.process_time() - client_cpu
        outcome["load_average"] = os.getloadavg()[0]
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        try:
            server.wait(timeout=30)
        except subprocess.TimeoutExpired:
            os.killpg(server.pid, signal.SIGKILL)
            server.wait()
    children = resource.getrusage(resource.RUSAGE_CHILDREN)  # gunicorn and its workers
    outcome["server_cpu"] = (children.ru_utime + children.ru_stime) - (
        children_before.ru_utime + children_before.ru_stime
    )
    acks_file = Path(tmp) / "acks.json"
    acks_file.write_text(json.dumps(outcome["acks"]), "utf-8")
    check = nation.run_child(__file__, env, "--check", str(acks_file))
    return _rows(made, plan, outcome, check)


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _wait_until_up(port: int, server: subprocess.Popen[bytes], log: Path) -> None:
    import httpx

    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise RuntimeError(f"gunicorn stopped: {log.read_text(errors='replace')[-2000:]}")
        try:
            if httpx.get(f"http://127.0.0.1:{port}/healthz", timeout=2).status_code < 600:
                return
        except httpx.HTTPError:
            time.sleep(0.3)
    raise RuntimeError("gunicorn did not answer within 60 s")


# --- the load generator ---------------------------------------------------------------


async def _load(base: str, plan: list[dict[str, Any]]) -> dict[str, Any]:
    import httpx

    save_times: list[float] = []
    submit_times: list[float] = []
    errors: dict[str, int] = {}
    acks: list[dict[str, Any]] = []
    submitted: list[int] = []
    replays = played = 0
    stop_at = time.monotonic() + SECONDS
    gate = asyncio.Semaphore(CONCURRENCY)
    rng = random.Random(9)
    limits = httpx.Limits(max_connections=CONCURRENCY, max_keepalive_connections=CONCURRENCY)

    async with httpx.AsyncClient(base_url=base, limits=limits, timeout=60) as http:

        def failed(what: str, detail: str) -> None:
            key = f"{what}: {detail}"[:120]
            errors[key] = errors.get(key, 0) + 1

        async def save(unit: dict[str, Any], item: dict[str, Any], key: str) -> None:
            body = {"period": unit["period_kind"], "unit": unit["unit"],
                    "indicator": item["indicator"], "inputs": item["inputs"]}  # fmt: skip
            started = time.perf_counter()
            try:
                r = await http.put(f"/api/v1/cycles/{unit['cycle']}/figures", json=body,
                                   headers={"Authorization": f"Bearer {unit['token']}",
                                            "Idempotency-Key": key})  # fmt: skip
            except httpx.HTTPError as exc:
                failed("save", type(exc).__name__)
                return
            save_times.append(time.perf_counter() - started)
            if r.status_code != 200:
                failed("save", f"HTTP {r.status_code} {r.text[:80]}")
                return
            if r.headers.get("Idempotent-Replayed") != "true":
                acks.append({"assessed": unit["assessed"], "period": unit["period"],
                             "indicator": item["indicator"], "key": key,
                             "inputs": r.json()["inputs"]})  # fmt: skip

        async def play(unit: dict[str, Any]) -> None:
            nonlocal replays, played
            async with gate:
                if time.monotonic() > stop_at:
                    return
                played += 1
                for n, item in enumerate(unit["saves"]):
                    await save(unit, item, f"{unit['assessed']}-{n}")
                if rng.random() < 0.1:  # the answer was lost: the client sends it again
                    replays += 1
                    await save(unit, unit["saves"][-1], f"{unit['assessed']}-{n}")
                started = time.perf_counter()
                try:
                    r = await http.post(
                        unit["submit_url"],
                        data={"override_reason": "Nộp trước hạn chót, minh chứng bổ sung sau",
                              "csrfmiddlewaretoken": unit["csrf"]},
                        cookies={"sessionid": unit["session"], "csrftoken": unit["csrf"]},
                        headers={"X-CSRFToken": unit["csrf"], "Referer": base + "/"},
                    )  # fmt: skip
                except httpx.HTTPError as exc:
                    failed("submit", type(exc).__name__)
                    return
                submit_times.append(time.perf_counter() - started)
                if r.status_code == 302:
                    submitted.append(unit["submission_key"])
                else:
                    failed("submit", f"HTTP {r.status_code}")

        started = time.perf_counter()
        await asyncio.gather(*(play(unit) for unit in plan))
        elapsed = time.perf_counter() - started
    return {"save_times": save_times, "submit_times": submit_times, "errors": errors,
            "acks": {"saves": acks, "submitted": submitted}, "replays": replays, "played": played,
            "elapsed": elapsed}  # fmt: skip


def _rows(
    made: dict[str, Any], plan: list[dict[str, Any]], outcome: dict[str, Any], check: dict[str, int]
) -> list[dict[str, object]]:
    saves = sorted(outcome["save_times"])
    elapsed = outcome["elapsed"]
    rate = len(saves) / elapsed if elapsed else 0.0

    def pct(q: float) -> float:
        return round(saves[min(len(saves) - 1, int(q * len(saves)))] * 1000, 1) if saves else 0.0

    errors = sum(outcome["errors"].values())
    verdict = "met" if rate >= GOAL_PER_SECOND else "NOT met"
    rows: list[dict[str, object]] = [
        {"name": "deadline day: units with an open report / gunicorn workers / concurrency",
         "value": f"{len(plan):,} / {WORKERS} / {CONCURRENCY}", "unit": ""},
        {"name": "  nation generated on PostgreSQL (1 year)",
         "value": f"{made['assessed_units']:,} units, {made['figures']:,} figures, "
                  f"{made['seconds']} s", "unit": ""},
        {"name": f"  units played before the {SECONDS:g} s limit / seconds",
         "value": f"{outcome['played']:,} / {elapsed:.1f}", "unit": ""},
        {"name": "  saves (PUT figures) / of them replays of a lost answer / submissions",
         "value": f"{len(saves):,} / {outcome['replays']} / {len(outcome['submit_times']):,}",
         "unit": ""},
        {"name": f"  save throughput (goal ≥ {GOAL_PER_SECOND}/s: {verdict})",
         "value": round(rate, 1), "unit": "saves/s", "ratio": round(rate / GOAL_PER_SECOND, 2),
         "goal": GOAL_PER_SECOND, "met": rate >= GOAL_PER_SECOND},
        {"name": "  save latency p50 / p95 / p99", "value": f"{pct(0.5)} / {pct(0.95)} / "
         f"{pct(0.99)}", "unit": "ms"},
        {"name": "  submit latency (median)", "value": round(statistics.median(
            outcome["submit_times"]) * 1000, 1) if outcome["submit_times"] else "-", "unit": "ms"},
        {"name": f"  errors (goal 0: {'met' if errors == 0 else 'NOT met'})", "value": errors,
         "unit": "", "met": errors == 0},
        {"name": "  acknowledged writes lost / duplicated (goal 0 / 0)",
         "value": f"{check['lost']} / {check['duplicated']}", "unit": "",
         "met": check["lost"] == 0 and check["duplicated"] == 0},
        {"name": "  CPU seconds: gunicorn workers / load generator / 2 cores × elapsed",
         "value": f"{outcome['server_cpu']:.0f} / {outcome['client_cpu']:.0f} / "
                  f"{2 * elapsed:.0f}", "unit": "s"},
        {"name": "  server CPU per request (saves and submissions)",
         "value": round(outcome["server_cpu"] * 1000 / max(1, len(saves)
                        + len(outcome["submit_times"])), 1), "unit": "ms"},
        {"name": "  machine load average at the end (other helpers' tests included)",
         "value": round(outcome["load_average"], 1), "unit": ""},
        {"name": "  acknowledged submissions not stored", "value": check["submissions_lost"],
         "unit": ""},
    ]  # fmt: skip
    rows += [
        {"name": f"    error: {what}", "value": n, "unit": ""}
        for what, n in sorted(outcome["errors"].items())[:5]
    ]
    return rows


# --- in the child process (Django configured on the throw-away database) --------------


def _setup(plan_file: str) -> None:
    """Open this year's reports, issue tokens and sessions, and write the plan."""
    import secrets

    import django

    django.setup()
    from django.conf import settings
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY, load_backend
    from django.contrib.sessions.backends.db import SessionStore
    from django.urls import reverse

    from dtis.api.clients import client_create
    from dtis.frameworks.services import to_core
    from dtis.ops.national import open_deadline_cycles, plausible_inputs
    from dtis.orgs.models import Role, RoleGrant, Unit, UnitKind, User

    rng = random.Random(2026)
    periods = open_deadline_cycles()
    tokens = {
        p.pk: client_create(actor=None, name=f"Hệ thống một cửa {p.code}", units=[p]).token
        for p in Unit.objects.filter(kind=UnitKind.PROVINCE, code__startswith="GEN-")
    }
    # The backend a signed-in session names must be able to load its user (as
    # the test client's force_login picks it): the first one is the lock-out
    # check, which cannot, and every submission then failed with HTTP 500.
    backend = next(
        b for b in settings.AUTHENTICATION_BACKENDS if hasattr(load_backend(b), "get_user")
    )
    plan = []
    for period in periods:
        cycle = period.cycle
        leaves = to_core(cycle.framework).scored_leaves
        for assessed in cycle.assessed.select_related("unit"):
            head = User.objects.create_user(
                username=f"truong.{assessed.unit.code.lower()}", full_name="Trưởng đơn vị"
            )
            RoleGrant.objects.create(user=head, role=Role.HEAD, unit=assessed.unit)
            session = SessionStore()
            session[SESSION_KEY] = str(head.pk)
            session[BACKEND_SESSION_KEY] = backend
            session[HASH_SESSION_KEY] = head.get_session_auth_hash()
            session.create()
            chosen = rng.sample(list(leaves), SAVES_PER_UNIT)
            plan.append({
                "unit": assessed.unit.code, "assessed": assessed.pk, "cycle": cycle.pk,
                "period": period.pk, "period_kind": period.kind,
                "token": tokens[cycle.scope_id], "session": session.session_key,
                "csrf": secrets.token_hex(16), "submission_key": assessed.pk,
                "submit_url": reverse("reporting:entry-submit", args=[period.pk, assessed.pk]),
                "saves": [{"indicator": leaf.code, "inputs": plausible_inputs(leaf, rng)}
                          for leaf in chosen],
            })  # fmt: skip
    random.Random(3).shuffle(plan)  # units of every province arrive mixed
    Path(plan_file).write_text(json.dumps(plan, ensure_ascii=False), "utf-8")
    print(json.dumps({"units": len(plan)}))


def _check(acks_file: str) -> None:
    """Every acknowledged write stored exactly once, with what was acknowledged."""
    import django

    django.setup()
    from dtis.api.models import IdempotencyRecord
    from dtis.reporting.models import Figure, Submission

    acks = json.loads(Path(acks_file).read_text("utf-8"))
    figures = {
        (f.assessed_id, f.period_id, f.indicator.code): f
        for f in Figure.objects.select_related("indicator")
    }
    history: dict[int, int] = {}
    for figure_id in Figure.history.values_list("id", flat=True):
        history[figure_id] = history.get(figure_id, 0) + 1
    lost = duplicated = 0
    for ack in acks["saves"]:
        figure = figures.get((ack["assessed"], ack["period"], ack["indicator"]))
        if figure is None or figure.values != ack["inputs"]:
            lost += 1
        elif history.get(figure.pk, 0) != 1:
            duplicated += 1
    keys = set(IdempotencyRecord.objects.values_list("key", flat=True))
    lost += sum(1 for ack in acks["saves"] if ack["key"] not in keys)
    duplicated += IdempotencyRecord.objects.count() - len({a["key"] for a in acks["saves"]})
    stored = set(Submission.objects.filter(state="submitted").values_list("assessed_id", flat=True))
    missing = sum(1 for key in acks["submitted"] if key not in stored)
    print(json.dumps({"lost": lost, "duplicated": duplicated, "submissions_lost": missing}))


if __name__ == "__main__" and "--setup" in sys.argv:
    _setup(sys.argv[-1])
elif __name__ == "__main__" and "--check" in sys.argv:
    _check(sys.argv[-1])
