"""Accounts: list, create, edit, reset passwords, roles, bulk issuance."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Prefetch
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from dtis.core.tabular import xlsx_bytes
from dtis.core.text import fold
from dtis.orgs import accounts, policy, second_factor
from dtis.orgs.forms import IssueAccountsForm, RoleGrantForm, UserCreateForm, UserForm
from dtis.orgs.models import (
    AccountIssuance,
    Role,
    RoleGrant,
    SecurityEvent,
    SecurityEventKind,
    User,
)
from dtis.orgs.views.common import paginate, require_any, user_for
from dtis.orgs.views.units import XLSX, _add_errors


@login_required
def user_list(request: HttpRequest) -> HttpResponse:
    scope = require_any(request, policy.Action.MANAGE_ACCOUNTS)
    users = User.objects.filter(grants__unit__in=scope).distinct()
    query = request.GET.get("q", "").strip()
    if query:
        users = users.filter(search_text__contains=fold(query))
    role = request.GET.get("role", "")
    if role in Role.values:
        users = users.filter(grants__role=role, grants__unit__in=scope)
    grants = Prefetch("grants", queryset=RoleGrant.objects.select_related("unit").order_by("role"))
    page = paginate(request, users.prefetch_related(grants).order_by("username"))
    return render(
        request,
        "accounts/user_list.html",
        {"page": page, "query": query, "role": role, "roles": Role.choices},
    )


@login_required
@require_http_methods(["GET", "POST"])
def user_create_view(request: HttpRequest) -> HttpResponse:
    scope = require_any(request, policy.Action.MANAGE_ACCOUNTS)
    form = UserCreateForm(request.POST or None, units=scope)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            user, password = accounts.user_create(
                actor=request.user,  # type: ignore[arg-type]
                username=data["username"], full_name=data["full_name"], email=data["email"],
                position=data["position"], phone=data["phone"], role=Role(data["role"]),
                unit=data["unit"],
            )  # fmt: skip
        except ValidationError as exc:
            _add_errors(form, exc)  # type: ignore[arg-type]
        else:
            return render(
                request, "accounts/password_issued.html", {"target": user, "password": password}
            )
    return render(request, "accounts/user_form.html", {"form": form, "target": None})


@login_required
@require_http_methods(["GET", "POST"])
def user_detail(request: HttpRequest, pk: int) -> HttpResponse:
    target = user_for(request, pk)
    scope = policy.units_where(request.user, policy.Action.MANAGE_ACCOUNTS)  # type: ignore[arg-type]
    form = UserForm(
        request.POST or None,
        initial={
            "full_name": target.full_name, "email": target.email or "",
            "position": target.position, "phone": target.phone,
        },
    )  # fmt: skip
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            accounts.user_update(
                actor=request.user,  # type: ignore[arg-type]
                user=target, full_name=data["full_name"], email=data["email"],
                position=data["position"], phone=data["phone"],
            )  # fmt: skip
        except ValidationError as exc:
            _add_errors(form, exc)  # type: ignore[arg-type]
        else:
            messages.success(request, _("Changes saved."))
            return redirect("orgs:user-detail", pk=target.pk)
    return render(
        request,
        "accounts/user_detail.html",
        {
            "target": target,
            "form": form,
            "grant_form": RoleGrantForm(units=scope),
            "grants": target.grants.select_related("unit").order_by("unit__sort_key", "role"),
            "has_factor": second_factor.has_factor(target),
        },
    )


@login_required
@require_POST
def user_reset_password(request: HttpRequest, pk: int) -> HttpResponse:
    target = user_for(request, pk)
    password = accounts.password_reset_by_admin(actor=request.user, user=target)  # type: ignore[arg-type]
    return render(
        request, "accounts/password_issued.html", {"target": target, "password": password}
    )


@login_required
@require_POST
def user_set_active(request: HttpRequest, pk: int) -> HttpResponse:
    target = user_for(request, pk)
    active = request.POST.get("active") == "1"
    try:
        accounts.user_set_active(actor=request.user, user=target, active=active)  # type: ignore[arg-type]
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("Account unlocked.") if active else _("Account locked."))
    return redirect("orgs:user-detail", pk=target.pk)


@login_required
@require_POST
def user_grant_role(request: HttpRequest, pk: int) -> HttpResponse:
    target = user_for(request, pk)
    scope = policy.units_where(request.user, policy.Action.MANAGE_ACCOUNTS)  # type: ignore[arg-type]
    form = RoleGrantForm(request.POST, units=scope)
    if form.is_valid():
        try:
            accounts.role_grant(
                actor=request.user,  # type: ignore[arg-type]
                user=target, role=Role(form.cleaned_data["role"]), unit=form.cleaned_data["unit"],
            )  # fmt: skip
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(request, _("Role granted."))
    else:
        messages.error(request, _("Choose a role and a unit within your scope."))
    return redirect("orgs:user-detail", pk=target.pk)


@login_required
@require_POST
def user_revoke_role(request: HttpRequest, pk: int, grant_pk: int) -> HttpResponse:
    target = user_for(request, pk)
    grant = get_object_or_404(RoleGrant.objects.select_related("unit"), pk=grant_pk, user=target)
    if not policy.can(request.user, policy.Action.MANAGE_ACCOUNTS, grant.unit):  # type: ignore[arg-type]
        raise PermissionDenied
    accounts.role_revoke(actor=request.user, grant=grant)  # type: ignore[arg-type]
    messages.success(request, _("Role removed."))
    if policy.can_manage_user(request.user, target):  # type: ignore[arg-type]
        return redirect("orgs:user-detail", pk=target.pk)
    return redirect("orgs:user-list")


@login_required
@require_http_methods(["GET", "POST"])
def issue_accounts_view(request: HttpRequest) -> HttpResponse:
    require_any(request, policy.Action.MANAGE_ACCOUNTS)
    scopes = policy.scope_roots(request.user, policy.Action.MANAGE_ACCOUNTS)  # type: ignore[arg-type]
    form = IssueAccountsForm(request.POST or None, scopes=scopes)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        issuance = accounts.accounts_issue(
            actor=request.user,  # type: ignore[arg-type]
            scope=data["scope"], roles=[Role(r) for r in data["roles"]], kinds=data["kinds"],
        )  # fmt: skip
        stamp = timezone.localtime().strftime("%Y%m%d-%H%M")
        content = xlsx_bytes(
            _("Accounts"), accounts.issuance_headers(), accounts.issuance_rows(issuance)
        )
        response = HttpResponse(content, content_type=XLSX)
        response["Content-Disposition"] = (
            f'attachment; filename="tai-khoan-{data["scope"].code.lower()}-{stamp}.xlsx"'
        )
        return response
    history = AccountIssuance.objects.filter(scope__in=scopes).select_related("issued_by", "scope")[
        :20
    ]
    return render(request, "accounts/issue.html", {"form": form, "history": history})


@login_required
@require_GET
def security_log(request: HttpRequest) -> HttpResponse:
    """The security log, for system administrators: read only, newest first,
    filtered by event and by the username given."""
    if not request.user.is_superuser:  # type: ignore[union-attr]
        raise PermissionDenied
    events = SecurityEvent.objects.select_related("user").order_by("-at", "-pk")
    kind = request.GET.get("kind", "")
    if kind in SecurityEventKind.values:
        events = events.filter(kind=kind)
    query = request.GET.get("q", "").strip()
    if query:
        events = events.filter(username__icontains=query)
    return render(
        request,
        "accounts/security_log.html",
        {
            "page": paginate(request, events),
            "kind": kind,
            "kinds": SecurityEventKind.choices,
            "query": query,
        },
    )
