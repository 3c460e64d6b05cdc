"""Dashboard page bodies kept in the cache under the data version.

A body is everything a dashboard shows below the site's header: the part that
costs (results of every peer, charts, tables). It is drawn once per data
version (`freshness`), language, day (lateness and projections count days)
and whatever else the caller says the body depends on: the person's rights
on the page, the sorting asked for. The site's header, the person's name and
the forms with their CSRF tokens stay outside, drawn for every request.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterable
from typing import Any

from django.core.cache import cache
from django.db import connection
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language

from dtis.dashboards import freshness

TIMEOUT = 6 * 3600  # a kept body is unreachable as soon as the data moves anyway


def key_for(page: str, vary: Iterable[object]) -> str:
    # The database's alias too: the training sandbox's pages are not the real ones.
    today = timezone.localdate().isoformat()
    parts = [connection.alias, freshness.current(), get_language(), today, *vary]
    digest = hashlib.sha256(repr(parts).encode()).hexdigest()[:40]
    return f"dtis:body:{page}:{digest}"


def body(
    page: str, vary: Iterable[object], template: str, build: Callable[[], dict[str, Any]]
) -> SafeString:
    """The page body, drawn by `template` with `build()`'s context if not kept."""
    key = key_for(page, vary)
    html = cache.get(key)
    if html is None:
        html = render_to_string(template, build())
        cache.set(key, html, TIMEOUT)
    return mark_safe(html)  # drawn by our own autoescaping template
