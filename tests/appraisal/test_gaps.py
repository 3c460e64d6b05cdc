"""Self-assessed versus appraised: per unit, per indicator, per reason code."""

from __future__ import annotations

from decimal import Decimal as D

from django.db import connection
from django.test.utils import CaptureQueriesContext

from dtis.appraisal.decisions import bulk_accept
from dtis.appraisal.gaps import gaps
from dtis.appraisal.models import IndicatorResult, Item, ReasonCode, UnitResult
from tests.appraisal.results_data import add_units, correct, decide_2025


def test_per_unit_the_gap_is_appraised_minus_self_with_the_corrections_counted(year_cycle, org):
    lost = decide_2025(year_cycle, org)
    data = gaps(year_cycle.cycle)
    by_code = {u.assessed.unit.code: u for u in data.units}
    assert set(by_code) == {"KHH-SNV", "KHH-STC", "KHH-SYT"}
    for code, row in by_code.items():
        stored = UnitResult.objects.get(assessed=row.assessed)
        assert (row.self_points, row.appraised_points) == (
            stored.self_points,
            stored.appraised_points,
        )
        assert row.gap == -lost.get(code, D(0))
    assert (by_code["KHH-SNV"].corrected, by_code["KHH-SYT"].corrected) == (1, 2)
    assert by_code["KHH-STC"].corrected == 0 and by_code["KHH-STC"].gap == 0
    # The biggest loss first.
    assert [u.assessed.unit.code for u in data.units] == ["KHH-SYT", "KHH-SNV", "KHH-STC"]
    assert data.corrected == 3
    assert data.points_lost == lost["KHH-SNV"] + lost["KHH-SYT"]


def test_per_indicator_the_units_corrected_the_points_lost_and_the_reasons(year_cycle, org):
    decide_2025(year_cycle, org)
    # Sở Tài chính loses points on the same indicator as Sở Nội vụ, for another reason.
    # (It was accepted; the chair corrects it afterwards.)
    taken = correct(
        year_cycle.chair,
        year_cycle.finance,
        "1.1",
        D("7.5"),
        ReasonCode.INCOMPLETE_CITATION,
        "Quyết định số 15/QĐ-STC không ghi ngày ban hành.",
    )
    data = gaps(year_cycle.cycle)
    row = next(i for i in data.indicators if i.code == "1.1")
    assert row.name.startswith("Người đứng đầu Sở/Ban/Ngành là Trưởng ban")
    assert row.units_corrected == 2
    home_lost = _lost(year_cycle.home, "1.1")
    assert row.points_lost == home_lost + taken
    assert dict(row.reasons) == {"missing_evidence": 1, "citation": 1}
    labels = [label for _code, label, _n in row.reason_list()]
    assert str(ReasonCode.MISSING_EVIDENCE.label) in labels
    assert [i.points_lost for i in data.indicators] == sorted(
        (i.points_lost for i in data.indicators), reverse=True
    )


def _lost(assessed, code: str) -> D:  # type: ignore[no-untyped-def]
    row = IndicatorResult.objects.get(result__assessed=assessed, code=code)
    return row.self_points - row.appraised_points


def test_per_reason_code_the_items_and_the_points(year_cycle, org):
    lost = decide_2025(year_cycle, org)
    data = gaps(year_cycle.cycle)
    reasons = {r.code: r for r in data.reasons}
    assert set(reasons) == {"missing_evidence", "not_supported", "outside_period"}
    assert reasons["missing_evidence"].count == 1
    assert reasons["missing_evidence"].points == lost["KHH-SNV"]
    assert reasons["not_supported"].points + reasons["outside_period"].points == lost["KHH-SYT"]
    assert sum(r.count for r in data.reasons) == Item.objects.filter(state="corrected").count()


def test_only_the_units_asked_for(year_cycle, org):
    decide_2025(year_cycle, org)
    data = gaps(year_cycle.cycle, [year_cycle.home.pk])
    assert [u.assessed.unit.code for u in data.units] == ["KHH-SNV"]
    assert [i.code for i in data.indicators] == ["1.1"]
    assert [r.code for r in data.reasons] == ["missing_evidence"]


def test_nothing_corrected_means_no_gap(year_cycle):
    for assessed in (year_cycle.home, year_cycle.finance, year_cycle.health):
        bulk_accept(actor=year_cycle.chair, assessed=assessed)
    data = gaps(year_cycle.cycle)
    assert data.indicators == [] and data.reasons == []
    assert all(u.gap == 0 and u.corrected == 0 for u in data.units)


def test_the_number_of_queries_does_not_grow_with_the_units(year_cycle, org):
    decide_2025(year_cycle, org)
    with CaptureQueriesContext(connection) as few:
        gaps(year_cycle.cycle)
    add_units(org, year_cycle.cycle, 5)
    with CaptureQueriesContext(connection) as many:
        assert len(gaps(year_cycle.cycle).units) == 8
    assert len(many) == len(few) <= 3
