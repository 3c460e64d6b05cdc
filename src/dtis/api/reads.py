"""What the API reads, each with a fixed number of queries whatever the
number of frameworks, cycles, units or history rows.

Who reads what (see docs/api.md): frameworks and cycles with their periods
are reference data any valid token reads (a client needs them to know what
to push where); published results are public to every token; the figures'
history is limited to the client's units and indicators.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any

from django.db.models import Count, Exists, OuterRef, Prefetch, Q, QuerySet
from django.utils import timezone

from dtis.api.models import ApiClient
from dtis.appraisal.management.commands.results import standing_json
from dtis.appraisal.publication import is_published
from dtis.appraisal.standings import standings
from dtis.frameworks.models import Framework, Indicator
from dtis.frameworks.services import summary
from dtis.reporting.cycles import is_open_for
from dtis.reporting.entry import diff_records, person_name
from dtis.reporting.models import Assignment, Cycle, Figure, Period

HistoricalFigure = Figure.history.model  # type: ignore[attr-defined]


# --- frameworks ------------------------------------------------------------------


def frameworks_summary() -> list[dict[str, Any]]:
    """`dtis frameworks list --json`, with every framework's indicators in one query."""
    rows = Framework.objects.order_by("code", "version").prefetch_related(
        Prefetch("indicators", queryset=Indicator.objects.order_by("order"))
    )
    return [summary(fw, fw.indicators.all()) for fw in rows]


# --- cycles ------------------------------------------------------------------------


def cycles() -> list[dict[str, Any]]:
    """`dtis cycles list --json` plus the framework version and the scope's code."""
    rows = (
        Cycle.objects.select_related("framework", "scope")
        .annotate(assessed_count=Count("assessed", distinct=True))
        .prefetch_related(Prefetch("periods", queryset=Period.objects.order_by("end", "-start")))
        .order_by("-year", "name", "pk")
    )
    return [
        {
            "id": c.pk,
            "name": c.name,
            "framework": c.framework.code,
            "framework_version": c.framework.version,
            "year": c.year,
            "scope": c.scope.code,
            "assessed_units": c.assessed_count,  # type: ignore[attr-defined]
            "periods": [
                {"kind": p.kind, "state": p.state, "unit_deadline": p.unit_deadline}
                for p in c.periods.all()
            ],
        }
        for c in rows
    ]


def periods(cycle: Cycle) -> list[dict[str, Any]]:
    """The cycle's periods; `open` is the period's own state today (a unit the
    office reopened it for may still write after it closes)."""
    today = timezone.localdate()
    out = []
    for p in cycle.periods.order_by("end", "-start"):
        out.append(
            {
                "code": p.kind,
                "name": f"{p.get_kind_display()} {cycle.year}",
                "start": p.start,
                "end": p.end,
                "unit_deadline": p.unit_deadline,
                "office_deadline": p.office_deadline,
                "state": p.state,
                "open": is_open_for(p, cycle.scope, today),
            }
        )
    return out


def published_results(cycle: Cycle) -> list[dict[str, object]] | None:
    """`dtis results show --json` once published; None before."""
    if not is_published(cycle):
        return None
    return [standing_json(row) for row in standings(cycle).rows()]


# --- history -----------------------------------------------------------------------


def history_rows(
    client: ApiClient,
    cycle: Cycle,
    *,
    unit: str = "",
    indicator: str = "",
    since: dt.datetime | None = None,
    until: dt.datetime | None = None,
) -> QuerySet[Any]:
    """The cycle's figure history the client may read, oldest first.

    A figure is the client's when its assessed unit or its indicator's lead
    unit is within the client's units (the same test as for writing), and its
    indicator among the client's indicators if the token names some.
    """
    paths = client.scope_paths()
    within = Q(pk__in=[])
    owned = Q(pk__in=[])
    for path in paths:
        within |= Q(assessed__unit__path__startswith=path)
        owned |= Q(owner__path__startswith=path)
    lead = Assignment.objects.filter(
        owned, assessed_id=OuterRef("assessed_id"), indicator_id=OuterRef("indicator_id")
    )
    rows = HistoricalFigure.objects.filter(period__cycle=cycle).filter(within | Exists(lead))
    if client.indicator_codes:
        rows = rows.filter(indicator__code__in=client.indicator_codes)
    if unit:
        rows = rows.filter(assessed__unit__code=unit.strip().upper())
    if indicator:
        rows = rows.filter(indicator__code=indicator.strip())
    if since is not None:
        rows = rows.filter(history_date__gte=_aware(since))
    if until is not None:
        rows = rows.filter(history_date__lt=_aware(until))
    return rows.select_related("history_user", "indicator", "assessed__unit", "period").order_by(
        "history_date", "history_id"
    )


def _aware(moment: dt.datetime) -> dt.datetime:
    """A time without zone is the deployment's local time (Asia/Ho_Chi_Minh)."""
    return timezone.make_aware(moment) if timezone.is_naive(moment) else moment


def history_page(records: Sequence[Any]) -> list[dict[str, Any]]:
    """One page of history rows (loaded with their names) and the version before each."""
    records = list(records)
    if not records:
        return []
    before = _previous_records(records)
    items = []
    for record in records:
        previous = before.get(record.history_id)
        items.append(
            {
                "id": record.history_id,
                "at": record.history_date,
                "who": person_name(record.history_user),
                "action": {"+": "created", "~": "changed", "-": "deleted"}[record.history_type],
                "why": record.history_change_reason or "",
                "unit": record.assessed.unit.code,
                "indicator": record.indicator.code,
                "period": record.period.kind,
                "before": _state(previous) if previous is not None else None,
                "after": _state(record),
                "changes": [
                    {"field": d.label, "before": d.before, "after": d.after}
                    for d in diff_records(record.indicator, previous, record)
                ],
            }
        )
    return items


def _previous_records(records: list[Any]) -> dict[int, Any]:
    """For each record, the same figure's record just before it (one query:
    the page's figures' records up to the page's last; a figure has a few
    dozen versions a year at most)."""
    latest = max(r.history_date for r in records)
    chains: dict[int, list[Any]] = {}
    for row in HistoricalFigure.objects.filter(
        id__in={r.id for r in records}, history_date__lte=latest
    ).order_by("id", "history_date", "history_id"):
        chains.setdefault(row.id, []).append(row)
    out: dict[int, Any] = {}
    for r in records:
        chain = chains.get(r.id, [])
        position = next((i for i, c in enumerate(chain) if c.history_id == r.history_id), 0)
        if position > 0:
            out[r.history_id] = chain[position - 1]
    return out


def _state(record: Any) -> dict[str, Any]:
    return {
        "inputs": record.values or {},
        "note": record.note or "",
        "not_applicable": record.not_applicable,
        "self_points": float(record.self_points) if record.self_points is not None else None,
    }
