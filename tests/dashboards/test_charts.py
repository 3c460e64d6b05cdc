"""Server-side SVG charts: bars with markers, a trend line."""

from __future__ import annotations

import re
from decimal import Decimal as D

from django.utils import translation

from dtis.dashboards.charts import Bar, Point, bars, line


def test_bars_draw_each_value_with_its_markers_and_escape_labels():
    svg = bars(
        [
            Bar("1. Nhận thức số <b>", D("0.5"), target=D("0.8"), average=D("0.6"), best=D("1")),
            Bar("2. Thể chế số", None),
        ],
        title="Chỉ số chính",
    )
    assert svg.startswith("<svg") and svg.endswith("</svg>")
    assert "<title>Chỉ số chính</title>" in svg
    assert "&lt;b&gt;" in svg and "<b>" not in svg
    # Bars start at x=230 and are 420 wide: 0.5 → 210 wide, target at 0.8 → x=566.
    assert re.search(r'class="chart-bar chart-bar-below" x="230" y="\d+" width="210.0"', svg)
    assert 'x1="566.0" x2="566.0"' in svg
    assert svg.count('class="chart-average"') == 1 and svg.count('class="chart-best"') == 1
    # A unit without a value has a track, no bar, and a dash for its number.
    assert svg.count('class="chart-track"') == 2
    assert svg.count('<rect class="chart-bar') == 1
    assert ">—</text>" in svg


def test_a_bar_at_or_above_its_target_is_drawn_plain():
    svg = bars([Bar("x", D("0.9"), target=D("0.8"))], title="t")
    assert 'class="chart-bar"' in svg and "chart-bar-below" not in svg


def test_numbers_take_the_decimal_comma_in_vietnamese():
    with translation.override("vi"):
        svg = bars([Bar("x", D("0.8253"))], title="t")
        trend = line([Point("2025", D("0.8041")), Point("2026", D("0.8629"), True)], title="t")
    assert ">0,8253</text>" in svg
    assert "0,8041" in trend and "0,8629" in trend


def test_the_line_marks_projected_points_hollow_and_dashed():
    svg = line(
        [Point("2024", D("0.70")), Point("2025", D("0.75")), Point("2026", D("0.80"), True)],
        title="Xu hướng",
    )
    assert svg.count('class="chart-dot"') == 2
    assert svg.count('class="chart-dot chart-dot-projected"') == 1
    assert svg.count('class="chart-trend"') == 1
    assert svg.count('class="chart-trend chart-projected"') == 1
    # Higher values are drawn higher up (smaller y).
    ys = [float(y) for y in re.findall(r'<circle[^>]* cy="([\d.]+)"', svg)]
    assert ys[0] > ys[1] > ys[2]


def test_a_gap_in_the_series_breaks_the_line():
    svg = line([Point("Q1", D("0.5")), Point("Q2", None), Point("Q3", D("0.6"))], title="t")
    assert svg.count("<circle") == 2
    assert "chart-trend" not in svg
