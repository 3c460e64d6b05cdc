"""Helpers for tests that read pages."""

from __future__ import annotations

import contextlib
from collections.abc import Iterator

from django.conf import settings
from django.test import Client
from django.utils import translation


@contextlib.contextmanager
def english(client: Client) -> Iterator[None]:
    """The pages requested inside come in English, as after the person pressed
    EN (the language cookie), and gettext speaks English too: for assertions
    on the English wording."""
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    try:
        with translation.override("en"):
            yield
    finally:
        del client.cookies[settings.LANGUAGE_COOKIE_NAME]
