from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone

from dtis.appraisal.explanations import open_requests_for
from dtis.orgs import policy
from dtis.orgs.models import Role
from dtis.reporting.chase import my_open_items


@login_required
def home(request: HttpRequest) -> HttpResponse:
    """The reports and explanation requests waiting for the signed-in person
    (due, overdue, returned), their units and roles, and what each role lets
    them do."""
    grants = policy.grant_rows(request.user)  # type: ignore[arg-type]
    by_unit: dict[int, dict[str, object]] = {}
    for grant in grants:
        entry = by_unit.setdefault(grant.unit_id, {"unit": grant.unit, "roles": []})
        entry["roles"].append(grant)  # type: ignore[attr-defined]
    user = request.user
    held = {grant.role for grant in grants}
    today = timezone.localdate()
    return render(
        request,
        "orgs/home.html",
        {
            "memberships": list(by_unit.values()),
            "open_items": my_open_items(user, today),  # type: ignore[arg-type]
            "open_requests": open_requests_for(user, today),  # type: ignore[arg-type]
            # What each role does first, as buttons: from the grants, no query.
            "reports": Role.REPORTER in held,
            "heads": Role.HEAD in held,
            "runs_cycles": Role.ADMIN in held or user.is_superuser,
            "appraises": Role.APPRAISER in held,
            "leads": Role.VIEWER in held,
            "can_manage_units": policy.units_where(user, policy.Action.MANAGE_UNITS).exists(),  # type: ignore[arg-type]
        },
    )
