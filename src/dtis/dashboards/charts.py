"""Charts drawn on the server as inline SVG (no JavaScript, no CDN).

`bars` draws horizontal bars (index 0…1) with optional markers for the
target, the peer average and the best peer; `line` draws a small trend line.
Every chart has a <title> and the page shows the same numbers in a data table.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal

from django.utils.formats import number_format
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe


@dataclass(frozen=True)
class Bar:
    label: str
    value: Decimal | None
    target: Decimal | None = None
    average: Decimal | None = None
    best: Decimal | None = None


def _num(value: Decimal | float | None, places: int = 4) -> str:
    return "—" if value is None else number_format(Decimal(str(value)), places)


def _x(value: Decimal | float, left: float, width: float, top: float) -> float:
    share = min(max(float(value) / top, 0.0), 1.0) if top else 0.0
    return round(left + share * width, 1)


def bars(
    items: Sequence[Bar], *, title: str, top: Decimal = Decimal(1), places: int = 4
) -> SafeString:
    """Horizontal bars, one row per item; markers: target │, average ◆, best ▲."""
    label_w, bar_w, value_w, row_h = 230.0, 420.0, 70.0, 26
    width = label_w + bar_w + value_w
    height = 22 + row_h * max(len(items), 1)
    out = [
        f'<svg class="chart chart-bars" role="img" viewBox="0 0 {width:.0f} {height}" '
        f'xmlns="http://www.w3.org/2000/svg"><title>{escape(title)}</title>'
    ]
    for n, item in enumerate(items):
        y = 8 + n * row_h
        label = item.label if len(item.label) <= 34 else item.label[:33] + "…"
        out.append(
            f'<text class="chart-label" x="{label_w - 8:.0f}" y="{y + 14}" '
            f'text-anchor="end">{escape(label)}</text>'
        )
        out.append(
            f'<rect class="chart-track" x="{label_w:.0f}" y="{y + 3}" '
            f'width="{bar_w:.0f}" height="16"/>'
        )
        if item.value is not None:
            end = _x(item.value, label_w, bar_w, float(top))
            reached = item.target is None or item.value >= item.target
            css = "chart-bar" if reached else "chart-bar chart-bar-below"
            out.append(
                f'<rect class="{css}" x="{label_w:.0f}" y="{y + 3}" '
                f'width="{end - label_w:.1f}" height="16"/>'
            )
        if item.average is not None:
            x = _x(item.average, label_w, bar_w, float(top))
            out.append(
                f'<path class="chart-average" d="M{x} {y + 5} l5 6 l-5 6 l-5 -6 z">'
                f"<title>{escape(_num(item.average, places))}</title></path>"
            )
        if item.best is not None:
            x = _x(item.best, label_w, bar_w, float(top))
            out.append(
                f'<path class="chart-best" d="M{x - 5} {y} l10 0 l-5 8 z">'
                f"<title>{escape(_num(item.best, places))}</title></path>"
            )
        if item.target is not None:
            x = _x(item.target, label_w, bar_w, float(top))
            out.append(
                f'<line class="chart-target" x1="{x}" x2="{x}" y1="{y}" y2="{y + 22}">'
                f"<title>{escape(_num(item.target, places))}</title></line>"
            )
        out.append(
            f'<text class="chart-value" x="{label_w + bar_w + 6:.0f}" y="{y + 14}">'
            f"{escape(_num(item.value, places))}</text>"
        )
    out.append("</svg>")
    return mark_safe("".join(out))  # every text above is escaped


@dataclass(frozen=True)
class Point:
    label: str
    value: Decimal | None
    projected: bool = False


def line(points: Sequence[Point], *, title: str, places: int = 4) -> SafeString:
    """A small line chart; projected points are hollow and joined by a dashed line."""
    width, height, pad_l, pad_r, pad_t, pad_b = 480.0, 170.0, 34.0, 34.0, 22.0, 30.0
    known = [float(p.value) for p in points if p.value is not None]
    low = min(known, default=0.0)
    high = max(known, default=1.0)
    if high - low < 0.05:
        low, high = low - 0.05, high + 0.05
    step = (width - pad_l - pad_r) / max(len(points) - 1, 1)

    def xy(n: int, v: float) -> tuple[float, float]:
        y = pad_t + (high - v) / (high - low) * (height - pad_t - pad_b)
        x = pad_l + n * step if len(points) > 1 else width / 2
        return round(x, 1), round(y, 1)

    out = [
        f'<svg class="chart chart-line" role="img" viewBox="0 0 {width:.0f} {height:.0f}" '
        f'xmlns="http://www.w3.org/2000/svg"><title>{escape(title)}</title>',
        f'<line class="chart-axis" x1="{pad_l}" x2="{width - pad_r}" '
        f'y1="{height - pad_b}" y2="{height - pad_b}"/>',
    ]
    previous: tuple[float, float, bool] | None = None
    for n, p in enumerate(points):
        out.append(
            f'<text class="chart-label" x="{xy(n, low)[0]}" y="{height - 10}" '
            f'text-anchor="middle">{escape(p.label)}</text>'
        )
        if p.value is None:
            previous = None
            continue
        x, y = xy(n, float(p.value))
        if previous is not None:
            css = "chart-trend chart-projected" if p.projected or previous[2] else "chart-trend"
            out.append(
                f'<line class="{css}" x1="{previous[0]}" y1="{previous[1]}" x2="{x}" y2="{y}"/>'
            )
        dot = "chart-dot chart-dot-projected" if p.projected else "chart-dot"
        out.append(f'<circle class="{dot}" cx="{x}" cy="{y}" r="4"/>')
        out.append(
            f'<text class="chart-value" x="{x}" y="{y - 8}" text-anchor="middle">'
            f"{escape(_num(p.value, places))}</text>"
        )
        previous = (x, y, p.projected)
    out.append("</svg>")
    return mark_safe("".join(out))  # every text above is escaped
