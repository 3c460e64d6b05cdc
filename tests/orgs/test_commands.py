"""The unit commands: export and import of units."""

from __future__ import annotations

import io
import json

import pytest
from django.core.management import CommandError, call_command

from dtis.orgs.models import Unit
from tests.factories import Org


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
