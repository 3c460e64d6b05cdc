"""Assessment cycles: list, create, detail with periods, deadlines and reopenings.

Anyone with a role on an assessed unit, on a unit that leads or coordinates
an indicator, or in the standing office of the cycle's scope sees the
cycle; only the standing office (`policy.can_run_cycle`) creates cycles,
opens and closes periods, moves deadlines, reopens a period for a unit and,
on the province's own cycle, downloads its figures for the ministry
(`reporting.ministry`).
"""

from __future__ import annotations

import json
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Count, Prefetch, Q, QuerySet
from django.forms import Form
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from dtis.dashboards.targets import is_own
from dtis.orgs import policy
from dtis.orgs.models import Unit, User
from dtis.reporting.cycles import cycle_create, period_reopen, period_set_state
from dtis.reporting.forms_cycles import CycleCreateForm, PeriodDeadlinesForm, ReopenForm
from dtis.reporting.ministry import XLSX, ExportError, gather, ministry_json, ministry_xlsx
from dtis.reporting.models import AssessedUnit, Assignment, Cycle, Period, PeriodState

# Which button a period shows, by its state: (new state, label).
STATE_ACTIONS = {
    PeriodState.PLANNED: [(PeriodState.OPEN, gettext_lazy("Open"))],
    PeriodState.OPEN: [(PeriodState.CLOSED, gettext_lazy("Close"))],
    PeriodState.CLOSED: [(PeriodState.OPEN, gettext_lazy("Open again"))],
}
STATE_BADGES = {
    PeriodState.PLANNED: "muted-badge",
    PeriodState.OPEN: "ok",
    PeriodState.CLOSED: "warn",
}


# --- helpers (also used by the assignment screens) -------------------------------


def _user(request: HttpRequest) -> User:
    return request.user  # type: ignore[return-value]


def visible_cycles(user: User) -> QuerySet[Cycle]:
    """Cycles the person may open: the office's own, and those where they hold
    a role on an assessed unit or on a unit leading or coordinating an indicator."""
    run = policy.units_where(user, policy.Action.RUN_CYCLE)
    seen = policy.units_where(user, policy.Action.VIEW_UNIT)
    return Cycle.objects.filter(
        Q(scope__in=run)
        | Q(pk__in=AssessedUnit.objects.filter(unit__in=seen).values("cycle_id"))
        | Q(pk__in=Assignment.objects.filter(owner__in=seen).values("cycle_id"))
        | Q(pk__in=Assignment.objects.filter(coordinators__in=seen).values("cycle_id"))
    )


def cycle_for(request: HttpRequest, pk: int, *, run: bool = False) -> Cycle:
    """The cycle, or 403 when the person may not see it (or not run it, with `run`)."""
    cycle = get_object_or_404(
        Cycle.objects.select_related("framework", "scope", "copied_from"), pk=pk
    )
    user = _user(request)
    if policy.can_run_cycle(user, cycle):
        return cycle
    if run or not visible_cycles(user).filter(pk=cycle.pk).exists():
        raise PermissionDenied
    return cycle


def period_badge(state: str) -> str:
    return STATE_BADGES.get(state, "muted-badge")  # type: ignore[call-overload]


def _form_errors(form: Form, exc: ValidationError) -> None:
    if hasattr(exc, "error_dict"):
        for key, errors in exc.message_dict.items():
            form.add_error(key if key in form.fields else None, errors)
    else:
        form.add_error(None, exc.messages)


# --- list and create ----------------------------------------------------------------


@login_required
def cycle_list(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    cycles = list(
        visible_cycles(user)
        .select_related("framework", "scope")
        .annotate(assessed_count=Count("assessed", distinct=True))
        .prefetch_related(Prefetch("periods", queryset=Period.objects.order_by("end", "-start")))
        .order_by("-year", "name")
    )
    for cycle in cycles:
        cycle.can_run = policy.can_run_cycle(user, cycle)  # type: ignore[attr-defined]
        for period in cycle.periods.all():
            period.badge = period_badge(period.state)  # type: ignore[attr-defined]
    return render(
        request,
        "reporting/cycles/list.html",
        {
            "cycles": cycles,
            "can_create": policy.units_where(user, policy.Action.RUN_CYCLE).exists(),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def cycle_create_view(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    scopes = policy.units_where(user, policy.Action.RUN_CYCLE)
    if not scopes.exists():
        raise PermissionDenied
    roots = list(policy.scope_roots(user, policy.Action.RUN_CYCLE)[:2])
    initial = {"scope": roots[0]} if len(roots) == 1 else {}
    form = CycleCreateForm(request.POST or None, scopes=scopes, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        assessed = form.assessed_units()
        if not assessed:
            form.add_error(
                "assessed_kind",
                _("%(scope)s has no unit of this type in %(year)s.")
                % {"scope": data["scope"].name, "year": data["year"]},
            )
        elif Cycle.objects.filter(
            scope=data["scope"], year=data["year"], name__iexact=data["name"].strip()
        ).exists():
            form.add_error("name", _("A cycle with this name already exists for this year."))
        else:
            try:
                cycle = cycle_create(
                    actor=user,
                    framework=data["framework"],
                    year=data["year"],
                    name=data["name"],
                    scope=data["scope"],
                    assessed=assessed,
                    unit_day=data["unit_day"],
                    office_day=data["office_day"],
                    year_unit_deadline=data["year_unit_deadline"],
                    year_office_deadline=data["year_office_deadline"],
                )
            except ValidationError as exc:
                _form_errors(form, exc)
            else:
                messages.success(
                    request,
                    _("Cycle “%(name)s” was created for %(count)s assessed units.")
                    % {"name": cycle.name, "count": len(assessed)},
                )
                return redirect("reporting:cycle-detail", pk=cycle.pk)
    return render(request, "reporting/cycles/form.html", {"form": form})


# --- detail, periods ----------------------------------------------------------------


def _reopen_units(cycle: Cycle) -> QuerySet[Unit]:
    """Units a period can be reopened for: assessed units and indicator leads."""
    return Unit.objects.filter(
        Q(pk__in=cycle.assessed.values("unit_id")) | Q(pk__in=cycle.assignments.values("owner_id"))
    )


def _render_detail(
    request: HttpRequest,
    cycle: Cycle,
    *,
    reopen_form: ReopenForm | None = None,
    deadline_form: tuple[int, PeriodDeadlinesForm] | None = None,
) -> HttpResponse:
    user = _user(request)
    can_run = policy.can_run_cycle(user, cycle)
    assessed = list(
        cycle.assessed.select_related("unit")
        .annotate(assignment_count=Count("assignments"))
        .order_by("peer_group", "unit__sort_key")
    )
    periods = list(cycle.periods.order_by("end", "-start"))
    today = timezone.localdate()
    for period in periods:
        # A report of a period not begun would be empty pages.
        period.reportable = (  # type: ignore[attr-defined]
            period.state != PeriodState.PLANNED or period.start <= today
        )
        period.badge = period_badge(period.state)  # type: ignore[attr-defined]
        period.actions = STATE_ACTIONS.get(period.state, [])  # type: ignore[attr-defined]
        if can_run:
            if deadline_form and deadline_form[0] == period.pk:
                period.form = deadline_form[1]  # type: ignore[attr-defined]
            else:
                period.form = PeriodDeadlinesForm(  # type: ignore[attr-defined]
                    initial={
                        "unit_deadline": period.unit_deadline,
                        "office_deadline": period.office_deadline,
                    },
                    prefix=f"p{period.pk}",
                    form_id=f"dl-{period.pk}",
                )
    reopenings = (
        [
            r
            for p in cycle.periods.prefetch_related("reopenings__unit", "reopenings__by")
            for r in p.reopenings.all()
        ]
        if can_run
        else []
    )
    if can_run and reopen_form is None:
        reopen_form = ReopenForm(cycle=cycle, units=_reopen_units(cycle))
    return render(
        request,
        "reporting/cycles/detail.html",
        {
            "cycle": cycle,
            "can_run": can_run,
            "sees_results": can_run or policy.can_view_all_results(user, cycle),
            "assessed": assessed,
            "periods": periods,
            "reopenings": reopenings,
            "reopen_form": reopen_form,
            # The province's own cycle: its figures go to the ministry (reporting.ministry).
            "ministry_export": can_run
            and is_own(cycle)
            and any(a.unit_id == cycle.scope_id for a in assessed),
        },
    )


@login_required
def cycle_detail(request: HttpRequest, pk: int) -> HttpResponse:
    return _render_detail(request, cycle_for(request, pk))


@login_required
@require_POST
def period_state_view(request: HttpRequest, pk: int, period_id: int) -> HttpResponse:
    cycle = cycle_for(request, pk, run=True)
    period = get_object_or_404(Period, pk=period_id, cycle=cycle)
    state = request.POST.get("state", "")
    try:
        period_set_state(actor=_user(request), period=period, state=state)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(
            request,
            _("%(period)s is now %(state)s.")
            % {"period": period.get_kind_display(), "state": period.get_state_display().lower()},
        )
    return redirect("reporting:cycle-detail", pk=cycle.pk)


@transaction.atomic
def _set_deadlines(actor: User, period: Period, data: dict[str, Any]) -> None:
    period.unit_deadline = data["unit_deadline"]
    period.office_deadline = data["office_deadline"]
    period._history_user = actor  # type: ignore[attr-defined]
    period.save(update_fields=["unit_deadline", "office_deadline"])


@login_required
@require_POST
def period_deadlines_view(request: HttpRequest, pk: int, period_id: int) -> HttpResponse:
    cycle = cycle_for(request, pk, run=True)
    period = get_object_or_404(Period, pk=period_id, cycle=cycle)
    form = PeriodDeadlinesForm(request.POST, prefix=f"p{period.pk}", form_id=f"dl-{period.pk}")
    if not form.is_valid():
        return _render_detail(request, cycle, deadline_form=(period.pk, form))
    _set_deadlines(_user(request), period, form.cleaned_data)
    messages.success(
        request, _("Deadlines of %(period)s saved.") % {"period": period.get_kind_display()}
    )
    return redirect("reporting:cycle-detail", pk=cycle.pk)


@login_required
@require_POST
def period_reopen_view(request: HttpRequest, pk: int) -> HttpResponse:
    cycle = cycle_for(request, pk, run=True)
    form = ReopenForm(request.POST, cycle=cycle, units=_reopen_units(cycle))
    if form.is_valid():
        data = form.cleaned_data
        try:
            period_reopen(
                actor=_user(request),
                period=data["period"],
                unit=data["unit"],
                until=data["until"],
                reason=data["reason"],
            )
        except ValidationError as exc:
            _form_errors(form, exc)
        else:
            messages.success(
                request,
                _("%(period)s was reopened for %(unit)s.")
                % {"period": data["period"].get_kind_display(), "unit": data["unit"].name},
            )
            return redirect("reporting:cycle-detail", pk=cycle.pk)
    return _render_detail(request, cycle, reopen_form=form)


@login_required
@require_GET
def ministry_export_view(request: HttpRequest, pk: int) -> HttpResponse:
    """The province's yearly figures and evidence list for the ministry, for the
    standing office only: `?format=xlsx` (default) or `?format=json`."""
    cycle = cycle_for(request, pk, run=True)
    fmt = request.GET.get("format", "xlsx")
    if fmt not in ("xlsx", "json"):
        raise Http404
    try:
        export = gather(cycle, base_url=settings.SITE_URL or request.build_absolute_uri("/"))
    except ExportError as exc:
        messages.error(request, str(exc))
        return redirect("reporting:cycle-detail", pk=cycle.pk)
    if fmt == "xlsx":
        response = HttpResponse(ministry_xlsx(export), content_type=XLSX)
    else:
        body = json.dumps(ministry_json(export), ensure_ascii=False, indent=2)
        response = HttpResponse(body, content_type="application/json; charset=utf-8")
    name = f"so-lieu-dti-{export.unit.code.lower()}-{cycle.year}.{fmt}"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response
