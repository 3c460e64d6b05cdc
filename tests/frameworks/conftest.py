from __future__ import annotations

import pytest
from django.core.management import call_command


@pytest.fixture
def builtin(db):  # type: ignore[no-untyped-def]
    """The three built-in frameworks, loaded as `dtis load-frameworks` does."""
    call_command("load-frameworks", verbosity=0)
