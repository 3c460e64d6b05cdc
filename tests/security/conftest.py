"""The authorization matrix's data (built once per module) and its printed table."""

from __future__ import annotations

import pytest


@pytest.fixture(scope="module")
def world(django_db_setup, django_db_blocker, tmp_path_factory):  # type: ignore[no-untyped-def]
    """`tests.security.world.build_world`, inside a transaction rolled back after
    the module (like `seeded_demo`); evidence files go to a throw-away folder."""
    from django.db import transaction
    from django.test.utils import override_settings

    from tests.security.world import build_world

    media = tmp_path_factory.mktemp("media")
    with (
        django_db_blocker.unblock(),
        override_settings(
            MEDIA_ROOT=str(media),
            PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"],
            EMAIL_BACKEND="django.core.mail.backends.locmem.EmailBackend",
        ),
        transaction.atomic(),
    ):
        yield build_world()
        transaction.set_rollback(True)


ROLE_HEADS = {"anonymous": "anon", "reporter": "rep", "head": "head", "member": "membr",
              "appraiser": "chair", "viewer": "view", "admin": "offc", "superuser": "sysa",
              "token": "tokn"}  # fmt: skip
LEGEND = (
    "✓ let in as expected · refused as expected ✗ not as expected ! server error "
    "= same request as an earlier column, blank: not sent (405, a token on a page, "
    "a URL naming a single object has no mixed column, a POST-only view no POST column)"
)


def _symbol(cell: dict) -> str:  # type: ignore[type-arg]
    outcome = cell["outcome"]
    if outcome == "500":
        return "!"
    if outcome == "=":
        return "="
    if outcome in ("n/a", ""):
        return " "
    if outcome != cell["expected"]:
        return "✗"
    return "✓" if outcome == "A" else "·"


def pytest_terminal_summary(terminalreporter, exitstatus, config):  # type: ignore[no-untyped-def]
    """The authorization matrix as a table: rows are URLs, columns role × (own,
    another department, another province). Read from the tests' reports, so it
    is printed under -q and with xdist workers as well."""
    import json

    cells: list[dict] = []  # type: ignore[type-arg]
    for outcome in ("passed", "failed"):
        for report in terminalreporter.stats.get(outcome, []):
            if getattr(report, "when", "") != "call":
                continue
            for name, value in getattr(report, "user_properties", []):
                if name == "authorization-matrix":
                    cells += json.loads(value)
    if not cells:
        return
    roles = [r for r in ROLE_HEADS if any(c["role"] == r for c in cells)]
    keys: list[str] = []
    grid: dict[tuple[str, str], dict[str, str]] = {}
    for c in cells:
        if c["key"] not in keys:
            keys.append(c["key"])
        grid.setdefault((c["key"], c["role"]), {})[c["column"]] = _symbol(c)
    width = min(max(len(k) for k in keys), 60)
    tr = terminalreporter
    tr.write_sep(
        "=",
        "authorization matrix (per role: own unit, another department, another province, "
        "mixed, POST)",
    )
    tr.write_line(" " * width + " " + " ".join(f"{ROLE_HEADS[r]:<5}" for r in roles))
    for key in keys:
        row = []
        for role in roles:
            sides = grid.get((key, role), {})
            row.append("".join(sides.get(s, " ") for s in ("own", "dept", "prov", "mix", "post")))
        tr.write_line(f"{key[:width]:<{width}} " + " ".join(row))
    bad = sum(1 for c in cells if _symbol(c) in ("✗", "!"))
    tr.write_line(LEGEND)
    tr.write_line(f"{len(cells)} cells, {bad} not as expected")
