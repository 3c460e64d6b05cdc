"""The appraisal council of a cycle: who sits on it and which indicator
groups each member appraises. Set up by the standing office."""

from __future__ import annotations

from collections.abc import Iterable

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from dtis.appraisal.models import CouncilMember, CouncilRole
from dtis.frameworks.models import Indicator
from dtis.orgs import policy
from dtis.orgs.models import User
from dtis.reporting.models import Cycle


def main_indicators(cycle: Cycle) -> list[Indicator]:
    return list(
        Indicator.objects.filter(
            framework_id=cycle.framework_id, parent__isnull=True, max_points__gt=0
        ).order_by("order")
    )


@transaction.atomic
def council_seat_set(
    *,
    actor: User,
    cycle: Cycle,
    user: User,
    role: str,
    groups: Iterable[Indicator],
) -> CouncilMember:
    """Seat a person (or change their role and groups). One chair per cycle."""
    if not policy.can_run_cycle(actor, cycle):
        raise PermissionDenied
    if role not in CouncilRole.values:
        raise ValidationError(_("Choose the person's role on the council."))
    if not user.is_active:
        raise ValidationError(_("This account is locked; choose an active account."))
    allowed = {m.pk for m in main_indicators(cycle)}
    groups = list(groups)
    if any(g.pk not in allowed for g in groups):
        raise ValidationError(_("Choose indicator groups of this cycle's framework."))
    if role == CouncilRole.CHAIR:
        other = cycle.council.filter(role=CouncilRole.CHAIR).exclude(user=user).first()
        if other is not None:
            raise ValidationError(
                _("%(name)s already chairs this council; change their role first.")
                % {"name": other.user.full_name or other.user.username}
            )
    seat, _created = CouncilMember.objects.update_or_create(
        cycle=cycle, user=user, defaults={"role": role}
    )
    seat.groups.set(groups)
    policy.forget_grants(user)
    return seat


@transaction.atomic
def council_seat_remove(*, actor: User, cycle: Cycle, seat: CouncilMember) -> None:
    if not policy.can_run_cycle(actor, cycle) or seat.cycle_id != cycle.pk:
        raise PermissionDenied
    seat.delete()
