"""Send a person who still holds a one-time password to the change form."""

from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse

_ALWAYS_ALLOWED = ("password_change", "logout", "set_language")


class ForcePasswordChangeMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated and user.must_change_password:
            allowed = {reverse(name) for name in _ALWAYS_ALLOWED}
            static_prefix = "/static/"
            if request.path not in allowed and not request.path.startswith(static_prefix):
                return redirect("password_change")
        return self.get_response(request)
