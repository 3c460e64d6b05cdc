"""Services for cycles: create one with its periods, assessed units and
default assignments; open and close periods; reopen a period for one unit."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from dtis.core.text import fold
from dtis.frameworks.models import Framework, Indicator
from dtis.orgs.models import Unit, User
from dtis.reporting.calendar import generate_periods
from dtis.reporting.models import (
    AssessedUnit,
    Assignment,
    Cycle,
    Period,
    PeriodState,
    Reopening,
)


def scored_leaves(framework: Framework) -> list[Indicator]:
    """The indicators units report on: leaves with points (one query)."""
    indicators = list(framework.indicators.order_by("order"))
    parents = {i.parent_id for i in indicators if i.parent_id}
    return [i for i in indicators if i.pk not in parents and i.max_points > 0]


def unit_by_name(units: Iterable[Unit]) -> dict[str, Unit]:
    """Units found by full or short name, without accents ("Sở KH&CN")."""
    found: dict[str, Unit] = {}
    for unit in units:
        for name in (unit.short_name, unit.name):
            if name:
                found.setdefault(fold(name), unit)
    return found


@transaction.atomic
def cycle_create(
    *,
    actor: User | None,
    framework: Framework,
    year: int,
    name: str,
    scope: Unit,
    assessed: Iterable[tuple[Unit, str]],
    unit_day: int = 25,
    office_day: int = 30,
    year_unit_deadline: dt.date | None = None,
    year_office_deadline: dt.date | None = None,
) -> Cycle:
    """A cycle with its periods and one assignment per indicator and assessed unit.

    The default owner of an indicator is the unit the framework names as its
    lead (matched by name among the units of the scope) when the province is
    assessed on its own; otherwise the assessed unit itself. Assignments can
    then be imported, copied from last year or edited.
    """
    assessed = list(assessed)
    if not assessed:
        raise ValidationError(_("Choose at least one assessed unit."))
    if not 2000 <= year <= 2100:
        raise ValidationError(_("The year must be between 2000 and 2100."))
    try:
        specs = generate_periods(
            year,
            unit_day=unit_day,
            office_day=office_day,
            year_unit_deadline=year_unit_deadline,
            year_office_deadline=year_office_deadline,
        )
    except ValueError as exc:
        raise ValidationError(str(exc)) from exc
    cycle = Cycle(name=name.strip(), framework=framework, year=year, scope=scope)
    cycle._history_user = actor  # type: ignore[attr-defined]
    cycle.save()
    Period.objects.bulk_create(
        Period(
            cycle=cycle,
            kind=s.kind,
            start=s.start,
            end=s.end,
            unit_deadline=s.unit_deadline,
            office_deadline=s.office_deadline,
        )
        for s in specs
    )
    rows = AssessedUnit.objects.bulk_create(
        AssessedUnit(cycle=cycle, unit=unit, peer_group=group) for unit, group in assessed
    )
    leaves = scored_leaves(framework)
    single = len(rows) == 1
    names = unit_by_name(Unit.objects.within(scope)) if single else {}
    Assignment.objects.bulk_create(
        Assignment(
            cycle=cycle,
            assessed=row,
            indicator=ind,
            owner=names.get(fold(ind.lead_unit), row.unit) if single else row.unit,
            tasks=ind.tasks,
            evidence=ind.evidence,
        )
        for row in rows
        for ind in leaves
    )
    return cycle


@transaction.atomic
def period_set_state(*, actor: User | None, period: Period, state: str) -> Period:
    if state not in PeriodState.values:
        raise ValidationError(_("Unknown state."))
    period.state = state
    period._history_user = actor  # type: ignore[attr-defined]
    period.save()
    return period


@transaction.atomic
def period_reopen(
    *, actor: User | None, period: Period, unit: Unit, until: dt.date, reason: str
) -> Reopening:
    """Let one unit report again after the deadline; the reason is kept."""
    if not reason.strip():
        raise ValidationError(_("Give the reason for reopening."))
    if until < timezone.localdate():
        raise ValidationError(_("The new deadline must not be in the past."))
    return Reopening.objects.create(
        period=period, unit=unit, until=until, reason=reason.strip(), by=actor
    )


def deadline_for(period: Period, unit: Unit, reopenings: Iterable[Reopening] = ()) -> dt.date:
    """The unit's deadline: the period's, or a later one the office granted."""
    later = [r.until for r in reopenings if r.unit_id == unit.pk and r.period_id == period.pk]
    return max([period.unit_deadline, *later])


def is_open_for(
    period: Period, unit: Unit, today: dt.date, reopenings: Iterable[Reopening] = ()
) -> bool:
    """Entries are accepted while the period is open and its deadline (or the
    unit's reopening) has not passed."""
    if period.state != PeriodState.OPEN:
        return any(r.unit_id == unit.pk and r.until >= today for r in reopenings)
    return today <= deadline_for(period, unit, reopenings)
