"""Run a trainee's requests in the sandbox (see `sandbox.inside`)."""

from __future__ import annotations

from collections.abc import Callable
from functools import cache

from django.http import HttpRequest, HttpResponse
from django.urls import reverse

from dtis.orgs.models import User
from dtis.training import sandbox

SESSION_KEY = "dtis_training_user"

# Pages that work on the real account or the session itself (signing out
# deletes the session row; changing a password saves it): never in the sandbox.
_REAL_ONLY = (
    "logout",
    "set_language",
    "password_change",
    "otp_verify",
    "otp_setup",
    "training:home",
)


@cache
def _real_only() -> tuple[str, ...]:
    return tuple(reverse(name) for name in _REAL_ONLY)


def _real_only_path(path: str) -> bool:
    return path in _real_only() or path.startswith(("/static/", "/quan-tri-he-thong/", "/api/"))


class TrainingMiddleware:
    """After sign-in and its steps: if the person chose to practise, run the
    request in the sandbox, as the person they practise as."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        trainee = request.session.get(SESSION_KEY) if hasattr(request, "session") else None
        if trainee is None or not request.user.is_authenticated:
            return self.get_response(request)
        if not sandbox.usable(sandbox.current()):  # removed, or older than an upgrade
            request.session.pop(SESSION_KEY, None)
            return self.get_response(request)
        request.training = True  # type: ignore[attr-defined]
        if _real_only_path(request.path):
            return self.get_response(request)
        with sandbox.inside():
            acting = User.objects.filter(pk=trainee, is_active=True).first()
            if acting is not None:
                request.user = acting
                return self.get_response(request)
        # Not in the sandbox (a demo person of an older sandbox): the real data.
        request.session.pop(SESSION_KEY, None)
        request.training = False  # type: ignore[attr-defined]
        return self.get_response(request)
