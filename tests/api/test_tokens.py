"""Bearer tokens: hashed, revocable, last use recorded, rate limited per token."""

from __future__ import annotations

import datetime as dt

from django.test import Client
from django.utils import timezone

from dtis.api.clients import client_create, client_revoke, token_hash
from dtis.api.models import ApiClient
from tests.api.conftest import CLIENT_NAME, ApiCaller


def test_a_request_without_a_token_is_unauthorised(client, issued):
    response = client.get("/api/v1/frameworks")

    assert response.status_code == 401
    assert response.headers["WWW-Authenticate"] == "Bearer"
    assert response.json()["detail"]


def test_an_unknown_token_is_unauthorised(client, issued):
    response = ApiCaller(issued.token[:-1] + "x", client).get("/api/v1/frameworks")

    assert response.status_code == 401


def test_a_revoked_token_is_unauthorised(org, api, issued):
    assert api.get("/api/v1/frameworks").status_code == 200

    client_revoke(actor=org.admin, client=issued.client)

    assert api.get("/api/v1/frameworks").status_code == 401


def test_only_the_hash_and_a_short_prefix_of_the_token_are_stored(issued):
    stored = ApiClient.objects.get()

    assert stored.token_hash == token_hash(issued.token)
    assert issued.token.startswith(stored.token_prefix) and len(stored.token_prefix) == 12
    assert issued.token not in str(ApiClient.objects.values().get())


def test_the_last_use_is_recorded_at_most_once_a_minute(api, issued):
    assert issued.client.last_used_at is None

    api.get("/api/v1/frameworks")
    first = ApiClient.objects.get().last_used_at
    api.get("/api/v1/frameworks")

    assert first is not None and timezone.now() - first < dt.timedelta(seconds=30)
    assert ApiClient.objects.get().last_used_at == first
    ApiClient.objects.update(last_used_at=first - dt.timedelta(minutes=2))
    api.get("/api/v1/frameworks")
    assert ApiClient.objects.get().last_used_at > first


def test_the_client_writes_as_a_service_account_that_cannot_sign_in(issued):
    user = issued.client.user

    assert user.username == f"api-{issued.client.pk}"
    assert user.full_name == CLIENT_NAME
    assert not user.has_usable_password() and not user.is_active
    assert not Client().login(username=user.username, password="")


def test_each_token_has_its_own_rate_limit(settings, org, health, api, client):
    settings.API_RATE = "2/m"
    other = ApiCaller(
        client_create(actor=org.admin, name="Cổng dịch vụ công tỉnh", units=[health]).token,
        Client(),
    )

    assert [api.get("/api/v1/cycles").status_code for _ in range(2)] == [200, 200]
    refused = api.get("/api/v1/cycles")

    assert refused.status_code == 429
    assert int(refused.headers["Retry-After"]) > 0
    assert refused.json()["detail"]
    assert other.get("/api/v1/cycles").status_code == 200


def test_an_unreadable_rate_setting_is_reported_by_the_system_check(settings):
    from dtis.api.checks import api_rate_is_readable

    settings.API_RATE = "600/m"
    assert api_rate_is_readable(None) == []
    settings.API_RATE = "nhiều/phút"
    [error] = api_rate_is_readable(None)
    assert error.id == "dtis.api.E001" and "DTIS_API_RATE" in error.msg
