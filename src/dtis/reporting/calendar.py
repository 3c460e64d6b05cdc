"""Reporting periods from calendar rules (pure, no Django).

Seeds 002–004: units report every quarter before the 25th of the quarter's
last month and the standing office aggregates by the 30th; yearly reports
are due on a fixed day (20/12, 05/12, or 10/01 of the next year) and the
office reports up a few days later. A half-year review (sơ kết 6 tháng)
follows the second quarter. The rules are parameters, never code: each
cycle keeps its own and may edit any generated date.
"""

from __future__ import annotations

import calendar as _calendar
import datetime as dt
from dataclasses import dataclass


@dataclass(frozen=True)
class PeriodSpec:
    kind: str  # q1 … q4, h1, year
    start: dt.date
    end: dt.date
    unit_deadline: dt.date
    office_deadline: dt.date


def _day_in_month(year: int, month: int, day: int) -> dt.date:
    """The day, or the month's last day when the month is shorter."""
    return dt.date(year, month, min(day, _calendar.monthrange(year, month)[1]))


def generate_periods(
    year: int,
    *,
    unit_day: int = 25,
    office_day: int = 30,
    year_unit_deadline: dt.date | None = None,
    year_office_deadline: dt.date | None = None,
) -> list[PeriodSpec]:
    """Q1–Q4, the half year and the year, with their deadlines."""
    if not 1 <= unit_day <= 31 or not 1 <= office_day <= 31:
        raise ValueError("deadline days must be between 1 and 31")
    periods = []
    for quarter in range(1, 5):
        last_month = quarter * 3
        start = dt.date(year, last_month - 2, 1)
        end = _day_in_month(year, last_month, 31)
        periods.append(
            PeriodSpec(
                f"q{quarter}",
                start,
                end,
                _day_in_month(year, last_month, unit_day),
                _day_in_month(year, last_month, office_day),
            )
        )
        if quarter == 2:
            periods.append(
                PeriodSpec(
                    "h1",
                    dt.date(year, 1, 1),
                    end,
                    _day_in_month(year, 6, unit_day),
                    _day_in_month(year, 6, office_day),
                )
            )
    unit_year = year_unit_deadline or dt.date(year, 12, 20)
    office_year = year_office_deadline or unit_year + dt.timedelta(days=5)
    if office_year < unit_year:
        raise ValueError("the office's yearly deadline cannot come before the units'")
    periods.append(
        PeriodSpec("year", dt.date(year, 1, 1), dt.date(year, 12, 31), unit_year, office_year)
    )
    return periods
