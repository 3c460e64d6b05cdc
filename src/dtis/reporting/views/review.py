"""The standing office reviews a submitted report: returns it with a comment on
each indicator concerned, or accepts it for appraisal (`policy.can_run_cycle`)."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from dtis.orgs import policy
from dtis.reporting import entry
from dtis.reporting.forms_entry import ReturnForm
from dtis.reporting.models import SubmissionState
from dtis.reporting.views.entry import _user, evidence_panel_available, report_objects
from dtis.reporting.workflow import submission_accept, submission_return

COMMENT = "comment-{}"


def office_report(request: HttpRequest, period_id: int, assessed_id: int) -> entry.Report:
    period, assessed = report_objects(period_id, assessed_id)
    user = _user(request)
    if not policy.can_run_cycle(user, period.cycle):
        raise PermissionDenied
    report = entry.load_report(user, period, assessed)
    assert report is not None  # the office sees every indicator
    return report


def review_url(report: entry.Report) -> str:
    return reverse("reporting:review", args=[report.period.pk, report.assessed.pk])


def render_review(
    request: HttpRequest,
    report: entry.Report,
    *,
    comments: dict[int, str] | None = None,
    form: ReturnForm | None = None,
    status: int = 200,
) -> HttpResponse:
    comments = comments or {}
    for row in report.rows:
        row.comment = comments.get(row.indicator.pk, "")  # type: ignore[attr-defined]
        row.comment_name = COMMENT.format(row.indicator.pk)  # type: ignore[attr-defined]
    submitted = entry.submitted_events(report.submission)
    context: dict[str, Any] = {
        "report": report,
        "period": report.period,
        "assessed": report.assessed,
        "form": form or ReturnForm(),
        "events": list(report.submission.events.select_related("by")) if report.submission else [],
        "resubmitted": len(submitted) >= 2,
        "evidence_panel": evidence_panel_available(),
        "S": SubmissionState,
    }
    return render(request, "reporting/entry/review.html", context, status=status)


@login_required
def review(request: HttpRequest, period_id: int, assessed_id: int) -> HttpResponse:
    return render_review(request, office_report(request, period_id, assessed_id))


@login_required
@require_POST
def review_return(request: HttpRequest, period_id: int, assessed_id: int) -> HttpResponse:
    """Return the report: only the indicators with a comment are returned."""
    report = office_report(request, period_id, assessed_id)
    form = ReturnForm(request.POST)
    comments = {
        row.indicator.pk: request.POST.get(COMMENT.format(row.indicator.pk), "").strip()
        for row in report.rows
    }
    items = [
        (row.indicator, comments[row.indicator.pk])
        for row in report.rows
        if comments[row.indicator.pk]
    ]
    if form.is_valid() and report.submission is not None:
        try:
            submission_return(
                actor=_user(request),
                submission=report.submission,
                items=items,
                comment=form.cleaned_data["comment"],
            )
        except ValidationError as exc:
            for message in exc.messages:
                form.add_error(None, message)
        else:
            messages.success(
                request,
                ngettext(
                    "Returned the report with %(n)s indicator to correct.",
                    "Returned the report with %(n)s indicators to correct.",
                    len(items),
                )
                % {"n": len(items)},
            )
            return redirect(review_url(report))
    elif report.submission is None:
        form.add_error(None, _("Only a submitted report can be returned."))
    return render_review(request, report, comments=comments, form=form)


@login_required
@require_POST
def review_accept(request: HttpRequest, period_id: int, assessed_id: int) -> HttpResponse:
    report = office_report(request, period_id, assessed_id)
    form = ReturnForm(request.POST)
    if form.is_valid() and report.submission is not None:
        try:
            submission_accept(
                actor=_user(request),
                submission=report.submission,
                comment=form.cleaned_data["comment"],
            )
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(request, _("The report has been accepted for appraisal."))
    else:
        messages.error(request, _("Only a submitted report can be accepted."))
    return redirect(review_url(report))
