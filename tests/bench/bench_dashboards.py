"""Dashboards and the data-entry page at national size versus the login page
(issue 6 and issue 9, goal ≤ 3×).

The nation comes from `dtis generate-national` (see nation.py: its size is
set by DTIS_BENCH_SCALE; each province has about the real number of
departments and communes, so one province's pages are as large as in the
full country): every year a province's own cycle, its departments' and its
communes', all published, with materialised results and quarterly figures.
Then each page is requested in-process through Django's test client by the
people who read it, in turn with the login page, and its median server time
is divided by the login page's median (measured in turn, so that both see
the same load of a shared machine). The number of SQL queries of each page
is shown beside it.

Dashboards keep their drawn bodies until the data changes (`pagecache`), so
the median is the page as people get it most of the time; the first drawing
after a change (nothing kept) is measured and shown beside it.

It runs in a child process: Django is configured once per process, and the
other ORM benchmark configures its own database.
"""

from __future__ import annotations

import statistics
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import nation

RUNS = 15


def run() -> list[dict[str, object]]:
    with tempfile.TemporaryDirectory() as tmp:
        url, made = nation.sqlite_copy(tmp)
        rows = nation.run_child(__file__, nation.child_env(tmp, url))
    built = {"name": f"national data generated (scale {nation.SCALE:g}, 5 years, "
             f"{made['figures']:,} figures)", "value": made["seconds"], "unit": "s"}  # fmt: skip
    return [built, *rows]


def _child() -> None:
    import json

    import django

    sys.path.insert(0, str(Path(__file__).resolve().parents[2]))  # tests.signin
    django.setup()
    print(json.dumps(_measure(_country())))


def _country() -> dict[str, Any]:
    """The home province's cycles of the last year, and people who read them."""
    from dtis.orgs.models import Role, RoleGrant, Unit, User
    from dtis.reporting.models import Cycle

    home = Unit.objects.get(code="GEN-T01")
    last = Cycle.objects.filter(scope=home).order_by("-year").first().year  # type: ignore[union-attr]
    cycles = Cycle.objects.filter(scope=home, year=last)
    own = cycles.get(framework__code="vn-province-2025")
    departments = cycles.get(name__contains="sở, ngành")
    assessed = departments.assessed.select_related("unit").order_by("unit__code").first()
    assert assessed is not None
    people: dict[str, Any] = {}
    for username, role, unit in (
        ("lanh.dao", Role.VIEWER, home),
        ("van.phong", Role.ADMIN, home),
        ("thu.truong", Role.HEAD, assessed.unit),
        ("bao.cao", Role.REPORTER, assessed.unit),
    ):
        user = User.objects.create_user(
            username=username, password="bench-2026", full_name=username
        )
        RoleGrant.objects.create(user=user, role=role, unit=unit)
        people[username] = user
    # Deadline eve: this year's reports open, the unit's form editable.
    from dtis.ops.national import open_deadline_cycles

    open_period = next(
        p for p in open_deadline_cycles() if p.cycle.assessed.filter(unit=assessed.unit).exists()
    )
    return {
        "people": people,
        "open": (open_period, open_period.cycle.assessed.get(unit=assessed.unit)),
        "own": own,
        "departments": departments,
        "assessed": assessed,
        "period": departments.periods.get(kind="q4"),
    }


def _measure(country: dict[str, Any]) -> list[dict[str, object]]:
    from django.test import Client
    from django.urls import reverse

    def medians(client: Client, url: str) -> tuple[float, float]:
        """Median server time of the page and of the login page, requested in
        turn, so that both see the same load of a shared machine."""
        page_times, login_times = [], []
        for _ in range(RUNS):
            for times, who, where in ((page_times, client, url), (login_times, anonymous, login)):
                started = time.perf_counter()
                response = who.get(where)
                times.append(time.perf_counter() - started)
                if response.status_code != 200:
                    raise RuntimeError(f"{where}: HTTP {response.status_code}")
        return statistics.median(page_times), statistics.median(login_times)

    anonymous = Client()
    login = reverse("login")
    anonymous.get(login)
    # Signed in past both steps (the office's two-step sign-in as well).
    from tests.signin import force_login

    leader, office, head, reporter = Client(), Client(), Client(), Client()
    force_login(leader, country["people"]["lanh.dao"])
    force_login(office, country["people"]["van.phong"])
    force_login(head, country["people"]["thu.truong"])
    force_login(reporter, country["people"]["bao.cao"])
    period = country["period"]
    own, departments, assessed = country["own"], country["departments"], country["assessed"]
    pages = [
        ("overview, the province's own DTI (leader)", leader, ("dashboards:overview", own.pk)),
        ("overview, departments (office)", office, ("dashboards:overview", departments.pk)),
        (
            "ranking and heatmap, departments (leader)",
            leader,
            ("dashboards:ranking", departments.pk),
        ),
        (
            "unit dashboard (department head)",
            head,
            ("dashboards:unit", departments.pk, assessed.pk),
        ),
        ("public ranking (no sign-in)", anonymous, ("dashboards:public-ranking", departments.pk)),
        ("data-entry page, Q4 (reporter)", reporter, ("reporting:entry", period.pk, assessed.pk)),
        (
            "data-entry page, open on deadline eve (reporter)",
            reporter,
            ("reporting:entry", country["open"][0].pk, country["open"][1].pk),
        ),
    ]
    rows: list[dict[str, object]] = []
    for name, client, (url_name, *args) in pages:
        url = reverse(url_name, args=args)
        try:
            first = _first_drawing(client, url)
            seconds, login_seconds = medians(client, url)
            queries, login_queries = _queries(client, url), _queries(anonymous, login)
        except Exception as exc:  # a page not built yet shows in the table, not as a crash
            rows.append({"name": f"{name}: not measured", "value": str(exc)[:80], "unit": ""})
            continue
        rows += [
            {"name": f"{name}: first drawing", "value": round(first * 1000, 1), "unit": "ms"},
            {"name": f"{name} (median)", "value": round(seconds * 1000, 1), "unit": "ms"},
            {"name": "  login page in turn (median)", "value": round(login_seconds * 1000, 1),
             "unit": "ms"},
            nation.goal(f"ratio {name} / login", seconds / login_seconds, 3),
            {"name": f"ratio {name}, first drawing / login", "value": round(first / login_seconds,
             2), "unit": "×", "ratio": round(first / login_seconds, 2)},
            {"name": f"  SQL queries: {name}, first drawing / login", "value":
             f"{queries} / {login_queries}", "unit": ""},
        ]  # fmt: skip
    return rows


def _queries(client: Any, url: str) -> int:
    """SQL queries of the page drawn with nothing kept."""
    from django.core.cache import cache
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    cache.clear()
    with CaptureQueriesContext(connection) as captured:
        client.get(url)
    return len(captured.captured_queries)


def _first_drawing(client: Any, url: str) -> float:
    """The page drawn with nothing kept, as after a change to the data (median
    of a few, after a first request has loaded the templates)."""
    from django.core.cache import cache

    client.get(url)
    times = []
    for _ in range(5):
        cache.clear()
        started = time.perf_counter()
        client.get(url)
        times.append(time.perf_counter() - started)
    return statistics.median(times)


if __name__ == "__main__" and "--child" in sys.argv:
    _child()
