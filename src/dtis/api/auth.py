"""`Authorization: Bearer <token>` for machine clients, and their rate limit."""

from __future__ import annotations

from django.conf import settings
from django.http import HttpRequest
from ninja.security import HttpBearer
from ninja.throttling import AuthRateThrottle

from dtis.api.clients import client_for_token
from dtis.api.models import ApiClient


class ClientToken(HttpBearer):
    """The request's `auth` becomes the ApiClient; revoked or unknown: 401."""

    def authenticate(self, request: HttpRequest, token: str) -> ApiClient | None:
        return client_for_token(token.strip())


class ClientRateThrottle(AuthRateThrottle):
    """`DTIS_API_RATE` requests per token (e.g. "600/m"), counted in the cache.

    The key holds the client's number and its random token prefix, so test
    databases or installations sharing one Redis never count for each other.
    """

    scope = "dtis-api"

    def __init__(self) -> None:
        # The real rate is read on each request; a bad setting is reported by
        # the system check dtis.api.E001 instead of breaking the URL loading.
        super().__init__(rate="1/s")

    def allow_request(self, request: HttpRequest) -> bool:
        # Read the setting on every call: the limit may change without a restart of
        # this object (tests, and a settings reload in a long-lived worker).
        self.rate = settings.API_RATE
        self.num_requests, self.duration = self.parse_rate(self.rate)
        return super().allow_request(request)

    def get_cache_key(self, request: HttpRequest) -> str:
        client = getattr(request, "auth", None)
        if isinstance(client, ApiClient):
            ident = f"{client.pk}-{client.token_prefix}"
        else:
            ident = self.get_ident(request) or "anonymous"
        return self.cache_format % {"scope": self.scope, "ident": ident}
