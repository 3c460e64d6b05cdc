"""Last year's corrections come back as advice in this year's pre-check."""

from __future__ import annotations

from decimal import Decimal as D

import pytest
from django.test import Client

from dtis.appraisal.decisions import bulk_accept, item_correct
from dtis.appraisal.models import Item, ReasonCode
from dtis.appraisal.publication import publish, sign_off
from dtis.frameworks.services import find
from dtis.reporting.cycles import cycle_create
from dtis.reporting.evidence import advice
from tests.factories import PASSWORD

REASON = "Quyết định ban hành năm 2024, ngoài kỳ đánh giá."


@pytest.fixture
def next_year(year_cycle, org):  # type: ignore[no-untyped-def]
    item = Item.objects.select_related("period__cycle", "assessed", "indicator").get(
        assessed=year_cycle.home, indicator__code="1.1"
    )
    item_correct(
        actor=year_cycle.chair, item=item, points=D(0),
        reason_code=ReasonCode.OUTSIDE_PERIOD, reason=REASON,
    )  # fmt: skip
    for assessed in (year_cycle.home, year_cycle.finance, year_cycle.health):
        bulk_accept(actor=year_cycle.chair, assessed=assessed)
    return cycle_create(
        actor=org.admin,
        framework=find("hy-department-2023"),  # type: ignore[arg-type]
        year=2026,
        name="Đánh giá chuyển đổi số các sở, ban, ngành năm 2026",
        scope=org.province,
        assessed=[(org.dept_home, "Sở, ban, ngành"), (org.dept_finance, "Sở, ban, ngành")],
    )


def _home(cycle, org):  # type: ignore[no-untyped-def]
    return cycle.assessed.select_related("unit", "cycle__framework").get(unit=org.dept_home)


def test_a_published_correction_is_advice_for_the_same_unit_next_year(year_cycle, next_year, org):
    sign_off(actor=year_cycle.chair, cycle=year_cycle.cycle)
    publish(actor=year_cycle.chair, cycle=year_cycle.cycle)
    period = next_year.periods.get(kind="q1")
    findings = advice(period, _home(next_year, org))
    assert [f.indicator_code for f in findings] == ["1.1"]
    assert REASON in findings[0].message and "0,00" in findings[0].message


def test_another_unit_gets_no_advice_from_it(year_cycle, next_year, org):
    sign_off(actor=year_cycle.chair, cycle=year_cycle.cycle)
    publish(actor=year_cycle.chair, cycle=year_cycle.cycle)
    period = next_year.periods.get(kind="q1")
    finance = next_year.assessed.select_related("unit", "cycle").get(unit=org.dept_finance)
    assert advice(period, finance) == []


def test_unpublished_corrections_give_no_advice(year_cycle, next_year, org):
    period = next_year.periods.get(kind="q1")
    assert advice(period, _home(next_year, org)) == []


def test_the_entry_page_shows_the_advice(year_cycle, next_year, org):
    sign_off(actor=year_cycle.chair, cycle=year_cycle.cycle)
    publish(actor=year_cycle.chair, cycle=year_cycle.cycle)
    period = next_year.periods.get(kind="q1")
    client = Client()
    client.login(username=org.reporter.username, password=PASSWORD)
    page = client.get(f"/bao-cao/{period.pk}/{_home(next_year, org).pk}/")
    assert page.status_code == 200
    assert REASON in page.content.decode()


def test_the_indicators_card_says_why_it_lost_points_last_year(year_cycle, next_year, org):
    sign_off(actor=year_cycle.chair, cycle=year_cycle.cycle)
    publish(actor=year_cycle.chair, cycle=year_cycle.cycle)
    period = next_year.periods.get(kind="q1")
    client = Client()
    client.force_login(org.reporter)
    page = client.get(f"/bao-cao/{period.pk}/{_home(next_year, org).pk}/").content.decode()
    card = page[page.index('id="ind-1.1"') : page.index('id="ind-1.2.1"')]
    assert "Kết quả thẩm định năm trước của chỉ số này:" in card and REASON in card
    other = page[page.index('id="ind-1.2.1"') :]
    assert "Kết quả thẩm định năm trước của chỉ số này:" not in other
