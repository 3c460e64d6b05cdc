"""Pages where administrators issue and revoke API tokens (/api/quan-tri/).

The token appears once, in the answer to the form that made it, and is never
stored: the list shows only its first characters.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods

from dtis.api.clients import client_create, client_revoke
from dtis.api.forms import ClientForm
from dtis.api.models import ApiClient
from dtis.orgs import policy
from dtis.orgs.models import User


def _admin(request: HttpRequest) -> User:
    user: User = request.user  # type: ignore[assignment]
    if not policy.can_manage_api_clients(user):
        raise PermissionDenied
    return user


@login_required
def client_list(request: HttpRequest) -> HttpResponse:
    user = _admin(request)
    clients = ApiClient.objects.select_related("user", "created_by", "revoked_by").prefetch_related(
        "units"
    )
    mine = [c for c in clients if policy.can_manage_api_client(user, c.units.all())]
    return render(request, "api/client_list.html", {"clients": mine})


@never_cache
@login_required
@require_http_methods(["GET", "POST"])
def client_create_view(request: HttpRequest) -> HttpResponse:
    user = _admin(request)
    units = policy.api_client_units(user)
    form = ClientForm(request.POST or None, units=units)
    if request.method == "POST" and form.is_valid():
        try:
            issued = client_create(
                actor=user,
                name=form.cleaned_data["name"],
                units=form.cleaned_data["units"],
                indicator_codes=form.cleaned_data["indicator_codes"],
            )
        except ValidationError as exc:
            for message in exc.messages:
                form.add_error(None, message)
        else:
            # Rendered, not redirected: the token must not survive in a URL,
            # a session or a page the browser may show again from its cache.
            return render(
                request,
                "api/client_token.html",
                {"client": issued.client, "token": issued.token},
            )
    return render(request, "api/client_form.html", {"form": form})


@login_required
@require_http_methods(["GET", "POST"])
def client_revoke_view(request: HttpRequest, pk: int) -> HttpResponse:
    user = _admin(request)
    client = get_object_or_404(ApiClient.objects.prefetch_related("units"), pk=pk)
    if not policy.can_manage_api_client(user, client.units.all()):
        raise PermissionDenied
    if request.method == "POST":
        client_revoke(actor=user, client=client)
        messages.success(request, _("The token of “%(name)s” is revoked.") % {"name": client.name})
        return redirect("api-client-list")
    return render(request, "api/client_revoke.html", {"client": client})


@csrf_exempt
def api_not_found(request: HttpRequest) -> HttpResponse:
    """A path under /api/v1/ that no endpoint has, in the API's error shape."""
    return JsonResponse({"detail": _("Not found.")}, status=404)
