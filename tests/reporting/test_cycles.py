"""Creating a cycle: periods from calendar rules, assessed units, assignments."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ValidationError

from dtis.frameworks.services import find
from dtis.reporting.calendar import generate_periods
from dtis.reporting.cycles import cycle_create
from dtis.reporting.models import Assignment, Cycle
from tests.factories import Org


def test_quarters_are_due_on_the_25th_and_the_office_on_the_30th():
    periods = {p.kind: p for p in generate_periods(2026)}
    assert [p.kind for p in generate_periods(2026)] == ["q1", "q2", "h1", "q3", "q4", "year"]
    assert (periods["q1"].unit_deadline, periods["q1"].office_deadline) == (
        dt.date(2026, 3, 25),
        dt.date(2026, 3, 30),
    )
    assert periods["q4"].end == dt.date(2026, 12, 31)
    assert periods["h1"].unit_deadline == dt.date(2026, 6, 25)


def test_a_yearly_deadline_may_fall_in_the_next_year():
    year = generate_periods(
        2025, year_unit_deadline=dt.date(2026, 1, 10), year_office_deadline=dt.date(2026, 1, 30)
    )[-1]
    assert (year.unit_deadline, year.office_deadline) == (
        dt.date(2026, 1, 10),
        dt.date(2026, 1, 30),
    )


def test_the_yearly_deadline_defaults_to_the_20th_of_december():
    assert generate_periods(2026)[-1].unit_deadline == dt.date(2026, 12, 20)


def test_an_office_deadline_before_the_units_is_refused():
    with pytest.raises(ValueError):
        generate_periods(
            2026,
            year_unit_deadline=dt.date(2026, 12, 20),
            year_office_deadline=dt.date(2026, 12, 5),
        )


def test_a_departments_cycle_assigns_every_indicator_to_each_department(dept_cycle: Cycle):
    assert dept_cycle.periods.count() == 6
    assert dept_cycle.assessed.count() == 2
    per_unit = Assignment.objects.filter(cycle=dept_cycle, assessed__unit__code="KHH-SNV")
    assert per_unit.count() == 42
    assert {a.owner.code for a in per_unit} == {"KHH-SNV"}


def test_the_provinces_cycle_gives_indicators_to_their_lead_agencies(province_cycle: Cycle):
    owners = dict(
        Assignment.objects.filter(cycle=province_cycle).values_list(
            "indicator__code", "owner__code"
        )
    )
    assert len(owners) == 47
    # Leads named in the framework that exist among the province's units get the indicator.
    leads = {
        a.indicator.lead_unit
        for a in Assignment.objects.filter(cycle=province_cycle).select_related(
            "indicator", "owner"
        )
        if a.owner.code != "KHH"
    }
    assert leads <= {"Sở Nội vụ", "Sở Tài chính"}


def test_a_cycle_needs_assessed_units(org: Org, frameworks):  # type: ignore[no-untyped-def]
    with pytest.raises(ValidationError):
        cycle_create(
            actor=None,
            framework=find("hy-department-2023"),
            year=2026,  # type: ignore[arg-type]
            name="Trống",
            scope=org.province,
            assessed=[],
        )
    assert not Cycle.objects.exists()


@pytest.mark.parametrize(
    ("typed", "value"),
    [
        ("12,5", "12.5"),
        ("1.250", "1250"),
        ("1.250.000", "1250000"),
        ("1.250.000,5", "1250000.5"),
        ("0.8", "0.8"),
        ("12.5", "12.5"),
        ("1 250 000", "1250000"),
    ],
)
def test_numbers_are_read_as_vietnamese_users_type_them(typed: str, value: str):
    from decimal import Decimal

    from dtis.reporting.figures import parse_number

    assert parse_number(typed) == Decimal(value)


@pytest.mark.parametrize("typed", ["NaN", "Infinity", "1e400", "sNaN", "-Infinity"])
def test_numbers_that_are_not_finite_are_refused(dept_cycle: Cycle, typed: str):
    from dtis.reporting.figures import clean_values

    indicator = next(
        a.indicator
        for a in Assignment.objects.filter(cycle=dept_cycle).select_related("indicator")
        if any(i.get("type") in ("number", "integer") for i in a.indicator.inputs)
    )
    name = next(i["name"] for i in indicator.inputs if i.get("type") in ("number", "integer"))
    with pytest.raises(ValidationError) as err:
        clean_values(indicator, {name: typed})
    assert name in err.value.message_dict
