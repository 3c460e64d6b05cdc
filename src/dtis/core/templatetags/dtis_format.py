"""Template filters for showing machine-made text to people."""

from __future__ import annotations

import re

from django import template
from django.utils.formats import get_format

register = template.Library()

_NUMBER = re.compile(r"(?<![\w.,])(\d+)(?:\.(\d+))?(?![\w])")
_QUOTED = re.compile(r"(«[^»]*»)")


@register.filter
def localized_numbers(text: str) -> str:
    """Numbers in an explanation ("1620 / 1800 × 30 = 27.00") written the
    active language's way: 1.620 / 1.800 × 30 = 27,00 in Vietnamese. The
    explanations hold only numbers the scoring core wrote, and the inputs'
    labels quoted «…», which are words (a year, a decree number) left alone."""
    if not text:
        return text
    decimal = get_format("DECIMAL_SEPARATOR")
    thousands = get_format("THOUSAND_SEPARATOR")

    def number(match: re.Match[str]) -> str:
        whole, fraction = match.group(1), match.group(2)
        if len(whole) > 3:
            whole = f"{int(whole):,}".replace(",", thousands)
        return whole if fraction is None else f"{whole}{decimal}{fraction}"

    pieces = _QUOTED.split(str(text))
    return "".join(p if p.startswith("«") else _NUMBER.sub(number, p) for p in pieces)
