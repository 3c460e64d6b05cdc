"""Refuse to start with a rate limit nobody can read (`dtis check`, and every start)."""

from __future__ import annotations

import re
from typing import Any

from django.conf import settings
from django.core.checks import Error, register

RATE = re.compile(r"^[1-9]\d*/\d*(s|sec|m|min|h|hour|d|day)$")


@register()
def api_rate_is_readable(app_configs: Any, **kwargs: Any) -> list[Error]:
    rate = str(getattr(settings, "API_RATE", ""))
    if RATE.match(rate):
        return []
    return [
        Error(
            f"DTIS_API_RATE={rate!r}: expected requests/period such as 600/m, 20/s or 10000/h",
            id="dtis.api.E001",
        )
    ]
