"""The security log: sign-ins, failures, lock-outs, sign-outs, permission
denials and password changes, each with who, when, from where.

Receivers of Django's and django-axes' signals write the rows; the 403
handler (`dtis.core.views.permission_denied`) calls `record` too. A log line
never blocks what it records: a failure to write it is logged and ignored.
"""

from __future__ import annotations

import ipaddress
import logging
from typing import Any

from django.conf import settings
from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.dispatch import receiver
from django.http import HttpRequest

from dtis.orgs.models import SecurityEvent, SecurityEventKind

log = logging.getLogger(__name__)


def client_ip(request: HttpRequest | None) -> str | None:
    """The client's address: the proxy's X-Forwarded-For first hop when the
    installation says it runs behind one (DTIS_BEHIND_PROXY), else the peer.
    Also django-axes' idea of the client (AXES_CLIENT_IP_CALLABLE)."""
    if request is None:
        return None
    candidate = request.META.get("REMOTE_ADDR", "")
    if getattr(settings, "BEHIND_PROXY", False):
        forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
        if forwarded:
            candidate = forwarded.split(",")[0].strip()
    try:
        return str(ipaddress.ip_address(candidate))
    except ValueError:
        return None


def record(kind: str, request: HttpRequest | None, user: Any = None, username: str = "") -> None:
    try:
        if user is not None and not getattr(user, "is_authenticated", False):
            user = None
        SecurityEvent.objects.create(
            kind=kind,
            user=user,
            username=(username or getattr(user, "username", "") or "")[:150],
            ip=client_ip(request),
            user_agent=(request.META.get("HTTP_USER_AGENT", "") if request else "")[:255],
            path=(request.path if request else "")[:255],
        )
    except Exception:  # the log must never break the request it records
        log.exception("could not write the security log (%s)", kind)


@receiver(user_logged_in)
def _logged_in(sender: Any, request: HttpRequest | None, user: Any, **kwargs: Any) -> None:
    record(SecurityEventKind.LOGIN, request, user)


@receiver(user_logged_out)
def _logged_out(sender: Any, request: HttpRequest | None, user: Any, **kwargs: Any) -> None:
    record(SecurityEventKind.LOGOUT, request, user)


@receiver(user_login_failed)
def _login_failed(
    sender: Any, credentials: dict[str, Any], request: HttpRequest | None = None, **kwargs: Any
) -> None:
    if request is not None and getattr(request, "axes_locked_out", False):
        return  # the lock-out itself is logged once, by _locked_out
    record(SecurityEventKind.LOGIN_FAILED, request, username=str(credentials.get("username", "")))


def _locked_out(sender: Any, request: HttpRequest, username: str = "", **kwargs: Any) -> None:
    record(SecurityEventKind.LOCKOUT, request, username=username or "")


def locked_out_page(request: HttpRequest, original_response: Any, credentials: Any) -> Any:
    """django-axes' answer while a sign-in is locked: our page, in the
    person's language, saying for how long (429 Too Many Requests)."""
    from django.shortcuts import render

    minutes = max(1, round(settings.AXES_COOLOFF_TIME.total_seconds() / 60))
    context = {"failure_limit": settings.AXES_FAILURE_LIMIT, "minutes": minutes}
    return render(request, "registration/locked_out.html", context, status=429)


def connect() -> None:
    from axes.signals import user_locked_out

    user_locked_out.connect(_locked_out, dispatch_uid="dtis-security-lockout")
