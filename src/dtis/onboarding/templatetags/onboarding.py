"""`{% onboarding_tour as tour %}`: the tour data for the page, or None."""

from __future__ import annotations

from typing import Any

from django import template
from django.middleware.csrf import get_token
from django.urls import reverse

from dtis.onboarding.services import roles_of, tour_is_seen
from dtis.onboarding.tours import tour_payload

register = template.Library()


@register.simple_tag(takes_context=True)
def onboarding_tour(context: template.Context) -> dict[str, Any] | None:
    """The tour starts on the home page only, for a signed-in person past every
    sign-in step who has not seen their main role's tour. In training mode too
    (the trainee's own record, kept in the sandbox): trainees need it most."""
    request = context.get("request")
    match = getattr(request, "resolver_match", None)
    if request is None or match is None or match.view_name != "home":
        return None
    user = request.user
    if not user.is_authenticated or user.must_change_password or context.get("pending_step"):
        return None
    role, others = roles_of(user)
    if role is None or tour_is_seen(user=user, role=role):
        return None
    menu = {f"nav-{item['key']}" for item in context.get("nav_items") or ()}
    if context.get("nav_admin"):
        menu.add("nav-admin")

    def present(target: str) -> bool:
        # The menu depends on the person; the help menu and notifications are always there.
        return target in menu if target.startswith("nav-") else True

    return tour_payload(
        role,
        others,
        present=present,
        seen_url=reverse("onboarding:seen"),
        csrf_token=get_token(request),
    )
