"""Assignments of a cycle (phân công): the table by main indicator, and for
the standing office editing one row, importing a file, copying last year's
and exporting to Excel.

People outside the office see the assignments of the assessed units they
hold a role on, and elsewhere only the indicators their units lead or
coordinate.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Q, QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from dtis.core.text import fold
from dtis.frameworks.models import Indicator
from dtis.orgs import policy
from dtis.orgs.models import Unit, User
from dtis.reporting.assignment_files import (
    XLSX_CONTENT_TYPE,
    assignment_update,
    assignments_copy,
    assignments_export,
    assignments_import,
)
from dtis.reporting.forms_cycles import AssignmentCopyForm, AssignmentForm, AssignmentImportForm
from dtis.reporting.models import AssessedUnit, Assignment, Cycle
from dtis.reporting.views.cycles import cycle_for


def _user(request: HttpRequest) -> User:
    return request.user  # type: ignore[return-value]


def _list_url(cycle: Cycle, assessed_id: int | None = None, anchor: str = "") -> str:
    url = reverse("reporting:assignment-list", kwargs={"pk": cycle.pk})
    if assessed_id:
        url += f"?unit={assessed_id}"
    return url + (f"#{anchor}" if anchor else "")


def _scope_units(cycle: Cycle) -> QuerySet[Unit]:
    """Units that may lead or coordinate: within the scope, not dissolved before the year."""
    return Unit.objects.within(cycle.scope).filter(
        Q(valid_to__isnull=True) | Q(valid_to__gte=dt.date(cycle.year, 1, 1))
    )


def _visible_assessed(user: User, cycle: Cycle, can_run: bool) -> list[AssessedUnit]:
    """Assessed units whose assignments the person sees (fully, or in part)."""
    rows = list(cycle.assessed.select_related("unit").order_by("unit__sort_key"))
    if can_run:
        return rows
    seen = policy.units_where(user, policy.Action.VIEW_UNIT)
    partly = set(
        Assignment.objects.filter(cycle=cycle)
        .filter(Q(owner__in=seen) | Q(coordinators__in=seen))
        .values_list("assessed_id", flat=True)
    )
    return [a for a in rows if policy.can(user, policy.Action.VIEW_UNIT, a.unit) or a.pk in partly]


def _main_of(indicators: dict[int, Indicator]) -> dict[int, Indicator]:
    """Each indicator's main indicator (the top of its branch)."""
    top: dict[int, Indicator] = {}
    for ind in indicators.values():
        cursor = ind
        while cursor.parent_id is not None and cursor.parent_id in indicators:
            cursor = indicators[cursor.parent_id]
        top[ind.pk] = cursor
    return top


@login_required
def assignment_list(request: HttpRequest, pk: int) -> HttpResponse:
    user = _user(request)
    cycle = cycle_for(request, pk)
    can_run = policy.can_run_cycle(user, cycle)
    choices = _visible_assessed(user, cycle, can_run)
    if not choices:
        raise PermissionDenied
    wanted = request.GET.get("unit", "")
    assessed = next((a for a in choices if str(a.pk) == wanted), choices[0])
    full = can_run or policy.can(user, policy.Action.VIEW_UNIT, assessed.unit)

    queryset = (
        Assignment.objects.filter(assessed=assessed)
        .select_related("owner")
        .prefetch_related("coordinators")
    )
    if not full:
        seen = policy.units_where(user, policy.Action.VIEW_UNIT)
        queryset = queryset.filter(
            Q(owner__in=seen) | Q(pk__in=Assignment.coordinators.through.objects.filter(
                unit__in=seen).values("assignment_id"))
        )  # fmt: skip
    assignments = list(queryset)
    indicators = {i.pk: i for i in cycle.framework.indicators.order_by("order")}
    main_of = _main_of(indicators)
    for a in assignments:
        a.indicator = indicators[a.indicator_id]

    # Filters: lead unit, main indicator, text (accent-insensitive).
    owners = sorted({a.owner for a in assignments}, key=lambda u: u.sort_key)
    owner_id = request.GET.get("owner", "")
    main_code = request.GET.get("main", "")
    query = request.GET.get("q", "").strip()
    shown = assignments
    if owner_id:
        shown = [a for a in shown if str(a.owner_id) == owner_id]
    if main_code:
        shown = [a for a in shown if main_of[a.indicator_id].code == main_code]
    if query:
        needle = fold(query)
        shown = [
            a
            for a in shown
            if needle in fold(f"{a.indicator.code} {a.indicator.name} {a.tasks} {a.evidence}")
        ]

    groups: dict[int, dict[str, Any]] = {}
    for a in sorted(shown, key=lambda a: a.indicator.order):
        main = main_of[a.indicator_id]
        group = groups.setdefault(main.pk, {"main": main, "rows": []})
        group["rows"].append(a)
    mains = [i for i in indicators.values() if i.parent_id is None]
    filtered = bool(owner_id or main_code or query)
    return render(
        request,
        "reporting/assignments/list.html",
        {
            "cycle": cycle,
            "assessed": assessed,
            "choices": choices,
            "groups": sorted(groups.values(), key=lambda g: g["main"].order),
            "count": len(shown),
            "total": len(assignments),
            "owners": owners,
            "mains": mains,
            "owner_id": owner_id,
            "main_code": main_code,
            "query": query,
            "filtered": filtered,
            "can_run": can_run,
            "partial": not full,
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def assignment_edit(request: HttpRequest, pk: int, assignment_id: int) -> HttpResponse:
    cycle = cycle_for(request, pk, run=True)
    assignment = get_object_or_404(
        Assignment.objects.select_related("indicator", "owner", "assessed__unit", "cycle__scope"),
        pk=assignment_id,
        cycle=cycle,
    )
    units = _scope_units(cycle)
    initial = {
        "owner": assignment.owner,
        "coordinators": list(assignment.coordinators.all()),
        "coordinators_text": assignment.coordinators_text,
        "tasks": assignment.tasks,
        "evidence": assignment.evidence,
        "due": assignment.due,
    }
    form = AssignmentForm(request.POST or None, units=units, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            assignment_update(
                actor=_user(request),
                assignment=assignment,
                owner=data["owner"],
                coordinators=data["coordinators"],
                coordinators_text=data["coordinators_text"],
                tasks=data["tasks"],
                evidence=data["evidence"],
                due=data["due"],
            )
        except ValidationError as exc:
            form.add_error(None, exc.messages)
        else:
            messages.success(
                request,
                _("Assignment of indicator %(code)s saved.") % {"code": assignment.indicator.code},
            )
            return redirect(
                _list_url(cycle, assignment.assessed_id, f"a-{assignment.indicator.code}")
            )
    return render(
        request,
        "reporting/assignments/form.html",
        {
            "cycle": cycle,
            "assignment": assignment,
            "form": form,
            "back": _list_url(cycle, assignment.assessed_id),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def assignment_import_view(request: HttpRequest, pk: int) -> HttpResponse:
    cycle = cycle_for(request, pk, run=True)
    initial = {}
    if request.GET.get("unit", "").isdigit():
        initial["assessed"] = cycle.assessed.filter(pk=int(request.GET["unit"])).first()
    form = AssignmentImportForm(
        request.POST or None, request.FILES or None, cycle=cycle, initial=initial
    )
    report = None
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        assessed = form.cleaned_data["assessed"]
        if upload.size > settings.UNIT_IMPORT_MAX_BYTES:
            form.add_error("file", _("The file is larger than 10 MB."))
        else:
            report = assignments_import(
                actor=_user(request),
                cycle=cycle,
                assessed=assessed,
                upload=upload.file,
                filename=upload.name,
            )
            if report.ok:
                messages.success(
                    request,
                    _("Import finished: %(updated)s assignments updated, %(unchanged)s "
                      "unchanged, %(skipped)s rows skipped (groups and unassigned rows).")
                    % {"updated": report.updated, "unchanged": report.unchanged,
                       "skipped": report.skipped},
                )  # fmt: skip
                if report.kept_with_unit:
                    names = sorted({p.message for p in report.kept_with_unit})
                    messages.warning(
                        request,
                        _("%(count)s indicators stay with %(unit)s because these offices are "
                          "not in the system: %(names)s.")
                        % {"count": len(report.kept_with_unit), "unit": assessed.unit.name,
                           "names": "; ".join(names)},
                    )  # fmt: skip
                return redirect(_list_url(cycle, assessed.pk))
    return render(
        request,
        "reporting/assignments/import.html",
        {"cycle": cycle, "form": form, "report": report},
    )


@login_required
@require_http_methods(["GET", "POST"])
def assignment_copy_view(request: HttpRequest, pk: int) -> HttpResponse:
    cycle = cycle_for(request, pk, run=True)
    form = AssignmentCopyForm(request.POST or None, cycle=cycle)
    if request.method == "POST" and form.is_valid():
        source = form.cleaned_data["source"]
        try:
            count = assignments_copy(actor=_user(request), source=source, target=cycle)
        except ValidationError as exc:
            form.add_error(None, exc.messages)
        else:
            messages.success(
                request,
                _("%(count)s assignments copied from “%(source)s”.")
                % {"count": count, "source": source.name},
            )
            return redirect(_list_url(cycle))
    return render(request, "reporting/assignments/copy.html", {"cycle": cycle, "form": form})


@login_required
def assignment_export_view(request: HttpRequest, pk: int) -> HttpResponse:
    user = _user(request)
    cycle = cycle_for(request, pk)
    rows = cycle.assessed.select_related("unit", "cycle__scope").order_by("unit__sort_key")
    wanted = request.GET.get("unit", "")
    assessed = rows.filter(pk=int(wanted)).first() if wanted.isdigit() else rows.first()
    if assessed is None:
        raise Http404
    if not policy.can_view_report(user, assessed):
        raise PermissionDenied
    data = assignments_export(cycle, assessed)
    response = HttpResponse(data, content_type=XLSX_CONTENT_TYPE)
    filename = f"phan-cong-{cycle.year}-{assessed.unit.code.lower()}.xlsx"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response
