from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import redirect
from django.views.decorators.http import require_GET, require_POST

from dtis.onboarding.services import roles_of, tour_forget, tour_mark_seen


@login_required
@require_POST
def seen(request: HttpRequest) -> HttpResponse:
    """The tour was finished or dismissed (app.js posts here): it does not
    start by itself again."""
    role, _ = roles_of(request.user)  # type: ignore[arg-type]
    if role is not None:
        tour_mark_seen(user=request.user, role=role)  # type: ignore[arg-type]
    return HttpResponse(status=204)


@login_required
@require_GET
def replay(request: HttpRequest) -> HttpResponseRedirect:
    """The help menu's "replay the tour": the home page starts it again."""
    role, _ = roles_of(request.user)  # type: ignore[arg-type]
    if role is not None:
        tour_forget(user=request.user, role=role)  # type: ignore[arg-type]
    return redirect("home")
