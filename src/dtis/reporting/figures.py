"""Saving figures: check the inputs against the indicator's declared inputs,
score them with the pure core, refuse a save based on an old version, and
leave a history entry (who, when, before, after, why)."""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from dtis.frameworks.describe import explanation_in_words
from dtis.frameworks.models import Indicator
from dtis.orgs.models import User
from dtis.reporting.cycles import is_open_for
from dtis.reporting.models import (
    AssessedUnit,
    Figure,
    Period,
    PeriodState,
    Reopening,
    Submission,
    SubmissionState,
)
from dtis.scoring.numbers import round_points, to_decimal
from dtis.scoring.rules import parse_rule

EDITABLE_STATES = (SubmissionState.DRAFT, SubmissionState.RETURNED)
MAX_NUMBER = Decimal(10) ** 15  # more than any budget in VND; keeps sums exact


class StaleFigure(Exception):
    """Someone saved the figure after this form was opened."""

    def __init__(self, current: Figure) -> None:
        super().__init__("stale figure")
        self.current = current


def clean_values(indicator: Indicator, raw: dict[str, Any]) -> dict[str, Any]:
    """Typed values by the indicator's inputs; ValidationError naming each bad input.

    Numbers accept the decimal comma and thousands dots typed in Vietnamese
    ("1.250.000" or "12,5"); an empty input means "no figure yet".
    """
    cleaned: dict[str, Any] = {}
    errors: dict[str, str] = {}
    for spec in indicator.inputs:
        name, kind = spec["name"], spec.get("type", "number")
        value = raw.get(name)
        if value in (None, ""):
            continue
        if kind == "boolean":
            if isinstance(value, bool):
                cleaned[name] = value
            elif str(value).lower() in ("1", "true", "yes", "co", "có", "on"):
                cleaned[name] = True
            elif str(value).lower() in ("0", "false", "no", "khong", "không", "off"):
                cleaned[name] = False
            else:
                errors[name] = _("choose yes or no")
        elif kind == "choice":
            allowed = [c["value"] for c in spec.get("choices", [])]
            if str(value) not in allowed:
                errors[name] = _("choose one of the listed levels")
            else:
                cleaned[name] = str(value)
        else:
            try:
                number = parse_number(value)
            except ValueError:
                errors[name] = _("“%(value)s” is not a number") % {"value": value}
                continue
            if not number.is_finite() or abs(number) >= MAX_NUMBER:
                errors[name] = _("“%(value)s” is not a number") % {"value": value}
            elif number < 0:
                errors[name] = _("must not be negative")
            elif kind == "integer" and number != number.to_integral_value():
                errors[name] = _("must be a whole number")
            else:
                cleaned[name] = int(number) if kind == "integer" else str(number)
    if errors:
        raise ValidationError(errors)
    return cleaned


_GROUPED = re.compile(r"^-?[1-9]\d{0,2}(\.\d{3})+$")


def parse_number(value: Any) -> Decimal:
    """Numbers as Vietnamese users type them: the comma is the decimal mark and
    dots group thousands (12,5 · 1.250 · 1.250.000,5 · 1 250 000). A lone dot
    not followed by a group of three digits is a decimal point (0.8, 12.5)."""
    if isinstance(value, int | float | Decimal) and not isinstance(value, bool):
        return to_decimal(value)
    text = str(value).strip().replace(" ", "").replace("\u00a0", "")
    if "," in text:
        text = text.replace(".", "").replace(",", ".")
    elif _GROUPED.match(text):
        text = text.replace(".", "")
    return to_decimal(text)


def self_score(indicator: Indicator, values: dict[str, Any]) -> tuple[Decimal | None, str]:
    """The unit's own score for one indicator, and how it was computed.

    Relative-to-best indicators need the peers' figures: their self-score
    waits for the cycle's recomputation and shows no points here.
    """
    if not indicator.rule:
        return None, ""
    rule = parse_rule(indicator.rule)
    outcome = rule.evaluate(typed_values(indicator, values), indicator.max_points, None)
    if "no_peer_value" in outcome.notes:
        return None, explanation_in_words(
            outcome.text, indicator.rule, indicator.max_points, indicator.inputs
        )
    working = explanation_in_words(
        outcome.text, indicator.rule, indicator.max_points, indicator.inputs
    )
    points = round_points(min(max(outcome.points, Decimal(0)), indicator.max_points))
    joiner = " → " if outcome.notes else " = "
    return points, f"{working}{joiner}{points}"[:500]


def typed_values(indicator: Indicator, values: dict[str, Any]) -> dict[str, Any]:
    """Stored inputs as the scoring core takes them: numbers (kept as exact
    strings in JSON) become Decimals; levels and yes/no answers stay as they are."""
    choices = _choices(indicator)
    return {
        k: (to_decimal(v) if isinstance(v, str) and k not in choices else v)
        for k, v in values.items()
    }


def _choices(indicator: Indicator) -> set[str]:
    return {i["name"] for i in indicator.inputs if i.get("type") == "choice"}


def can_edit(
    submission: Submission | None,
    period: Period,
    assessed: AssessedUnit,
    today: dt.date,
    reopenings: list[Any],
) -> bool:
    """Open period before the deadline (or reopened), or returned for correction."""
    state = submission.state if submission else SubmissionState.DRAFT
    if state == SubmissionState.RETURNED:
        return True
    return state in EDITABLE_STATES and is_open_for(period, assessed.unit, today, reopenings)


def report_state(
    period: Period, assessed: AssessedUnit, today: dt.date
) -> tuple[Submission | None, list[Reopening]]:
    """The report's submission and the unit's reopenings of the period, as
    `can_edit` and `entry.block_reason` take them. A reopening only moves a
    deadline later, so while the period is open and its own deadline has not
    passed the reopenings change nothing and are not read (one query, not two)."""
    submission = Submission.objects.filter(period=period, assessed=assessed).first()
    if period.state == PeriodState.OPEN and today <= period.unit_deadline:
        return submission, []
    return submission, list(Reopening.objects.filter(period=period, unit=assessed.unit))


def require_editable(period: Period, assessed: AssessedUnit) -> None:
    """ValidationError when the report's figures cannot change now."""
    today = timezone.localdate()
    submission, reopenings = report_state(period, assessed, today)
    if not can_edit(submission, period, assessed, today, reopenings):
        raise ValidationError(
            _("This period is closed for entries. Ask the standing office to reopen it.")
        )


def figure_lock(period: Period, assessed: AssessedUnit, indicator: Indicator) -> Figure | None:
    """The figure, locked until the end of the caller's transaction (None: not saved yet)."""
    return (
        Figure.objects.select_for_update()
        .filter(period=period, assessed=assessed, indicator=indicator)
        .first()
    )


@transaction.atomic
def figure_save(
    *,
    actor: User | None,
    period: Period,
    assessed: AssessedUnit,
    indicator: Indicator,
    values: dict[str, Any],
    note: str = "",
    not_applicable: bool = False,
    version: int | None = None,
    reason: str = "",
) -> Figure:
    """Create or update a figure; the caller has checked the permission.

    `version` is the one the form was opened with: if the figure changed in
    between, StaleFigure carries the current one (who changed it, to what).
    """
    require_editable(period, assessed)
    cleaned = clean_values(indicator, values)
    return figure_write(
        figure=figure_lock(period, assessed, indicator),
        actor=actor,
        period=period,
        assessed=assessed,
        indicator=indicator,
        cleaned=cleaned,
        note=note,
        not_applicable=not_applicable,
        version=version,
        reason=reason,
    )


def figure_write(
    *,
    figure: Figure | None,
    actor: User | None,
    period: Period,
    assessed: AssessedUnit,
    indicator: Indicator,
    cleaned: dict[str, Any],
    note: str = "",
    not_applicable: bool = False,
    version: int | None = None,
    reason: str = "",
) -> Figure:
    """The write half of `figure_save`, for a caller that has already, in its
    own transaction, checked the report may change (`require_editable` or its
    own message), cleaned the values (`clean_values`) and locked the figure
    (`figure_lock`: `figure` is what it returned). The API uses it so that one
    push reads each of these rows once."""
    if not transaction.get_connection().in_atomic_block:  # the lock would be gone already
        raise transaction.TransactionManagementError("figure_write needs a transaction")
    if figure is None:
        figure = Figure(period=period, assessed=assessed, indicator=indicator)
    elif version is not None and figure.version != version:
        raise StaleFigure(figure)
    else:
        figure.version += 1
    figure.values, figure.note, figure.not_applicable = cleaned, note.strip(), not_applicable
    if not_applicable:
        figure.self_points, figure.explanation = None, ""
    else:
        figure.self_points, figure.explanation = self_score(indicator, cleaned)
    figure.updated_by = actor
    figure._history_user = actor  # type: ignore[attr-defined]
    figure._change_reason = reason[:100] if reason else ""  # type: ignore[attr-defined]
    if figure.pk is not None:
        figure.save()
        return figure
    try:
        with transaction.atomic():  # a savepoint: the caller's transaction stays usable
            figure.save()
    except IntegrityError:
        # Someone created the same figure at the same moment (there was no row
        # to lock, so the unique constraint decided): theirs stands. A save
        # from a form is a conflict like any stale save; one without a
        # version is applied on top of it, as it would have been a moment later.
        current = figure_lock(period, assessed, indicator)
        assert current is not None  # the row that made the insert fail
        if version is not None:
            raise StaleFigure(current) from None
        return figure_write(
            figure=current, actor=actor, period=period, assessed=assessed, indicator=indicator,
            cleaned=cleaned, note=note, not_applicable=not_applicable, reason=reason,
        )  # fmt: skip
    return figure
