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

from django.db import connection, transaction
from django.db.models import Q
from django.utils import timezone

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
    """Score these units (default: all of the cycle), store, and rank again.

    A fixed number of queries whatever the number of units: reads filter by
    the cycle (or the few units given), writes are bulk.
    """
    period = result_period(cycle)
    if period is None:
        return []
    indicators = list(Indicator.objects.filter(framework_id=cycle.framework_id))
    by_id = {i.pk: i for i in indicators}
    tree = to_core(cycle.framework, indicators)
    if only is None:
        assessed = list(cycle.assessed.all())
        mine, their_rows = Q(assessed__cycle_id=cycle.pk), Q(result__cycle_id=cycle.pk)
    else:
        assessed = list(only)
        ids = [a.pk for a in assessed]
        mine, their_rows = Q(assessed_id__in=ids), Q(result__assessed_id__in=ids)

    figures: dict[int, dict[str, Any]] = defaultdict(dict)
    not_applicable: dict[int, list[str]] = defaultdict(list)
    rows = Figure.objects.filter(mine, period=period).values_list(
        "assessed_id", "indicator_id", "values", "not_applicable"
    )
    for assessed_id, indicator_id, values, na in rows.iterator(chunk_size=5000):
        ind = by_id[indicator_id]
        if na:
            not_applicable[assessed_id].append(ind.code)
        else:
            figures[assessed_id][ind.code] = typed_values(ind, values)
    best = _peer_best(cycle, period.pk, tree, by_id)

    # The council's decisions as (state, appraised points): model instances
    # would cost more than the scoring itself for a national cycle.
    items: dict[int, dict[str, tuple[str, Decimal | None]]] = defaultdict(dict)
    decisions = Item.objects.filter(mine, period=period).values_list(
        "assessed_id", "indicator_id", "state", "appraised_points"
    )
    for assessed_id, indicator_id, state, points in decisions.iterator(chunk_size=5000):
        items[assessed_id][by_id[indicator_id].code] = (state, points)
    reported = set(
        period.submissions.filter(mine, state="accepted").values_list("assessed_id", flat=True)
    )
    existing = {r.assessed_id: r for r in UnitResult.objects.filter(mine)}
    main_codes = {m.code for m in tree.indicators}
    leaf_codes = {i.code for i in tree.leaves()}
    now = timezone.now()

    results: list[UnitResult] = []
    new: list[UnitResult] = []
    rows: list[tuple[UnitResult, list[tuple[Any, ...]]]] = []
    for a in assessed:
        self_result = score_unit(
            tree, figures[a.pk], not_applicable=not_applicable[a.pk], peer_best=best
        )
        unit_items = items[a.pk]
        appraised = {code: pts for code, (_s, pts) in unit_items.items() if pts is not None}
        final: dict[str, Decimal] = {}
        for leaf in tree.scored_leaves:
            state, pts = unit_items.get(leaf.code, ("", None))
            if state == ItemState.CORRECTED:
                final[leaf.code] = pts or ZERO
            elif state == ItemState.ACCEPTED:
                final[leaf.code] = self_result.scores[leaf.code].points
            else:
                final[leaf.code] = ZERO
        appraised_result = adjust(self_result, appraised)
        final_result = adjust(self_result, final)
        total = final_result.total
        band = classify(tree.bands, total.points, total.max_points)
        result = existing.get(a.pk)
        if result is None:
            result = UnitResult(assessed=a)
            new.append(result)
        result.cycle = cycle
        result.self_points = self_result.total.points
        result.appraised_points = appraised_result.total.points
        result.final_points = total.points
        result.max_points = total.max_points
        result.self_index = self_result.total.index_value
        result.index = total.index_value
        result.band = band.name if band else ""
        result.pillars = {p.code: _text(final_result.pillar_index(p)) for p in tree.pillars}
        result.items = len(unit_items)
        result.decided = sum(1 for state, _p in unit_items.values() if state in DECIDED)
        result.reported = a.pk in reported
        result.computed_at = now
        results.append(result)
        unit_rows = []
        for ind in indicators:
            code = ind.code
            own = self_result.scores.get(code)
            if own is None:
                continue
            if code in leaf_codes:
                state, appraised_points = unit_items.get(code, ("", None))
                final_points = final_result.scores[code].points if state in DECIDED else None
            else:
                appraised_points = appraised_result.scores[code].points
                final_points = final_result.scores[code].points
            unit_rows.append(
                (ind.pk, code, code in main_codes, own.applicable, own.points,
                 appraised_points, final_points, own.max_points)
            )  # fmt: skip
        rows.append((result, unit_rows))
    UnitResult.objects.bulk_create(new, batch_size=1000)
    _update_results(existing.values())
    IndicatorResult.objects.filter(their_rows).delete()
    _insert_indicator_rows((result.pk, *row) for result, unit_rows in rows for row in unit_rows)
    rerank(cycle)
    return results


_INDICATOR_COLUMNS = (
    "result_id", "indicator_id", "code", "is_main", "applicable", "self_points",
    "appraised_points", "final_points", "max_points",
)  # fmt: skip


def _insert_indicator_rows(rows: Iterable[tuple[Any, ...]]) -> None:
    """One parameterised INSERT run over every row (`executemany`).

    A national cycle stores ~250,000 of these rows; `bulk_create` spends most
    of its time building model instances and preparing each field, so this
    path writes the columns of `_INDICATOR_COLUMNS` directly. The values are
    plain ints, bools, strings and Decimals, which both database drivers adapt.
    """
    quote = connection.ops.quote_name
    table = quote(IndicatorResult._meta.db_table)
    columns = ", ".join(quote(c) for c in _INDICATOR_COLUMNS)
    marks = ", ".join(["%s"] * len(_INDICATOR_COLUMNS))
    sql = f"INSERT INTO {table} ({columns}) VALUES ({marks})"  # names only; data is bound
    batch: list[tuple[Any, ...]] = []
    with connection.cursor() as cursor:
        for row in rows:
            batch.append(row)
            if len(batch) == 5000:
                cursor.executemany(sql, batch)
                batch = []
        if batch:
            cursor.executemany(sql, batch)


def _update_results(results: Iterable[UnitResult]) -> None:
    """One parameterised UPDATE by primary key run over every result
    (`executemany`). Django's `bulk_update` builds a CASE expression per field
    per row, which was most of a national recompute's time; each value here
    is prepared by its own field, as a save would."""
    fields = [UnitResult._meta.get_field(name) for name in _RESULT_FIELDS]
    quote = connection.ops.quote_name
    sets = ", ".join(f"{quote(f.column)} = %s" for f in fields)  # type: ignore[union-attr]
    pk = quote(UnitResult._meta.pk.column)  # type: ignore[union-attr]
    sql = f"UPDATE {quote(UnitResult._meta.db_table)} SET {sets} WHERE {pk} = %s"  # names only
    params = [
        (*(f.get_db_prep_save(getattr(r, f.attname), connection) for f in fields), r.pk)  # type: ignore[union-attr]
        for r in results
    ]
    if params:
        with connection.cursor() as cursor:
            cursor.executemany(sql, params)


_RESULT_FIELDS = [
    "cycle", "self_points", "appraised_points", "final_points", "max_points", "self_index",
    "index", "band", "pillars", "items", "decided", "reported", "computed_at",
]  # fmt: skip


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
