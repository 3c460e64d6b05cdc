"""The period report of a cycle as a download (the same document as
`dtis report export`): the office prints it for the quarterly meeting and
leadership reads it, so it is one click from the cycle's periods table
rather than a command only an administrator can run."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404
from django.views.decorators.http import require_GET

from dtis.orgs import policy
from dtis.plans import documents
from dtis.plans.reports import report_of
from dtis.reporting.models import Period

MAKERS = {
    "docx": (
        documents.report_docx,
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    ),
    "xlsx": (
        documents.report_xlsx,
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    ),
}


@login_required
@require_GET
def period_report(request: HttpRequest, period_id: int, fmt: str) -> HttpResponse:
    period = get_object_or_404(Period.objects.select_related("cycle__scope"), pk=period_id)
    if not policy.can_view_all_results(request.user, period.cycle):  # type: ignore[arg-type]
        raise PermissionDenied
    maker, content_type = MAKERS[fmt]
    response = HttpResponse(maker(report_of(period.cycle, period)), content_type=content_type)
    name = f"bao-cao-{period.kind}-{period.cycle.year}-chu-ky-{period.cycle.pk}.{fmt}"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


def period_report_docx(request: HttpRequest, period_id: int) -> HttpResponse:
    return period_report(request, period_id, "docx")


def period_report_xlsx(request: HttpRequest, period_id: int) -> HttpResponse:
    return period_report(request, period_id, "xlsx")
