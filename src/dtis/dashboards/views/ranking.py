"""The peer ranking with its heatmap, and one unit's own dashboard.

Who sees what (`dtis.orgs.policy`), as on the appraisal results pages: the
standing office, the council and the leadership see every cycle at every
stage (provisional until published); the people of an assessed unit see the
ranking once published, their own dashboard always, but its result only once
published, and never another unit's dashboard.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from dtis.appraisal.standings import PeerGroup, standings
from dtis.appraisal.views.access import (
    Access,
    band_class,
    cycle_access,
    ranking_access,
    results_context,
    user_of,
)
from dtis.dashboards import heatmap as hm
from dtis.dashboards import pagecache
from dtis.dashboards.unit_view import unit_dashboard
from dtis.orgs import policy
from dtis.reporting.models import AssessedUnit

SORT = "sap-xep"
DIRECTION = "chieu"
GROUP = "nhom"


@login_required
@require_GET
def ranking(request: HttpRequest, cycle_id: int) -> HttpResponse:
    access = ranking_access(request, cycle_id)
    asked = {name: request.GET.get(name, "")[:100] for name in (SORT, DIRECTION, GROUP)}
    own = () if access.all else sorted(access.own_ids)
    vary = (access.cycle.pk, access.all, own, sorted(asked.items()))
    body = pagecache.body(
        "ranking", vary, "dashboards/ranking/_ranking.html", lambda: _ranking(access, asked)
    )
    return render(request, "dashboards/ranking/ranking.html", {"cycle": access.cycle, "body": body})


def _ranking(access: Access, asked: dict[str, str]) -> dict[str, Any]:
    cycle = access.cycle
    table = standings(cycle)
    how = hm.sorting(table, asked[SORT], asked[DIRECTION])
    notices = [how.notice] if how.notice else []
    names = [g.name for g in table.groups]
    chosen = asked[GROUP].strip()
    if chosen and chosen not in names:
        notices.append(
            _("There is no peer group “%(name)s” in this cycle; all groups are shown.")
            % {"name": chosen[:60]}
        )
        chosen = ""
    own = set() if access.all else access.own_ids
    groups: list[PeerGroup] = []
    for group in table.groups:
        if chosen and group.name != chosen:
            continue
        rows = hm.sort_rows(table, group.rows, how)
        for row in rows:
            row.can_open = access.all or row.assessed.pk in own  # type: ignore[attr-defined]
            row.is_own = not access.all and row.assessed.pk in own  # type: ignore[attr-defined]
            row.band_class = band_class(cycle, row.result.band)  # type: ignore[attr-defined]
        groups.append(PeerGroup(group.name, rows))

    def link(key: str, direction: str, group: str = chosen) -> str:
        params = {SORT: key, DIRECTION: direction}
        if group:
            params[GROUP] = group
        return "?" + urlencode(params)

    headers = [
        {
            "column": col,
            "url": link(col.key, hm.toggle(how, col.key)),
            "aria_sort": hm.aria_sort(how, col.key),
        }
        for col in hm.columns(table)
    ]
    maps = (
        [(g, hm.heatmap(table, g.rows)) for g in groups if g.rows]
        if hm.shows_heatmap(cycle)
        else []
    )
    filters = [{"name": name, "url": link(how.key, how.direction, name)} for name in names]
    return results_context(
        access,
        table=table,
        groups=groups,
        headers=headers,
        sorting=how,
        notices=notices,
        chosen=chosen,
        filters=filters,
        all_url=link(how.key, how.direction, ""),
        maps=maps,
        legend=hm.legend(),
    )


@login_required
@require_GET
def unit(request: HttpRequest, cycle_id: int, assessed_id: int) -> HttpResponse:
    access = cycle_access(request, cycle_id)
    cycle = access.cycle
    assessed = get_object_or_404(
        AssessedUnit.objects.select_related("unit"), pk=assessed_id, cycle=cycle
    )
    assessed.cycle = cycle
    user = user_of(request)
    if not policy.can_view_unit_dashboard(user, assessed):
        raise PermissionDenied
    with_result = policy.can_view_unit_result(user, assessed, access.published)
    # The unit's own people belong to it, so they need not look up their units.
    own = policy.can(user, policy.Action.VIEW_UNIT, assessed.unit)
    can_ranking = access.all or policy.can_view_ranking(
        user, cycle, access.published, own or access.own
    )

    def build() -> dict[str, Any]:
        board = unit_dashboard(cycle, assessed, with_result=with_result)
        if board.standing is not None:
            board.standing.band_class = band_class(cycle, board.standing.result.band)  # type: ignore[attr-defined]
        return results_context(
            access,
            assessed=assessed,
            board=board,
            standing=board.standing,
            can_ranking=can_ranking,
        )

    vary = (cycle.pk, assessed.pk, access.all, with_result, can_ranking)
    body = pagecache.body("unit", vary, "dashboards/ranking/_unit.html", build)
    return render(
        request,
        "dashboards/ranking/unit.html",
        {"cycle": cycle, "assessed": assessed, "body": body},
    )
