"""Plan screens: list, draft from a published result, plan page, edit,
approve, task progress, and the document downloads.

Views coordinate: every "who may" is asked of `dtis.orgs.policy`, every
change goes through `dtis.plans.draft` or `dtis.plans.services`.
"""

from __future__ import annotations

import importlib
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from dtis.appraisal.models import Stage
from dtis.orgs import policy
from dtis.orgs.models import Unit, User
from dtis.plans import services
from dtis.plans.draft import DraftError, draft, save_draft
from dtis.plans.forms import DraftForm, PlanForm, ProgressForm, TaskFormSet, version_of
from dtis.plans.models import Plan, PlanTask, TaskStatus
from dtis.reporting.models import AssessedUnit

STATUS_BADGES = {
    TaskStatus.NOT_STARTED: "muted-badge",
    TaskStatus.IN_PROGRESS: "info",
    TaskStatus.NEEDS_EVIDENCE: "warn",
    TaskStatus.DONE: "ok",
}
DOCUMENTS = {
    "docx": (
        "plan_docx",
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    ),
    "xlsx": ("plan_xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
}


def _user(request: HttpRequest) -> User:
    return request.user  # type: ignore[return-value]


def _plans() -> QuerySet[Plan]:
    return Plan.objects.select_related(
        "source__unit", "source__cycle__scope", "source__cycle__framework", "approved_by"
    )


def _plan(request: HttpRequest, pk: int) -> Plan:
    """The plan, or 403 when the person may not see it."""
    plan = get_object_or_404(_plans(), pk=pk)
    if not policy.can_view_plan(_user(request), plan):
        raise PermissionDenied
    return plan


def _decorate(tasks: list[PlanTask], plan: Plan, user: User) -> None:
    today = timezone.localdate()
    for t in tasks:
        t.can_update = policy.can_update_task(user, t)  # type: ignore[attr-defined]
        t.badge = STATUS_BADGES.get(t.status, "muted-badge")  # type: ignore[attr-defined, call-overload]
        t.overdue = plan.approved and t.is_overdue(today)  # type: ignore[attr-defined]


# --- list ---------------------------------------------------------------------------


@login_required
@require_GET
def plan_list(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    plans = list(_plans().filter(pk__in=policy.plans_visible_to(user)).order_by("-year", "-pk"))
    counts = services.task_counts(plans)
    for p in plans:
        p.counts = counts[p.pk]  # type: ignore[attr-defined]
    return render(
        request,
        "plans/list.html",
        {"plans": plans, "can_draft": _draftable(user).exists()},
    )


# --- draft ---------------------------------------------------------------------------


def _draftable(user: User) -> QuerySet[AssessedUnit]:
    """Assessed units of the published cycles the person's office ran."""
    runs = policy.units_where(user, policy.Action.RUN_CYCLE)
    return (
        AssessedUnit.objects.filter(
            cycle__scope__in=runs, cycle__outcome__stage=Stage.PUBLISHED, result__isnull=False
        )
        .select_related("unit", "cycle__scope")
        .order_by("-cycle__year", "cycle__name", "unit__sort_key", "pk")
    )


def _default_assessed(choices: list[AssessedUnit]) -> AssessedUnit | None:
    """The newest cycle's own scope unit if it is assessed (the province's own
    index), else the first unit of the newest cycle."""
    if not choices:
        return None
    newest = choices[0].cycle_id
    for a in choices:
        if a.cycle_id == newest and a.unit_id == a.cycle.scope_id:
            return a
    return choices[0]


@login_required
@require_http_methods(["GET", "POST"])
def plan_create(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    choices = _draftable(user)
    listed = list(choices)
    if not listed and not policy.units_where(user, policy.Action.RUN_CYCLE).exists():
        raise PermissionDenied
    initial = {}
    if (default := _default_assessed(listed)) is not None:
        initial["assessed"] = default.pk
    form = DraftForm(request.POST or None, choices=choices, initial=initial)
    preview = None
    status = 200
    if request.method == "POST":
        if not form.is_valid():
            status = 400
        else:
            assessed = form.cleaned_data["assessed"]
            if not policy.can_draft_plan(user, assessed.cycle):
                raise PermissionDenied
            try:
                preview = draft(
                    assessed,
                    target_total=form.cleaned_data["target_total"],
                    target_rank=form.cleaned_data["target_rank"],
                )
            except DraftError as exc:
                form.add_error(None, str(exc))
                status = 400
            else:
                if "save" in request.POST:
                    plan = save_draft(preview, user)
                    messages.success(
                        request,
                        _("The draft plan was saved: check its wording and tasks, then ask "
                          "a leader to approve it."),
                    )  # fmt: skip
                    return redirect("plans:detail", pk=plan.pk)
    return render(
        request,
        "plans/create.html",
        {"form": form, "preview": preview, "choices": listed},
        status=status,
    )


# --- plan page -------------------------------------------------------------------------


@login_required
@require_GET
def plan_detail(request: HttpRequest, pk: int) -> HttpResponse:
    user = _user(request)
    plan = _plan(request, pk)
    tasks = list(plan.tasks.select_related("owner").order_by("order", "pk"))
    _decorate(tasks, plan, user)
    counts = services.task_counts([plan])[plan.pk]
    return render(
        request,
        "plans/detail.html",
        {
            "plan": plan,
            "tasks": tasks,
            "counts": counts,
            "shortfall": max(plan.target_points - plan.current_points, 0)
            - sum((t.allocated for t in tasks), 0),
            "can_edit": policy.can_edit_plan(user, plan),
            "can_approve": policy.can_approve_plan(user, plan),
        },
    )


# --- edit --------------------------------------------------------------------------------


def _province_units(plan: Plan) -> list[Unit]:
    """Units a task can be given to: every unit under the source cycle's scope."""
    scope = plan.source.cycle.scope
    return list(Unit.objects.filter(path__startswith=scope.path).order_by("sort_key", "name", "pk"))


@login_required
@require_http_methods(["GET", "POST"])
def plan_edit(request: HttpRequest, pk: int) -> HttpResponse:
    user = _user(request)
    plan = _plan(request, pk)
    if not policy.can_edit_plan(user, plan):
        if plan.approved and policy.can_run_cycle(user, plan.source.cycle):
            messages.error(request, _("An approved plan can no longer be edited."))
            return redirect("plans:detail", pk=plan.pk)
        raise PermissionDenied
    units = _province_units(plan)
    tasks = plan.tasks.select_related("owner").order_by("order", "pk")
    data = request.POST if request.method == "POST" else None
    form = PlanForm(data, instance=plan)
    formset = TaskFormSet(data, queryset=tasks, form_kwargs={"units": units}, prefix="task")
    status = 200
    if request.method == "POST":
        if form.is_valid() and formset.is_valid():
            with transaction.atomic():
                locked = Plan.objects.select_for_update().get(pk=plan.pk)
                if locked.approved or form.cleaned_data["version"] != version_of(locked):
                    form.add_error(None, _("The plan changed meanwhile; nothing was saved."))
                else:
                    plan._history_user = user  # type: ignore[attr-defined]
                    form.save()
                    for task in formset.save(commit=False):
                        task._history_user = user  # type: ignore[attr-defined]
                        task.save()
                    services.reshare(plan)
                    messages.success(request, _("The plan was saved."))
                    return redirect("plans:detail", pk=plan.pk)
        status = 400
    rows = list(zip(formset.forms, [f.instance for f in formset.forms], strict=True))
    return render(
        request,
        "plans/edit.html",
        {"plan": plan, "form": form, "formset": formset, "rows": rows},
        status=status,
    )


# --- approve -----------------------------------------------------------------------------


@login_required
@require_POST
def plan_approve(request: HttpRequest, pk: int) -> HttpResponse:
    user = _user(request)
    plan = _plan(request, pk)
    if plan.approved:
        messages.error(request, _("This plan is already approved."))
        return redirect("plans:detail", pk=plan.pk)
    if not policy.can_approve_plan(user, plan):
        raise PermissionDenied
    try:
        services.approve(plan, user)
    except services.PlanError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, _("The plan is approved: its tasks are now tracked."))
    return redirect("plans:detail", pk=plan.pk)


# --- task progress -------------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def task_detail(request: HttpRequest, pk: int, task_id: int) -> HttpResponse:
    user = _user(request)
    task = get_object_or_404(
        PlanTask.objects.select_related(
            "plan__source__unit", "plan__source__cycle__scope", "owner", "updated_by"
        ),
        pk=task_id,
        plan_id=pk,
    )
    plan = task.plan
    can_update = policy.can_update_task(user, task)
    if not can_update and not policy.can_view_plan(user, plan):
        raise PermissionDenied
    status = 200
    form = ProgressForm(instance=task) if can_update else None
    if request.method == "POST":
        if not can_update:
            raise PermissionDenied
        form = ProgressForm(request.POST, instance=PlanTask.objects.get(pk=task.pk))
        if form.is_valid():
            fields = {name: form.cleaned_data[name] for name in services.TRACKED_FIELDS}
            try:
                services.update_task(task, user, **fields)
            except ValidationError as exc:
                for key, errors in exc.message_dict.items():
                    form.add_error(key if key in form.fields else None, errors)
            except services.PlanError as exc:
                form.add_error(None, str(exc))
            else:
                messages.success(request, _("The task's progress was saved."))
                return redirect("plans:task", pk=plan.pk, task_id=task.pk)
        status = 400
    _decorate([task], plan, user)
    history = list(
        task.history.select_related("history_user").order_by("-history_date", "-history_id")[:10]
    )
    return render(
        request,
        "plans/task.html",
        {"plan": plan, "task": task, "form": form, "history": history},
        status=status,
    )


# --- documents ---------------------------------------------------------------------------------


@login_required
@require_GET
def plan_document(request: HttpRequest, pk: int, fmt: str) -> HttpResponse:
    """The plan as an official document (DOCX) or its appendix (XLSX)."""
    plan = _plan(request, pk)
    maker, content_type = DOCUMENTS[fmt]
    try:
        documents: Any = importlib.import_module("dtis.plans.documents")
    except ImportError as exc:
        raise Http404 from exc
    content = getattr(documents, maker)(plan)
    response = HttpResponse(content, content_type=content_type)
    name = f"ke-hoach-{plan.year}-{plan.pk}.{fmt}"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


def plan_docx(request: HttpRequest, pk: int) -> HttpResponse:
    return plan_document(request, pk, "docx")


def plan_xlsx(request: HttpRequest, pk: int) -> HttpResponse:
    return plan_document(request, pk, "xlsx")
