"""Dashboards at national size versus the login page (issue 6, goal ≤ 3×).

A throw-away SQLite database holds the whole country for five years: 34
provinces, ~700 departments and ~3,300 communes; every year a province's own
cycle (vn-province-2025), its departments' cycle and its communes' cycle
(hy-department-2023 for both), all published, with materialised results
(UnitResult and IndicatorResult rows written in bulk, as `results recompute`
stores them). Then each page is requested in-process through Django's test
client by the people who read it, in turn with the login page, and its
median server time is divided by the login page's median (measured in turn,
so that both see the same load of a shared machine).

Dashboards keep their drawn bodies until the data changes (`pagecache`), so
the median is the page as people get it most of the time; the first drawing
after a change (nothing kept) is measured and shown beside it.

It runs in a child process: Django is configured once per process, and the
other ORM benchmark configures its own database.
"""

from __future__ import annotations

import json
import os
import random
import statistics
import subprocess
import sys
import tempfile
import time
from decimal import Decimal
from pathlib import Path
from typing import Any

PROVINCES = 34
DEPARTMENTS = 21  # per province: ~700
COMMUNES = 97  # per province: ~3,300
YEARS = range(2021, 2026)
RUNS = 15


def run() -> list[dict[str, object]]:
    with tempfile.TemporaryDirectory() as tmp:
        env = os.environ | {
            "DTIS_VAR_DIR": tmp,
            "DTIS_DATABASE_URL": f"sqlite:///{Path(tmp) / 'bench.sqlite3'}",
            "DJANGO_SETTINGS_MODULE": "dtis.settings",
            "DTIS_PUBLIC_RESULTS": "1",
            "DTIS_ALLOWED_HOSTS": "testserver",
            "DTIS_SECURE_SSL_REDIRECT": "0",
            "DTIS_SECURE_COOKIES": "0",
        }
        out = subprocess.run(
            [sys.executable, __file__, "--child"], env=env, capture_output=True, text=True
        )
        if out.returncode != 0:
            raise RuntimeError(out.stderr[-3000:])
        return json.loads(out.stdout.strip().splitlines()[-1])


def _child() -> None:
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    call_command("load-frameworks", verbosity=0)
    started = time.perf_counter()
    country = _build_country()
    built = time.perf_counter() - started
    rows = _measure(country)
    rows.insert(0, {"name": "national data built (5 years)", "value": round(built, 1), "unit": "s"})
    print(json.dumps(rows))


def _build_country() -> dict[str, Any]:
    from dtis.appraisal.models import (
        CycleOutcome,
        IndicatorResult,
        Stage,
        UnitResult,
    )
    from dtis.frameworks.services import find
    from dtis.orgs.models import Role, RoleGrant, Unit, UnitKind, User
    from dtis.orgs.units import rebuild_tree
    from dtis.reporting.models import AssessedUnit, Cycle, Period

    rng = random.Random(2026)
    nation = Unit.objects.create(code="VN", name="Việt Nam", kind=UnitKind.NATION)
    provinces = [
        Unit.objects.create(
            code=f"P{p:02d}",
            name=f"Ủy ban nhân dân tỉnh Thử nghiệm {p}",
            kind=UnitKind.PROVINCE,
            parent=nation,
        )
        for p in range(PROVINCES)
    ]
    children: dict[int, dict[str, list[Unit]]] = {}
    for province in provinces:
        code = province.code
        departments = [
            Unit(
                code=f"{code}-S{d:02d}",
                name=f"Sở số {d} {province.name[-15:]}",
                kind=UnitKind.DEPARTMENT,
                parent=province,
            )
            for d in range(DEPARTMENTS)
        ]
        communes = [
            Unit(
                code=f"{code}-X{c:03d}",
                name=f"Xã số {c} {province.name[-15:]}",
                kind=UnitKind.COMMUNE,
                parent=province,
            )
            for c in range(COMMUNES)
        ]
        Unit.objects.bulk_create(departments + communes, batch_size=2000)
        children[province.pk] = {"department": departments, "commune": communes}
    # Bulk-created units need their paths and sort keys like any other.
    for unit in Unit.objects.filter(parent__isnull=False, kind__in=["department", "commune"]):
        unit.save()
    rebuild_tree()
    for province in provinces:
        province.refresh_from_db()

    provincial, local = find("vn-province-2025"), find("hy-department-2023")
    assert provincial is not None and local is not None
    trees = {fw.pk: list(fw.indicators.all()) for fw in (provincial, local)}
    leaves = {
        fw_pk: [i for i in inds if not any(j.parent_id == i.pk for j in inds)]
        for fw_pk, inds in trees.items()
    }
    people: dict[str, Any] = {}
    home = provinces[0]
    for username, role, unit in (
        ("lanh.dao", Role.VIEWER, home),
        ("van.phong", Role.ADMIN, home),
        ("thu.truong", Role.HEAD, children[home.pk]["department"][0]),
    ):
        user = User.objects.create_user(
            username=username, password="bench-2026", full_name=username
        )
        RoleGrant.objects.create(user=user, role=role, unit=unit)
        people[username] = user

    index_rows: list[IndicatorResult] = []
    cycles: dict[str, Cycle] = {}
    for year in YEARS:
        for province in provinces:
            for label, fw, units, group in (
                ("own", provincial, [province], "Tỉnh, thành phố"),
                ("department", local, children[province.pk]["department"], "Sở, ban, ngành"),
                ("commune", local, children[province.pk]["commune"], "Xã, phường"),
            ):
                cycle = Cycle.objects.create(
                    name=f"{label} {province.code} {year}", framework=fw, year=year, scope=province
                )
                Period.objects.create(
                    cycle=cycle,
                    kind="year",
                    start=f"{year}-01-01",
                    end=f"{year}-12-31",
                    unit_deadline=f"{year}-12-20",
                    office_deadline=f"{year}-12-25",
                    state="closed",
                )
                CycleOutcome.objects.create(cycle=cycle, stage=Stage.PUBLISHED)
                assessed = AssessedUnit.objects.bulk_create(
                    AssessedUnit(cycle=cycle, unit=u, peer_group=group) for u in units
                )
                results = []
                for a in assessed:
                    index = Decimal(rng.randint(4500, 9500)) / 10000
                    results.append(
                        UnitResult(
                            assessed=a,
                            cycle=cycle,
                            max_points=1000,
                            self_points=index * 1000 + 12,
                            appraised_points=index * 1000,
                            final_points=index * 1000,
                            self_index=index,
                            index=index,
                            band="Tốt",
                            items=len(leaves[fw.pk]),
                            decided=len(leaves[fw.pk]),
                            reported=True,
                        )
                    )
                UnitResult.objects.bulk_create(results)
                ranked = sorted(results, key=lambda r: -r.index)
                for position, r in enumerate(ranked, start=1):
                    r.rank = position
                UnitResult.objects.bulk_update(results, ["rank"])
                for r in results:
                    for ind in trees[fw.pk]:
                        share = Decimal(rng.randint(40, 100)) / 100
                        points = (ind.max_points * share).quantize(Decimal("0.01"))
                        index_rows.append(
                            IndicatorResult(
                                result=r,
                                indicator=ind,
                                code=ind.code,
                                is_main=ind.parent_id is None,
                                applicable=True,
                                self_points=points,
                                appraised_points=points,
                                final_points=points,
                                max_points=ind.max_points,
                            )
                        )
                if len(index_rows) > 50_000:
                    IndicatorResult.objects.bulk_create(index_rows, batch_size=5000)
                    index_rows = []
                if province == home:
                    cycles[f"{label} {year}"] = cycle
    IndicatorResult.objects.bulk_create(index_rows, batch_size=5000)
    last = max(YEARS)
    department_cycle = cycles[f"department {last}"]
    return {
        "people": people,
        "own": cycles[f"own {last}"],
        "departments": department_cycle,
        "assessed": department_cycle.assessed.order_by("pk").first(),
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
    leader, office, head = Client(), Client(), Client()
    leader.force_login(country["people"]["lanh.dao"])
    office.force_login(country["people"]["van.phong"])
    head.force_login(country["people"]["thu.truong"])
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
    ]
    rows: list[dict[str, object]] = []
    for name, client, (url_name, *args) in pages:
        url = reverse(url_name, args=args)
        try:
            first = _first_drawing(client, url)
            seconds, login_seconds = medians(client, url)
        except Exception as exc:  # a page not built yet shows in the table, not as a crash
            rows.append({"name": f"{name}: not measured", "value": str(exc)[:80], "unit": ""})
            continue
        rows += [
            {"name": f"{name}: first drawing", "value": round(first * 1000, 1), "unit": "ms"},
            {"name": f"{name} (median)", "value": round(seconds * 1000, 1), "unit": "ms"},
            {"name": "  login page in turn (median)", "value": round(login_seconds * 1000, 1),
             "unit": "ms"},
            {"name": f"ratio {name} / login (goal ≤ 3)", "value": round(seconds / login_seconds, 2),
             "unit": ""},
            {"name": f"ratio {name}, first drawing / login", "value":
             round(first / login_seconds, 2), "unit": ""},
        ]  # fmt: skip
    return rows


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
