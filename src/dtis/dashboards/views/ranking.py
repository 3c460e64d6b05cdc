"""The peer ranking with its heatmap, and one unit's own dashboard.

Who sees what (`dtis.orgs.policy`), as on the appraisal results pages: the
standing office, the council and the leadership see every cycle at every
stage (provisional until published); the people of an assessed unit see the
ranking once published, their own dashboard always, but its result only once
published, and never another unit's dashboard.
"""

from __future__ import annotations

import io
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlencode

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET
from openpyxl import Workbook

from dtis.appraisal.exports import XLSX
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


@dataclass
class UnitAccess:
    access: Access
    assessed: AssessedUnit
    with_result: bool  # the unit's own people: only once published
    can_ranking: bool


def _unit_access(request: HttpRequest, cycle_id: int, assessed_id: int) -> UnitAccess:
    access = cycle_access(request, cycle_id)
    cycle = access.cycle
    assessed = get_object_or_404(
        AssessedUnit.objects.select_related("unit"), pk=assessed_id, cycle=cycle
    )
    assessed.cycle = cycle
    user = user_of(request)
    if not policy.can_view_unit_dashboard(user, assessed):
        raise PermissionDenied
    # The unit's own people belong to it, so they need not look up their units.
    own = policy.can(user, policy.Action.VIEW_UNIT, assessed.unit)
    return UnitAccess(
        access,
        assessed,
        with_result=policy.can_view_unit_result(user, assessed, access.published),
        can_ranking=access.all
        or policy.can_view_ranking(user, cycle, access.published, own or access.own),
    )


@login_required
@require_GET
def unit(request: HttpRequest, cycle_id: int, assessed_id: int) -> HttpResponse:
    seen = _unit_access(request, cycle_id, assessed_id)
    access, assessed = seen.access, seen.assessed
    cycle = access.cycle

    def build() -> dict[str, Any]:
        board = unit_dashboard(cycle, assessed, with_result=seen.with_result)
        if board.standing is not None:
            board.standing.band_class = band_class(cycle, board.standing.result.band)  # type: ignore[attr-defined]
        return results_context(
            access,
            assessed=assessed,
            board=board,
            standing=board.standing,
            can_ranking=seen.can_ranking,
        )

    vary = (cycle.pk, assessed.pk, access.all, seen.with_result, seen.can_ranking)
    body = pagecache.body("unit", vary, "dashboards/ranking/_unit.html", build)
    return render(
        request,
        "dashboards/ranking/unit.html",
        {"cycle": cycle, "assessed": assessed, "body": body},
    )


@login_required
@require_GET
def unit_xlsx(request: HttpRequest, cycle_id: int, assessed_id: int) -> HttpResponse:
    """The unit dashboard's numbers: its points lost and its place among peers."""
    seen = _unit_access(request, cycle_id, assessed_id)
    if not seen.with_result:
        raise Http404
    cycle, assessed = seen.access.cycle, seen.assessed
    board = unit_dashboard(cycle, assessed, with_result=True)
    if board.standing is None:
        raise Http404
    workbook = Workbook()
    lost = workbook.active
    lost.title = str(_("Points lost"))[:31]
    lost.append(
        [_("Code"), _("Indicator"), _("Final"), _("Max"), _("Recoverable"), _("Lead unit"),
         _("Council's reason")]
    )  # fmt: skip
    for row in board.lost:
        lost.append(
            [row.code, row.name, float(row.final_points), float(row.max_points),
             float(row.recoverable), row.owner, row.reason_label]
        )  # fmt: skip
    peers = workbook.create_sheet(str(_("Place among peers"))[:31])
    peers.append([_("Rank"), _("Unit"), _("Index"), _("Your unit")])
    for bar in board.strip.bars if board.strip else []:
        index = None if bar.index is None else float(bar.index)
        peers.append([bar.rank or None, bar.name, index, "x" if bar.own else ""])
    buffer = io.BytesIO()
    workbook.save(buffer)
    response = HttpResponse(buffer.getvalue(), content_type=XLSX)
    name = f"don-vi-{assessed.unit.code}-{cycle.year}-{cycle.pk}.xlsx"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response
