"""The council's workspace: the cycles a person appraises, a cycle's queue and
stage, the council itself, one unit's items and the decisions on them.

Pages are for the cycle's council and the standing office that runs the cycle
(`workspace.may_open`); every change goes through a service (`council`,
`decisions`, `publication`), which checks the person again with the policy
and raises PermissionDenied (403) or ValidationError (the page shows it and
nothing changes). Decisions on an item answer htmx requests with the item's
fragment only, other requests with a redirect to the item on the unit page.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count, Q
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.formats import number_format
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from dtis.appraisal import workspace
from dtis.appraisal.council import council_seat_remove, council_seat_set
from dtis.appraisal.decisions import (
    bulk_accept,
    item_accept,
    item_correct,
    item_request_explanation,
    load_item,
)
from dtis.appraisal.forms import CorrectForm, ReopenForm, RequestForm, SeatForm, put_errors
from dtis.appraisal.models import DECIDED, CouncilMember, Item
from dtis.appraisal.publication import publish, reopen, sign_off
from dtis.frameworks.models import Indicator
from dtis.orgs import policy
from dtis.orgs.models import User
from dtis.reporting.models import AssessedUnit, Cycle

ALL = "all"  # ?show=all: every group instead of the person's own


# --- helpers ---------------------------------------------------------------------------


def _user(request: HttpRequest) -> User:
    return request.user  # type: ignore[return-value]


def _cycle(cycle_id: int) -> Cycle:
    return get_object_or_404(
        Cycle.objects.select_related("scope", "framework", "outcome"), pk=cycle_id
    )


def _workspace_cycle(request: HttpRequest, cycle_id: int) -> Cycle:
    """The cycle, or 403 unless the person sits on its council or runs it."""
    cycle = _cycle(cycle_id)
    if not workspace.may_open(_user(request), cycle):
        raise PermissionDenied
    return cycle


def _assessed(cycle: Cycle, assessed_id: int) -> AssessedUnit:
    assessed = get_object_or_404(
        AssessedUnit.objects.select_related("unit"), pk=assessed_id, cycle_id=cycle.pk
    )
    assessed.cycle = cycle
    return assessed


def _mine(request: HttpRequest) -> bool:
    return request.GET.get("show") != ALL


def _queue_url(cycle: Cycle) -> str:
    return reverse("appraisal:queue", args=[cycle.pk])


def _unit_url(cycle_id: int, assessed_id: int, item_id: int | None = None) -> str:
    url = reverse("appraisal:unit", args=[cycle_id, assessed_id])
    return f"{url}#item-{item_id}" if item_id else url


def _safe_next(request: HttpRequest, default: str) -> str:
    target = request.POST.get("next", "")
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return default


def _report(request: HttpRequest, exc: ValidationError) -> None:
    for message in exc.messages:
        messages.error(request, message)


# --- cycles and queue ------------------------------------------------------------------


@login_required
def cycle_list(request: HttpRequest) -> HttpResponse:
    rows = workspace.council_cycles(_user(request))
    return render(request, "appraisal/council/cycles.html", {"rows": rows})


@login_required
def queue(request: HttpRequest, cycle_id: int) -> HttpResponse:
    cycle = _workspace_cycle(request, cycle_id)
    data = workspace.load_queue(_user(request), cycle, mine=_mine(request))
    return render(
        request,
        "appraisal/council/queue.html",
        {"cycle": cycle, "queue": data, "reopen_form": ReopenForm(auto_id="reopen-%s")},
    )


# --- the council -----------------------------------------------------------------------


def _seat_form(cycle: Cycle, *args: Any, **kwargs: Any) -> SeatForm:
    people = (
        User.objects.filter(is_active=True, grants__unit__path__startswith=cycle.scope.path)
        .distinct()
        .order_by("full_name", "username")
    )
    groups = Indicator.objects.filter(
        framework_id=cycle.framework_id, parent__isnull=True, max_points__gt=0
    ).order_by("order")
    return SeatForm(*args, people=people, groups=groups, **kwargs)


@login_required
def council_page(request: HttpRequest, cycle_id: int) -> HttpResponse:
    """The office seats people on the council; members read it."""
    cycle = _cycle(cycle_id)
    user = _user(request)
    manages = policy.can_run_cycle(user, cycle)
    if not manages and (request.method == "POST" or policy.council_seat(user, cycle) is None):
        raise PermissionDenied
    status = 200
    form = None
    if manages and request.method == "POST":
        form = _seat_form(cycle, request.POST)
        if form.is_valid():
            try:
                seat = council_seat_set(
                    actor=user,
                    cycle=cycle,
                    user=form.cleaned_data["user"],
                    role=form.cleaned_data["role"],
                    groups=form.cleaned_data["groups"],
                )
            except ValidationError as exc:
                put_errors(form, exc)
            else:
                messages.success(
                    request,
                    _("%(name)s sits on the council as %(role)s.")
                    % {"name": seat.user.full_name, "role": seat.get_role_display().lower()},
                )
                return redirect("appraisal:council", cycle.pk)
        status = 400
    elif manages:
        initial: dict[str, Any] = {}
        edit = request.GET.get("edit", "")
        seat = cycle.council.filter(pk=edit).first() if edit.isdigit() else None
        if seat is not None:
            initial = {"user": seat.user_id, "role": seat.role, "groups": list(seat.groups.all())}
        form = _seat_form(cycle, initial=initial)
    context = {
        "cycle": cycle,
        "seats": workspace.seats_of(cycle),
        "form": form,
        "manages": manages,
    }
    return render(request, "appraisal/council/council.html", context, status=status)


@login_required
@require_POST
def council_remove(request: HttpRequest, cycle_id: int, seat_id: int) -> HttpResponse:
    cycle = _cycle(cycle_id)
    if not policy.can_run_cycle(_user(request), cycle):
        raise PermissionDenied
    seat = get_object_or_404(
        CouncilMember.objects.select_related("user"), pk=seat_id, cycle_id=cycle.pk
    )
    council_seat_remove(actor=_user(request), cycle=cycle, seat=seat)
    messages.success(
        request, _("%(name)s no longer sits on the council.") % {"name": seat.user.full_name}
    )
    return redirect("appraisal:council", cycle.pk)


# --- one unit's items --------------------------------------------------------------------


def _with_forms(view: workspace.ItemView, correct: Any = None, request_form: Any = None) -> None:
    """The item's decision forms: the bound ones given, blank ones otherwise."""
    pk = view.item.pk
    if view.can_correct:
        view.correct_form = correct or CorrectForm(auto_id=f"correct-{pk}-%s")
    if view.can_request:
        view.request_form = request_form or RequestForm(auto_id=f"request-{pk}-%s")


def _render_unit(
    request: HttpRequest,
    cycle: Cycle,
    assessed: AssessedUnit,
    *,
    mine: bool,
    failed: Item | None = None,
    correct: Any = None,
    request_form: Any = None,
    errors: list[str] | None = None,
    status: int = 200,
) -> HttpResponse:
    data = workspace.load_unit_items(_user(request), cycle, assessed, mine=mine)
    if data is None:
        raise Http404
    if failed is not None and not any(v.item.pk == failed.pk for v in data.items):
        data = workspace.load_unit_items(_user(request), cycle, assessed, mine=False)
        assert data is not None
    for view in data.items:
        if failed is not None and view.item.pk == failed.pk:
            _with_forms(view, correct, request_form)
            view.errors = errors or []
        else:
            _with_forms(view)
    context = {
        "cycle": cycle,
        "assessed": assessed,
        "data": data,
        "failed": failed,
        "progress": _progress(assessed),
    }
    return render(request, "appraisal/council/unit.html", context, status=status)


def _progress(assessed: AssessedUnit) -> dict[str, int]:
    """Decided and total items of the whole unit (every group)."""
    counts = Item.objects.filter(assessed=assessed).aggregate(
        total=Count("pk"), decided=Count("pk", filter=Q(state__in=DECIDED))
    )
    counts["percent"] = workspace.percent(counts["decided"], counts["total"])
    return counts


@login_required
def unit_items(request: HttpRequest, cycle_id: int, assessed_id: int) -> HttpResponse:
    cycle = _workspace_cycle(request, cycle_id)
    assessed = _assessed(cycle, assessed_id)
    return _render_unit(request, cycle, assessed, mine=_mine(request))


@login_required
@require_POST
def unit_bulk_accept(request: HttpRequest, cycle_id: int, assessed_id: int) -> HttpResponse:
    cycle = _workspace_cycle(request, cycle_id)
    assessed = _assessed(cycle, assessed_id)
    try:
        count = bulk_accept(actor=_user(request), assessed=assessed)
    except ValidationError as exc:
        _report(request, exc)
    else:
        if count:
            messages.success(
                request,
                ngettext(
                    "Accepted %(n)s untouched item of %(unit)s in your groups.",
                    "Accepted %(n)s untouched items of %(unit)s in your groups.",
                    count,
                )
                % {"n": count, "unit": assessed.unit.display_name},
            )
        else:
            messages.info(
                request,
                _("%(unit)s has no untouched item in your groups.")
                % {"unit": assessed.unit.display_name},
            )
    return redirect(_safe_next(request, _queue_url(cycle)))


# --- decisions on one item ----------------------------------------------------------------


def _item(request: HttpRequest, item_id: int) -> Item:
    try:
        item = load_item(item_id)
    except Item.DoesNotExist as exc:
        raise Http404 from exc
    if not workspace.may_open(_user(request), item.period.cycle):
        raise PermissionDenied
    return item


def _answer(
    request: HttpRequest,
    item: Item,
    *,
    done: str = "",
    correct: Any = None,
    request_form: Any = None,
    errors: list[str] | None = None,
) -> HttpResponse:
    """After a decision: the item's fragment (htmx) or the unit page; 400 when refused."""
    failed = bool(errors) or any(f is not None and f.errors for f in (correct, request_form))
    status = 400 if failed else 200
    cycle, assessed = item.period.cycle, item.assessed
    assessed.cycle = cycle
    if getattr(request, "htmx", False):
        data = workspace.load_unit_items(
            _user(request), cycle, assessed, mine=False, only=[item.pk]
        )
        assert data is not None and data.items
        view = data.items[0]
        if failed:
            _with_forms(view, correct, request_form)
        else:
            _with_forms(view)
        view.errors = errors or []
        view.flash = done
        context = {
            "cycle": cycle,
            "assessed": assessed,
            "data": data,
            "view": view,
            "progress": _progress(assessed),
            "oob": True,
        }
        return render(request, "appraisal/council/_item.html", context, status=status)
    if failed:
        return _render_unit(
            request,
            cycle,
            assessed,
            mine=True,
            failed=item,
            correct=correct,
            request_form=request_form,
            errors=errors,
            status=400,
        )
    messages.success(request, done)
    return redirect(_unit_url(cycle.pk, assessed.pk, item.pk))


@login_required
@require_POST
def item_accept_view(request: HttpRequest, item_id: int) -> HttpResponse:
    item = _item(request, item_id)
    try:
        item_accept(actor=_user(request), item=item)
    except ValidationError as exc:
        return _answer(request, item, errors=exc.messages)
    return _answer(
        request,
        item,
        done=_("Indicator %(code)s: the self score is accepted.") % {"code": item.indicator.code},
    )


@login_required
@require_POST
def item_correct_view(request: HttpRequest, item_id: int) -> HttpResponse:
    item = _item(request, item_id)
    if not policy.can_appraise(_user(request), item.period.cycle, item.main_id):
        raise PermissionDenied
    form = CorrectForm(
        request.POST, auto_id=f"correct-{item.pk}-%s", maximum=item.indicator.max_points
    )
    if form.is_valid():
        try:
            item_correct(
                actor=_user(request),
                item=item,
                points=form.cleaned_data["points"],
                reason_code=form.cleaned_data["reason_code"],
                reason=form.cleaned_data["reason"],
            )
        except ValidationError as exc:
            put_errors(form, exc)
        else:
            return _answer(
                request,
                item,
                done=_("Indicator %(code)s: the score is corrected to %(points)s.")
                % {
                    "code": item.indicator.code,
                    "points": _points(item.appraised_points),
                },
            )
    return _answer(request, item, correct=form, errors=list(form.non_field_errors()))


@login_required
@require_POST
def item_request_view(request: HttpRequest, item_id: int) -> HttpResponse:
    item = _item(request, item_id)
    if not policy.can_appraise(_user(request), item.period.cycle, item.main_id):
        raise PermissionDenied
    form = RequestForm(request.POST, auto_id=f"request-{item.pk}-%s")
    if form.is_valid():
        try:
            explanation = item_request_explanation(
                actor=_user(request),
                item=item,
                question=form.cleaned_data["question"],
                due=form.cleaned_data["due"],
            )
        except ValidationError as exc:
            put_errors(form, exc)
        else:
            return _answer(
                request,
                item,
                done=_("Indicator %(code)s: explanation requested, due %(due)s.")
                % {"code": item.indicator.code, "due": explanation.due.strftime("%d/%m/%Y")},
            )
    return _answer(request, item, request_form=form, errors=list(form.non_field_errors()))


def _points(value: Any) -> str:
    return number_format(value, 2) if value is not None else "—"


# --- the cycle's stage -----------------------------------------------------------------


@login_required
@require_POST
def sign_off_view(request: HttpRequest, cycle_id: int) -> HttpResponse:
    cycle = _cycle(cycle_id)
    try:
        sign_off(actor=_user(request), cycle=cycle)
    except ValidationError as exc:
        _report(request, exc)
    else:
        messages.success(request, _("The results are signed off and locked."))
    return redirect(_queue_url(cycle))


@login_required
@require_POST
def reopen_view(request: HttpRequest, cycle_id: int) -> HttpResponse:
    cycle = _cycle(cycle_id)
    try:
        reopen(actor=_user(request), cycle=cycle, reason=request.POST.get("reason", ""))
    except ValidationError as exc:
        _report(request, exc)
    else:
        messages.success(request, _("The results are reopened for appraisal."))
    return redirect(_queue_url(cycle))


@login_required
@require_POST
def publish_view(request: HttpRequest, cycle_id: int) -> HttpResponse:
    cycle = _cycle(cycle_id)
    try:
        publish(actor=_user(request), cycle=cycle)
    except ValidationError as exc:
        _report(request, exc)
    else:
        messages.success(
            request, _("The results are published; the assessed units have been told.")
        )
    return redirect(_queue_url(cycle))
