"""`seed-demo` builds the demo province once, and a second run adds nothing.
The module shares one seeded database (`seeded_demo`), so it holds no test
that builds its own organisation."""

from __future__ import annotations

import io

from django.core.management import call_command

from dtis.orgs.models import RoleGrant, Unit, User


def test_seed_demo_builds_the_province_and_can_run_twice(seeded_demo, db):  # type: ignore[no-untyped-def]
    first = seeded_demo
    counts = (Unit.objects.count(), User.objects.count(), RoleGrant.objects.count())
    call_command("seed-demo", "--json", stdout=io.StringIO())
    assert (Unit.objects.count(), User.objects.count(), RoleGrant.objects.count()) == counts
    assert first["units_created"] == counts[0] > 40
    roles = {a["role"] for a in first["accounts"]}
    assert {"admin", "reporter", "head", "appraiser", "viewer", "superuser"} <= roles
    assert Unit.objects.get(code="KHH-SKHCN").parent.code == "KHH"
    assert Unit.objects.filter(kind="commune", valid_to__isnull=False).exists()


def test_seed_demo_loads_the_frameworks_and_the_published_2022_results(seeded_demo, db):  # type: ignore[no-untyped-def]
    from dtis.frameworks.models import Framework, PublishedResult

    assert set(Framework.objects.values_list("code", flat=True)) == {
        "vn-province-2025",
        "vn-province-2022",
        "hy-department-2023",
    }
    assert PublishedResult.objects.filter(year=2022).count() == 5
