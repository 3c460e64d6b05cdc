"""Sign-off, reopening and publication of a cycle's results.

The chair signs off when every item of every unit that reported has been
decided: results lock (no item changes). Reopening needs a reason and is
recorded. Publishing (by the chair, or by the office once signed off) shows
every assessed unit its own result and the peer ranking, and tells them.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from dtis.appraisal.items import outcome_of
from dtis.appraisal.materialise import recompute
from dtis.appraisal.models import (
    DECIDED,
    CycleOutcome,
    Item,
    OutcomeAction,
    OutcomeEvent,
    Stage,
)
from dtis.appraisal.notify import notify, people_of
from dtis.orgs import policy
from dtis.orgs.models import Role, User
from dtis.reporting.models import Cycle


def _move(outcome: CycleOutcome, actor: User, action: str, to: str, reason: str = "") -> None:
    updated = CycleOutcome.objects.filter(pk=outcome.pk, version=outcome.version).update(
        stage=to,
        version=outcome.version + 1,
        signed_off_at=timezone.now() if to == Stage.SIGNED_OFF else outcome.signed_off_at,
        published_at=timezone.now() if to == Stage.PUBLISHED else outcome.published_at,
    )
    if updated != 1:
        raise ValidationError(_("Someone else changed these results just now. Reload the page."))
    outcome.refresh_from_db()
    OutcomeEvent.objects.create(outcome=outcome, by=actor, action=action, reason=reason)


def undecided(cycle: Cycle) -> dict[str, int]:
    """Unit name → items not decided yet, for the units whose reports reached appraisal."""
    counts: dict[str, int] = {}
    rows = (
        Item.objects.filter(assessed__cycle=cycle)
        .exclude(state__in=DECIDED)
        .values_list("assessed__unit__name", flat=True)
    )
    for name in rows:
        counts[name] = counts.get(name, 0) + 1
    return counts


@transaction.atomic
def sign_off(*, actor: User, cycle: Cycle) -> CycleOutcome:
    if not policy.can_sign_off(actor, cycle):
        raise PermissionDenied
    outcome = outcome_of(cycle)
    if outcome.stage != Stage.APPRAISING:
        raise ValidationError(_("These results are already signed off."))
    left = undecided(cycle)
    if left:
        units = "; ".join(f"{name} ({n})" for name, n in sorted(left.items()))
        raise ValidationError(
            ngettext(
                "%(n)s item is still undecided: %(units)s.",
                "%(n)s items are still undecided: %(units)s.",
                sum(left.values()),
            )
            % {"n": sum(left.values()), "units": units}
        )
    recompute(cycle)  # everything final, from the figures as they stand
    _move(outcome, actor, OutcomeAction.SIGN_OFF, Stage.SIGNED_OFF)
    return outcome


@transaction.atomic
def reopen(*, actor: User, cycle: Cycle, reason: str) -> CycleOutcome:
    """Back to appraisal (from signed off or published), with a recorded reason."""
    if not (policy.can_sign_off(actor, cycle) or policy.can_run_cycle(actor, cycle)):
        raise PermissionDenied
    outcome = outcome_of(cycle)
    if outcome.stage == Stage.APPRAISING:
        raise ValidationError(_("These results are not signed off."))
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": _("Give the reason for reopening the results.")})
    _move(outcome, actor, OutcomeAction.REOPEN, Stage.APPRAISING, reason[:2000])
    return outcome


@transaction.atomic
def publish(*, actor: User, cycle: Cycle) -> CycleOutcome:
    if not policy.can_publish(actor, cycle):
        raise PermissionDenied
    outcome = outcome_of(cycle)
    if outcome.stage == Stage.APPRAISING:
        raise ValidationError(_("The chair must sign off the results before they are published."))
    if outcome.stage == Stage.PUBLISHED:
        raise ValidationError(_("These results are already published."))
    _move(outcome, actor, OutcomeAction.PUBLISH, Stage.PUBLISHED)
    units = [a.unit for a in cycle.assessed.select_related("unit")]
    notify(
        people_of(units, [Role.HEAD, Role.REPORTER, Role.VIEWER]),
        _("The results of “%(cycle)s” are published: see your rank and band.")
        % {"cycle": cycle.name},
        reverse("appraisal:ranking", args=[cycle.pk]),
        subject=_("Results published"),
    )
    return outcome


def is_published(cycle: Cycle) -> bool:
    outcome = getattr(cycle, "outcome", None)  # none until a report reached appraisal
    return outcome is not None and outcome.stage == Stage.PUBLISHED
