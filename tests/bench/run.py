"""`make bench`: run every tests/bench/bench_*.py and print a table.

Each benchmark module defines `run() -> list[dict]`, each dict a row with at
least `name` and `value` (and `unit`, `ratio` where it compares two things
measured in the same run; `goal` and `met` where the issue sets a goal).
Results also go to var/bench/latest.json. A benchmark that fails shows as a
row with its error, and the others still run.

DTIS_BENCH_SCALE sizes the generated nation (default 0.1; 1.0 is the whole
country), `python tests/bench/run.py deadline import` runs only the named ones
(their rows replace theirs in latest.json).
"""

from __future__ import annotations

import importlib.util
import json
import sys
import time
import traceback
from pathlib import Path

HERE = Path(__file__).resolve().parent
OUT = HERE.parent.parent / "var" / "bench" / "latest.json"


def main(only: list[str]) -> int:
    modules = [
        p
        for p in sorted(HERE.glob("bench_*.py"))
        if not only or p.stem.removeprefix("bench_") in only
    ]
    if not modules:
        print("No benchmarks to run in tests/bench/.")
        return 0
    rows: list[dict[str, object]] = []
    sys.path.insert(0, str(HERE))  # benchmarks may share helpers with their siblings
    for path in modules:
        started = time.perf_counter()
        try:
            spec = importlib.util.spec_from_file_location(path.stem, path)
            assert spec and spec.loader
            module = importlib.util.module_from_spec(spec)
            spec.loader.exec_module(module)
            found = module.run()
        except Exception as exc:  # one broken benchmark must not hide the others
            traceback.print_exc()
            found = [{"name": f"{path.stem}: failed", "value": repr(exc)[:100], "unit": ""}]
        for row in found:
            row.setdefault("bench", path.stem)
        rows += found
        print(f"… {path.stem}: {time.perf_counter() - started:.0f} s", file=sys.stderr)
    width = max(len(str(r["name"])) for r in rows)
    bench = None
    for r in rows:
        if r["bench"] != bench:
            bench = r["bench"]
            print(f"\n[{bench}]")
        print(f"{r['name']:<{width}}  {r['value']} {r.get('unit', '')}")
    goals = [r for r in rows if "met" in r]
    missed = [r for r in goals if not r["met"]]
    print(f"\ngoals met: {len(goals) - len(missed)} of {len(goals)}")
    OUT.parent.mkdir(parents=True, exist_ok=True)
    if only and OUT.exists():  # a partial run replaces only its benchmarks' rows
        ran = {r["bench"] for r in rows}
        kept = [r for r in json.loads(OUT.read_text("utf-8")) if r.get("bench") not in ran]
        rows = kept + rows
    OUT.write_text(json.dumps(rows, ensure_ascii=False, indent=2), encoding="utf-8")
    print(f"written to {OUT}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
