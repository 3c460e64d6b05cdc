"""Which items the council appraises: one per scored leaf indicator of every
assessed unit whose report for the cycle's result period reached appraisal.

The result period is the year report when the cycle has one, otherwise its
last period: quarterly reports follow progress, the year report is scored,
appraised and ranked (DOMAIN.md §3).
"""

from __future__ import annotations

from typing import Any

from django.db import transaction

from dtis.appraisal.models import CycleOutcome, Item
from dtis.frameworks.models import Indicator
from dtis.reporting.models import (
    AssessedUnit,
    Cycle,
    Figure,
    Period,
    PeriodKind,
    Submission,
    SubmissionState,
)


def result_period(cycle: Cycle) -> Period | None:
    periods = list(cycle.periods.all())
    year = next((p for p in periods if p.kind == PeriodKind.YEAR), None)
    return year or max(periods, key=lambda p: (p.end, -p.start.toordinal()), default=None)


def outcome_of(cycle: Cycle) -> CycleOutcome:
    outcome, _created = CycleOutcome.objects.get_or_create(cycle=cycle)
    return outcome


def scored_leaves(cycle: Cycle) -> list[tuple[Indicator, Indicator]]:
    """(leaf, its main indicator) for every leaf worth points, in framework order."""
    indicators = list(Indicator.objects.filter(framework_id=cycle.framework_id).order_by("order"))
    by_id = {i.pk: i for i in indicators}
    parents = {i.parent_id for i in indicators if i.parent_id}
    out = []
    for ind in indicators:
        if ind.pk in parents or ind.max_points <= 0:
            continue
        main = ind
        while main.parent_id is not None:
            main = by_id[main.parent_id]
        out.append((ind, main))
    return out


@transaction.atomic
def open_items(cycle: Cycle, assessed: list[AssessedUnit]) -> int:
    """Create the missing items of these units (idempotent); how many were new."""
    period = result_period(cycle)
    if period is None or not assessed:
        return 0
    leaves = scored_leaves(cycle)
    figures = {
        (f.assessed_id, f.indicator_id): f.pk
        for f in Figure.objects.filter(period=period, assessed__in=assessed).only(
            "pk", "assessed_id", "indicator_id"
        )
    }
    existing = set(
        Item.objects.filter(period=period, assessed__in=assessed).values_list(
            "assessed_id", "indicator_id"
        )
    )
    new = [
        Item(
            period=period,
            assessed=a,
            indicator=leaf,
            main=main,
            figure_id=figures.get((a.pk, leaf.pk)),
        )
        for a in assessed
        for leaf, main in leaves
        if (a.pk, leaf.pk) not in existing
    ]
    Item.objects.bulk_create(new)
    outcome_of(cycle)
    return len(new)


def reported_units(cycle: Cycle) -> list[AssessedUnit]:
    """Units whose result-period report the office accepted for appraisal."""
    period = result_period(cycle)
    if period is None:
        return []
    ids = Submission.objects.filter(period=period, state=SubmissionState.ACCEPTED).values(
        "assessed_id"
    )
    return list(cycle.assessed.filter(pk__in=ids).select_related("unit"))


def on_report_accepted(sender: Any, submission: Submission, **kwargs: Any) -> None:
    """The office accepted a report: if it is the result period's, open its
    items and score the unit."""
    from dtis.appraisal.materialise import recompute

    period = submission.period
    cycle = period.cycle
    result = result_period(cycle)
    if result is None or result.pk != period.pk:
        return
    open_items(cycle, [submission.assessed])
    recompute(cycle, [submission.assessed])


def previous_cycle(cycle: Cycle) -> Cycle | None:
    """Last year's published cycle of the same scope and framework level: what
    this year's results are compared with, and what its lessons come from."""
    from dtis.appraisal.models import Stage

    return (
        Cycle.objects.filter(
            scope_id=cycle.scope_id,
            framework__level=cycle.framework.level,
            year=cycle.year - 1,
            outcome__stage=Stage.PUBLISHED,
        )
        .select_related("framework")
        .order_by("-pk")
        .first()
    )
