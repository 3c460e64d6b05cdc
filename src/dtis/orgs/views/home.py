from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone

from dtis.orgs import policy
from dtis.orgs.models import RoleGrant
from dtis.reporting.chase import my_open_items


@login_required
def home(request: HttpRequest) -> HttpResponse:
    """The reports waiting for the signed-in person (due, overdue, returned),
    their units and roles, and what each role lets them do."""
    grants = (
        RoleGrant.objects.filter(user=request.user)
        .select_related("unit", "unit__parent")
        .order_by("unit__sort_key", "role")
    )
    by_unit: dict[int, dict[str, object]] = {}
    for grant in grants:
        entry = by_unit.setdefault(grant.unit_id, {"unit": grant.unit, "roles": []})
        entry["roles"].append(grant)  # type: ignore[attr-defined]
    user = request.user
    return render(
        request,
        "orgs/home.html",
        {
            "memberships": list(by_unit.values()),
            "open_items": my_open_items(user, timezone.localdate()),  # type: ignore[arg-type]
            "can_manage_units": policy.units_where(user, policy.Action.MANAGE_UNITS).exists(),  # type: ignore[arg-type]
        },
    )
