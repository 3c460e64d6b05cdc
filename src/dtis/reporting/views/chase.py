"""The office's chase page (đôn đốc), its export, and people's notifications."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any
from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from dtis.core.tabular import xlsx_bytes
from dtis.orgs import policy
from dtis.orgs.views.common import paginate
from dtis.reporting.chase import STATUSES, Row, chase_rows
from dtis.reporting.models import Cycle, Notification, PeriodState
from dtis.reporting.reminders import send_reminders

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
OVERDUE = "overdue"
STATUS_ORDER = {value: rank for rank, (value, _label) in enumerate(STATUSES)}

# Sortable columns: query value → key function.
SORTS: dict[str, Callable[[Row], Any]] = {
    "unit": lambda r: r.unit.sort_key,
    "group": lambda r: (r.peer_group, r.unit.sort_key),
    "period": lambda r: (r.period.start, r.period.end, r.unit.sort_key),
    "status": lambda r: (STATUS_ORDER[r.status], r.unit.sort_key),
    "deadline": lambda r: (r.deadline, r.unit.sort_key),
    "days": lambda r: (r.days_to_deadline, r.unit.sort_key),
    "late": lambda r: (r.days_late, r.unit.sort_key),
}
DEFAULT_SORT = "period"


def _cycle_for(request: HttpRequest, cycle_id: int) -> Cycle:
    cycle = get_object_or_404(Cycle.objects.select_related("scope", "framework"), pk=cycle_id)
    if not policy.can_run_cycle(request.user, cycle):  # type: ignore[arg-type]
        raise PermissionDenied
    return cycle


def _filtered(request: HttpRequest, cycle: Cycle) -> dict[str, Any]:
    """The rows the filters and the sort in the query string ask for."""
    periods = [p for p in cycle.periods.order_by("start", "end") if p.state != PeriodState.PLANNED]
    for p in periods:
        p.cycle = cycle
    kind = request.GET.get("period", "")
    period = next((p for p in periods if p.kind == kind), None)
    rows = chase_rows(cycle, period)
    groups = sorted({r.peer_group for r in rows if r.peer_group})
    status = request.GET.get("status", "")
    group = request.GET.get("group", "")
    if status == OVERDUE:
        rows = [r for r in rows if r.is_overdue]
    elif status in STATUS_ORDER:
        rows = [r for r in rows if r.status == status]
    if group:
        rows = [r for r in rows if r.peer_group == group]
    sort = request.GET.get("sort", DEFAULT_SORT)
    descending = sort.startswith("-")
    key = sort.lstrip("-")
    if key not in SORTS:
        key, descending = DEFAULT_SORT, False
    rows.sort(key=SORTS[key], reverse=descending)
    return {
        "rows": rows,
        "periods": periods,
        "period": period,
        "groups": groups,
        "status": status,
        "group": group,
        "sort_key": key,
        "descending": descending,
        "filters": {"period": kind if period else "", "status": status, "group": group},
    }


def _columns(filters: dict[str, str], key: str, descending: bool) -> list[dict[str, Any]]:
    """Header cells with a link that sorts by the column (again: reversed)."""
    titles = [
        ("unit", _("Unit")),
        ("group", _("Peer group")),
        ("period", _("Period")),
        ("status", _("Status")),
        ("deadline", _("Deadline")),
        ("days", _("Days left")),
        ("late", _("Days late")),
    ]
    kept = {k: v for k, v in filters.items() if v}
    columns = []
    for name, title in titles:
        current = name == key
        order = f"-{name}" if current and not descending else name
        columns.append(
            {
                "name": name,
                "title": title,
                "query": urlencode({**kept, "sort": order}),
                "sorted": ("descending" if descending else "ascending") if current else "",
            }
        )
    return columns


@login_required
def chase(request: HttpRequest, cycle_id: int) -> HttpResponse:
    cycle = _cycle_for(request, cycle_id)
    found = _filtered(request, cycle)
    rows: list[Row] = found["rows"]
    kept = {k: v for k, v in found["filters"].items() if v}
    return render(
        request,
        "reporting/chase/chase.html",
        {
            **found,
            "cycle": cycle,
            "columns": _columns(found["filters"], found["sort_key"], found["descending"]),
            "statuses": [*STATUSES, (OVERDUE, _("Overdue"))],
            "export_query": urlencode({**kept, "sort": request.GET.get("sort", DEFAULT_SORT)}),
            "overdue_count": sum(r.is_overdue for r in rows),
            "today": timezone.localdate(),
        },
    )


def _names(people: list[Any]) -> str:
    return "; ".join(
        f"{p.full_name or p.username}" + (f" <{p.email}>" if p.email else "") for p in people
    )


def _date(day: dt.date | dt.datetime | None) -> str:
    if day is None:
        return ""
    if isinstance(day, dt.datetime):
        day = timezone.localtime(day).date()
    return day.strftime("%d/%m/%Y")


@login_required
def chase_export(request: HttpRequest, cycle_id: int) -> HttpResponse:
    """The filtered, sorted chase table as an Excel workbook."""
    cycle = _cycle_for(request, cycle_id)
    rows: list[Row] = _filtered(request, cycle)["rows"]
    header = [
        _("Unit"),
        _("Peer group"),
        _("Period"),
        _("Status"),
        _("Deadline"),
        _("Days left"),
        _("Days late"),
        _("Submitted on"),
        _("Reporters"),
        _("Unit heads"),
    ]
    data = (
        [
            r.unit.name,
            r.peer_group,
            str(r.period),
            r.status_label,
            _date(r.deadline),
            r.days_to_deadline,
            r.days_late,
            _date(r.submitted_at),
            _names(r.reporters),
            _names(r.heads),
        ]
        for r in rows
    )
    response = HttpResponse(xlsx_bytes(_("Chase"), header, data), content_type=XLSX)
    response["Content-Disposition"] = f'attachment; filename="don-doc-{cycle.pk}.xlsx"'
    return response


@login_required
@require_POST
def chase_send(request: HttpRequest, cycle_id: int) -> HttpResponse:
    """Send today's reminders of this cycle now (what the daily command does)."""
    cycle = _cycle_for(request, cycle_id)
    summary = send_reminders(cycle=cycle)
    if summary.sent:
        messages.success(
            request,
            ngettext(
                "%(n)s reminder sent (%(emails)s by e-mail).",
                "%(n)s reminders sent (%(emails)s by e-mail).",
                len(summary.sent),
            )
            % {"n": len(summary.sent), "emails": summary.emails},
        )
    else:
        messages.info(request, _("Nothing to send: today's reminders have already gone out."))
    if summary.email_failures:
        messages.warning(
            request,
            _("%(n)s e-mails could not be sent; the in-app notifications were delivered.")
            % {"n": summary.email_failures},
        )
    return redirect("reporting:chase", cycle_id=cycle.pk)


@login_required
def notifications(request: HttpRequest) -> HttpResponse:
    mine = Notification.objects.filter(user=request.user)  # type: ignore[misc]
    page = paginate(request, mine.order_by("-created_at", "-pk"))
    unread = mine.filter(read_at__isnull=True).count()
    return render(request, "reporting/notifications/list.html", {"page": page, "unread": unread})


@login_required
@require_POST
def notifications_read(request: HttpRequest) -> HttpResponse:
    updated = Notification.objects.filter(user=request.user, read_at__isnull=True).update(  # type: ignore[misc]
        read_at=timezone.now()
    )
    if updated:
        messages.success(request, _("All notifications are marked as read."))
    return redirect("reporting:notifications")


@login_required
def notification_open(request: HttpRequest, pk: int) -> HttpResponse:
    """Mark one of the person's notifications read and follow its link."""
    note = get_object_or_404(Notification, pk=pk, user=request.user)
    if note.read_at is None:
        Notification.objects.filter(pk=note.pk).update(read_at=timezone.now())
    safe = note.url and url_has_allowed_host_and_scheme(
        note.url, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    )
    return redirect(note.url if safe else reverse("reporting:notifications"))
