"""The heatmap service: colour bands, the legend, sorting and the matrix of
units × main indicators read from the materialised results."""

from __future__ import annotations

from decimal import Decimal as D
from types import SimpleNamespace

import pytest

from dtis.appraisal.models import IndicatorResult
from dtis.appraisal.standings import index_of, standings
from dtis.dashboards import heatmap as hm
from dtis.frameworks.models import Level
from tests.appraisal.conftest import frameworks, year_cycle  # noqa: F401
from tests.dashboards.ranking_data import _decided, _published  # noqa: F401


@pytest.mark.parametrize(
    ("index", "css"),
    [
        (D("1"), "hm-0"),
        (D("0.9000"), "hm-0"),
        (D("0.8999"), "hm-1"),
        (D("0.8000"), "hm-1"),
        (D("0.7999"), "hm-2"),
        (D("0.7000"), "hm-2"),
        (D("0.5000"), "hm-3"),
        (D("0.4999"), "hm-4"),
        (D("0"), "hm-4"),
        (None, "hm-none"),
    ],
)
def test_an_index_falls_in_one_colour_band(index, css):  # type: ignore[no-untyped-def]
    assert hm.band_class(index) == css


def test_the_legend_lists_the_bands_best_first_with_their_bounds():
    entries = hm.legend()
    assert [e.css for e in entries] == ["hm-0", "hm-1", "hm-2", "hm-3", "hm-4"]
    assert [(e.low, e.high) for e in entries] == [
        (D("0.9"), None),
        (D("0.8"), D("0.9")),
        (D("0.7"), D("0.8")),
        (D("0.5"), D("0.7")),
        (None, D("0.5")),
    ]


@pytest.mark.parametrize(
    ("level", "shown"),
    [
        (Level.DEPARTMENT, True),
        (Level.COMMUNE, True),
        (Level.DISTRICT, True),
        (Level.PROVINCE, False),
        (Level.MINISTRY, False),
    ],
)
def test_the_heatmap_is_drawn_for_departments_and_communes(level, shown):  # type: ignore[no-untyped-def]
    cycle = SimpleNamespace(framework=SimpleNamespace(level=level))
    assert hm.shows_heatmap(cycle) is shown  # type: ignore[arg-type]


def test_the_matrix_holds_every_units_main_indicator_index(decided):  # type: ignore[no-untyped-def]
    table = standings(decided.cycle)
    matrix = hm.heatmap(table)
    assert len(matrix.rows) == 3
    assert [code for code, _n, _m in matrix.mains] == [c for c, _n, _m in table.mains]
    stored = {
        (r.result.assessed_id, r.code): r
        for r in IndicatorResult.objects.filter(
            result__cycle=decided.cycle, is_main=True
        ).select_related("result")
    }
    for row in matrix.rows:
        assert len(row.cells) == len(matrix.mains) == 6
        for cell in row.cells:
            source = stored[(row.standing.assessed.pk, cell.code)]
            assert cell.index == index_of(source.final_points, source.max_points)
            assert cell.css == hm.band_class(cell.index)
        assert row.total_css == hm.band_class(row.standing.result.index)


def test_unknown_sort_column_or_direction_falls_back_with_a_notice(decided):  # type: ignore[no-untyped-def]
    table = standings(decided.cycle)
    assert hm.sorting(table, None, None) == hm.Sorting("hang", "tang", "")
    assert hm.sorting(table, "chi-so", "giam") == hm.Sorting("chi-so", "giam", "")
    assert hm.sorting(table, "tc-2", "tang").key == "tc-2"
    wrong = hm.sorting(table, "tc-99", "giam")
    assert (wrong.key, wrong.direction) == ("hang", "tang")
    assert "tc-99" in wrong.notice
    odd = hm.sorting(table, "diem", "ngang")
    assert (odd.key, odd.direction) == ("diem", "tang")
    assert odd.notice


def test_rows_sort_by_any_column_with_missing_values_last(decided):  # type: ignore[no-untyped-def]
    table = standings(decided.cycle)
    rows = table.rows()
    by_index = hm.sort_rows(table, rows, hm.Sorting("chi-so", "giam"))
    indices = [r.result.index for r in by_index]
    assert indices == sorted(indices, reverse=True)
    by_rank_down = hm.sort_rows(table, rows, hm.Sorting("hang", "giam"))
    assert [r.rank for r in by_rank_down] == sorted((r.rank for r in rows), reverse=True)
    for code, _name, _max in table.mains:
        column = [c for c, _n, _m in table.mains].index(code)
        up = hm.sort_rows(table, rows, hm.Sorting(hm.MAIN_PREFIX + code, "tang"))
        values = [r.main[column].index for r in up]
        assert values == sorted(values)
    # No previous year: every change is missing, the order stays the ranking's.
    assert hm.sort_rows(table, rows, hm.Sorting("thay-doi", "giam")) == rows


def test_header_links_toggle_the_current_column_and_mark_it(decided):  # type: ignore[no-untyped-def]
    how = hm.Sorting("chi-so", "giam")
    assert hm.toggle(how, "chi-so") == "tang"
    assert hm.toggle(how, "hang") == "tang"
    assert hm.toggle(how, "diem") == "giam"  # higher is better: best first
    assert hm.aria_sort(how, "chi-so") == "descending"
    assert hm.aria_sort(how, "hang") == ""
    assert hm.aria_sort(hm.Sorting("don-vi", "tang"), "don-vi") == "ascending"
