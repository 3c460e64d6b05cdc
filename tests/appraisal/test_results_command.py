"""`dtis results show --cycle ID [--json]` (contract), next to `import` and `rank`."""

from __future__ import annotations

import io
import json
from decimal import Decimal as D

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.utils import translation

from dtis.appraisal.models import IndicatorResult, UnitResult
from tests.appraisal.results_data import decide_2025, publish


def _show(*args: str) -> str:
    out = io.StringIO()
    call_command("results", "show", *args, stdout=out)
    return out.getvalue()


def test_json_lists_the_units_best_first_in_the_contract_shape(year_cycle, org):
    decide_2025(year_cycle, org)
    publish(year_cycle.cycle, year_cycle.chair, org.admin)
    data = json.loads(_show("--cycle", str(year_cycle.cycle.pk), "--json"))
    assert [row["unit"] for row in data] == [
        "Sở Tài chính tỉnh Khánh Hòa",
        "Sở Y tế tỉnh Khánh Hòa",
        "Sở Nội vụ tỉnh Khánh Hòa",
    ]
    assert [row["rank"] for row in data] == [1, 2, 3]
    for row in data:
        assert {
            "unit",
            "self_total",
            "appraised_total",
            "final_total",
            "index",
            "rank",
            "band",
            "main",
        } <= set(row)
        result = UnitResult.objects.get(cycle=year_cycle.cycle, assessed__unit__name=row["unit"])
        assert D(str(row["self_total"])) == result.self_points
        assert D(str(row["appraised_total"])) == result.appraised_points
        assert D(str(row["final_total"])) == result.final_points
        assert D(str(row["index"])) == result.index
        assert row["band"] == result.band == "Tốt"
        assert list(row["main"]) == ["1", "2", "3", "4", "5", "6"]
        for code, cell in row["main"].items():
            ir = IndicatorResult.objects.get(result=result, code=code)
            assert D(str(cell["points"])) == ir.final_points
            assert D(str(cell["index"])) == (ir.final_points / ir.max_points).quantize(
                D("0.0001"), "ROUND_HALF_UP"
            )
    # Numbers are JSON numbers, indices with at most 4 decimals.
    health = data[1]
    assert isinstance(health["final_total"], float) and isinstance(health["index"], float)
    assert health["self_total"] - health["appraised_total"] == pytest.approx(15)
    assert len(repr(health["index"]).split(".")[1]) <= 4


def test_json_before_any_decision_has_self_scores_and_zero_final(year_cycle):
    data = json.loads(_show("--cycle", str(year_cycle.cycle.pk), "--json"))
    assert len(data) == 3
    assert all(row["final_total"] == 0 and row["self_total"] > 0 for row in data)
    assert all(row["index"] == 0 for row in data)


def test_the_human_output_is_an_aligned_table(year_cycle, org):
    decide_2025(year_cycle, org)
    with translation.override("en"):
        lines = _show("--cycle", str(year_cycle.cycle.pk)).splitlines()
    assert lines[0] == "Đánh giá chuyển đổi số các sở, ban, ngành năm 2025 (2025)"
    header, *rows = lines[1:]
    assert header.split() == ["Rank", "Unit", "Self", "Appraised", "Final", "Index", "Band"]
    assert len(rows) == 3
    assert rows[0].split()[0] == "1" and "Sở Tài chính tỉnh Khánh Hòa" in rows[0]
    # Numbers are right-aligned under their heading: the indices end where "Index" ends.
    end = header.index("Index") + len("Index")
    results = UnitResult.objects.filter(cycle=year_cycle.cycle).select_related("assessed__unit")
    for row in rows:
        result = next(r for r in results if r.assessed.unit.name in row)
        assert row[end] == " " and row[end - 7] == " "
        assert D(row[end - 6 : end]) == result.index
        assert row.endswith("Tốt")


@pytest.mark.parametrize("value", ["abc", "12a", "-3"])
def test_a_cycle_id_that_is_not_a_number_is_refused(db, value, capsys):
    with translation.override("en"), pytest.raises(CommandError) as err:
        _show("--cycle", value)
    assert "--cycle" in str(err.value) and "\n" not in str(err.value)
    assert capsys.readouterr().out == ""


def test_an_unknown_cycle_is_refused_and_nothing_is_printed(db):
    out = io.StringIO()
    with translation.override("en"), pytest.raises(CommandError) as err:
        call_command("results", "show", "--cycle", "9999", stdout=out)
    assert "9999" in str(err.value)
    assert out.getvalue() == ""


def test_framework_options_belong_to_import_and_rank_only(db):
    with pytest.raises(CommandError):
        call_command("results", "show", "--cycle", "1", "--framework", "vn-province-2022")


def test_recompute_restores_results_that_went_missing(year_cycle, org):
    decide_2025(year_cycle, org)
    before = {r.assessed_id: (r.final_points, r.rank) for r in UnitResult.objects.all()}
    UnitResult.objects.all().delete()
    out = io.StringIO()
    call_command("results", "recompute", "--cycle", str(year_cycle.cycle.pk), "--json", stdout=out)
    assert json.loads(out.getvalue()) == {
        "cycle": year_cycle.cycle.pk,
        "units": 3,
        "items_opened": 0,
    }
    after = {r.assessed_id: (r.final_points, r.rank) for r in UnitResult.objects.all()}
    assert after == before
    assert IndicatorResult.objects.filter(result__cycle=year_cycle.cycle).exists()


def test_recompute_of_an_unknown_cycle_says_so_and_changes_nothing(year_cycle):
    count = UnitResult.objects.count()
    with pytest.raises(CommandError, match="9999"):
        call_command("results", "recompute", "--cycle", "9999")
    assert UnitResult.objects.count() == count
