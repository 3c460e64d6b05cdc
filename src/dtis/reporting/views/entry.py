"""Entering a report: my reports, the entry page, saving, live scoring,
copying last period's figures, contributions, history and submission.

Every view loads the report through `entry.load_report`, which keeps only
the indicators the person may see (`policy.can_view_report`); entering,
contributing and submitting are each checked again with the policy before a
service is called.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import quote

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template import TemplateDoesNotExist
from django.template.loader import get_template
from django.urls import reverse
from django.utils.http import RFC3986_SUBDELIMS
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_http_methods, require_POST

from dtis.orgs import policy
from dtis.orgs.models import User
from dtis.reporting import entry, readiness
from dtis.reporting.evidence import advice
from dtis.reporting.figures import StaleFigure, figure_save, self_score
from dtis.reporting.forms_entry import ContributionForm, FigureForm, SubmitForm
from dtis.reporting.models import AssessedUnit, Period, SubmissionState
from dtis.reporting.plausibility import implausible
from dtis.reporting.widget_html import RENDERER
from dtis.reporting.workflow import submission_submit

EVIDENCE_PANEL = "reporting/evidence/panel.html"


# --- helpers ---------------------------------------------------------------------


def _user(request: HttpRequest) -> User:
    return request.user  # type: ignore[return-value]


def report_objects(period_id: int, assessed_id: int) -> tuple[Period, AssessedUnit]:
    """The period and the assessed unit of one cycle (404 otherwise)."""
    assessed = get_object_or_404(
        AssessedUnit.objects.select_related("unit", "cycle__scope", "cycle__framework"),
        pk=assessed_id,
    )
    period = get_object_or_404(Period, pk=period_id, cycle_id=assessed.cycle_id)
    period.cycle = assessed.cycle
    return period, assessed


def report_for(
    request: HttpRequest, period_id: int, assessed_id: int, **kwargs: Any
) -> entry.Report:
    """The report as the person may see it; 403 when they may see none of it."""
    period, assessed = report_objects(period_id, assessed_id)
    report = entry.load_report(_user(request), period, assessed, **kwargs)
    if report is None:
        raise PermissionDenied
    return report


def row_for(
    request: HttpRequest, period_id: int, assessed_id: int, code: str
) -> tuple[entry.Report, entry.Row]:
    """The report with the one indicator `code` (404: not in the framework; 403: not visible)."""
    period, assessed = report_objects(period_id, assessed_id)
    indicator_id = (
        assessed.cycle.framework.indicators.filter(code=code).values_list("pk", flat=True).first()
    )
    if indicator_id is None:
        raise Http404
    report = entry.load_report(_user(request), period, assessed, only=[indicator_id])
    if report is None:
        raise PermissionDenied
    row = report.row(indicator_id)
    if row is None:
        # The indicator is not part of this report, or the person may see
        # other indicators but not this one.
        raise PermissionDenied
    return report, row


def evidence_panel_available() -> bool:
    """The evidence screens ship their own panel; the page renders without it."""
    try:
        get_template(EVIDENCE_PANEL)
    except TemplateDoesNotExist:
        return False
    return True


def attach_forms(report: entry.Report) -> None:
    """Initial forms for every row the person may change."""
    for row in report.rows:
        if row.can_enter and report.editable:
            row.form = FigureForm(row.indicator, figure=row.figure, renderer=RENDERER)
        if row.can_contribute and report.editable:
            own = row.own_contributions
            row.contribution_form = ContributionForm(
                row.indicator,
                row.contribute_units,
                contribution=own[0] if own else None,
                renderer=RENDERER,
            )


# The indicator's own URLs, made once per page and completed per indicator.
_CODE = "0code0"
_ROW_URLS = {
    "save": "reporting:figure-save",
    "preview": "reporting:entry-preview",
    "copy": "reporting:figure-copy",
    "contribute": "reporting:contribution-save",
}


def attach_urls(report: entry.Report) -> None:
    """Each row's URLs (what `{% url %}` per indicator gave, for a tenth of the time)."""
    args = [report.period.pk, report.assessed.pk, _CODE]
    patterns = {key: reverse(name, args=args) for key, name in _ROW_URLS.items()}
    for row in report.rows:
        # `reverse` quotes the code like this; the rest of the URL is the same for all.
        code = quote(str(row.indicator.code), safe=RFC3986_SUBDELIMS + "/~:@")
        row.urls = {key: url.replace(_CODE, code) for key, url in patterns.items()}


def entry_url(report: entry.Report, row: entry.Row | None = None) -> str:
    url = reverse("reporting:entry", args=[report.period.pk, report.assessed.pk])
    return f"{url}#ind-{row.indicator.code}" if row else url


def visible_advice(report: entry.Report) -> list[Any]:
    """Last year's notes on the indicators this person sees here: a lead agency
    reading the province's report gets those of the indicators it leads, not
    notes whose links would point at cards missing from its page."""
    shown = {row.indicator.code for row in report.rows}
    return [f for f in advice(report.period, report.assessed) if f.indicator_code in shown]


def render_entry(request: HttpRequest, report: entry.Report, *, status: int = 200) -> HttpResponse:
    attach_urls(report)
    notes = visible_advice(report)
    for row in report.rows:
        # Each card says why it lost points last year, where the figure is typed.
        row.last_year = [f.message for f in notes if f.indicator_code == row.indicator.code]
    return render(
        request,
        "reporting/entry/entry.html",
        {
            "report": report,
            "period": report.period,
            "assessed": report.assessed,
            "evidence_panel": evidence_panel_available(),
            # Evidence forms come back here, also after a failed save re-rendered
            # the page under the POST-only save URL.
            "evidence_next": entry_url(report),
            "advice": notes,
            "tell_head": readiness.may_tell_head(report) and readiness.waits_for_head(report),
            "S": SubmissionState,
        },
        status=status,
    )


# --- pages -------------------------------------------------------------------------


@login_required
def my_reports(request: HttpRequest) -> HttpResponse:
    return render(
        request, "reporting/entry/my_reports.html", {"reports": entry.my_reports(_user(request))}
    )


@login_required
def entry_page(request: HttpRequest, period_id: int, assessed_id: int) -> HttpResponse:
    report = report_for(request, period_id, assessed_id)
    attach_forms(report)
    return render_entry(request, report)


@login_required
@require_POST
def figure_save_view(
    request: HttpRequest, period_id: int, assessed_id: int, code: str
) -> HttpResponse:
    report, row = row_for(request, period_id, assessed_id, code)
    user = _user(request)
    if not policy.can_enter_figure(user, row.assignment):
        raise PermissionDenied
    form = FigureForm(row.indicator, request.POST, figure=row.figure, renderer=RENDERER)
    row.form = form
    if form.is_valid():
        version = form.cleaned_data["version"]
        if row.figure is not None and version == 0 and _is_blank(row.figure):
            # A coordinating unit's contribution created the empty figure after
            # this form was opened: nothing of the lead unit's is overwritten.
            version = row.figure.version
        try:
            figure_save(
                actor=user,
                period=report.period,
                assessed=report.assessed,
                indicator=row.indicator,
                values=form.values,
                note=form.cleaned_data["note"],
                not_applicable=form.cleaned_data["not_applicable"],
                version=version,
                reason=form.cleaned_data["reason"],
            )
        except StaleFigure as stale:
            return _stale(request, report, row, stale.current)
        except ValidationError as exc:
            for message in exc.messages:
                form.add_error(None, message)
        else:
            messages.success(request, _("Saved %(code)s.") % {"code": row.indicator.code})
            return redirect(entry_url(report, row))
    return _rerender(request, report, row, status=200)


def _is_blank(figure: Any) -> bool:
    return not figure.values and not figure.not_applicable and not figure.note


def _stale(
    request: HttpRequest, report: entry.Report, row: entry.Row, current: Any
) -> HttpResponse:
    """Someone saved in between: show what they saved, keep what this person typed."""
    row.replace_figure(current)
    row.stale = {
        "who": entry.person_name(current.updated_by),
        "at": current.updated_at,
        "values": entry.value_items(row.indicator, current.values),
        "not_applicable": current.not_applicable,
        "note": current.note,
    }
    data = request.POST.copy()
    data["version"] = str(current.version)  # saving again now is a deliberate overwrite
    row.form = FigureForm(row.indicator, data, figure=current, renderer=RENDERER)
    row.form.is_valid()
    return _rerender(request, report, row, status=409)


def _rerender(
    request: HttpRequest, report: entry.Report, row: entry.Row, *, status: int
) -> HttpResponse:
    """The whole page again, with this indicator's form(s) as submitted."""
    user = _user(request)
    full = entry.load_report(user, report.period, report.assessed)
    assert full is not None  # the same person saw this row a moment ago
    attach_forms(full)
    full_row = full.row(row.indicator.pk)
    assert full_row is not None
    if row.stale:
        full_row.replace_figure(row.figure)
        full_row.stale = row.stale
    if row.form is not None:
        full_row.form = row.form
    if row.contribution_form is not None:
        full_row.contribution_form = row.contribution_form
    return render_entry(request, full, status=status)


@login_required
@require_POST
def entry_preview(
    request: HttpRequest, period_id: int, assessed_id: int, code: str
) -> HttpResponse:
    """The self-score of what is typed, without saving (htmx fragment)."""
    _report, row = row_for(request, period_id, assessed_id, code)
    if not policy.can_enter_figure(_user(request), row.assignment):
        raise PermissionDenied
    form = FigureForm(row.indicator, request.POST, figure=row.figure)
    context: dict[str, Any] = {"row": row, "form": form}
    if form.is_valid():
        if form.cleaned_data["not_applicable"]:
            context["not_applicable"] = True
        else:
            context["points"], context["explanation"] = self_score(row.indicator, form.values)
            context["warnings"] = implausible(row.indicator, form.values)
    return render(request, "reporting/entry/_preview.html", context)


@login_required
@require_POST
def figure_copy(request: HttpRequest, period_id: int, assessed_id: int, code: str) -> HttpResponse:
    """This indicator's inputs from the previous period (overwrites, version-checked)."""
    report, row = row_for(request, period_id, assessed_id, code)
    user = _user(request)
    if not policy.can_enter_figure(user, row.assignment):
        raise PermissionDenied
    if report.previous is None or not row.can_copy:
        messages.error(
            request,
            _("The previous period has no figures for %(code)s.") % {"code": row.indicator.code},
        )
        return redirect(entry_url(report, row))
    text = request.POST.get("version", "")
    version = int(text) if text.isdigit() else 0
    if row.figure is not None and version == 0 and _is_blank(row.figure):
        version = row.figure.version
    try:
        entry.figures_copy_forward(
            actor=user,
            period=report.period,
            assessed=report.assessed,
            indicators=[row.indicator],
            source=report.previous,
            # The version the page was opened with: copying over a newer save is refused.
            versions={row.indicator.pk: version},
            overwrite=True,
        )
    except StaleFigure as stale:
        return _stale(request, report, row, stale.current)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(
            request,
            _("Copied %(code)s from %(period)s.")
            % {"code": row.indicator.code, "period": report.previous},
        )
    return redirect(entry_url(report, row))


@login_required
@require_POST
def entry_tell_head(request: HttpRequest, period_id: int, assessed_id: int) -> HttpResponse:
    """The reporter tells the unit head the figures are ready (dtis.reporting.readiness)."""
    report = report_for(request, period_id, assessed_id, with_history=False)
    return _tell(
        request,
        report,
        lambda: readiness.tell_head_ready(actor=_user(request), report=report),
        _("%(names)s has been told: the head reviews the report and submits it."),
    )


@login_required
@require_POST
def entry_ask_fix(request: HttpRequest, period_id: int, assessed_id: int) -> HttpResponse:
    """The head asks the reporters to correct the draft (dtis.reporting.readiness)."""
    report = report_for(request, period_id, assessed_id, with_history=False)
    return _tell(
        request,
        report,
        lambda: readiness.ask_reporter_to_fix(
            actor=_user(request), report=report, comment=request.POST.get("comment", "")
        ),
        _("Sent to %(names)s; you submit once they have corrected the report."),
    )


def _tell(request: HttpRequest, report: entry.Report, send: Any, done: str) -> HttpResponse:
    """Notify people about the report (`send` returns them; it raises
    PermissionDenied or ValidationError), say who, and go back to it."""
    try:
        people = send()
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        names = ", ".join(p.full_name or p.username for p in people)
        messages.success(request, done % {"names": names})
    return redirect(entry_url(report))


@login_required
@require_POST
def entry_copy_all(request: HttpRequest, period_id: int, assessed_id: int) -> HttpResponse:
    """Every indicator the person enters and has not entered yet, from the previous period."""
    report = report_for(request, period_id, assessed_id, with_history=False)
    user = _user(request)
    rows = [r for r in report.rows if policy.can_enter_figure(user, r.assignment)]
    if not rows:
        raise PermissionDenied
    if report.previous is None:
        messages.error(request, _("There is no previous period to copy from."))
        return redirect(entry_url(report))
    try:
        saved = entry.figures_copy_forward(
            actor=user,
            period=report.period,
            assessed=report.assessed,
            indicators=[r.indicator for r in rows],
            source=report.previous,
        )
    except StaleFigure as stale:
        messages.error(
            request,
            _("%(who)s changed %(code)s just now; nothing was copied. Try again.")
            % {
                "who": entry.person_name(stale.current.updated_by),
                "code": stale.current.indicator.code,
            },
        )
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(
            request,
            ngettext(
                "Copied %(n)s indicator from %(period)s.",
                "Copied %(n)s indicators from %(period)s.",
                len(saved),
            )
            % {"n": len(saved), "period": report.previous},
        )
    return redirect(entry_url(report))


@login_required
@require_POST
def contribution_save_view(
    request: HttpRequest, period_id: int, assessed_id: int, code: str
) -> HttpResponse:
    report, row = row_for(request, period_id, assessed_id, code)
    user = _user(request)
    if not row.contribute_units or not policy.can_contribute(user, row.assignment):
        raise PermissionDenied
    own = row.own_contributions
    form = ContributionForm(
        row.indicator,
        row.contribute_units,
        request.POST,
        contribution=own[0] if own else None,
        renderer=RENDERER,
    )
    row.contribution_form = form
    if form.is_valid():
        try:
            entry.contribution_save(
                actor=user,
                period=report.period,
                assessed=report.assessed,
                indicator=row.indicator,
                unit=form.cleaned_data["unit"],
                values=form.values,
                note=form.cleaned_data["note"],
            )
        except ValidationError as exc:
            for message in exc.messages:
                form.add_error(None, message)
        else:
            messages.success(
                request, _("Saved your contribution to %(code)s.") % {"code": row.indicator.code}
            )
            return redirect(entry_url(report, row))
    return _rerender(request, report, row, status=200)


@login_required
def entry_changes(request: HttpRequest, period_id: int, assessed_id: int) -> HttpResponse:
    """What changed since the report was submitted.

    While the report is a draft or returned: since the last submission. Once
    submitted again: between the previous submission and the latest one,
    which is what the office wants to see on a corrected report.
    """
    report = report_for(request, period_id, assessed_id, with_history=False)
    submitted = entry.submitted_events(report.submission)
    since = until = None
    if report.state in (SubmissionState.DRAFT, SubmissionState.RETURNED) and submitted:
        since = submitted[-1]
    elif len(submitted) >= 2:
        since, until = submitted[-2], submitted[-1]
    changes = (
        entry.changes_between(
            report.period,
            report.assessed,
            [r.indicator for r in report.rows],
            since.at,
            until.at if until else None,
        )
        if since
        else []
    )
    return render(
        request,
        "reporting/entry/changes.html",
        {
            "report": report,
            "period": report.period,
            "assessed": report.assessed,
            "since": since,
            "until": until,
            "submitted_once": submitted[-1] if submitted and since is None else None,
            "changes": changes,
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def entry_submit(request: HttpRequest, period_id: int, assessed_id: int) -> HttpResponse:
    """The head checks the evidence findings, then submits (with a reason to override them)."""
    from dtis.reporting.evidence import precheck  # looked up per call: tests replace it

    period, assessed = report_objects(period_id, assessed_id)
    user = _user(request)
    if not policy.can_submit_report(user, assessed):
        raise PermissionDenied
    form = SubmitForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            submission = submission_submit(
                actor=user,
                period=period,
                assessed=assessed,
                override_reason=form.cleaned_data["override_reason"],
            )
        except ValidationError as exc:
            for message in exc.messages:
                form.add_error(None, message)
        else:
            messages.success(request, _("The report has been submitted."))
            if submission.days_late:
                messages.warning(
                    request,
                    ngettext(
                        "It was submitted %(n)s day after the deadline.",
                        "It was submitted %(n)s days after the deadline.",
                        submission.days_late,
                    )
                    % {"n": submission.days_late},
                )
            return redirect("reporting:entry", period.pk, assessed.pk)
    # The report is read only to show this page: a successful submission
    # (most of them, on deadline day) goes straight back to the entry page.
    report = entry.load_report(user, period, assessed, with_history=False)
    assert report is not None  # the head sees the whole report
    findings = precheck(period, assessed) if report.may_submit_now else []
    return render(
        request,
        "reporting/entry/submit.html",
        {
            "report": report,
            "period": period,
            "assessed": assessed,
            "form": form,
            "findings": findings,
            "advice": advice(period, assessed),
        },
    )
