"""Results: the multi-level overview, the peer ranking, one unit's detailed
result, self versus appraised, emulation and reward, and their exports.

Who sees what (`dtis.orgs.policy`): the standing office, the council and the
leadership over the scope see every result at every stage (marked
provisional until published); the people of an assessed unit see the
ranking and their own unit's detail once the cycle is published, never
another unit's detail and nothing before publication.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import Prefetch, Q, QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET

from dtis.appraisal import exports
from dtis.appraisal.badges import stage_badge, state_badge
from dtis.appraisal.emulation import emulation as emulation_table
from dtis.appraisal.gaps import gaps as gaps_table
from dtis.appraisal.models import (
    CouncilMember,
    ExplanationRequest,
    IndicatorResult,
    Item,
    ItemState,
    ReasonCode,
    Stage,
    UnitResult,
)
from dtis.appraisal.standings import order_key, standings
from dtis.appraisal.views.access import (
    Access,
    band_class,
    cycle_access,
    ranking_access,
    results_context,
    stage_label,
    stage_of,
    user_of,
)
from dtis.core.text import vi_sort_key
from dtis.frameworks.models import Level
from dtis.orgs import policy
from dtis.orgs.models import User
from dtis.reporting.models import AssessedUnit, Cycle

# Columns of the overview, by the level of the cycle's framework.
LEVEL_COLUMNS = [
    ("own", gettext_lazy("The province's own index"), {Level.PROVINCE, Level.MINISTRY}),
    ("departments", gettext_lazy("Departments"), {Level.DEPARTMENT}),
    ("communes", gettext_lazy("Communes and wards"), {Level.DISTRICT, Level.COMMUNE}),
]
TOP = 5  # units shown on an overview card


# --- the overview ----------------------------------------------------------------------


def result_cycles(user: User) -> QuerySet[Cycle]:
    """Cycles whose results the person may see: every cycle where they see all
    results (office, leadership, council), and the published cycles assessing
    one of their units."""
    run = policy.units_where(user, policy.Action.RUN_CYCLE)
    lead = policy.units_where(user, policy.Action.VIEW_RESULTS)
    mine = policy.units_where(user, policy.Action.VIEW_UNIT)
    seats = CouncilMember.objects.filter(user=user).values("cycle_id")
    published = AssessedUnit.objects.filter(
        unit__in=mine, cycle__outcome__stage=Stage.PUBLISHED
    ).values("cycle_id")
    return Cycle.objects.filter(
        Q(scope__in=run) | Q(scope__in=lead) | Q(pk__in=seats) | Q(pk__in=published)
    )


@dataclass
class Card:
    cycle: Cycle
    stage: str | None
    stage_label: str
    stage_badge: str
    results: list[UnitResult]
    own: list[UnitResult]
    ranked: int
    can_open: bool

    @property
    def single(self) -> UnitResult | None:
        """The one unit of a cycle that assesses a single unit (the province itself)."""
        return self.results[0] if len(self.results) == 1 else None

    @property
    def top(self) -> list[UnitResult]:
        return self.results[:TOP]


@login_required
@require_GET
def index(request: HttpRequest) -> HttpResponse:
    user = user_of(request)
    visible = result_cycles(user)
    years = sorted(set(visible.values_list("year", flat=True)), reverse=True)
    with_results = set(visible.filter(results__isnull=False).values_list("year", flat=True))
    year = max(with_results, default=years[0] if years else None)
    asked = request.GET.get("nam", "").strip()
    notice = ""
    if asked and asked.isdigit() and int(asked) in years:
        year = int(asked)
    elif asked:
        notice = _("There are no results of “%(asked)s” for you to see.") % {"asked": asked[:10]}
    cycles = (
        list(visible.filter(year=year).select_related("framework", "scope", "outcome"))
        if year is not None
        else []
    )
    results: dict[int, list[UnitResult]] = {c.pk: [] for c in cycles}
    for r in UnitResult.objects.filter(cycle__in=cycles).select_related("assessed__unit"):
        results[r.cycle_id].append(r)
    mine = set(
        AssessedUnit.objects.filter(
            cycle__in=cycles, unit__in=policy.units_where(user, policy.Action.VIEW_UNIT)
        ).values_list("pk", flat=True)
    )

    scopes: dict[int, dict[str, Any]] = {}
    for cycle in cycles:
        stage = stage_of(cycle)
        rows = sorted(results[cycle.pk], key=order_key)
        sees_all = policy.can_view_all_results(user, cycle)
        own = [r for r in rows if r.assessed_id in mine]
        card = Card(
            cycle=cycle,
            stage=stage,
            stage_label=stage_label(stage),
            stage_badge=stage_badge(stage),
            results=rows,
            own=[] if sees_all and len(own) == len(rows) else own,
            ranked=sum(1 for r in rows if r.rank),
            can_open=policy.can_view_ranking(user, cycle, stage == Stage.PUBLISHED, own),
        )
        for r in rows:
            r.band_class = band_class(cycle, r.band)  # type: ignore[attr-defined]
        scope = scopes.setdefault(
            cycle.scope_id,
            {"scope": cycle.scope, "columns": {key: [] for key, _l, _s in LEVEL_COLUMNS}},
        )
        key = next((k for k, _l, levels in LEVEL_COLUMNS if cycle.framework.level in levels), "own")
        scope["columns"][key].append(card)
    sections = []
    for scope in sorted(scopes.values(), key=lambda s: vi_sort_key(s["scope"].name)):
        columns = [
            {"key": key, "label": label, "cards": scope["columns"][key]}
            for key, label, _levels in LEVEL_COLUMNS
        ]
        sections.append({"scope": scope["scope"], "columns": columns})
    return render(
        request,
        "appraisal/results/index.html",
        {"year": year, "years": years, "sections": sections, "notice": notice},
    )


# --- the ranking ---------------------------------------------------------------------


@login_required
@require_GET
def ranking(request: HttpRequest, cycle_id: int) -> HttpResponse:
    access = ranking_access(request, cycle_id)
    table = standings(access.cycle)
    own = access.own_ids
    for row in table.rows():
        row.can_open = access.all or row.assessed.pk in own  # type: ignore[attr-defined]
        row.is_own = not access.all and row.assessed.pk in own  # type: ignore[attr-defined]
        row.band_class = band_class(access.cycle, row.result.band)  # type: ignore[attr-defined]
    return render(
        request,
        "appraisal/results/ranking.html",
        results_context(access, table=table, tab="ranking"),
    )


@login_required
@require_GET
def ranking_xlsx(request: HttpRequest, cycle_id: int) -> HttpResponse:
    access = ranking_access(request, cycle_id)
    response = HttpResponse(exports.ranking_xlsx(access.cycle), content_type=exports.XLSX)
    name = f"xep-hang-{access.cycle.year}-{access.cycle.pk}.xlsx"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


# --- one unit's result ---------------------------------------------------------------


@dataclass
class Line:
    """One indicator of the detailed result."""

    row: IndicatorResult
    depth: int
    leaf: bool
    item: Item | None

    @property
    def corrected(self) -> bool:
        return self.item is not None and self.item.state == ItemState.CORRECTED


@login_required
@require_GET
def unit_result(request: HttpRequest, cycle_id: int, assessed_id: int) -> HttpResponse:
    access = cycle_access(request, cycle_id)
    cycle = access.cycle
    assessed = get_object_or_404(
        AssessedUnit.objects.select_related("unit"), pk=assessed_id, cycle=cycle
    )
    assessed.cycle = cycle
    if not policy.can_view_unit_result(user_of(request), assessed, access.published):
        raise PermissionDenied
    today = timezone.localdate()
    table = standings(cycle)
    standing = table.row_for(assessed.pk)
    group = table.group_of(assessed.pk)
    lines: list[Line] = []
    if standing is not None:
        rows = list(
            IndicatorResult.objects.filter(result=standing.result)
            .select_related("indicator")
            .order_by("indicator__order")
        )
        parents = {r.indicator.parent_id for r in rows}
        requests = ExplanationRequest.objects.select_related(
            "requested_by", "answered_by"
        ).prefetch_related("evidence")
        items = {
            it.indicator_id: it
            for it in Item.objects.filter(assessed=assessed)
            .select_related("decided_by")
            .prefetch_related(Prefetch("requests", queryset=requests))
        }
        for r in rows:
            item = items.get(r.indicator_id)
            if item is not None:
                item.badge = state_badge(item.state)  # type: ignore[attr-defined]
                item.reason_label = dict(ReasonCode.choices).get(item.reason_code, "")  # type: ignore[attr-defined]
                for q in item.requests.all():
                    answered = q.answered_at and timezone.localtime(q.answered_at).date()
                    q.answered_late = bool(answered and answered > q.due)  # type: ignore[attr-defined]
                    q.overdue = not answered and q.due < today  # type: ignore[attr-defined]
            lines.append(Line(r, r.code.count("."), r.indicator_id not in parents, item))
        standing.band_class = band_class(cycle, standing.result.band)  # type: ignore[attr-defined]
    return render(
        request,
        "appraisal/results/unit.html",
        results_context(
            access,
            assessed=assessed,
            standing=standing,
            group=group,
            lines=lines,
            previous_cycle=table.previous_cycle,
            can_ranking=policy.can_view_ranking(
                user_of(request), cycle, access.published, access.own
            ),
        ),
    )


# --- self versus appraised -----------------------------------------------------------


@login_required
@require_GET
def gaps(request: HttpRequest, cycle_id: int) -> HttpResponse:
    # Whoever sees the ranking sees the gaps: all units for the office, the
    # council and the leadership; a unit's own rows once published.
    access = ranking_access(request, cycle_id)
    data = gaps_table(access.cycle, None if access.all else access.own_ids)
    for u in data.units:
        u.can_open = access.all or u.assessed.pk in access.own_ids  # type: ignore[attr-defined]
    return render(
        request,
        "appraisal/results/gaps.html",
        results_context(access, data=data, tab="gaps", only_own=not access.all),
    )


# --- emulation and reward ------------------------------------------------------------


def _emulation_access(request: HttpRequest, cycle_id: int) -> Access:
    access = cycle_access(request, cycle_id)
    if not access.all:
        raise PermissionDenied
    return access


@login_required
@require_GET
def emulation(request: HttpRequest, cycle_id: int) -> HttpResponse:
    access = _emulation_access(request, cycle_id)
    table = emulation_table(access.cycle)
    for band in table.bands:
        band.css = band_class(access.cycle, band.name)  # type: ignore[attr-defined]
    return render(
        request,
        "appraisal/results/emulation.html",
        results_context(access, table=table, tab="emulation", today=timezone.localdate()),
    )


@login_required
@require_GET
def emulation_xlsx(request: HttpRequest, cycle_id: int) -> HttpResponse:
    access = _emulation_access(request, cycle_id)
    response = HttpResponse(exports.emulation_xlsx(access.cycle), content_type=exports.XLSX)
    name = f"thi-dua-{access.cycle.year}-{access.cycle.pk}.xlsx"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response
