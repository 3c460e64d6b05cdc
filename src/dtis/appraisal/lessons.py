"""What last year's appraisal teaches this year's report: the council's
corrections on the same indicators of the same unit, shown as advice in the
pre-check (reporting.evidence.ADVISORS) so that units fix them before
submitting instead of losing the points again."""

from __future__ import annotations

from django.utils.translation import gettext as _

from dtis.appraisal.items import previous_cycle
from dtis.appraisal.models import IndicatorResult, Item, ItemState, ReasonCode
from dtis.reporting.evidence import Finding
from dtis.reporting.models import AssessedUnit, Period


def _points(value: object) -> str:
    return f"{value:.2f}".replace(".", ",") if value is not None else "—"


def last_year_corrections(period: Period, assessed: AssessedUnit) -> list[Finding]:
    previous = previous_cycle(assessed.cycle)
    if previous is None:
        return []
    items = list(
        Item.objects.filter(
            assessed__cycle=previous,
            assessed__unit_id=assessed.unit_id,
            state=ItemState.CORRECTED,
        )
        .select_related("indicator")
        .order_by("indicator__order")
    )
    if not items:
        return []
    current = set(
        assessed.cycle.framework.indicators.filter(
            code__in=[it.indicator.code for it in items]
        ).values_list("code", flat=True)
    )
    self_points = dict(
        IndicatorResult.objects.filter(
            result__assessed_id=items[0].assessed_id,
            indicator_id__in=[i.indicator_id for i in items],
        ).values_list("indicator_id", "self_points")
    )
    return [
        Finding(
            it.indicator.code,
            _(
                "In %(year)s the council corrected the score from %(before)s to %(after)s: "
                "%(why)s — “%(reason)s”"
            )
            % {
                "year": previous.year,
                "before": _points(self_points.get(it.indicator_id)),
                "after": _points(it.appraised_points),
                "why": ReasonCode(it.reason_code).label if it.reason_code else "",
                "reason": it.reason,
            },
        )
        for it in items
        if it.indicator.code in current
    ]
