"""The Excel round trip: download a pre-filled workbook, upload it back."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from django.views.decorators.http import require_GET, require_http_methods

from dtis.orgs.models import User
from dtis.reporting import sheets
from dtis.reporting.models import AssessedUnit, Period

XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


class SheetUploadForm(forms.Form):
    file = forms.FileField(
        label=gettext_lazy("Filled-in Excel file (.xlsx)"),
        help_text=gettext_lazy("The form downloaded above, at most 10 MB."),
        widget=forms.ClearableFileInput(attrs={"accept": ".xlsx"}),
    )


def _user(request: HttpRequest) -> User:
    return request.user  # type: ignore[return-value]


def _objects(period_id: int, assessed_id: int) -> tuple[Period, AssessedUnit]:
    period = get_object_or_404(Period.objects.select_related("cycle"), pk=period_id)
    assessed = get_object_or_404(
        AssessedUnit.objects.select_related("unit", "cycle__scope"),
        pk=assessed_id,
        cycle_id=period.cycle_id,
    )
    return period, assessed


@login_required
@require_GET
def sheet_download(request: HttpRequest, period_id: int, assessed_id: int) -> HttpResponse:
    user = _user(request)
    period, assessed = _objects(period_id, assessed_id)
    assignments = sheets.assignments_of(assessed)
    if not sheets.may_view(user, assessed, assignments):
        raise PermissionDenied
    if not sheets.enterable(user, assessed, assignments):
        messages.warning(request, _("You have no indicators to enter for this unit."))
        return redirect("reporting:sheet-upload", period_id=period.pk, assessed_id=assessed.pk)
    content = sheets.workbook_for(period, assessed, user)
    response = HttpResponse(content, content_type=XLSX_TYPE)
    name = sheets.workbook_filename(period, assessed)
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    response["Cache-Control"] = "no-store"
    return response


@login_required
@require_http_methods(["GET", "POST"])
def sheet_upload(request: HttpRequest, period_id: int, assessed_id: int) -> HttpResponse:
    user = _user(request)
    period, assessed = _objects(period_id, assessed_id)
    assignments = sheets.assignments_of(assessed)
    if not sheets.may_view(user, assessed, assignments):
        raise PermissionDenied
    may_upload = sheets.may_upload(user, assignments)
    if request.method == "POST" and not may_upload:
        raise PermissionDenied
    editable = sheets.is_editable(period, assessed)
    form = SheetUploadForm(request.POST or None, request.FILES or None)
    report = None
    if request.method == "POST":
        if not editable:
            messages.error(
                request,
                _(
                    "This report cannot be changed now (the period is closed or the report "
                    "was submitted). Nothing was saved."
                ),
            )
        elif form.is_valid():
            upload = form.cleaned_data["file"]
            if upload.size > sheets.MAX_BYTES:
                form.add_error("file", _("The file is larger than 10 MB."))
            else:
                report = sheets.workbook_import(
                    actor=user,
                    period=period,
                    assessed=assessed,
                    upload=upload,
                    filename=upload.name,
                )
                if report.ok:
                    count = len(report.changed)
                    if count:
                        messages.success(
                            request,
                            ngettext(
                                "%(count)s indicator was updated from the file.",
                                "%(count)s indicators were updated from the file.",
                                count,
                            )
                            % {"count": count},
                        )
                    else:
                        messages.info(
                            request, _("The file holds no changes: nothing needed saving.")
                        )
                    return redirect(
                        "reporting:sheet-upload", period_id=period.pk, assessed_id=assessed.pk
                    )
    enterable = sheets.enterable(user, assessed, assignments)
    return render(
        request,
        "reporting/sheets/upload.html",
        {
            "period": period,
            "assessed": assessed,
            "deadline": sheets.unit_deadline(period, assessed),
            "editable": editable,
            "may_upload": may_upload,
            "indicator_count": len(enterable),
            "form": form,
            "report": report,
        },
    )
