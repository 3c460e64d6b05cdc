from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render


def permission_denied(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    from dtis.orgs.models import SecurityEventKind
    from dtis.orgs.security_log import record

    record(SecurityEventKind.PERMISSION_DENIED, request, getattr(request, "user", None))
    return render(request, "403.html", status=403)


def not_found(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return render(request, "404.html", status=404)
