"""Sign in with either the username or the e-mail address; lock-outs first."""

from __future__ import annotations

from typing import Any

from axes.backends import AxesStandaloneBackend
from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend
from django.db.models import Q
from django.http import HttpRequest


class LockoutBackend(AxesStandaloneBackend):
    """django-axes' check, for sign-ins that come with a request (the web
    form, the admin). A check from code without one (a shell, a test
    client's `login`) has no address to count failures by, so it is left
    to the next backend instead of raising."""

    def authenticate(self, request: HttpRequest | None, *args: Any, **kwargs: Any) -> Any:
        if request is None:
            return None
        return super().authenticate(request, *args, **kwargs)


class UsernameOrEmailBackend(ModelBackend):
    def authenticate(
        self,
        request: HttpRequest | None,
        username: str | None = None,
        password: str | None = None,
        **kwargs: Any,
    ) -> Any:
        if not username or password is None:
            return None
        user_model = get_user_model()
        login = username.strip()
        user = (
            user_model.objects.filter(Q(username__iexact=login) | Q(email__iexact=login))
            .order_by("id")
            .first()
        )
        if user is None:
            # Spend the same time as a real check so a caller cannot tell
            # "no such account" from "wrong password".
            user_model().set_password(password)
            return None
        if user.check_password(password) and self.user_can_authenticate(user):
            return user
        return None
