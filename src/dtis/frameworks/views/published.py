"""Results the ministry published: import them, check them against the
framework's weights, and see the ranking.

Published results are public figures, so anyone signed in may read them;
importing is for the people who manage frameworks (a system administrator or
a standing office).
"""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import Count, Max
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from dtis.frameworks import published
from dtis.frameworks.forms import PublishedImportForm
from dtis.frameworks.models import PublishedResult
from dtis.frameworks.views.frameworks import framework_for, may_manage_some_framework
from dtis.orgs import policy
from dtis.orgs.models import User


def _user(request: HttpRequest) -> User:
    return request.user  # type: ignore[return-value]


def _list_page(
    request: HttpRequest,
    form: PublishedImportForm | None = None,
    report: published.PublishedImport | None = None,
    status: int = 200,
) -> HttpResponse:
    can_import = may_manage_some_framework(_user(request))
    if can_import and form is None:
        # Results are published early in the following year.
        form = PublishedImportForm(initial={"year": timezone.localdate().year - 1})
    sets = (
        PublishedResult.objects.values(
            "framework__code", "framework__version", "framework__name", "year"
        )
        .annotate(units=Count("pk"), imported_at=Max("imported_at"))
        .order_by("-year", "framework__code", "-framework__version")
    )
    return render(
        request,
        "frameworks/published_list.html",
        {"sets": list(sets), "form": form, "report": report, "can_import": can_import},
        status=status,
    )


@login_required
def published_list(request: HttpRequest) -> HttpResponse:
    return _list_page(request)


@login_required
@require_POST
def published_import_view(request: HttpRequest) -> HttpResponse:
    """Replace one framework's results for one year with the file's, all or
    nothing; every problem is listed with its row number."""
    if not may_manage_some_framework(_user(request)):
        raise PermissionDenied
    form = PublishedImportForm(request.POST, request.FILES)
    if not form.is_valid():
        return _list_page(request, form)
    upload = form.cleaned_data["file"]
    if upload.size > settings.UNIT_IMPORT_MAX_BYTES:
        form.add_error("file", _("The file is larger than 10 MB."))
        return _list_page(request, form)
    fw, year = form.cleaned_data["framework"], form.cleaned_data["year"]
    if not policy.can_manage_framework(_user(request), fw.owner):
        # A national framework's published results are the country's, not one
        # province's: only those who maintain the framework replace them.
        form.add_error(
            "framework",
            _("Only those who maintain %(name)s may replace its published results.")
            % {"name": fw.name},
        )
        return _list_page(request, form, status=403)
    report = published.published_import(
        framework=fw, year=year, upload=upload.file, filename=upload.name
    )
    if not report.ok:
        return _list_page(request, form, report)
    messages.success(
        request,
        _("%(n)s results of %(year)s were stored.") % {"n": report.stored, "year": year},
    )
    return redirect("frameworks:published-detail", code=fw.code, version=fw.version, year=year)


@login_required
def published_detail(request: HttpRequest, code: str, version: int, year: int) -> HttpResponse:
    fw = framework_for(code, version)
    checked = published.published_check(fw, year)
    if not checked:
        raise Http404
    mains = list(fw.indicators.filter(parent__isnull=True, max_points__gt=0).order_by("order"))
    pillar_names = list(checked[0].pillars)
    rows = [
        {
            "rank": r.rank,
            "unit": r.row.unit,
            "indices": [r.row.indices.get(m.code) for m in mains],
            "total": r.total,
            "published_total": r.row.total,
            "published_rank": r.row.rank,
            "total_mismatch": r.total_mismatch,
            "rank_mismatch": r.rank_mismatch,
            "mismatch": r.mismatch,
            "pillars": [r.pillars[name] for name in pillar_names],
        }
        for r in checked
    ]
    return render(
        request,
        "frameworks/published_detail.html",
        {
            "fw": fw,
            "year": year,
            "mains": mains,
            "pillar_names": pillar_names,
            "rows": rows,
            "differ": sum(1 for r in rows if r["mismatch"]),
        },
    )
