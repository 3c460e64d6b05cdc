"""`make bench`: run every tests/bench/bench_*.py and print a table.

Each benchmark module defines `run() -> list[dict]`, each dict a row with at
least `name` and `value` (and `unit`, `ratio` where it compares two things
measured in the same run). Results also go to var/bench/latest.json.
"""

from __future__ import annotations

import importlib.util
import json
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
OUT = HERE.parent.parent / "var" / "bench" / "latest.json"


def main() -> int:
    modules = sorted(HERE.glob("bench_*.py"))
    if not modules:
        print("No benchmarks yet: tests/bench/ has no bench_*.py (a later issue adds them).")
        return 0
    rows: list[dict[str, object]] = []
    sys.path.insert(0, str(HERE))  # benchmarks may share helpers with their siblings
    for path in modules:
        spec = importlib.util.spec_from_file_location(path.stem, path)
        assert spec and spec.loader
        module = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(module)
        rows.extend(module.run())
    width = max(len(str(r["name"])) for r in rows)
    for r in rows:
        print(f"{r['name']:<{width}}  {r['value']} {r.get('unit', '')}")
    OUT.parent.mkdir(parents=True, exist_ok=True)
    OUT.write_text(json.dumps(rows, ensure_ascii=False, indent=2), encoding="utf-8")
    print(f"written to {OUT}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
