"""Scoring a national-size year versus reading its figures from SQLite.

4,000 units × the 47 scored indicators of vn-province-2025: generate
plausible figures, store them in a SQLite file (one row per figure, inputs
as JSON, as the reporting app will), then time (a) reading them all back and
(b) scoring every unit through the pure core, peer-best pass included.
Goal (issue 3): scoring costs less than reading, ratio < 1.
"""

from __future__ import annotations

import json
import random
import sqlite3
import tempfile
import time
from decimal import Decimal
from pathlib import Path
from typing import Any

import yaml

from dtis.scoring.aggregate import peer_best, score_unit
from dtis.scoring.serialize import from_dict
from dtis.scoring.tree import Indicator

UNITS = 4000
DATA = Path(__file__).resolve().parents[2] / "src" / "dtis" / "frameworks" / "data"


def _value(ind: Indicator, name: str, kind: str, rng: random.Random) -> Any:
    spec = next(i for i in ind.inputs if i.name == name)
    if spec.type == "boolean":
        return rng.random() < 0.8
    if spec.type == "choice":
        return rng.choice(spec.choices)[0]
    return rng.randint(0, 1000)


def figures_for(framework: Any, rng: random.Random) -> dict[str, dict[str, Any]]:
    out: dict[str, dict[str, Any]] = {}
    for leaf in framework.scored_leaves:
        kind = leaf.rule.to_dict()["kind"]
        values = {i.name: _value(leaf, i.name, kind, rng) for i in leaf.inputs}
        if kind in ("ratio", "ratio_target"):
            params = leaf.rule.params()
            values[params["denominator"]] = values[params["numerator"]] + rng.randint(1, 500)
        out[leaf.code] = values
    return out


def run() -> list[dict[str, object]]:
    framework = from_dict(yaml.safe_load((DATA / "vn-province-2025.yaml").read_text("utf-8")))
    rng = random.Random(2025)
    all_figures = [figures_for(framework, rng) for _ in range(UNITS)]
    n_figures = sum(len(f) for f in all_figures)

    with tempfile.TemporaryDirectory() as tmp:
        db = sqlite3.connect(Path(tmp) / "figures.sqlite3")
        db.execute("PRAGMA journal_mode=WAL")
        db.execute("CREATE TABLE figure (unit INTEGER, code TEXT, inputs TEXT)")
        db.executemany(
            "INSERT INTO figure VALUES (?, ?, ?)",
            ((u, code, json.dumps(v)) for u, f in enumerate(all_figures) for code, v in f.items()),
        )
        db.commit()
        started = time.perf_counter()
        read: dict[int, dict[str, Any]] = {}
        for unit, code, inputs in db.execute("SELECT unit, code, inputs FROM figure"):
            read.setdefault(unit, {})[code] = json.loads(inputs)
        reading = time.perf_counter() - started
        db.close()

    started = time.perf_counter()
    best = peer_best(framework, read.values())
    totals = [score_unit(framework, f, peer_best=best).total.points for f in read.values()]
    scoring = time.perf_counter() - started
    assert len(totals) == UNITS and all(Decimal(0) <= t <= 1000 for t in totals)
    return [
        {"name": "figures (units × scored indicators)", "value": n_figures, "unit": ""},
        {"name": "read figures from SQLite", "value": round(reading, 3), "unit": "s"},
        {"name": "score them through the core", "value": round(scoring, 3), "unit": "s"},
        {
            "name": "ratio scoring / reading (goal < 1)",
            "value": round(scoring / reading, 2),
            "unit": "",
        },
    ]
