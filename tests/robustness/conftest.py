"""Shared set-up for the robustness tests (issue 9, part 4: nothing lost,
nothing silently changed).

The API fixtures are those of `tests/api/conftest.py`: Khánh Hòa's one-stop
system ("Hệ thống thông tin giải quyết TTHC tỉnh Khánh Hòa") pushing Sở Y
tế's online-dossier figures (indicator 6.4) into the departments' cycle of
2026, whose first quarter is open.
"""

from __future__ import annotations

from typing import Any

import pytest
from django.db import connection

from dtis.reporting.models import Figure
from tests.api.conftest import api, cycle, health, issued, wsgi_calls  # noqa: F401

needs_postgresql = pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="concurrent writers need PostgreSQL: SQLite lets only one writer in at a time, "
    "so there is no race to test (run with DTIS_DATABASE_URL=postgres://…)",
)


def table_counts(*models: Any) -> dict[str, int]:
    """Rows per table, to compare before and after a refused or killed write."""
    return {model._meta.db_table: model.objects.count() for model in models}


def figure_tables() -> tuple[Any, ...]:
    from dtis.api.models import IdempotencyRecord
    from dtis.reporting.models import Evidence

    return (
        Figure,
        Figure.history.model,
        Evidence,
        Evidence.history.model,
        IdempotencyRecord,
    )
