"""The published rankings for everyone, without signing in, when the
deployment switches them on (settings.PUBLIC_RESULTS, DTIS_PUBLIC_RESULTS=1).

Only cycles whose results were published; only the ranking (rank, unit, the
main indicators' indices, the index and the band): no unit detail, no
person. Switched off, both pages answer 404. The views carry no
`login_required`, and the site's only middleware that redirects
(ForcePasswordChangeMiddleware) concerns signed-in people only.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db.models import Count, QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.views.decorators.http import require_GET

from dtis.appraisal.models import Stage
from dtis.appraisal.standings import standings
from dtis.appraisal.views.access import band_class
from dtis.core.text import vi_sort_key
from dtis.dashboards import heatmap as hm
from dtis.dashboards import pagecache
from dtis.reporting.models import Cycle


def _enabled() -> None:
    if not getattr(settings, "PUBLIC_RESULTS", False):
        raise Http404


def published_cycles() -> QuerySet[Cycle]:
    return Cycle.objects.filter(outcome__stage=Stage.PUBLISHED).select_related(
        "framework", "scope", "outcome"
    )


@require_GET
def index(request: HttpRequest) -> HttpResponse:
    _enabled()
    cycles = list(published_cycles().annotate(units=Count("results")))
    cycles.sort(key=lambda c: (-c.year, vi_sort_key(c.scope.name), vi_sort_key(c.name)))
    return render(request, "dashboards/public/index.html", {"cycles": cycles})


@require_GET
def ranking(request: HttpRequest, cycle_id: int) -> HttpResponse:
    _enabled()
    cycle = get_object_or_404(published_cycles(), pk=cycle_id)

    def build() -> dict[str, Any]:
        table = standings(cycle)
        for row in table.rows():
            row.band_class = band_class(cycle, row.result.band)  # type: ignore[attr-defined]
            row.cells = [(c, hm.band_class(c.index)) for c in row.main]  # type: ignore[attr-defined]
        return {"cycle": cycle, "table": table, "legend": hm.legend()}

    body = pagecache.body("public-ranking", (cycle.pk,), "dashboards/public/_ranking.html", build)
    return render(request, "dashboards/public/ranking.html", {"cycle": cycle, "body": body})
