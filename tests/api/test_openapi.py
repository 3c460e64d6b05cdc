"""Property-based test of the API against its own OpenAPI document.

schemathesis reads /api/openapi.json from the Django WSGI application and
sends generated requests (a few dozen per operation, derandomised so a run
is repeatable) with a real token: no answer may be a server error, carry an
undeclared status code, or contradict the declared schema.
"""

from __future__ import annotations

import pytest
import schemathesis
from hypothesis import HealthCheck, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from tests.api.conftest import dossiers

CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_schema_conformance,
]


def _load() -> schemathesis.schemas.BaseSchema:
    from dtis.wsgi import application

    return schemathesis.openapi.from_wsgi("/api/openapi.json", application)


# Loaded when the module is collected (the document needs no database). The
# lazy loader, schemathesis.pytest.from_fixture, does not work with pytest 9.
schema = _load()


@pytest.fixture
def seeded(cycle, api, wsgi_calls):  # type: ignore[no-untyped-def]
    """One stored figure, so that the history has something to page through."""
    response = api.put(f"/api/v1/cycles/{cycle.pk}/figures", dossiers(1050, 1500), "seed")
    assert response.status_code == 200
    return api


@schema.parametrize()
@settings(
    max_examples=25,
    derandomize=True,
    deadline=None,
    suppress_health_check=list(HealthCheck),
)
def test_every_answer_matches_the_openapi_document(case, seeded):  # type: ignore[no-untyped-def]
    case.call_and_validate(headers={"Authorization": f"Bearer {seeded.token}"}, checks=CHECKS)


def test_the_document_and_the_docs_are_served_without_a_token(client, db):  # type: ignore[no-untyped-def]
    document = client.get("/api/openapi.json")
    docs = client.get("/api/docs")

    assert document.status_code == 200
    paths = set(document.json()["paths"])
    assert paths == {
        "/api/v1/frameworks",
        "/api/v1/frameworks/{code}",
        "/api/v1/cycles",
        "/api/v1/cycles/{cycle_id}/periods",
        "/api/v1/cycles/{cycle_id}/figures",
        "/api/v1/cycles/{cycle_id}/results",
        "/api/v1/cycles/{cycle_id}/history",
    }
    assert docs.status_code == 200
    assert "/static/ninja/swagger-ui-bundle.js" in docs.content.decode()  # served here, no CDN
    assert client.get("/static/ninja/swagger-ui-bundle.js").status_code == 200


def test_successful_answers_with_real_data_match_the_document(seeded, cycle):  # type: ignore[no-untyped-def]
    # Generated cycle numbers rarely hit a real cycle: check every 200 once.
    auth = {"Authorization": f"Bearer {seeded.token}"}
    in_cycle = {"cycle_id": cycle.pk}
    cases = [
        schema["/api/v1/frameworks"]["GET"].Case(),
        schema["/api/v1/frameworks/{code}"]["GET"].Case(
            path_parameters={"code": "hy-department-2023"}
        ),
        schema["/api/v1/cycles"]["GET"].Case(),
        schema["/api/v1/cycles/{cycle_id}/periods"]["GET"].Case(path_parameters=in_cycle),
        schema["/api/v1/cycles/{cycle_id}/figures"]["PUT"].Case(
            path_parameters={"cycle_id": cycle.pk},
            headers={"Idempotency-Key": "schema-check"},
            body=dossiers(1100, 1500, evidence_links=["https://dichvucong.khanhhoa.gov.vn/"]),
            media_type="application/json",
        ),
        schema["/api/v1/cycles/{cycle_id}/history"]["GET"].Case(
            path_parameters={"cycle_id": cycle.pk}, query={"page_size": 5}
        ),
    ]
    for case in cases:
        response = case.call_and_validate(headers=auth, checks=CHECKS)
        assert response.status_code == 200, (case.path, response.text)
