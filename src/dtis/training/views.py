"""The training page: the office makes or removes the sandbox; anyone starts
or stops practising in it."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from dtis.orgs import policy
from dtis.orgs.models import User
from dtis.reporting.models import Cycle
from dtis.training import sandbox
from dtis.training.middleware import SESSION_KEY


def _user(request: HttpRequest) -> User:
    return request.user  # type: ignore[return-value]


def may_manage(user: User) -> bool:
    return policy.holds_role_for(user, policy.Action.RUN_CYCLE)


@login_required
@require_http_methods(["GET", "POST"])
def home(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    if request.method == "POST":
        return _act(request, user, request.POST.get("action", ""))
    current = sandbox.current()
    manager = may_manage(user)
    cycles: list[Cycle] = []
    if manager:
        run = policy.units_where(user, policy.Action.RUN_CYCLE)
        cycles = list(
            Cycle.objects.filter(scope__in=run).select_related("scope").order_by("-year", "name")
        )
    return render(
        request,
        "training/home.html",
        {
            "sandbox": current,
            "manager": manager,
            "cycles": cycles,
            "people": sandbox.people(current, user) if sandbox.usable(current) else [],
            "outdated": current is not None and not sandbox.usable(current),
            "in_training": SESSION_KEY in request.session,
        },
    )


def _act(request: HttpRequest, user: User, action: str) -> HttpResponse:
    current = sandbox.current()
    if action == "leave":
        request.session.pop(SESSION_KEY, None)
        messages.success(request, _("You left training. You are working on the real data again."))
        return redirect("home")
    if action == "enter" and sandbox.usable(current):
        assert current is not None
        allowed = {p.pk: p for p in sandbox.people(current, user)}
        chosen = allowed.get(_int(request.POST.get("person")))
        if chosen is None:
            messages.error(request, _("Choose whom to practise as."))
            return redirect("training:home")
        request.session[SESSION_KEY] = chosen.pk
        messages.success(
            request,
            _("Training started as %(name)s. Nothing you do here changes the real data.")
            % {"name": chosen.full_name or chosen.username},
        )
        return redirect("home")
    if action in ("create", "delete"):
        if not may_manage(user):
            raise PermissionDenied
        if action == "delete":
            sandbox.delete()
            messages.success(request, _("The training sandbox was removed."))
            return redirect("training:home")
        source = request.POST.get("source", "")
        cycle = None
        if source != "demo":
            cycle = get_object_or_404(Cycle.objects.select_related("scope"), pk=_int(source))
            if not policy.can_run_cycle(user, cycle):
                raise PermissionDenied
        from dtis.ops.tasks import build_training_sandbox

        result = build_training_sandbox.delay(user.pk, cycle.pk if cycle else None)
        if result.ready():  # no worker configured: built while the page waited
            messages.success(
                request,
                _("The training sandbox is ready with %(rows)s figures. Trainees start it here.")
                % {"rows": result.get()["rows"]},
            )
        else:
            messages.info(
                request,
                _(
                    "The training sandbox is being prepared in the background; reload this "
                    "page in a minute or two."
                ),
            )
        return redirect("training:home")
    messages.error(request, _("Nothing was done: the request was not understood."))
    return redirect("training:home")


def _int(value: str | None) -> int | None:
    try:
        return int(value or "")
    except ValueError:
        return None
