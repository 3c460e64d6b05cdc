"""Helpers every view uses to fetch objects through the permission policy."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.core.paginator import Page, Paginator
from django.db.models import QuerySet
from django.http import HttpRequest
from django.shortcuts import get_object_or_404

from dtis.orgs import policy
from dtis.orgs.models import Unit, User

PAGE_SIZE = 50


def unit_for(request: HttpRequest, code: str, action: policy.Action) -> Unit:
    """The unit, or 403 when the signed-in person may not do `action` on it."""
    unit = get_object_or_404(Unit.objects.select_related("parent"), code=code)
    if not policy.can(request.user, action, unit):  # type: ignore[arg-type]
        raise PermissionDenied
    return unit


def require_any(request: HttpRequest, action: policy.Action) -> QuerySet[Unit]:
    """Units where the action is allowed; 403 when there are none."""
    units = policy.units_where(request.user, action)  # type: ignore[arg-type]
    if not units.exists():
        raise PermissionDenied
    return units


def user_for(request: HttpRequest, pk: int) -> User:
    target = get_object_or_404(User, pk=pk)
    if not policy.can_manage_user(request.user, target):  # type: ignore[arg-type]
        raise PermissionDenied
    return target


def paginate(request: HttpRequest, queryset: QuerySet) -> Page:  # type: ignore[type-arg]
    return Paginator(queryset, PAGE_SIZE).get_page(request.GET.get("page"))
