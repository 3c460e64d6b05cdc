"""Template filters for showing machine-made text to people."""

from __future__ import annotations

import re

from django import template
from django.utils.formats import get_format

register = template.Library()

_DECIMAL = re.compile(r"(?<=\d)\.(?=\d)")


@register.filter
def localized_numbers(text: str) -> str:
    """Decimal points in an explanation ("30 × 45 / 50 = 27.00") become the
    active language's separator, so Vietnamese readers see 27,00."""
    separator = get_format("DECIMAL_SEPARATOR")
    if not text or separator == ".":
        return text
    return _DECIMAL.sub(separator, str(text))
