"""Bulk import of 100,000 figures from workbooks against a bare openpyxl read
of the same files (issue 9, goal ≤ 2×), with peak memory.

DTIS imports one unit's workbook at a time (`reporting.sheets.workbook_import`:
the form downloaded for one assessed unit and period, all-or-nothing), and a
unit reports about 42–47 figures, so 100,000 figures arrive as about 2,400
workbooks — how a whole country's units send their spreadsheets on deadline
day. On a copy of the generated nation (nation.py), this year's reports are
opened (`open_deadline_cycles`), each unit's form is downloaded and filled
with plausible figures as a reporter would, then timed, in turn per file:

- the floor: `openpyxl.load_workbook(read_only=True, data_only=True)` (as the
  import opens it) and every row of every sheet read, values only;
- the import: every cell checked, the figures saved through the services
  (self-score, history, version).

The number of figures is 100,000 × DTIS_BENCH_SCALE: 10,000 at the default
scale 0.1, the full 100,000 at scale 1.0 (limited by the units the generated
nation has). Peak memory: tracemalloc's peak while
importing the largest workbook, and the child process's maximum resident
size (resource.getrusage) after all imports.
"""

from __future__ import annotations

import io
import json
import random
import resource
import sys
import tempfile
import time
import tracemalloc

import nation

FIGURES = int(100_000 * min(1.0, nation.SCALE))


def run() -> list[dict[str, object]]:
    with tempfile.TemporaryDirectory() as tmp:
        url, _made = nation.sqlite_copy(tmp)
        return nation.run_child(__file__, nation.child_env(tmp, url))


def _fill(data: bytes, leaves: dict[str, object], rng: random.Random) -> tuple[bytes, int]:
    """The downloaded form with a value in every input cell, as a reporter fills it."""
    from openpyxl import load_workbook

    from dtis.ops.national import plausible_inputs
    from dtis.reporting import sheets

    workbook = load_workbook(io.BytesIO(data))
    sheet = workbook[sheets.SHEET_DATA]
    values: dict[str, dict[str, object]] = {}
    code = None
    for row in sheet.iter_rows(min_row=sheets.HEADER_ROW + 1):
        code = row[sheets.COL_CODE - 1].value or code
        name = row[sheets.COL_INPUT - 1].value
        if code not in leaves or not name:
            continue
        if code not in values:
            values[code] = plausible_inputs(leaves[code], rng)
        value = values[code][name]
        cell = row[sheets.COL_VALUE - 1]
        cell.value = ("Có" if value else "Không") if isinstance(value, bool) else value
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue(), len(values)


def _bare_read(data: bytes) -> int:
    from openpyxl import load_workbook

    workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    cells = 0
    for sheet in workbook.worksheets:
        for row in sheet.iter_rows(values_only=True):
            cells += len(row)
    workbook.close()
    return cells


def _child() -> None:
    import django

    django.setup()
    from dtis.frameworks.services import to_core
    from dtis.ops.national import open_deadline_cycles
    from dtis.orgs.models import Role, RoleGrant, User
    from dtis.reporting.sheets import workbook_for, workbook_import

    rng = random.Random(100_000)
    files = []
    figures = 0
    for period in open_deadline_cycles():
        leaves = {leaf.code: leaf for leaf in to_core(period.cycle.framework).scored_leaves}
        for assessed in period.cycle.assessed.select_related("unit"):
            if figures >= FIGURES:
                break
            reporter = User.objects.create_user(
                username=f"bao.cao.{assessed.unit.code.lower()}", full_name="Cán bộ báo cáo"
            )
            RoleGrant.objects.create(user=reporter, role=Role.REPORTER, unit=assessed.unit)
            data, count = _fill(workbook_for(period, assessed, reporter), leaves, rng)
            files.append((period, assessed, reporter, data))
            figures += count

    reading = importing = 0.0
    saved = 0
    for period, assessed, reporter, data in files:
        started = time.perf_counter()
        _bare_read(data)
        reading += time.perf_counter() - started
        started = time.perf_counter()
        report = workbook_import(
            actor=reporter, period=period, assessed=assessed, upload=io.BytesIO(data),
            filename="so-lieu.xlsx",
        )  # fmt: skip
        importing += time.perf_counter() - started
        if not report.ok:
            raise RuntimeError(f"{assessed.unit.code}: {[str(e) for e in report.errors[:3]]}")
        saved += len(report.changed)
    maxrss_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024

    period, assessed, reporter, data = max(files, key=lambda f: len(f[3]))
    tracemalloc.start()
    _bare_read(data)
    read_peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.reset_peak()
    from dtis.reporting.models import Figure

    Figure.objects.filter(period=period, assessed=assessed).delete()  # import it anew
    workbook_import(
        actor=reporter, period=period, assessed=assessed, upload=io.BytesIO(data),
        filename="so-lieu.xlsx",
    )  # fmt: skip
    import_peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    print(json.dumps([
        {"name": "import: workbooks / figures in them / figures saved",
         "value": f"{len(files):,} / {figures:,} / {saved:,}", "unit": ""},
        {"name": "  bare openpyxl read of the same files", "value": round(reading, 2), "unit": "s"},
        {"name": "  import (check every cell, save through the services)",
         "value": round(importing, 2), "unit": "s"},
        {"name": "  figures imported per second", "value": round(saved / importing), "unit": "/s"},
        nation.goal("ratio import / bare openpyxl read", importing / reading, 2),
        {"name": "  peak memory, one workbook: bare read / import (tracemalloc)",
         "value": f"{read_peak / 2**20:.1f} / {import_peak / 2**20:.1f}", "unit": "MiB"},
        {"name": "  maximum resident size of the importing process", "value": round(maxrss_mb),
         "unit": "MiB"},
    ]))  # fmt: skip


if __name__ == "__main__" and "--child" in sys.argv:
    _child()
