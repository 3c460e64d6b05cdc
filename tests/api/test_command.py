"""`dtis api-client create|list|revoke`."""

from __future__ import annotations

import json
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from dtis.api.models import ApiClient
from tests.api.conftest import CLIENT_NAME, ApiCaller


def run(*args: str) -> str:
    out = StringIO()
    call_command("api-client", *args, stdout=out)
    return out.getvalue()


def test_create_prints_a_working_token_once_and_list_never_shows_it(health, client):
    created = json.loads(run("create", "--name", CLIENT_NAME, "--unit", "khh-syt",
                             "--indicator", "6.4", "--json"))  # fmt: skip

    assert ApiCaller(created["token"], client).get("/api/v1/cycles").status_code == 200
    [listed] = json.loads(run("list", "--json"))
    assert listed["units"] == ["KHH-SYT"] and listed["indicators"] == ["6.4"]
    assert created["token"] not in json.dumps(listed)
    assert created["token"].startswith(listed["token_prefix"])


def test_an_unknown_unit_creates_nothing(org):
    with pytest.raises(CommandError, match="KHH-SXD"):
        run("create", "--name", CLIENT_NAME, "--unit", "KHH-SXD")

    assert ApiClient.objects.count() == 0


def test_revoke_stops_the_token(issued, api):
    run("revoke", str(issued.client.pk))

    assert api.get("/api/v1/cycles").status_code == 401
