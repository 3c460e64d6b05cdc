"""Every role × every URL and API operation × own unit / another department /
another province: a request that should be refused is refused, and none
answers with a server error.

The routes come from the URL configuration and the OpenAPI document
(`routes.py`), who may open them from `tables.py`, the data from `world.py`.
The matrix is printed at the end of the run (conftest.py).
"""

from __future__ import annotations

import json

import pytest
from django.test import Client
from django.test.utils import override_settings

from tests.security.matrix import ERROR, Walker, entry_for
from tests.security.routes import api_operations, web_routes
from tests.security.tables import API, ROLES, WEB

MATRIX_SETTINGS = {
    "PUBLIC_RESULTS": True,  # the public pages are in the matrix too
    "API_RATE": "1000000/m",  # one token sends every API request of its row
}


@pytest.fixture(scope="module")
def openapi(django_db_blocker) -> dict:  # type: ignore[no-untyped-def]
    """The document the site serves, as a client would read it."""
    with django_db_blocker.unblock():
        response = Client().get("/api/openapi.json")
    assert response.status_code == 200
    return response.json()


def test_every_url_is_in_the_matrix(openapi, db):
    """A new page or endpoint must be given its row: add it to tables.WEB or tables.API."""
    routes = web_routes()
    missing = [r.key for r in routes if entry_for(r) is None]
    assert not missing, (
        "These URL patterns are not in the authorization matrix. Add each to WEB in "
        "tests/security/tables.py with the group saying who may open it and how to fill "
        f"its parameters: {missing}"
    )
    operations = api_operations(openapi)
    missing_api = [op.key for op in operations if op.key not in API]
    assert not missing_api, (
        "These API operations of /api/openapi.json are not in the authorization matrix. "
        f"Add each to API in tests/security/tables.py: {missing_api}"
    )


def test_the_matrix_has_no_row_for_a_url_that_is_gone(openapi, db):
    keys = {r.key for r in web_routes()}
    assert set(WEB) - keys == set()
    assert set(API) - {op.key for op in api_operations(openapi)} == set()


def _walker(world, role: str) -> Walker:  # type: ignore[no-untyped-def]
    org = world.org
    people = {"anonymous": None, "reporter": org.reporter, "head": org.head, "member": world.member,
              "appraiser": org.appraiser, "viewer": org.viewer, "admin": org.admin,
              "superuser": org.superuser, "token": None}  # fmt: skip
    token = world.sides["own"].token if role == "token" else ""
    return Walker(world, role, people[role], token)


@pytest.mark.parametrize("role", ROLES)
def test_each_role_gets_in_only_where_the_policy_lets_it(role, world, openapi, db, request):
    walker = _walker(world, role)
    with override_settings(**MATRIX_SETTINGS):
        # A token is for the API; a browser session for pages (and refused by the API).
        cells = [] if role == "token" else walker.web(web_routes())
        cells += walker.api(api_operations(openapi))
    request.node.user_properties.append(
        ("authorization-matrix", json.dumps([c.__dict__ for c in cells], ensure_ascii=False))
    )
    errors = [c.describe() for c in cells if c.outcome == ERROR]
    wrong = [c.describe() for c in cells if not c.ok and c.outcome != ERROR]
    assert not errors and not wrong, "\n".join(
        [f"{len(errors)} server errors, {len(wrong)} cells not as expected:", *errors, *wrong]
    )


def test_the_matrix_notices_a_policy_that_lets_everyone_read_every_report(world, db, monkeypatch):  # type: ignore[no-untyped-def]
    """The matrix can fail: with `can_view_report` answering yes to everybody,
    Sở Nội vụ's reporter opens Sở Tài chính's and Đà Nẵng's reports, and those
    cells are reported as not expected."""
    from dtis.orgs import policy

    monkeypatch.setattr(policy, "can_view_report", lambda *args, **kwargs: True)
    routes = [r for r in web_routes() if r.key == "reporting:entry"]
    cells = _walker(world, "reporter").web(routes)
    wrong = {c.column for c in cells if not c.ok}
    assert wrong == {"dept", "prov"}


def test_a_token_reads_the_history_of_its_own_units_only(world, openapi, db):  # type: ignore[no-untyped-def]
    """Every token may call the history of any cycle (the matrix lets it in), but
    the rows are its units' only: nothing of Đà Nẵng, nothing of Sở Tài chính."""
    own, prov = world.sides["own"], world.sides["prov"]
    client = Client()
    headers = {"Authorization": f"Bearer {own.token}"}
    with override_settings(**MATRIX_SETTINGS):
        mine = client.get(f"/api/v1/cycles/{own.cycle.pk}/history", headers=headers).json()
        theirs = client.get(f"/api/v1/cycles/{prov.cycle.pk}/history", headers=headers).json()
    assert mine["count"] > 0
    assert {row["unit"] for row in mine["items"]} == {own.unit.code}
    assert theirs["count"] == 0
