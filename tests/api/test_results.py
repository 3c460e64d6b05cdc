"""GET /api/v1/cycles/{id}/results: published results only, in the fields of
`dtis results show --json`; any valid token reads them once published."""

from __future__ import annotations

import json
from io import StringIO

import pytest
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext

from dtis.api.clients import client_create
from dtis.appraisal.decisions import bulk_accept
from dtis.appraisal.publication import publish, sign_off
from tests.api.conftest import ApiCaller
from tests.appraisal.conftest import frameworks, year_cycle  # noqa: F401  (fixtures)


@pytest.fixture
def reader(org, client) -> ApiCaller:
    """A token of the provincial operations centre, for a commune: results are public to it."""
    issued = client_create(actor=org.admin, name="Trung tâm Giám sát, điều hành thông minh tỉnh",
                           units=[org.commune])  # fmt: skip
    return ApiCaller(issued.token, client)


def _publish(year_cycle) -> None:  # noqa: F811
    for assessed in (year_cycle.home, year_cycle.finance, year_cycle.health):
        bulk_accept(actor=year_cycle.chair, assessed=assessed)
    sign_off(actor=year_cycle.chair, cycle=year_cycle.cycle)
    publish(actor=year_cycle.chair, cycle=year_cycle.cycle)


def test_results_are_a_conflict_until_published(reader, year_cycle):  # noqa: F811
    response = reader.get(f"/api/v1/cycles/{year_cycle.cycle.pk}/results")

    assert response.status_code == 409
    assert response.json()["detail"]


def test_published_results_are_those_of_the_command(reader, year_cycle):  # noqa: F811
    _publish(year_cycle)

    response = reader.get(f"/api/v1/cycles/{year_cycle.cycle.pk}/results")

    out = StringIO()
    call_command("results", "show", "--cycle", str(year_cycle.cycle.pk), "--json", stdout=out)
    assert response.status_code == 200
    assert response.json() == json.loads(out.getvalue())
    assert {r["unit"] for r in response.json()} == {
        "Sở Nội vụ tỉnh Khánh Hòa", "Sở Tài chính tỉnh Khánh Hòa", "Sở Y tế tỉnh Khánh Hòa",
    }  # fmt: skip
    assert response.json()[0]["rank"] == 1


def test_published_results_match_the_openapi_document(reader, year_cycle, wsgi_calls):  # noqa: F811
    from tests.api.test_openapi import CHECKS, schema

    _publish(year_cycle)
    case = schema["/api/v1/cycles/{cycle_id}/results"]["GET"].Case(
        path_parameters={"cycle_id": year_cycle.cycle.pk}
    )

    response = case.call_and_validate(headers={"Authorization": f"Bearer {reader.token}"},
                                      checks=CHECKS)  # fmt: skip

    assert response.status_code == 200


def test_reading_results_costs_a_fixed_number_of_queries(reader, year_cycle):  # noqa: F811
    _publish(year_cycle)
    url = f"/api/v1/cycles/{year_cycle.cycle.pk}/results"
    reader.get(url)

    with CaptureQueriesContext(connection) as queries:
        assert reader.get(url).status_code == 200

    assert len(queries) <= 8, len(queries)  # 7 today: token, cycle, outcome, standings


def test_results_of_an_unknown_cycle_are_not_found(reader, year_cycle):  # noqa: F811
    assert reader.get(f"/api/v1/cycles/{year_cycle.cycle.pk + 1000}/results").status_code == 404
