"""Emulation and reward (thi đua – khen thưởng): the units by band, as the
standing office hands them to the emulation council.

Per unit: final points, index, rank, and how it worked during the year —
the on-time reporting rate over the cycle's periods whose unit deadline has
passed (a period is on time when its report was submitted with no day late;
a report never submitted is not on time), how many items the office returned
on its reports, how many explanations the council requested, and how many of
them were overdue (still open after the due date, or answered after it).

Bands come in the framework's order (highest first), then the units without
a band. A fixed number of queries, whatever the number of units.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Count
from django.utils import timezone

from dtis.appraisal.models import ExplanationRequest, UnitResult
from dtis.appraisal.standings import order_key
from dtis.reporting.models import AssessedUnit, Cycle, ReturnedItem, Submission


@dataclass
class EmulationRow:
    assessed: AssessedUnit
    result: UnitResult
    periods_due: int = 0
    on_time: int = 0
    returned: int = 0
    explanations: int = 0
    overdue: int = 0

    @property
    def final_points(self) -> Decimal:
        return self.result.final_points

    @property
    def index(self) -> Decimal | None:
        return self.result.index

    @property
    def rank(self) -> int:
        return self.result.rank

    @property
    def on_time_rate(self) -> Decimal | None:
        """Share of the periods due that were reported on time, 0…1; none before any deadline."""
        if not self.periods_due:
            return None
        return Decimal(self.on_time) / Decimal(self.periods_due)


@dataclass
class Band:
    name: str  # "" for the units without a band
    rows: list[EmulationRow] = field(default_factory=list)


@dataclass
class Emulation:
    cycle: Cycle
    bands: list[Band]
    periods_due: int
    peer_groups: int

    def rows(self) -> list[EmulationRow]:
        return [r for b in self.bands for r in b.rows]


def emulation(cycle: Cycle, today: dt.date | None = None) -> Emulation:
    today = today or timezone.localdate()
    results = list(UnitResult.objects.filter(cycle=cycle).select_related("assessed__unit"))
    due = [p.pk for p in cycle.periods.all() if p.unit_deadline < today]

    on_time: Counter[int] = Counter()
    for assessed_id, submitted_at, days_late in Submission.objects.filter(
        period_id__in=due
    ).values_list("assessed_id", "submitted_at", "days_late"):
        if submitted_at is not None and days_late == 0:
            on_time[assessed_id] += 1
    returned = dict(
        ReturnedItem.objects.filter(event__submission__period__cycle=cycle)
        .values("event__submission__assessed_id")
        .annotate(n=Count("pk"))
        .values_list("event__submission__assessed_id", "n")
    )
    asked: Counter[int] = Counter()
    overdue: Counter[int] = Counter()
    for assessed_id, due_on, answered_at in ExplanationRequest.objects.filter(
        item__assessed__cycle=cycle
    ).values_list("item__assessed_id", "due", "answered_at"):
        asked[assessed_id] += 1
        if answered_at is None:
            late = due_on < today
        else:
            late = timezone.localtime(answered_at).date() > due_on
        if late:
            overdue[assessed_id] += 1

    names = [b["name"] for b in cycle.framework.bands or []]
    by_band: dict[str, list[EmulationRow]] = defaultdict(list)
    for result in sorted(results, key=order_key):
        a = result.assessed_id
        row = EmulationRow(
            assessed=result.assessed,
            result=result,
            periods_due=len(due),
            on_time=on_time[a],
            returned=returned.get(a, 0),
            explanations=asked[a],
            overdue=overdue[a],
        )
        by_band[result.band if result.band in names else ""].append(row)
    bands = [Band(name, by_band.get(name, [])) for name in names]
    if by_band.get(""):
        bands.append(Band("", by_band[""]))
    return Emulation(
        cycle=cycle,
        bands=bands,
        periods_due=len(due),
        peer_groups=len({r.assessed.peer_group for r in results}),
    )
