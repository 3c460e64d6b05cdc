"""Browse, edit, import and export units."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse, StreamingHttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from dtis.core.tabular import csv_lines, xlsx_bytes
from dtis.orgs import policy
from dtis.orgs.forms import UnitForm, UnitImportForm
from dtis.orgs.models import Unit, UnitKind
from dtis.orgs.unit_files import HEADERS_VI, export_queryset, export_rows, units_import
from dtis.orgs.units import StaleEdit, unit_create, unit_update
from dtis.orgs.views.common import paginate, require_any, unit_for

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@login_required
def unit_list(request: HttpRequest) -> HttpResponse:
    units = policy.units_where(request.user, policy.Action.VIEW_UNIT)  # type: ignore[arg-type]
    query = request.GET.get("q", "").strip()
    kind = request.GET.get("kind", "")
    show_ended = request.GET.get("ended") == "1"
    if query:
        units = units.search(query)
    if kind in UnitKind.values:
        units = units.filter(kind=kind)
    if not show_ended:
        units = units.active_on(timezone.localdate())
    # Browsing shows the tree (parents first, offices indented under their
    # department); searching or filtering lists matches alphabetically.
    as_tree = not query and not kind
    order = ("tree_key",) if as_tree else ("sort_key",)
    page = paginate(request, units.select_related("parent").order_by(*order))
    if as_tree and page.object_list:
        top = min(u.depth for u in page.object_list)
        for u in page.object_list:
            u.indent = range(u.depth - top)
    return render(
        request,
        "orgs/unit_list.html",
        {
            "page": page,
            "query": query,
            "kind": kind,
            "show_ended": show_ended,
            "as_tree": as_tree,
            "kinds": UnitKind.choices,
            "can_manage": policy.units_where(request.user, policy.Action.MANAGE_UNITS).exists(),  # type: ignore[arg-type]
            "today": timezone.localdate(),
        },
    )


@login_required
def unit_detail(request: HttpRequest, code: str) -> HttpResponse:
    unit = unit_for(request, code, policy.Action.VIEW_UNIT)
    children = unit.children.order_by("valid_to", "sort_key")
    grants = unit.grants.select_related("user").order_by("role", "user__full_name")
    can_manage = policy.can(request.user, policy.Action.MANAGE_UNITS, unit)  # type: ignore[arg-type]
    history = (
        unit.history.select_related("history_user").order_by("-history_date")[:20]
        if can_manage
        else []
    )
    ancestors = list(Unit.objects.filter(pk__in=unit.ancestor_ids()[:-1]).order_by("path"))
    children = list(children)
    # Link only to the units this person may open (no queries: grants are cached).
    for other in [*ancestors, *children, *([unit.parent] if unit.parent else [])]:
        other.can_view = policy.can(request.user, policy.Action.VIEW_UNIT, other)  # type: ignore[arg-type,attr-defined]
    return render(
        request,
        "orgs/unit_detail.html",
        {
            "unit": unit,
            "ancestors": ancestors,
            "children": children,
            "grants": grants,
            "can_manage": can_manage,
            "can_manage_accounts": policy.can(request.user, policy.Action.MANAGE_ACCOUNTS, unit),  # type: ignore[arg-type]
            "history": history,
            "today": timezone.localdate(),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def unit_create_view(request: HttpRequest) -> HttpResponse:
    manageable = require_any(request, policy.Action.MANAGE_UNITS)
    initial = {}
    parent_code = request.GET.get("parent")
    if parent_code:
        initial["parent"] = manageable.filter(code=parent_code).first()
    form = UnitForm(request.POST or None, parents=manageable, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        if data["parent"] is None and not request.user.is_superuser:  # type: ignore[union-attr]
            form.add_error("parent", _("Choose the parent unit."))
        elif Unit.objects.filter(code__iexact=data["code"].strip()).exists():
            form.add_error("code", _("Another unit already uses this code."))
        else:
            try:
                unit = unit_create(
                    actor=request.user,  # type: ignore[arg-type]
                    code=data["code"], name=data["name"], short_name=data["short_name"],
                    kind=data["kind"], parent=data["parent"],
                    valid_from=data["valid_from"], valid_to=data["valid_to"],
                )  # fmt: skip
            except ValidationError as exc:
                _add_errors(form, exc)
            else:
                messages.success(request, _("Unit “%(name)s” was created.") % {"name": unit.name})
                return redirect("orgs:unit-detail", code=unit.code)
    return render(request, "orgs/unit_form.html", {"form": form, "unit": None})


@login_required
@require_http_methods(["GET", "POST"])
def unit_edit_view(request: HttpRequest, code: str) -> HttpResponse:
    unit = unit_for(request, code, policy.Action.MANAGE_UNITS)
    manageable = policy.units_where(request.user, policy.Action.MANAGE_UNITS)  # type: ignore[arg-type]
    parents = manageable.exclude(path__startswith=unit.path)
    if unit.parent is not None:
        parents = parents | Unit.objects.filter(pk=unit.parent.pk)
    initial = {
        "code": unit.code, "name": unit.name, "short_name": unit.short_name, "kind": unit.kind,
        "parent": unit.parent, "valid_from": unit.valid_from, "valid_to": unit.valid_to,
        "version": unit.version,
    }  # fmt: skip
    form = UnitForm(request.POST or None, parents=parents, initial=initial, editing=True)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        if data["parent"] is None and unit.parent is not None:
            form.add_error("parent", _("Choose the parent unit."))
        else:
            try:
                unit_update(
                    actor=request.user,  # type: ignore[arg-type]
                    unit=unit, version=data["version"] or 0, name=data["name"],
                    short_name=data["short_name"], kind=data["kind"], parent=data["parent"],
                    valid_from=data["valid_from"], valid_to=data["valid_to"],
                )  # fmt: skip
            except StaleEdit:
                messages.error(
                    request,
                    _("Someone else changed this unit while you were editing. "
                      "The form now shows their version; make your change again."),
                )  # fmt: skip
                return redirect("orgs:unit-edit", code=unit.code)
            except ValidationError as exc:
                _add_errors(form, exc)
            else:
                messages.success(request, _("Changes saved."))
                return redirect("orgs:unit-detail", code=unit.code)
    return render(request, "orgs/unit_form.html", {"form": form, "unit": unit})


def _add_errors(form: UnitForm, exc: ValidationError) -> None:
    if hasattr(exc, "error_dict"):
        for field, errors in exc.message_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, exc.messages)


@login_required
@require_http_methods(["GET", "POST"])
def unit_import_view(request: HttpRequest) -> HttpResponse:
    require_any(request, policy.Action.MANAGE_UNITS)
    form = UnitImportForm(request.POST or None, request.FILES or None)
    report = None
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        if upload.size > settings.UNIT_IMPORT_MAX_BYTES:
            form.add_error("file", _("The file is larger than 10 MB."))
        else:
            report = units_import(actor=request.user, upload=upload.file, filename=upload.name)  # type: ignore[arg-type]
            if report.ok:
                messages.success(
                    request,
                    _("Import finished: %(created)s new, %(updated)s updated, "
                      "%(unchanged)s unchanged.")
                    % {"created": report.created, "updated": report.updated,
                       "unchanged": report.unchanged},
                )  # fmt: skip
                return redirect("orgs:unit-list")
    return render(request, "orgs/unit_import.html", {"form": form, "report": report})


@login_required
def unit_export_view(request: HttpRequest) -> HttpResponse:
    """Export the units below `root` (default: the person's scopes) as CSV/XLSX."""
    root_code = request.GET.get("root", "")
    if root_code:
        roots = [unit_for(request, root_code, policy.Action.VIEW_UNIT)]
    else:
        roots = list(policy.scope_roots(request.user, policy.Action.VIEW_UNIT))  # type: ignore[arg-type]
        if not roots:
            raise PermissionDenied
    fmt = request.GET.get("format", "xlsx")
    filename = f"don-vi-{roots[0].code.lower() if len(roots) == 1 else 'tat-ca'}"

    def rows():  # type: ignore[no-untyped-def]
        for root in roots:
            yield from export_rows(export_queryset(root))

    if fmt == "csv":
        response = StreamingHttpResponse(
            csv_lines(HEADERS_VI, rows()), content_type="text/csv; charset=utf-8"
        )
        response["Content-Disposition"] = f'attachment; filename="{filename}.csv"'
        return response
    response = HttpResponse(xlsx_bytes(_("Units"), HEADERS_VI, rows()), content_type=XLSX)
    response["Content-Disposition"] = f'attachment; filename="{filename}.xlsx"'
    return response
