"""Plans start from a published cycle: the appraisal tests' 2025 departments
(Sở Nội vụ, Sở Tài chính, Sở Y tế), decided and published."""

from __future__ import annotations

from tests.appraisal.conftest import frameworks, year_cycle  # noqa: F401
from tests.dashboards.ranking_data import _decided, _published  # noqa: F401
