"""Materialised results: self, appraised and final points of every unit and
indicator in a cycle's result period, its index, band and rank.

Every appraisal step recomputes its unit in the same transaction and ranks
the peer group again; `dtis results recompute` redoes a whole cycle after a
framework fix. Scores come from the pure core (`score_unit`, then `adjust`
with the council's decisions); nothing here does arithmetic of its own
beyond choosing which points the council confirmed.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from decimal import Decimal
from typing import Any

from django.db import transaction

from dtis.appraisal.items import result_period
from dtis.appraisal.models import (
    DECIDED,
    IndicatorResult,
    Item,
    ItemState,
    UnitResult,
)
from dtis.frameworks.models import Indicator
from dtis.frameworks.services import to_core
from dtis.reporting.figures import typed_values
from dtis.reporting.models import AssessedUnit, Cycle, Figure
from dtis.scoring.aggregate import adjust, classify, peer_best, score_unit
from dtis.scoring.numbers import ZERO
from dtis.scoring.ranking import rank
from dtis.scoring.rules import RelativeBest


@transaction.atomic
def recompute(cycle: Cycle, only: Iterable[AssessedUnit] | None = None) -> list[UnitResult]:
    """Score these units (default: all of the cycle), store, and rank again."""
    period = result_period(cycle)
    if period is None:
        return []
    indicators = list(Indicator.objects.filter(framework_id=cycle.framework_id))
    by_id = {i.pk: i for i in indicators}
    tree = to_core(cycle.framework, indicators)
    assessed = list(only) if only is not None else list(cycle.assessed.all())
    ids = [a.pk for a in assessed]

    figures: dict[int, dict[str, Any]] = defaultdict(dict)
    not_applicable: dict[int, list[str]] = defaultdict(list)
    for assessed_id, indicator_id, values, na in Figure.objects.filter(
        period=period, assessed_id__in=ids
    ).values_list("assessed_id", "indicator_id", "values", "not_applicable"):
        ind = by_id[indicator_id]
        if na:
            not_applicable[assessed_id].append(ind.code)
        else:
            figures[assessed_id][ind.code] = typed_values(ind, values)
    best = _peer_best(cycle, period.pk, tree, by_id)

    items: dict[int, dict[str, Item]] = defaultdict(dict)
    for item in Item.objects.filter(period=period, assessed_id__in=ids):
        items[item.assessed_id][by_id[item.indicator_id].code] = item
    reported = set(
        period.submissions.filter(assessed_id__in=ids, state="accepted").values_list(
            "assessed_id", flat=True
        )
    )

    stored = []
    for a in assessed:
        self_result = score_unit(
            tree, figures[a.pk], not_applicable=not_applicable[a.pk], peer_best=best
        )
        unit_items = items[a.pk]
        appraised = {
            code: it.appraised_points
            for code, it in unit_items.items()
            if it.appraised_points is not None
        }
        final: dict[str, Decimal] = {}
        for leaf in tree.scored_leaves:
            it = unit_items.get(leaf.code)
            if it is not None and it.state == ItemState.CORRECTED:
                final[leaf.code] = it.appraised_points or ZERO
            elif it is not None and it.state == ItemState.ACCEPTED:
                final[leaf.code] = self_result.scores[leaf.code].points
            else:
                final[leaf.code] = ZERO
        appraised_result = adjust(self_result, appraised)
        final_result = adjust(self_result, final)
        total = final_result.total
        band = classify(tree.bands, total.points, total.max_points)
        result, _created = UnitResult.objects.update_or_create(
            assessed=a,
            defaults={
                "cycle": cycle,
                "self_points": self_result.total.points,
                "appraised_points": appraised_result.total.points,
                "final_points": total.points,
                "max_points": total.max_points,
                "self_index": self_result.total.index_value,
                "index": total.index_value,
                "band": band.name if band else "",
                "pillars": {p.code: _text(final_result.pillar_index(p)) for p in tree.pillars},
                "items": len(unit_items),
                "decided": sum(1 for it in unit_items.values() if it.state in DECIDED),
                "reported": a.pk in reported,
            },
        )
        IndicatorResult.objects.filter(result=result).delete()
        main_codes = {m.code for m in tree.indicators}
        rows = []
        for ind in indicators:
            code = ind.code
            own = self_result.scores.get(code)
            if own is None:
                continue
            leaf = not tree.get(code).children
            item = unit_items.get(code)
            decided = item is not None and item.state in DECIDED
            rows.append(
                IndicatorResult(
                    result=result,
                    indicator=ind,
                    code=code,
                    is_main=code in main_codes,
                    applicable=own.applicable,
                    self_points=own.points,
                    appraised_points=(item.appraised_points if item else None)
                    if leaf
                    else appraised_result.scores[code].points,
                    final_points=(final_result.scores[code].points if decided else None)
                    if leaf
                    else final_result.scores[code].points,
                    max_points=own.max_points,
                )
            )
        IndicatorResult.objects.bulk_create(rows)
        stored.append(result)
    rerank(cycle)
    return stored


def _peer_best(
    cycle: Cycle, period_id: int, tree: Any, by_id: dict[int, Indicator]
) -> dict[str, Decimal]:
    """Best peer values for relative-to-best indicators, from every unit's figures."""
    relative = {i.code for i in tree.scored_leaves if isinstance(i.rule, RelativeBest)}
    if not relative:
        return {}
    wanted = [pk for pk, ind in by_id.items() if ind.code in relative]
    per_unit: dict[int, dict[str, Any]] = defaultdict(dict)
    for assessed_id, indicator_id, values in Figure.objects.filter(
        period_id=period_id, indicator_id__in=wanted, not_applicable=False
    ).values_list("assessed_id", "indicator_id", "values"):
        ind = by_id[indicator_id]
        per_unit[assessed_id][ind.code] = typed_values(ind, values)
    return peer_best(tree, per_unit.values())


def _text(value: Decimal | None) -> str | None:
    return None if value is None else str(value)


def rerank(cycle: Cycle) -> None:
    """Rank every peer group of the cycle by final index; ties share a rank."""
    results = list(
        UnitResult.objects.filter(cycle=cycle).select_related("assessed", "assessed__unit")
    )
    groups: dict[str, list[UnitResult]] = defaultdict(list)
    for r in results:
        groups[r.assessed.peer_group].append(r)
    changed = []
    for members in groups.values():
        for ranked in rank(members, lambda r: r.index, lambda r: r.assessed.unit.name):
            if ranked.item.rank != ranked.rank:
                ranked.item.rank = ranked.rank
                changed.append(ranked.item)
    UnitResult.objects.bulk_update(changed, ["rank"])
