"""Frameworks: browse, read, edit drafts, versions and status, bands, import,
export and comparison of versions.

Anyone signed in may read frameworks (every unit needs to know how it is
scored). Changing one takes `policy.can_manage_framework`: a system
administrator for national frameworks, the owning standing office for a
province's own.
"""

from __future__ import annotations

import json
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import Count, Exists, OuterRef, Q, Sum
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_http_methods, require_POST

from dtis.frameworks import files, services
from dtis.frameworks.describe import describe_rule
from dtis.frameworks.forms import BandFormSet, CompareForm, FrameworkImportForm, IndicatorForm
from dtis.frameworks.models import Crosswalk, Framework, Indicator, Status
from dtis.orgs import policy
from dtis.orgs.models import Unit, UnitKind, User
from dtis.scoring.numbers import to_decimal
from dtis.scoring.rules import RuleError
from dtis.scoring.serialize import FrameworkError
from dtis.scoring.tree import DEFAULT_BANDS

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
CHANGE_KINDS = ("added", "removed", "renamed", "reweighted", "rule", "recoded")
# Units that issue frameworks for the units below them; communes and internal
# offices are scored, they do not maintain frameworks.
OWNER_KINDS = [UnitKind.NATION, UnitKind.MINISTRY, UnitKind.PROVINCE, UnitKind.DEPARTMENT,
               UnitKind.DISTRICT, UnitKind.AGENCY]  # fmt: skip
PROBLEMS_SHOWN = 30


# --- helpers ------------------------------------------------------------------


def _user(request: HttpRequest) -> User:
    return request.user  # type: ignore[return-value]


def framework_for(code: str, version: int) -> Framework:
    return get_object_or_404(
        Framework.objects.select_related("owner", "based_on"), code=code, version=version
    )


def _require_manage(request: HttpRequest, fw: Framework) -> None:
    if not policy.can_manage_framework(_user(request), fw.owner):
        raise PermissionDenied


def may_manage_some_framework(user: User) -> bool:
    """Superusers, and administrators of any unit (their own frameworks)."""
    if user.is_superuser:
        return True
    return policy.units_where(user, policy.Action.MANAGE_FRAMEWORKS).exists()


def problems_message(intro: str, problems: list[Any]) -> SafeString:
    """A message listing validation problems (code: message), safely escaped."""
    shown = problems[:PROBLEMS_SHOWN]
    items = format_html_join(
        "",
        "<li>{}{}</li>",
        ((f"{p.code}: " if p.code else "", p.message) for p in shown),
    )
    more = (
        format_html("<li>{}</li>", _("… and %(n)s more.") % {"n": len(problems) - len(shown)})
        if len(problems) > len(shown)
        else ""
    )
    return format_html("{}<ul>{}{}</ul>", intro, items, more)


def _detail(fw: Framework) -> HttpResponse:
    return redirect("frameworks:detail", code=fw.code, version=fw.version)


# --- list and detail ------------------------------------------------------------


def _indicator_stats() -> dict[int, dict[str, Any]]:
    """Max points and counts of every framework in one query: the maximum is
    the sum of the main indicators; counted are main indicators and component
    indicators without children that carry points."""
    has_children = Indicator.objects.filter(parent=OuterRef("pk"))
    rows = (
        Indicator.objects.values("framework_id")
        .annotate(
            total=Sum("max_points", filter=Q(parent__isnull=True)),
            mains=Count("pk", filter=Q(parent__isnull=True, max_points__gt=0)),
            leaves=Count("pk", filter=Q(~Exists(has_children), max_points__gt=0)),
        )
        .order_by()
    )
    return {row["framework_id"]: row for row in rows}


@login_required
def framework_list(request: HttpRequest) -> HttpResponse:
    frameworks = list(services.frameworks_visible())
    stats = _indicator_stats()
    empty = {"total": Decimal(0), "mains": 0, "leaves": 0}
    for fw in frameworks:
        fw.stats = stats.get(fw.pk, empty)  # type: ignore[attr-defined]
    return render(
        request,
        "frameworks/framework_list.html",
        {"frameworks": frameworks, "can_import": may_manage_some_framework(_user(request))},
    )


def _tree_rows(indicators: list[Indicator]) -> list[dict[str, Any]]:
    parents = {i.parent_id for i in indicators if i.parent_id}
    rows = []
    for ind in indicators:
        is_parent = ind.pk in parents
        rows.append(
            {
                "ind": ind,
                "depth": min(ind.depth, 3),
                "is_main": ind.parent_id is None,
                "is_parent": is_parent,
                "rule_text": describe_rule(
                    ind.rule, ind.max_points, is_parent=is_parent, inputs=ind.inputs
                ),
                "inputs": ind.inputs,
            }
        )
    return rows


def _bands(fw: Framework) -> tuple[list[dict[str, Any]], bool]:
    """The framework's bands with their percentages as numbers, and whether
    they are the defaults (the framework has none of its own)."""
    if fw.bands:
        return [
            {"name": b["name"], "min_percent": to_decimal(b["min_percent"])} for b in fw.bands
        ], False
    return [{"name": b.name, "min_percent": b.min_percent} for b in DEFAULT_BANDS], True


@login_required
def framework_detail(request: HttpRequest, code: str, version: int) -> HttpResponse:
    fw = framework_for(code, version)
    indicators = services.indicators_of(fw)
    mains = {i.code: i for i in indicators if i.parent_id is None}
    can_manage = policy.can_manage_framework(_user(request), fw.owner)
    pillars = [
        {
            "code": p.get("code", ""),
            "name": p.get("name", ""),
            "indicators": [mains[c] for c in p.get("indicators", []) if c in mains],
            "max_points": sum((mains[c].max_points for c in p.get("indicators", []) if c in mains),
                              Decimal(0)),
        }
        for p in fw.pillars
    ]  # fmt: skip
    bands, default_bands = _bands(fw)
    # A draft shows what still stops it from being activated.
    problems = (
        services.check_dict(services.framework_dict(fw, indicators)) if fw.is_editable else []
    )
    versions = list(Framework.objects.filter(code=fw.code).order_by("-version"))
    return render(
        request,
        "frameworks/framework_detail.html",
        {
            "fw": fw,
            "rows": _tree_rows(indicators),
            "max_points": sum((m.max_points for m in mains.values()), Decimal(0)),
            "main_count": sum(1 for m in mains.values() if m.max_points > 0),
            "pillars": pillars,
            "bands": bands,
            "default_bands": default_bands,
            "problems": problems,
            "versions": versions,
            "can_manage": can_manage,
            "can_edit": can_manage and fw.is_editable,
        },
    )


# --- editing a draft ---------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def indicator_edit(request: HttpRequest, code: str, version: int, indicator: str) -> HttpResponse:
    fw = framework_for(code, version)
    _require_manage(request, fw)
    if not fw.is_editable:
        messages.error(
            request,
            _("This framework is %(status)s and cannot be changed: results of past years are "
              "computed with it. Make a new version from it and edit that draft.")
            % {"status": fw.get_status_display().lower()},
        )  # fmt: skip
        return _detail(fw)
    ind = get_object_or_404(
        Indicator.objects.select_related("parent"), framework=fw, code=indicator
    )
    is_parent = ind.children.exists()
    form = IndicatorForm(
        request.POST or None, initial=IndicatorForm.initial_for(ind), is_parent=is_parent
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.indicator_update(
                ind,
                actor=_user(request),
                name=data["name"], max_points=data["max_points"], rule=data["rule"],
                inputs=data["inputs"], guidance=data["guidance"], evidence=data["evidence"],
                tasks=data["tasks"], lead_unit=data["lead_unit"],
                coordinating_units=data["coordinating_units"],
                auto_measurable=data["auto_measurable"],
            )  # fmt: skip
        except services.FrameworkLocked:
            messages.error(request, _("This framework is no longer a draft; nothing was changed."))
            return _detail(fw)
        except (RuleError, ValueError) as exc:
            form.add_error(None, _("Nothing was saved: %(reason)s") % {"reason": exc})
        else:
            messages.success(request, _("Indicator %(code)s was saved.") % {"code": ind.code})
            return redirect(f"{_detail(fw).url}#ind-{ind.code}")
    return render(
        request,
        "frameworks/indicator_form.html",
        {
            "fw": fw,
            "ind": ind,
            "form": form,
            "is_parent": is_parent,
            "rule_text": describe_rule(
                ind.rule, ind.max_points, is_parent=is_parent, inputs=ind.inputs
            ),
            "rule_examples": RULE_EXAMPLES,
        },
    )


# Parameters of every rule kind, shown as help next to the JSON text area.
RULE_EXAMPLES = [
    (kind, json.dumps(params))
    for kind, params in {
        "yes_no": {"input": "co_chuyen_muc_cds"},
        "level": {"input": "truong_ban", "levels": [
            {"value": "chu_tich", "fraction": 1}, {"value": "pho_chu_tich", "fraction": 0.5},
            {"value": "khong_co", "fraction": 0}]},
        "ratio": {"numerator": "so_van_ban_ky_so", "denominator": "tong_so_van_ban"},
        "ratio_target": {"numerator": "so_ho_so_truc_tuyen", "denominator": "tong_so_ho_so",
                         "target": 0.8},
        "count_target": {"input": "so_tin_bai", "target": 25},
        "tiers": {"input": "so_hai_long", "denominator": "tong_so_danh_gia", "tiers": [
            {"min": 0.9, "fraction": 1}, {"min": 0.7, "fraction": 0.5}]},
        "count_steps": {"input": "so_cuoc_hop", "steps": [
            {"min": 4, "points": 20}, {"min": 3, "points": 15}, {"min": 2, "points": 10},
            {"min": 1, "points": 5}]},
        "relative_best": {"input": "so_ten_mien_vn", "denominator": "dan_so"},
        "formula": {"expression": "max * min(1, (chi_dau_tu + chi_thuong_xuyen) / tong_chi / 0.1)"},
        "half_credits": {"parts": [{"input": "du_hop_tinh", "share": 0.5},
                                   {"input": "chu_tri_hop", "share": 0.5}]},
        "manual": {},
    }.items()
]  # fmt: skip


# --- versions, status, bands ------------------------------------------------------


@login_required
@require_POST
def framework_new_version_view(request: HttpRequest, code: str, version: int) -> HttpResponse:
    fw = framework_for(code, version)
    _require_manage(request, fw)
    try:
        new = services.framework_new_version(fw, actor=_user(request))
    except FrameworkError as exc:
        messages.error(
            request,
            problems_message(_("No new version was made: fix these problems first."), exc.problems),
        )
        return _detail(fw)
    messages.success(
        request,
        _("Version %(new)s was created as a draft from version %(old)s. Edit it, then "
          "activate it.") % {"new": new.version, "old": fw.version},
    )  # fmt: skip
    return _detail(new)


@login_required
@require_POST
def framework_status_view(request: HttpRequest, code: str, version: int) -> HttpResponse:
    fw = framework_for(code, version)
    _require_manage(request, fw)
    status = request.POST.get("status", "")
    if status not in Status.values:
        messages.error(request, _("Unknown status."))
        return _detail(fw)
    try:
        services.framework_set_status(fw, status, actor=_user(request))
    except FrameworkError as exc:
        messages.error(
            request,
            problems_message(
                ngettext(
                    "The framework cannot be activated: %(n)s problem to fix.",
                    "The framework cannot be activated: %(n)s problems to fix.",
                    len(exc.problems),
                )
                % {"n": len(exc.problems)},
                exc.problems,
            ),
        )
    except services.FrameworkLocked:
        messages.error(
            request,
            _("A framework that is in force or retired cannot become a draft again. "
              "Make a new version from it instead."),
        )  # fmt: skip
    else:
        messages.success(
            request, _("Status changed to “%(status)s”.") % {"status": fw.get_status_display()}
        )
    return _detail(fw)


def _percent_text(value: Decimal) -> str:
    """Exact and short, for the JSON field: 90, 82.5."""
    return format(value.normalize(), "f")


@login_required
@require_http_methods(["GET", "POST"])
def framework_bands_view(request: HttpRequest, code: str, version: int) -> HttpResponse:
    """Edit the classification bands (Xuất sắc ≥ 90 %, Tốt ≥ 80 % …).

    Unlike indicators, bands may be changed at any status, in force and
    retired included: they do not change any score, only how a score is
    classified for emulation and reward, and a province revises them on
    its own schedule. The change is recorded in the framework's history.
    Only the framework's managers may do it.
    """
    fw = framework_for(code, version)
    _require_manage(request, fw)
    bands, _default = _bands(fw)
    formset = BandFormSet(request.POST or None, initial=bands, prefix="bands")
    if request.method == "POST" and formset.is_valid():
        fw.bands = [
            {"name": b["name"], "min_percent": _percent_text(b["min_percent"])}
            for b in formset.bands()
        ]
        fw._history_user = _user(request)  # type: ignore[attr-defined]
        fw.save(update_fields=["bands", "updated_at"])
        messages.success(request, _("The bands were saved."))
        return redirect(f"{_detail(fw).url}#bands")
    return render(request, "frameworks/bands_form.html", {"fw": fw, "formset": formset})


# --- import and export ----------------------------------------------------------------


def _owner_choices(user: User) -> Any:
    return policy.units_where(user, policy.Action.MANAGE_FRAMEWORKS).filter(kind__in=OWNER_KINDS)


def _rows_of(data: dict[str, Any]) -> dict[str, int]:
    """Excel row of each indicator code: `xlsx.read_workbook` keeps them under
    `_rows` so that problems found later carry the row a person sees; YAML
    and JSON files are located by code only."""
    rows = data.get("_rows")
    return rows if isinstance(rows, dict) else {}


@login_required
@require_http_methods(["GET", "POST"])
def framework_import_view(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    if not may_manage_some_framework(user):
        raise PermissionDenied
    owners = _owner_choices(user)
    form = FrameworkImportForm(
        request.POST or None, request.FILES or None, owners=owners, national=user.is_superuser
    )
    problems: list[dict[str, Any]] = []
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        owner: Unit | None = form.cleaned_data["owner"]
        if upload.size > settings.UNIT_IMPORT_MAX_BYTES:
            form.add_error("file", _("The file is larger than 10 MB."))
            return _import_page(request, form, problems)
        try:
            data = files.read(upload.file, upload.name)
        except ValueError as exc:  # FileFormatError; a workbook's lists every row
            form.add_error("file", getattr(exc, "lines", None) or str(exc))
            return _import_page(request, form, problems)
        same_code = Framework.objects.filter(code=str(data.get("code") or "")).select_related(
            "owner"
        )
        if any(not policy.can_manage_framework(user, other.owner) for other in same_code):
            form.add_error(
                "file",
                _("The code “%(code)s” belongs to a framework you may not change; give yours "
                  "its own code.") % {"code": data.get("code")},
            )  # fmt: skip
            return _import_page(request, form, problems)
        try:
            outcome = services.framework_import(data, actor=user, owner=owner)
        except FrameworkError as exc:
            rows = _rows_of(data)
            problems = [
                {"code": p.code, "row": rows.get(p.code), "message": p.message}
                for p in exc.problems
            ]
        else:
            text = {
                "created": _("Framework %(label)s was imported."),
                "replaced": _("Draft %(label)s was replaced by the file's content."),
                "unchanged": _("Framework %(label)s is already stored with the same content."),
            }[outcome.action]
            messages.success(request, text % {"label": outcome.framework.label})
            return _detail(outcome.framework)
    return _import_page(request, form, problems)


def _import_page(
    request: HttpRequest, form: FrameworkImportForm, problems: list[dict[str, Any]]
) -> HttpResponse:
    return render(
        request,
        "frameworks/framework_import.html",
        {"form": form, "problems": problems, "has_rows": any(p["row"] for p in problems)},
    )


@login_required
def framework_export(request: HttpRequest, code: str, version: int, fmt: str) -> HttpResponse:
    fw = framework_for(code, version)
    data = services.framework_dict(fw)
    filename = f"{fw.code}-v{fw.version}"
    if fmt == "yaml":
        response = HttpResponse(files.to_yaml(data), content_type="application/yaml; charset=utf-8")
    elif fmt == "json":
        response = HttpResponse(files.to_json(data), content_type="application/json; charset=utf-8")
    elif fmt == "xlsx":
        from dtis.frameworks.xlsx import workbook_bytes  # openpyxl styles: only when asked

        response = HttpResponse(workbook_bytes(data), content_type=XLSX)
    else:
        raise Http404
    response["Content-Disposition"] = f'attachment; filename="{filename}.{fmt}"'
    return response


# --- comparison and crosswalk --------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def framework_compare(request: HttpRequest) -> HttpResponse:
    form = CompareForm(request.GET or None)
    old = new = None
    if form.is_valid():
        old, new = form.cleaned_data["a"], form.cleaned_data["b"]
    if old is None or new is None or old == new:
        if request.method == "POST":
            raise Http404
        return render(request, "frameworks/compare.html", {"form": form, "comparison": None})
    user = _user(request)
    can_map = policy.can_manage_framework(user, new.owner)
    here = f"{request.path}?a={old.pk}&b={new.pk}"
    stored = dict(
        Crosswalk.objects.filter(source__framework=old).values_list("source_id", "target_id")
    )
    comparison = services.compare(old, new)
    if request.method == "POST":
        if not can_map:
            raise PermissionDenied
        if request.POST.get("action") == "suggest":
            n = services.crosswalk_suggest(old, new)
            messages.success(request, _("%(n)s indicators were mapped automatically.") % {"n": n})
        else:
            n = _crosswalk_save(request, comparison, stored)
            messages.success(request, _("Crosswalk saved: %(n)s changes.") % {"n": n})
        return redirect(here)
    new_indicators = sorted(
        (c.new for c in comparison.changes if c.new is not None), key=lambda i: i.order
    )
    mapping = [
        {"old": c.old, "target": c.new, "selected": c.new.pk if c.new is not None else None}
        for c in comparison.changes
        if c.old is not None
    ]
    return render(
        request,
        "frameworks/compare.html",
        {
            "form": form,
            "comparison": comparison,
            "changes": [c for c in comparison.changes if c.kinds],
            "unchanged": sum(1 for c in comparison.changes if not c.kinds),
            "counts": [(kind, comparison.count(kind)) for kind in CHANGE_KINDS],
            "new_indicators": new_indicators,
            "mapping": mapping,
            "mapped": len(stored),
            "can_map": can_map,
            "here": here,
        },
    )


def _crosswalk_save(
    request: HttpRequest, comparison: services.Comparison, stored: dict[int, int | None]
) -> int:
    """Store the choices that differ from what is stored; returns how many."""
    targets = {c.new.pk: c.new for c in comparison.changes if c.new is not None}
    missing = object()
    changed = 0
    for change in comparison.changes:
        source = change.old
        if source is None:
            continue
        raw = request.POST.get(f"cw-{source.pk}")
        if raw is None:
            continue
        target = targets.get(int(raw)) if raw.isdigit() else None
        before = stored.get(source.pk, missing)
        if (before is missing and target is None) or before == (target.pk if target else None):
            continue
        services.crosswalk_set(source, target)
        changed += 1
    return changed
