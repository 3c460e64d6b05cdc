"""The same comparison through the app's own storage: 4,000 assessed units'
figures saved as `reporting.Figure` rows in a throw-away SQLite database,
read back through the Django ORM (what a recompute does), then scored; and
the whole materialisation of that cycle (`dtis results recompute`: read,
score self/appraised/final, store ~250,000 result rows, rank) against the
bare reading and scoring, which it cannot beat: the ratio shows what storing
the results costs on top.
"""

from __future__ import annotations

import os
import random
import tempfile
import time
from pathlib import Path
from typing import Any

UNITS = 4000


def run() -> list[dict[str, object]]:
    with tempfile.TemporaryDirectory() as tmp:
        os.environ["DTIS_VAR_DIR"] = tmp
        os.environ["DTIS_DATABASE_URL"] = f"sqlite:///{Path(tmp) / 'bench.sqlite3'}"
        os.environ.setdefault("DJANGO_SETTINGS_MODULE", "dtis.settings")
        import django

        django.setup()
        from django.core.management import call_command

        call_command("migrate", verbosity=0)
        call_command("load-frameworks", verbosity=0)
        return _measure()


def _measure() -> list[dict[str, object]]:
    import bench_scoring  # the sibling module: same generated figures

    from dtis.frameworks.services import find, to_core
    from dtis.orgs.models import Unit, UnitKind
    from dtis.reporting.models import AssessedUnit, Cycle, Figure, Period
    from dtis.scoring.aggregate import peer_best, score_unit

    fw = find("vn-province-2025")
    assert fw is not None
    tree = to_core(fw)
    nation = Unit.objects.create(code="VN", name="Việt Nam", kind=UnitKind.NATION, path="/1/")
    units = Unit.objects.bulk_create(
        Unit(code=f"U{i:04d}", name=f"Đơn vị {i}", kind=UnitKind.COMMUNE, parent=nation)
        for i in range(UNITS)
    )
    cycle = Cycle.objects.create(name="Bench", framework=fw, year=2026, scope=nation)
    period = Period.objects.create(
        cycle=cycle,
        kind="q4",
        start="2026-10-01",
        end="2026-12-31",
        unit_deadline="2026-12-25",
        office_deadline="2026-12-30",
    )
    assessed = AssessedUnit.objects.bulk_create(AssessedUnit(cycle=cycle, unit=u) for u in units)
    leaves = {i.code: i for i in fw.indicators.all()}
    rng = random.Random(2025)
    Figure.objects.bulk_create(
        (
            Figure(period=period, assessed=a, indicator=leaves[code], values=values)
            for a in assessed
            for code, values in bench_scoring.figures_for(tree, rng).items()
        ),
        batch_size=2000,
    )
    started = time.perf_counter()
    read: dict[int, dict[str, Any]] = {}
    rows = Figure.objects.filter(period=period).values_list(
        "assessed_id", "indicator__code", "values"
    )
    for assessed_id, code, values in rows.iterator(chunk_size=5000):
        read.setdefault(assessed_id, {})[code] = values
    reading = time.perf_counter() - started
    started = time.perf_counter()
    best = peer_best(tree, read.values())
    for figures in read.values():
        score_unit(tree, figures, peer_best=best)
    scoring = time.perf_counter() - started
    from dtis.appraisal.items import open_items
    from dtis.appraisal.materialise import recompute

    open_items(cycle, assessed)  # every item undecided: final points are all 0
    started = time.perf_counter()
    recompute(cycle)  # read, score self/appraised/final, store every row, rank
    materialising = time.perf_counter() - started
    return [
        {"name": "read figures through the ORM", "value": round(reading, 3), "unit": "s"},
        {"name": "score them through the core", "value": round(scoring, 3), "unit": "s"},
        {
            "name": "ratio scoring / ORM reading (goal < 1)",
            "value": round(scoring / reading, 2),
            "unit": "",
        },
        {
            "name": "materialise the cycle (results recompute)",
            "value": round(materialising, 3),
            "unit": "s",
        },
        {
            "name": "ratio materialising / (reading + scoring)",
            "value": round(materialising / (reading + scoring), 2),
            "unit": "",
        },
    ]
