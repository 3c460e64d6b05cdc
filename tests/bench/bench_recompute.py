"""A full recompute of a year against reading its figures with one SQL query
(issue 9, goal ≤ 2×).

On a copy of the generated nation (nation.py), every cycle of the last year
is materialised again as `dtis results recompute` does (read the figures of
the result period, score self/appraised/final, store unit and indicator
results, rank), and timed against the floor: the same figures — those of
every cycle's result period — read with one raw SQL query and their JSON
inputs decoded, which any recompute has to do at least. Both are measured
three times in turn and the medians compared. The generator's stored results
are random, so the first recompute changes every stored row and the others
none (a recompute writes only what changed); the first is shown on its own.
"""

from __future__ import annotations

import json
import statistics
import sys
import tempfile
import time

import nation

RUNS = 3


def run() -> list[dict[str, object]]:
    with tempfile.TemporaryDirectory() as tmp:
        url, _made = nation.sqlite_copy(tmp)
        return nation.run_child(__file__, nation.child_env(tmp, url))


def _child() -> None:
    import django

    django.setup()
    from django.db import connection

    from dtis.appraisal.items import result_period
    from dtis.appraisal.materialise import recompute
    from dtis.reporting.models import Cycle, Figure

    year = Cycle.objects.order_by("-year").values_list("year", flat=True).first()
    cycles = list(Cycle.objects.filter(year=year).select_related("framework"))
    periods = [p.pk for p in (result_period(c) for c in cycles) if p is not None]
    table = Figure._meta.db_table
    sql = (
        f'SELECT assessed_id, indicator_id, "values", not_applicable FROM {table} '
        f"WHERE period_id IN ({', '.join(['%s'] * len(periods))})"
    )

    def floor() -> int:
        with connection.cursor() as cursor:
            cursor.execute(sql, periods)
            rows = [(a, i, json.loads(v), na) for a, i, v, na in cursor.fetchall()]
        return len(rows)

    def full() -> int:
        return sum(len(recompute(cycle)) for cycle in cycles)

    reading, computing = [], []
    for _ in range(RUNS):
        for times, work in ((reading, floor), (computing, full)):
            started = time.perf_counter()
            count = work()
            times.append(time.perf_counter() - started)
        figures = floor()
        units = count
    read, computed = statistics.median(reading), statistics.median(computing)
    print(json.dumps([
        {"name": f"year {year}: cycles / assessed units / figures read",
         "value": f"{len(cycles)} / {units:,} / {figures:,}", "unit": ""},
        {"name": "  read the year's figures, one SQL query (floor, median)",
         "value": round(read, 3), "unit": "s"},
        {"name": "  full recompute of the year (median)", "value": round(computed, 3), "unit": "s"},
        nation.goal("ratio full recompute / one-query read", computed / read, 2),
        # The generated results are random, so the first recompute rewrites
        # every stored row; the later ones find them as they are.
        {"name": "  first recompute, every stored result changes", "value": round(computing[0], 3),
         "unit": "s"},
        {"name": "  ratio first recompute / one-query read", "value": round(computing[0] / read, 2),
         "unit": "×"},
    ]))  # fmt: skip


if __name__ == "__main__" and "--child" in sys.argv:
    _child()
