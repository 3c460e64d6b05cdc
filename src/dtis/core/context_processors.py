"""Navigation by role: each person sees only the menus they can use."""

from __future__ import annotations

from django.http import HttpRequest
from django.urls import reverse
from django.utils.translation import gettext as _

from dtis.appraisal.workspace import has_workspace
from dtis.orgs import policy


def navigation(request: HttpRequest) -> dict[str, object]:
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated or user.must_change_password:
        return {"nav_items": []}
    items = [(_("Home"), reverse("home"), "home")]
    items.append((_("My reports"), reverse("reporting:my-reports"), "reports"))
    items.append((_("Assessment cycles"), reverse("reporting:cycle-list"), "cycles"))
    if has_workspace(user):
        items.append((_("Appraisal"), reverse("appraisal:cycles"), "appraisal"))
    items.append((_("Frameworks"), reverse("frameworks:list"), "frameworks"))
    items.append((_("Results"), reverse("appraisal:results"), "results"))
    if has_dashboard(user):
        items.append((_("Dashboard"), reverse("dashboards:index"), "dashboards"))
    if policy.sees_plans(user):
        items.append((_("Plans"), reverse("plans:list"), "plans"))
    # Administration pages fold into one menu when there are several, so the
    # office's bar stays on one line at 1280 px.
    admin = [(_("Units"), reverse("orgs:unit-list"), "units")]
    if policy.holds_role_for(user, policy.Action.MANAGE_ACCOUNTS):
        admin.append((_("Accounts"), reverse("orgs:user-list"), "accounts"))
    if policy.can_manage_api_clients(user):
        admin.append((_("API clients"), reverse("api-client-list"), "api-clients"))
    if user.is_superuser:
        admin.append((_("System admin"), reverse("admin:index"), "admin"))
    if len(admin) == 1:
        items += admin
        admin = []
    current = request.path

    def entries(rows: list[tuple[str, str, str]]) -> list[dict[str, object]]:
        return [
            {"label": label, "url": url, "key": key, "active": _is_active(url, current)}
            for label, url, key in rows
        ]

    more = entries(admin)
    return {
        "nav_items": entries(items),
        "nav_admin": more,
        "nav_admin_active": any(item["active"] for item in more),
    }


def has_dashboard(user: object) -> bool:
    """Office, leadership, council (roles on some unit) and unit heads: from the
    grants the policy caches, so the menu costs no query."""
    if getattr(user, "is_superuser", False):
        return True
    roles = {
        *policy.ALLOWED_ROLES[policy.Action.RUN_CYCLE],
        *policy.ALLOWED_ROLES[policy.Action.VIEW_RESULTS],
        *policy.ALLOWED_ROLES[policy.Action.SUBMIT_REPORT],
    }
    return any(g.role in roles for g in policy.grants_of(user))  # type: ignore[arg-type]


def _is_active(url: str, current: str) -> bool:
    return current == url if url == "/" else current.startswith(url)
