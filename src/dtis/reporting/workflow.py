"""The report workflow of one assessed unit for one period.

draft → submitted (by the unit head) → accepted for appraisal by the office,
or returned with a comment on each item concerned → corrected → submitted
again. Every step is a SubmissionEvent (who, when, from, to, why); a late
submission records how many days late it was.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from django.core.exceptions import ValidationError
from django.db import transaction
from django.dispatch import Signal
from django.utils import timezone
from django.utils.translation import gettext as _

from dtis.frameworks.models import Indicator
from dtis.orgs.models import User
from dtis.reporting.cycles import deadline_for
from dtis.reporting.models import (
    AssessedUnit,
    Period,
    ReturnedItem,
    Submission,
    SubmissionEvent,
    SubmissionState,
)

S = SubmissionState

# Sent inside the transaction that accepts a report for appraisal, with
# `submission` and `actor`: the appraisal app opens the report's items.
report_accepted = Signal()


def submission_for(period: Period, assessed: AssessedUnit) -> Submission:
    submission, _created = Submission.objects.get_or_create(period=period, assessed=assessed)
    return submission


def _move(
    submission: Submission, actor: User | None, to: str, comment: str = ""
) -> SubmissionEvent:
    """Change state with a conditional update: two concurrent clicks cannot both win."""
    before = submission.state
    moved = Submission.objects.filter(pk=submission.pk, version=submission.version).update(
        state=to, version=submission.version + 1
    )
    if moved != 1:
        raise ValidationError(_("Someone else changed this report just now. Reload the page."))
    submission.state, submission.version = to, submission.version + 1
    return SubmissionEvent.objects.create(
        submission=submission, by=actor, from_state=before, to_state=to, comment=comment
    )


@transaction.atomic
def submission_submit(
    *,
    actor: User | None,
    period: Period,
    assessed: AssessedUnit,
    override_reason: str = "",
    today: dt.date | None = None,
) -> Submission:
    """The head submits. Evidence findings block unless overridden with a reason."""
    from dtis.reporting.evidence import precheck

    submission = submission_for(period, assessed)
    if submission.state not in (S.DRAFT, S.RETURNED):
        raise ValidationError(_("This report has already been submitted."))
    findings = precheck(period, assessed)
    if findings and not override_reason.strip():
        raise ValidationError(
            _(
                "The evidence check found %(n)s problems; "
                "fix them or give a reason to submit anyway."
            )
            % {"n": len(findings)}
        )
    today = today or timezone.localdate()
    deadline = deadline_for(period, assessed.unit, period.reopenings.all())
    late = max((today - deadline).days, 0)
    comment = override_reason.strip()
    if findings:
        comment = _("Submitted despite %(n)s evidence warnings: %(reason)s") % {
            "n": len(findings),
            "reason": comment,
        }
    _move(submission, actor, S.SUBMITTED, comment)
    Submission.objects.filter(pk=submission.pk).update(submitted_at=timezone.now(), days_late=late)
    submission.refresh_from_db()
    return submission


@transaction.atomic
def submission_return(
    *,
    actor: User | None,
    submission: Submission,
    items: Iterable[tuple[Indicator, str]],
    comment: str = "",
) -> Submission:
    """The office returns the report with a comment on each item concerned."""
    items = [(ind, text.strip()) for ind, text in items if text.strip()]
    if submission.state != S.SUBMITTED:
        raise ValidationError(_("Only a submitted report can be returned."))
    if not items:
        raise ValidationError(_("Comment on at least one indicator to return the report."))
    event = _move(submission, actor, S.RETURNED, comment.strip())
    ReturnedItem.objects.bulk_create(
        ReturnedItem(event=event, indicator=ind, comment=text) for ind, text in items
    )
    return submission


@transaction.atomic
def submission_accept(
    *, actor: User | None, submission: Submission, comment: str = ""
) -> Submission:
    if submission.state != S.SUBMITTED:
        raise ValidationError(_("Only a submitted report can be accepted."))
    _move(submission, actor, S.ACCEPTED, comment.strip())
    report_accepted.send(sender=Submission, submission=submission, actor=actor)
    return submission


def open_returns(submission: Submission) -> list[ReturnedItem]:
    """The items of the latest return, while the report is still returned."""
    if submission.state != S.RETURNED:
        return []
    event = submission.events.filter(to_state=S.RETURNED).order_by("-at", "-pk").first()
    return list(event.items.select_related("indicator")) if event else []
