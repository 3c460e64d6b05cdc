"""The unit commands and the demo data command."""

from __future__ import annotations

import io
import json

import pytest
from django.core.management import CommandError, call_command

from dtis.orgs.models import RoleGrant, Unit, User
from tests.factories import Org


def test_seed_demo_builds_the_province_and_can_run_twice(db):  # type: ignore[no-untyped-def]
    out = io.StringIO()
    call_command("seed-demo", "--json", stdout=out)
    first = json.loads(out.getvalue())
    counts = (Unit.objects.count(), User.objects.count(), RoleGrant.objects.count())
    call_command("seed-demo", "--json", stdout=io.StringIO())
    assert (Unit.objects.count(), User.objects.count(), RoleGrant.objects.count()) == counts
    assert first["units_created"] == counts[0] > 40
    roles = {a["role"] for a in first["accounts"]}
    assert {"admin", "reporter", "head", "appraiser", "viewer", "superuser"} <= roles
    assert Unit.objects.get(code="KHH-SKHCN").parent.code == "KHH"
    assert Unit.objects.filter(kind="commune", valid_to__isnull=False).exists()


def test_export_then_import_by_command_changes_nothing(org: Org, tmp_path):  # type: ignore[no-untyped-def]
    path = tmp_path / "don-vi.xlsx"
    call_command("export-units", "--out", str(path))
    out = io.StringIO()
    call_command("import-units", str(path), "--json", stdout=out)
    summary = json.loads(out.getvalue())
    assert summary == {
        "created": 0,
        "updated": 0,
        "unchanged": Unit.objects.count(),
        "problems": [],
    }


def test_import_by_command_reports_bad_rows_and_fails(org: Org, tmp_path):  # type: ignore[no-untyped-def]
    path = tmp_path / "don-vi.csv"
    path.write_text(
        "Mã đơn vị,Tên đầy đủ,Loại,Mã đơn vị cấp trên\nKHH-A,,department,KHH\n", encoding="utf-8"
    )
    err = io.StringIO()
    with pytest.raises(CommandError, match="1"):
        call_command("import-units", str(path), stderr=err)
    assert "Dòng 2" in err.getvalue()
    assert not Unit.objects.filter(code="KHH-A").exists()


def test_import_of_a_missing_file_fails_clearly(db, tmp_path):  # type: ignore[no-untyped-def]
    with pytest.raises(CommandError, match="không tồn tại"):
        call_command("import-units", str(tmp_path / "khong-co.csv"))


def test_export_of_an_unknown_root_fails_clearly(db):  # type: ignore[no-untyped-def]
    with pytest.raises(CommandError, match="XYZ"):
        call_command("export-units", "--root", "XYZ")


def test_seed_demo_loads_the_frameworks_and_the_published_2022_results(db):  # type: ignore[no-untyped-def]
    from dtis.frameworks.models import Framework, PublishedResult

    call_command("seed-demo", "--json", stdout=io.StringIO())
    assert set(Framework.objects.values_list("code", flat=True)) == {
        "vn-province-2025",
        "vn-province-2022",
        "hy-department-2023",
    }
    assert PublishedResult.objects.filter(year=2022).count() == 5
