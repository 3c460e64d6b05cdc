"""Fixtures of the overview and targets tests (tests/dashboards/test_*_service,
test_nowcast, test_charts, test_overview_views).

Built on `tests.appraisal.conftest.year_cycle` (the 2025 departments' cycle of
Khánh Hòa: Sở Nội vụ, Sở Tài chính, Sở Y tế, year reports accepted):

- `quarters`: the same units' year figures copied into the third quarter, the
  cycle not yet published: the dashboard projects from them;
- `dash_published`: the council decided everything and the office published;
- `province_2026`: the province's own 2026 cycle with third-quarter figures,
  and 20 provinces the ministry published for 2022.
"""

from __future__ import annotations

import random
from decimal import Decimal as D

import pytest

from dtis.frameworks.models import Framework, PublishedResult
from dtis.frameworks.services import find, to_core
from dtis.reporting.cycles import cycle_create
from dtis.reporting.demo import figures_for
from dtis.reporting.figures import clean_values
from dtis.reporting.models import Figure, PeriodKind
from tests.appraisal import conftest as appraisal
from tests.appraisal.results_data import decide_2025, publish

# The appraisal fixtures, for every test of this directory.
frameworks = appraisal.frameworks
year_cycle = appraisal.year_cycle


def copy_figures(cycle, source_kind: str, target_kind: str) -> None:  # type: ignore[no-untyped-def]
    """The figures of one period entered again in another (as a quarter's)."""
    source = cycle.periods.get(kind=source_kind)
    target = cycle.periods.get(kind=target_kind)
    Figure.objects.bulk_create(
        Figure(
            period=target,
            assessed_id=f.assessed_id,
            indicator_id=f.indicator_id,
            values=f.values,
            not_applicable=f.not_applicable,
        )
        for f in Figure.objects.filter(period=source)
    )


@pytest.fixture
def quarters(year_cycle):  # type: ignore[no-untyped-def]
    copy_figures(year_cycle.cycle, PeriodKind.YEAR, PeriodKind.Q3)
    return year_cycle


@pytest.fixture
def dash_published(year_cycle, org):  # type: ignore[no-untyped-def]
    decide_2025(year_cycle, org)
    publish(year_cycle.cycle, year_cycle.chair, org.admin)
    return year_cycle


@pytest.fixture
def province_2026(org, frameworks):  # type: ignore[no-untyped-def]
    """The province's own 2026 cycle with its third-quarter figures entered
    (not yet appraised), and 20 provinces published nationally for 2022."""
    cycle = cycle_create(
        actor=org.admin,
        framework=find("vn-province-2025"),  # type: ignore[arg-type]
        year=2026,
        name="Chỉ số chuyển đổi số tỉnh Khánh Hòa năm 2026",
        scope=org.province,
        assessed=[(org.province, "Tỉnh, thành phố")],
    )
    assessed = cycle.assessed.get()
    q3 = cycle.periods.get(kind=PeriodKind.Q3)
    rng = random.Random("KHH-q3")
    Figure.objects.bulk_create(
        Figure(
            period=q3,
            assessed=assessed,
            indicator=a.indicator,
            values=_stored(clean_values(a.indicator, figures_for(a.indicator, rng))),
        )
        for a in assessed.assignments.select_related("indicator").order_by("indicator__order")
    )
    mains = [m.code for m in to_core(cycle.framework).scored_main]
    old = Framework.objects.get(code="vn-province-2022")
    PublishedResult.objects.bulk_create(
        PublishedResult(
            framework=old,
            year=2022,
            unit_name=f"Tỉnh {n + 1:02d}",
            indices={c: str(D("0.95") - D("0.02") * n) for c in mains},
            published_total=D("0.95") - D("0.02") * n,
            published_rank=n + 1,
        )
        for n in range(20)
    )
    return cycle


def _stored(values):  # type: ignore[no-untyped-def]
    """Typed values as the database keeps them (numbers as exact strings)."""
    return {k: (str(v) if isinstance(v, D) else v) for k, v in values.items()}
