"""Fixtures of the ranking, heatmap, unit-dashboard and public-results tests.

On top of `tests.appraisal.conftest.year_cycle` (2025, Sở Nội vụ, Sở Tài chính,
Sở Y tế), through the app's own services (`tests.appraisal.results_data`):

- `decided`: the council decided every item (Sở Nội vụ lost points on 1.1 for
  missing evidence; Sở Y tế on two items), results not published;
- `published`: the same, signed off and published.

A test module imports the fixtures it uses (under their private names, so that
test arguments do not shadow an import), with `frameworks` and `year_cycle`.
"""

from __future__ import annotations

import pytest
from django.core.cache import cache
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from tests.appraisal.results_data import decide_2025, publish


@pytest.fixture(name="decided")
def _decided(year_cycle, org):  # type: ignore[no-untyped-def]
    decide_2025(year_cycle, org)
    return year_cycle


@pytest.fixture(name="published")
def _published(decided, org):  # type: ignore[no-untyped-def]
    publish(decided.cycle, decided.chair, org.admin)
    return decided


def count_queries(client: Client, url: str) -> int:
    """The queries of one GET (after a warm-up request), drawn afresh, which must answer 200."""
    client.get(url)
    cache.clear()  # count the drawing, not a kept page (pagecache)
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    return len(ctx)


def comma(value, places: int) -> str:  # type: ignore[no-untyped-def]
    """A number as the Vietnamese screen shows it: 0,8360."""
    return f"{value:.{places}f}".replace(".", ",")
