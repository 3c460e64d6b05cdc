"""Who may see which part of a cycle's results, and the context every results
page starts from. Shared by the results pages and the dashboards."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property
from typing import Any

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _

from dtis.appraisal.badges import stage_badge
from dtis.appraisal.models import Stage
from dtis.orgs import policy
from dtis.orgs.models import User
from dtis.reporting.models import AssessedUnit, Cycle


def user_of(request: HttpRequest) -> User:
    return request.user  # type: ignore[return-value]


@dataclass
class Access:
    """What the person may see of one cycle's results."""

    cycle: Cycle
    stage: str | None
    all: bool  # office, council, leadership: every unit, every stage
    user: User | None = None

    @cached_property
    def own(self) -> list[AssessedUnit]:
        """The person's units in the cycle (read when first asked: one query)."""
        return own_units(self.user, self.cycle) if self.user is not None else []

    @property
    def published(self) -> bool:
        return self.stage == Stage.PUBLISHED

    @property
    def own_ids(self) -> set[int]:
        return {a.pk for a in self.own}


def own_units(user: User, cycle: Cycle) -> list[AssessedUnit]:
    """The cycle's assessed units on which the person holds a role (one query)."""
    seen = policy.units_where(user, policy.Action.VIEW_UNIT)
    return list(cycle.assessed.filter(unit__in=seen).select_related("unit"))


def stage_of(cycle: Cycle) -> str | None:
    outcome = getattr(cycle, "outcome", None)
    return outcome.stage if outcome is not None else None


def cycle_access(request: HttpRequest, cycle_id: int) -> Access:
    cycle = get_object_or_404(
        Cycle.objects.select_related("framework", "scope", "outcome"), pk=cycle_id
    )
    user = user_of(request)
    return Access(
        cycle=cycle,
        stage=stage_of(cycle),
        all=policy.can_view_all_results(user, cycle),
        user=user,
    )


def ranking_access(request: HttpRequest, cycle_id: int) -> Access:
    access = cycle_access(request, cycle_id)
    user = user_of(request)
    if not (
        access.all or policy.can_view_ranking(user, access.cycle, access.published, access.own)
    ):
        raise PermissionDenied
    return access


def stage_label(stage: str | None) -> str:
    """The stage's name, or "No results yet" before any report reached appraisal."""
    labels = {str(value): str(label) for value, label in Stage.choices}
    return labels[stage] if stage in labels else _("No results yet")


def band_class(cycle: Cycle, band: str) -> str:
    """band-0 for the framework's highest band, band-1 for the next…"""
    names = [b.get("name") for b in cycle.framework.bands or []]
    return f"band-{names.index(band)}" if band in names else "band-none"


def results_context(access: Access, **extra: Any) -> dict[str, Any]:
    cycle = access.cycle
    return {
        "cycle": cycle,
        "stage": access.stage,
        "stage_label": stage_label(access.stage),
        "stage_badge": stage_badge(access.stage),
        "published": access.published,
        "provisional": not access.published,
        "sees_all": access.all,
        "can_gaps": access.all or (access.published and bool(access.own)),
        "can_emulation": access.all,
        **extra,
    }
