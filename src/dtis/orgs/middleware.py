"""Steps a signed-in person must finish before anything else: the second
factor (a code, or setting one up) and then a new password in place of a
one-time one."""

from __future__ import annotations

from collections.abc import Callable
from functools import cache

from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.http import urlencode

from dtis.orgs import second_factor

_ALWAYS_ALLOWED = ("logout", "set_language")
_STATIC_PREFIX = "/static/"


@cache
def _paths(*names: str) -> frozenset[str]:
    return frozenset(reverse(name) for name in (*_ALWAYS_ALLOWED, *names))


def _detour(
    request: HttpRequest, target: str, allowed: frozenset[str], come_back: bool = True
) -> HttpResponse | None:
    if request.path in allowed or request.path.startswith(_STATIC_PREFIX):
        return None
    url = reverse(target)
    if come_back and request.method == "GET" and request.path != "/":
        url += "?" + urlencode({"next": request.get_full_path()})
    return redirect(url)


class SecondFactorMiddleware:
    """Send a person whose session is not verified yet to the code page, or,
    if their role requires a factor and they have none, to the set-up page.
    API calls carry tokens, not sessions, and are not affected."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated and not second_factor.is_verified(request):
            detour = self._detour(request, user)
            if detour is not None:
                return detour
        return self.get_response(request)

    @staticmethod
    def _detour(request: HttpRequest, user) -> HttpResponse | None:  # type: ignore[no-untyped-def]
        if second_factor.session_has_factor(request):
            return _detour(request, "otp_verify", _paths("otp_verify"))
        if user.must_change_password:
            return None  # the one-time password first; the factor on the next page
        if second_factor.is_required(user):
            return _detour(request, "otp_setup", _paths("otp_setup", "password_change"))
        return None


class ForcePasswordChangeMiddleware:
    """Send a person who still holds a one-time password to the change form."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated and user.must_change_password:
            detour = _detour(request, "password_change", _paths("password_change"), come_back=False)
            if detour is not None:
                return detour
        return self.get_response(request)
