"""The unit's side of explanation requests: the list of requests of the
units a person answers for, and one request with its answer form.

Only people who can answer (`decisions.can_answer`, through the policy) open
a request; anyone else gets 403. The council's view of the exchange is on the
item in its workspace.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from dtis.appraisal import explanations
from dtis.appraisal.decisions import can_answer, explanation_answer
from dtis.appraisal.explanations import Status
from dtis.appraisal.forms_explanations import AnswerForm
from dtis.appraisal.models import ExplanationRequest, Stage
from dtis.orgs.models import User
from dtis.reporting.entry import value_items
from dtis.reporting.models import Evidence


@login_required
def my_requests(request: HttpRequest) -> HttpResponse:
    user: User = request.user  # type: ignore[assignment]
    entries = explanations.requests_for(user, timezone.localdate())
    return render(
        request,
        "appraisal/explanations/list.html",
        {
            "waiting": [e for e in entries if e.status == Status.WAITING],
            "answered": [e for e in entries if e.status == Status.ANSWERED],
            "closed": [e for e in entries if e.status == Status.CLOSED],
        },
    )


def _load(request_id: int) -> ExplanationRequest:
    return get_object_or_404(
        explanations.with_newer(ExplanationRequest.objects.all()).select_related(
            *explanations.RELATED, "item__period__cycle__scope", "item__main"
        ),
        pk=request_id,
    )


def _closed_reason(xr: ExplanationRequest) -> str:
    if explanations.stage_of(xr) != Stage.APPRAISING:
        return _("The results are signed off; the request is closed.")
    return _("The council has decided on this indicator since; the request is closed.")


def _report_errors(form: AnswerForm, exc: ValidationError) -> None:
    """The service's errors on the form: by field where it names one."""
    if not hasattr(exc, "error_dict"):
        for message in exc.messages:
            form.add_error(None, message)
        return
    for field, messages_ in exc.message_dict.items():
        target = field if field in form.fields else None
        for message in messages_:
            form.add_error(target, message)


@login_required
def answer(request: HttpRequest, request_id: int) -> HttpResponse:
    user: User = request.user  # type: ignore[assignment]
    xr = _load(request_id)
    item = xr.item
    if not can_answer(user, item):
        raise PermissionDenied
    entry = explanations.entry(xr, timezone.localdate())
    form = AnswerForm()
    if request.method == "POST":
        if entry.status != Status.WAITING:
            if entry.status == Status.ANSWERED:
                messages.error(request, _("This request has already been answered."))
            else:
                messages.error(request, _closed_reason(xr))
            return redirect("appraisal:explanation", xr.pk)
        form = AnswerForm(request.POST, request.FILES)
        if form.is_valid():
            try:
                explanation_answer(
                    actor=user,
                    request=xr,
                    answer=form.cleaned_data["answer"],
                    files=form.cleaned_data["attachments"],
                    documents=form.documents(),
                )
            except ValidationError as exc:
                _report_errors(form, exc)
            else:
                messages.success(
                    request,
                    _(
                        "Your explanation on indicator %(code)s has been sent to the "
                        "appraisal council."
                    )
                    % {"code": item.indicator.code},
                )
                return redirect("appraisal:explanation", xr.pk)
    figure = item.figure
    evidence = (
        list(
            Evidence.objects.filter(figure=figure, replaced_by__isnull=True).select_related(
                "added_by"
            )
        )
        if figure is not None
        else []
    )
    added = list(xr.evidence.all()) if not xr.is_open else []
    others = list(item.requests.exclude(pk=xr.pk).select_related("requested_by", "answered_by"))
    return render(
        request,
        "appraisal/explanations/answer.html",
        {
            "xr": xr,
            "entry": entry,
            "item": item,
            "indicator": item.indicator,
            "assessed": item.assessed,
            "cycle": item.period.cycle,
            "figure": figure,
            "values": value_items(item.indicator, figure.values if figure else None),
            "evidence": evidence,
            "added": added,
            "others": others,
            "form": form,
            "closed_reason": _closed_reason(xr) if entry.status == Status.CLOSED else "",
        },
        status=400 if form.is_bound and form.errors else 200,
    )
