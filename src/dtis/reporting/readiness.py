"""The reporter tells the unit head the figures are entered.

Only the head submits a report (DOMAIN.md §2). A reporter who has entered
everything otherwise phones or e-mails the head; the app says it for them,
in the head's notifications and mail, with the link to the report.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from dtis.appraisal.notify import notify, people_of
from dtis.orgs.models import Role, User
from dtis.reporting.entry import Report
from dtis.reporting.models import SubmissionState


def may_tell_head(report: Report) -> bool:
    """The unit's own reporter: not a lead agency entering a few of the
    province's indicators (the office submits those), not the head, not the
    office."""
    return (
        report.sees_all and report.may_enter_any and not report.can_submit and not report.can_review
    )


def waits_for_head(report: Report) -> bool:
    return report.state in (SubmissionState.DRAFT, SubmissionState.RETURNED)


def tell_head_ready(*, actor: User, report: Report) -> list[User]:
    """Notify the heads of the assessed unit; the people told, or ValidationError."""
    if not may_tell_head(report):
        raise PermissionDenied
    if not waits_for_head(report):
        raise ValidationError(_("This report has already been submitted."))
    heads = [h for h in people_of([report.assessed.unit], [Role.HEAD]) if h.pk != actor.pk]
    if not heads:
        raise ValidationError(
            _(
                "%(unit)s has no unit head in DTIS yet: ask the standing office to grant "
                "the role, or tell the head yourself."
            )
            % {"unit": report.assessed.unit.display_name}
        )
    missing = report.total - report.entered
    if missing > 0:
        raise ValidationError(
            ngettext(
                "%(n)s indicator is not entered yet: enter it (or mark it not applicable) first.",
                "%(n)s indicators are not entered yet: enter them (or mark them not "
                "applicable) first.",
                missing,
            )
            % {"n": missing}
        )
    message = _(
        "%(name)s has entered every indicator of %(unit)s for %(period)s: please "
        "review the report and submit it."
    ) % {
        "name": actor.full_name or actor.username,
        "unit": report.assessed.unit.display_name,
        "period": report.period,
    }
    url = reverse("reporting:entry", args=[report.period.pk, report.assessed.pk])
    notify(heads, message, url, subject=_("A report is ready for you to submit"))
    return heads


COMMENT_MAX = 1000


def ask_reporter_to_fix(*, actor: User, report: Report, comment: str) -> list[User]:
    """The head sends the draft back to the unit's reporters with a comment
    (the office's "return" is for submitted reports; before submission the
    reporter can still edit, so a notification is all it takes)."""
    if not report.can_submit:
        raise PermissionDenied
    if not waits_for_head(report):
        raise ValidationError(_("This report has already been submitted."))
    comment = (comment or "").strip()
    if not comment:
        raise ValidationError(_("Write what the reporter should correct."))
    if len(comment) > COMMENT_MAX:
        raise ValidationError(_("Keep the comment under %(n)s characters.") % {"n": COMMENT_MAX})
    reporters = [r for r in people_of([report.assessed.unit], [Role.REPORTER]) if r.pk != actor.pk]
    if not reporters:
        raise ValidationError(
            _("%(unit)s has no reporter in DTIS: ask the standing office to grant the role.")
            % {"unit": report.assessed.unit.display_name}
        )
    message = _("%(name)s asks you to correct %(unit)s's report for %(period)s: %(comment)s") % {
        "name": actor.full_name or actor.username,
        "unit": report.assessed.unit.display_name,
        "period": report.period,
        "comment": comment,
    }
    url = reverse("reporting:entry", args=[report.period.pk, report.assessed.pk])
    notify(reporters, message, url, subject=_("Your unit head asks for corrections"))
    return reporters
