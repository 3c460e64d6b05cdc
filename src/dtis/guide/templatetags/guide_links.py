"""`{% role_guide as chapter %}`: the guide chapter for the signed-in
person's main role, so help is one click from where the question arises.
Costs no query: the roles come from the grants the policy caches for the
request, the chapters from the guide's in-process cache."""

from __future__ import annotations

from typing import Any

from django import template
from django.utils.translation import get_language

from dtis.guide.content import Chapter, role_chapter
from dtis.onboarding.services import roles_of

register = template.Library()


@register.simple_tag(takes_context=True)
def role_guide(context: Any) -> Chapter | None:
    request = context.get("request")
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return None
    role, _others = roles_of(user)
    if role is None:
        return None
    return role_chapter(str(role), (get_language() or "vi")[:2])
