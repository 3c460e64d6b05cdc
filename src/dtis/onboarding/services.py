"""Reading and recording whether a person saw their tour."""

from __future__ import annotations

from dtis.onboarding.models import TourSeen
from dtis.onboarding.tours import main_role, other_roles
from dtis.orgs import policy
from dtis.orgs.models import Role, User


def roles_of(user: User) -> tuple[Role | None, list[Role]]:
    """The person's main role and their other roles, from the grants the
    policy caches for the request (no query on the home page)."""
    held = [grant.role for grant in policy.grants_of(user)]
    main = main_role(held, superuser=user.is_superuser)
    return main, other_roles(held, main) if main is not None else []


def tour_is_seen(*, user: User, role: Role) -> bool:
    return TourSeen.objects.filter(user=user, role=role).exists()


def tour_mark_seen(*, user: User, role: Role) -> None:
    # get_or_create: a second tab closing the same tour finds the row.
    TourSeen.objects.get_or_create(user=user, role=role)


def tour_forget(*, user: User, role: Role) -> None:
    TourSeen.objects.filter(user=user, role=role).delete()
