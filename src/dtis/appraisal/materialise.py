"""Materialised results: self, appraised and final points of every unit and
indicator in a cycle's result period, its index, band and rank.

Every appraisal step recomputes its unit in the same transaction and ranks
the peer group again; `dtis results recompute` redoes a whole cycle after a
framework fix. Scores come from the pure core (`score_unit`, then `adjust`
with the council's decisions); nothing here does arithmetic of its own
beyond choosing which points the council confirmed.
"""

from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Callable, Iterable
from decimal import Decimal
from typing import Any

from django.db import connection, transaction
from django.db.models import Q, QuerySet
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
from dtis.reporting.models import AssessedUnit, Cycle, Figure
from dtis.scoring.aggregate import adjust, classify, peer_best, score_unit
from dtis.scoring.numbers import ZERO, to_decimal
from dtis.scoring.ranking import rank
from dtis.scoring.rules import RelativeBest


@transaction.atomic
def recompute(cycle: Cycle, only: Iterable[AssessedUnit] | None = None) -> list[UnitResult]:
    """Score these units (default: all of the cycle), store, and rank again.

    A fixed number of queries whatever the number of units: reads filter by
    the cycle (or the few units given), writes are bulk, and only the stored
    rows that change are written (`_store_indicator_rows`).
    """
    period = result_period(cycle)
    if period is None:
        return []
    indicators = list(Indicator.objects.filter(framework_id=cycle.framework_id))
    by_id = {i.pk: i for i in indicators}
    tree = to_core(cycle.framework, indicators)
    if only is None:
        assessed = list(cycle.assessed.select_related("unit"))  # the unit's name ranks ties
        mine, their_rows = Q(assessed__cycle_id=cycle.pk), Q(result__cycle_id=cycle.pk)
    else:
        assessed = list(only)
        ids = [a.pk for a in assessed]
        mine, their_rows = Q(assessed_id__in=ids), Q(result__assessed_id__in=ids)

    figures, not_applicable = _read_figures(Figure.objects.filter(mine, period=period), by_id)
    if only is None:  # every unit's figures are in hand
        best = _relative_best(tree, figures.values())
    else:
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
    changed: list[UnitResult] = []
    main_codes = {m.code for m in tree.indicators}
    leaf_codes = {i.code for i in tree.leaves()}
    scored = [leaf.code for leaf in tree.scored_leaves]
    columns = [(i.pk, i.code, i.code in main_codes, i.code in leaf_codes) for i in indicators]
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
        for code in scored:
            state, pts = unit_items.get(code, ("", None))
            if state == ItemState.CORRECTED:
                final[code] = pts or ZERO
            elif state == ItemState.ACCEPTED:
                final[code] = self_result.scores[code].points
            else:
                final[code] = ZERO
        appraised_result = adjust(self_result, appraised)
        final_result = adjust(self_result, final)
        total = final_result.total
        band = classify(tree.bands, total.points, total.max_points)
        self_total = self_result.total
        result = existing.get(a.pk)
        if result is None:
            result = UnitResult(assessed=a)
            new.append(result)
            before = None
        else:
            before = _stored(result)
            result.assessed = a  # the same row, with its unit for ranking
        result.cycle = cycle
        result.self_points = self_total.points
        result.appraised_points = appraised_result.total.points
        result.final_points = total.points
        result.max_points = total.max_points
        result.self_index = self_total.index_value
        result.index = total.index_value
        result.band = band.name if band else ""
        result.pillars = {p.code: _text(final_result.pillar_index(p)) for p in tree.pillars}
        result.items = len(unit_items)
        result.decided = sum(1 for state, _p in unit_items.values() if state in DECIDED)
        result.reported = a.pk in reported
        result.computed_at = now
        if before is not None and _stored(result) != before:
            changed.append(result)
        results.append(result)
        own_scores, appraised_scores = self_result.scores, appraised_result.scores
        final_scores = final_result.scores
        unit_rows = []
        for pk, code, is_main, is_leaf in columns:
            own = own_scores.get(code)
            if own is None:
                continue
            if is_leaf:
                state, appraised_points = unit_items.get(code, ("", None))
                final_points = final_scores[code].points if state in DECIDED else None
            else:
                appraised_points = appraised_scores[code].points
                final_points = final_scores[code].points
            unit_rows.append(
                (pk, code, is_main, own.applicable, own.points, appraised_points, final_points,
                 own.max_points)
            )  # fmt: skip
        rows.append((result, unit_rows))
    UnitResult.objects.bulk_create(new, batch_size=1000)
    # Every result was computed now; only the changed ones are written whole.
    UnitResult.objects.filter(mine).update(computed_at=now)
    _update_results(changed)
    stored: list[tuple[Any, ...]] = []
    for result, unit_rows in rows:  # new results have their ids now
        pk = result.pk
        stored += [(pk, *row) for row in unit_rows]
    _store_indicator_rows(their_rows, stored)
    if only is None:  # every result of the cycle is in hand, with its unit's name
        _rank(results)
    else:
        rerank(cycle)
    return results


_INDICATOR_COLUMNS = (
    "result_id", "indicator_id", "code", "is_main", "applicable", "self_points",
    "appraised_points", "final_points", "max_points",
)  # fmt: skip


def _store_indicator_rows(where: Q, rows: list[tuple[Any, ...]]) -> None:
    """Make the stored indicator rows (`where`) these rows, in the columns of
    `_INDICATOR_COLUMNS`: insert the new ones, update the changed ones, delete
    the ones no longer there, and leave the rest alone.

    A national cycle holds ~250,000 of these rows and a recompute changes few
    of them (one unit's appraisal, a framework fix): writing every row again
    was most of a recompute's time. The stored rows are read from the cursor,
    without the ORM's converters; `_same` compares them as each database
    returns them.
    """
    stored: dict[tuple[int, int], tuple[int, list[Any]]] = {}
    query = IndicatorResult.objects.filter(where).values_list("pk", *_INDICATOR_COLUMNS)
    sql, params = query.query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        while chunk := cursor.fetchmany(5000):
            for pk, result_id, indicator_id, *values in chunk:
                stored[(result_id, indicator_id)] = (pk, values)
    inserts: list[tuple[Any, ...]] = []
    updates: list[tuple[Any, ...]] = []
    for row in rows:
        old = stored.pop((row[0], row[1]), None)
        if old is None:
            inserts.append(row)
        elif not _same(row[2:], old[1]):
            updates.append((*row[2:], old[0]))
    gone = [pk for pk, _values in stored.values()]
    for start in range(0, len(gone), 500):  # within every database's parameter limit
        IndicatorResult.objects.filter(pk__in=gone[start : start + 500]).delete()

    quote = connection.ops.quote_name
    table = quote(IndicatorResult._meta.db_table)
    columns = [quote(c) for c in _INDICATOR_COLUMNS]
    marks = ", ".join(["%s"] * len(columns))
    sets = ", ".join(f"{c} = %s" for c in columns[2:])
    pk = quote(IndicatorResult._meta.pk.column)  # type: ignore[union-attr]
    # Names only; the data is bound. Plain ints, bools, strings and Decimals,
    # which both database drivers adapt.
    insert = f"INSERT INTO {table} ({', '.join(columns)}) VALUES ({marks})"
    update = f"UPDATE {table} SET {sets} WHERE {pk} = %s"
    with connection.cursor() as cursor:
        for sql, batch in ((insert, inserts), (update, updates)):
            for start in range(0, len(batch), 5000):
                cursor.executemany(sql, batch[start : start + 5000])


def _same(new: tuple[Any, ...], stored: list[Any]) -> bool:
    """Whether a stored row, as the database driver returned it, holds these
    values. PostgreSQL returns Decimals and bools; SQLite keeps decimals as
    integers or floats and bools as 0/1, so a Decimal of two places is the
    same when it converts to the same float (distinct amounts never do)."""
    for value, old in zip(new, stored, strict=True):
        if value == old:
            continue
        if value is None or type(old) is not float or float(value) != old:
            return False
    return True


def _stored(result: UnitResult) -> tuple[Any, ...]:
    """What `_update_results` would write for a result, but when it was computed."""
    return tuple(getattr(result, f.attname) for f in _result_fields()[:-1])


def _result_fields() -> list[Any]:
    return [UnitResult._meta.get_field(name) for name in _RESULT_FIELDS]


def _update_results(results: Iterable[UnitResult]) -> None:
    """One parameterised UPDATE by primary key run over every result
    (`executemany`). Django's `bulk_update` builds a CASE expression per field
    per row, which was most of a national recompute's time; each value here
    is prepared by its own field, as a save would."""
    fields = _result_fields()
    quote = connection.ops.quote_name
    sets = ", ".join(f"{quote(f.column)} = %s" for f in fields)
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


def _read_figures(
    query: QuerySet[Figure], by_id: dict[int, Indicator]
) -> tuple[dict[int, dict[str, Any]], dict[int, list[str]]]:
    """Each unit's figures as the scoring core takes them (`typed_values`),
    and its not-applicable codes.

    The ORM's query, run on the cursor: a national cycle has hundreds of
    thousands of figures, and the per-value converters cost more than the
    scoring. The JSON comes back as text from both databases."""
    typed = {pk: _typer(ind) for pk, ind in by_id.items()}
    code = {pk: ind.code for pk, ind in by_id.items()}
    figures: dict[int, dict[str, Any]] = defaultdict(dict)
    not_applicable: dict[int, list[str]] = defaultdict(list)
    rows = query.values_list("assessed_id", "indicator_id", "values", "not_applicable")
    sql, params = rows.query.sql_with_params()
    loads = json.loads
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        while chunk := cursor.fetchmany(5000):
            for assessed_id, indicator_id, values, na in chunk:
                if na:
                    not_applicable[assessed_id].append(code[indicator_id])
                else:
                    if isinstance(values, str):
                        values = loads(values)
                    figures[assessed_id][code[indicator_id]] = typed[indicator_id](values)
    return figures, not_applicable


def _typer(indicator: Indicator) -> Callable[[dict[str, Any]], dict[str, Any]]:
    """`figures.typed_values` for one indicator, its choice inputs found once
    instead of for every figure: numbers (exact strings in JSON) become
    Decimals, levels and yes/no answers stay as they are."""
    choices = {i["name"] for i in indicator.inputs if i.get("type") == "choice"}

    def typed(values: dict[str, Any]) -> dict[str, Any]:
        return {
            k: (to_decimal(v) if isinstance(v, str) and k not in choices else v)
            for k, v in values.items()
        }

    return typed


def _relative_best(tree: Any, figures: Iterable[dict[str, Any]]) -> dict[str, Decimal]:
    if not any(isinstance(i.rule, RelativeBest) for i in tree.scored_leaves):
        return {}
    return peer_best(tree, figures)


def _peer_best(
    cycle: Cycle, period_id: int, tree: Any, by_id: dict[int, Indicator]
) -> dict[str, Decimal]:
    """Best peer values for relative-to-best indicators, from every unit's figures."""
    relative = {i.code for i in tree.scored_leaves if isinstance(i.rule, RelativeBest)}
    if not relative:
        return {}
    wanted = [pk for pk, ind in by_id.items() if ind.code in relative]
    query = Figure.objects.filter(
        period_id=period_id, indicator_id__in=wanted, not_applicable=False
    )
    figures, _na = _read_figures(query, by_id)
    return peer_best(tree, figures.values())


def _text(value: Decimal | None) -> str | None:
    return None if value is None else str(value)


def rerank(cycle: Cycle) -> None:
    """Rank every peer group of the cycle by final index; ties share a rank."""
    _rank(UnitResult.objects.filter(cycle=cycle).select_related("assessed", "assessed__unit"))


def _rank(results: Iterable[UnitResult]) -> None:
    """Rank these results (all of a cycle's, with their assessed units and
    units) in their peer groups; write the ranks that changed."""
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
