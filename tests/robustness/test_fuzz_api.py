"""Generated requests into PUT /api/v1/cycles/{id}/figures: never a server
error, and a refused request stores nothing.

Bodies keep the real field names most of the time (so that requests get past
the schema and reach the service) with values of any JSON type: Vietnamese
text, NUL, right-to-left text, emoji, huge and negative numbers, NaN, nested
lists and objects, unknown inputs and extra fields; some bodies are not JSON
at all. Idempotency keys are generated too. The Django test client re-raises
any exception a view lets through, so an uncaught error fails the test as
surely as a 500.
"""

from __future__ import annotations

import json
from typing import Any

import pytest
from django.core.cache import cache
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from dtis.reporting.models import Figure
from tests.robustness import strategies as gen
from tests.robustness.conftest import figure_tables, table_counts
from tests.robustness.test_fuzz_imports import rolled_back

pytestmark = pytest.mark.django_db

FUZZ = settings(
    max_examples=60,
    deadline=None,
    derandomize=True,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)

INPUTS = ["so_ho_so_xu_ly_truc_tuyen", "tong_so_ho_so"]

scalars = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(-(10**30), 10**30),
    st.floats(),  # NaN and infinities too: Python's json writes them
    gen.short_text,
    st.sampled_from(gen.REALISTIC),
)
json_values = st.recursive(
    scalars,
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(gen.short_text, inner, max_size=4),
    max_leaves=12,
)
input_values = st.one_of(
    st.integers(-5, 5000),
    st.sampled_from(["1.050", "1.500", "12,5", "", "-1", "1e3", "0x10", "١٢٣"]),
    json_values,
)
# Each field is often right (so that requests reach the service and some are
# stored), otherwise anything at all.
bodies = st.fixed_dictionaries(
    {
        "period": st.one_of(
            st.just("q1"), st.just("q1"), st.sampled_from([" Q1 ", "q2", "year", "q9"]), json_values
        ),
        "unit": st.one_of(
            st.just("KHH-SYT"),
            st.just("KHH-SYT"),
            st.sampled_from(["khh-syt", "KHH-SNV", "DNA"]),
            json_values,
        ),
        "indicator": st.one_of(
            st.just("6.4"), st.just("6.4"), st.sampled_from(["6.5", "1.1", "9.9"]), json_values
        ),
        "inputs": st.one_of(
            st.fixed_dictionaries({name: st.integers(0, 5000) for name in INPUTS}),
            st.dictionaries(st.sampled_from([*INPUTS, "khong_co"]), input_values, max_size=3),
            json_values,
        ),
    },
    optional={
        "note": st.one_of(gen.text, json_values),
        "not_applicable": json_values,
        "evidence_links": st.one_of(
            st.lists(
                st.one_of(
                    st.sampled_from(
                        ["https://motcua.khanhhoa.gov.vn/bao-cao", "javascript:alert(1)", "ftp://x"]
                    ),
                    gen.short_text,
                ),
                max_size=3,
            ),
            json_values,
        ),
        "version": st.one_of(st.integers(-2, 5), json_values),
        "thua": json_values,
    },
)
as_json = bodies.map(lambda body: json.dumps(body, ensure_ascii=False).encode("utf-8"))
payloads = st.one_of(
    as_json,
    as_json,
    as_json,
    json_values.map(lambda value: json.dumps(value).encode("utf-8")),
    st.binary(max_size=300),
)
keys = st.one_of(st.uuids().map(str), gen.short_text.filter(bool), st.just("k-lap-lai"))


@FUZZ
@given(payload=payloads, key=keys)
def test_figure_put_never_fails_and_a_refusal_stores_nothing(api, cycle, payload, key):
    cache.clear()  # the rate limit counts every generated request otherwise
    with rolled_back():
        before = table_counts(*figure_tables())
        response = api.client.put(
            f"/api/v1/cycles/{cycle.pk}/figures",
            payload,
            content_type="application/json",
            headers={"Authorization": f"Bearer {api.token}", "Idempotency-Key": key},
        )
        assert response.status_code < 500, response.content
        event(f"HTTP {response.status_code}")  # --hypothesis-show-statistics
        assert response["Content-Type"].startswith("application/json")
        body = response.json()
        if response.status_code != 200:
            assert body["detail"]
            assert table_counts(*figure_tables()) == before
        else:
            assert Figure.objects.filter(indicator__code=body["indicator"]).exists()


def test_a_well_formed_push_gets_through_the_generated_layout(api, cycle):
    """The generator's happy path really stores a figure (else the test above
    would only ever see refusals)."""
    body: dict[str, Any] = {
        "period": "q1",
        "unit": "KHH-SYT",
        "indicator": "6.4",
        "inputs": {"so_ho_so_xu_ly_truc_tuyen": "1.050", "tong_so_ho_so": 1500},
        "note": "Số liệu từ hệ thống một cửa \u202etiếng Việt\u202c 😀",
    }
    response = api.put(f"/api/v1/cycles/{cycle.pk}/figures", body, "k-hop-le")
    assert response.status_code == 200, response.content
    assert Figure.objects.get().values == {"so_ho_so_xu_ly_truc_tuyen": 1050, "tong_so_ho_so": 1500}
