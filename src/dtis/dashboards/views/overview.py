"""The overview dashboard for leadership and the standing office, and the
targets page (office only).

Who sees what (`dtis.orgs.policy`): `can_view_all_results` people (office,
council, leadership over the scope) see a cycle's overview; the office
(`can_run_cycle`) sets the targets. Charts are inline SVG drawn on the server
(`dashboards.charts`), each with a data table and an XLSX export.
"""

from __future__ import annotations

import io
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET
from openpyxl import Workbook

from dtis.appraisal.exports import XLSX
from dtis.appraisal.models import Stage
from dtis.dashboards import charts, pagecache
from dtis.dashboards.board import Board, board
from dtis.dashboards.forms import TargetForm
from dtis.dashboards.models import Target
from dtis.dashboards.targets import default_targets
from dtis.frameworks.models import Indicator
from dtis.orgs import policy
from dtis.reporting.models import AssessedUnit, Cycle

CHARTS = {
    "chi-so-chinh": "main",
    "xu-huong": "trend",
    "diem-mat": "lost",
    "tien-do": "progress",
}
LOST_ON_SCREEN = 30


def _cycle(cycle_id: int) -> Cycle:
    return get_object_or_404(
        Cycle.objects.select_related("framework", "scope", "outcome"), pk=cycle_id
    )


def _viewable(request: HttpRequest, cycle_id: int) -> Cycle:
    cycle = _cycle(cycle_id)
    if not policy.can_view_all_results(request.user, cycle):  # type: ignore[arg-type]
        raise PermissionDenied
    return cycle


@login_required
@require_GET
def index(request: HttpRequest) -> HttpResponse:
    """The cycles the person may see, the running and newest first."""
    user = request.user
    scopes = policy.units_where(user, policy.Action.VIEW_RESULTS)  # type: ignore[arg-type]
    runs = policy.units_where(user, policy.Action.RUN_CYCLE)  # type: ignore[arg-type]
    cycles = list(
        Cycle.objects.filter(Q(scope__in=scopes) | Q(scope__in=runs) | Q(council__user=user))
        .distinct()
        .select_related("framework", "scope", "outcome")
        .order_by("-year", "name")
    )
    cycles.sort(key=lambda c: (-c.year, _stage_of(c) == Stage.PUBLISHED, c.name))
    seen = policy.units_where(user, policy.Action.VIEW_UNIT)  # type: ignore[arg-type]
    own = []
    if not cycles:
        own = list(
            AssessedUnit.objects.filter(unit__in=seen)
            .select_related("cycle", "unit")
            .order_by("-cycle__year", "cycle__name")
        )
    return render(request, "dashboards/overview/index.html", {"cycles": cycles, "own": own})


def _stage_of(cycle: Cycle) -> str | None:
    outcome = getattr(cycle, "outcome", None)
    return outcome.stage if outcome is not None else None


@login_required
@require_GET
def overview(request: HttpRequest, cycle_id: int) -> HttpResponse:
    cycle = _viewable(request, cycle_id)
    can_set_targets = policy.can_run_cycle(request.user, cycle)  # type: ignore[arg-type]

    def build() -> dict[str, Any]:
        data = board(cycle)
        return {
            "cycle": cycle,
            "b": data,
            "stage": _stage_of(cycle),
            "can_set_targets": can_set_targets,
            "main_chart": charts.bars(data.mains, title=_("Main indicators")),
            "year_chart": charts.line(data.years, title=_("Index by year")),
            "quarter_chart": charts.line(data.quarters, title=_("Projected index by quarter"))
            if data.quarters
            else None,
            "lost_shown": data.lost[:LOST_ON_SCREEN],
        }

    body = pagecache.body(
        "overview", (cycle.pk, can_set_targets), "dashboards/overview/_overview.html", build
    )
    return render(request, "dashboards/overview/overview.html", {"cycle": cycle, "body": body})


@login_required
def targets(request: HttpRequest, cycle_id: int) -> HttpResponse:
    cycle = _cycle(cycle_id)
    if not policy.can_run_cycle(request.user, cycle):  # type: ignore[arg-type]
        raise PermissionDenied
    codes = set(
        Indicator.objects.filter(framework_id=cycle.framework_id).values_list("code", flat=True)
    )
    form = TargetForm(codes=codes)
    editing = None
    if request.method == "POST":
        action = request.POST.get("action", "save")
        if action == "defaults":
            made = default_targets(cycle, request.user)  # type: ignore[arg-type]
            messages.success(request, _("%(n)d targets added.") % {"n": len(made)})
            return redirect("dashboards:targets", cycle_id=cycle.pk)
        if action == "delete":
            target = get_object_or_404(Target, pk=request.POST.get("target"), cycle=cycle)
            target.delete()
            messages.success(request, _("Target deleted."))
            return redirect("dashboards:targets", cycle_id=cycle.pk)
        pk = request.POST.get("target")
        editing = get_object_or_404(Target, pk=pk, cycle=cycle) if pk else None
        form = TargetForm(request.POST, instance=editing, codes=codes)
        if form.is_valid():
            target = form.save(commit=False)
            target.cycle = cycle
            target.updated_by = request.user
            target.save()
            messages.success(request, _("Target saved."))
            return redirect("dashboards:targets", cycle_id=cycle.pk)
        messages.error(request, _("The target was not saved: correct the fields marked below."))
    elif request.GET.get("sua"):
        editing = get_object_or_404(Target, pk=request.GET["sua"], cycle=cycle)
        form = TargetForm(instance=editing, codes=codes)
    status = 400 if request.method == "POST" else 200
    return render(
        request,
        "dashboards/overview/targets.html",
        {
            "cycle": cycle,
            "targets": list(cycle.targets.all()),
            "form": form,
            "editing": editing,
        },
        status=status,
    )


@login_required
@require_GET
def chart_xlsx(request: HttpRequest, cycle_id: int, chart: str) -> HttpResponse:
    if chart not in CHARTS:
        raise Http404
    cycle = _viewable(request, cycle_id)
    data = board(cycle)
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = chart[:31]
    for row in _chart_rows(chart, data):
        sheet.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    response = HttpResponse(buffer.getvalue(), content_type=XLSX)
    response["Content-Disposition"] = f'attachment; filename="{chart}-{cycle.year}-{cycle.pk}.xlsx"'
    return response


def _f(value: Any) -> float | None:
    return None if value is None else float(value)


def _chart_rows(chart: str, data: Board) -> list[list[Any]]:
    if chart == "chi-so-chinh":
        rows: list[list[Any]] = [
            [_("Main indicator"), _("Index"), _("Target"), _("Peer average"), _("Best peer")]
        ]
        rows += [
            [b.label, _f(b.value), _f(b.target), _f(b.average), _f(b.best)] for b in data.mains
        ]
        return rows
    if chart == "xu-huong":
        rows = [[_("Period"), _("Index"), _("Projected")]]
        rows += [[p.label, _f(p.value), p.projected] for p in data.years + data.quarters]
        return rows
    if chart == "diem-mat":
        rows = [
            [
                _("Unit"),
                _("Code"),
                _("Indicator"),
                _("Points"),
                _("Max"),
                _("Recoverable"),
                _("Lead unit"),
            ]
        ]
        rows += [
            [r.unit, r.code, r.name, _f(r.points), _f(r.max_points), _f(r.recoverable), r.owner]
            for r in data.lost
        ]
        return rows
    rows = [[_("Unit"), _("Status"), _("Days late")]]
    rows += [[p.unit, p.label, p.days_late] for p in data.progress]
    return rows
