"""Importing and checking the results the ministry published."""

from __future__ import annotations

import io
import json
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from dtis.frameworks.models import PublishedResult
from dtis.frameworks.published import published_import
from dtis.frameworks.services import find

DATA = Path(__file__).resolve().parent.parent / "data" / "dti-2022-provinces-top5.csv"


def rank_json(year: int = 2022) -> list[dict]:  # type: ignore[type-arg]
    out = io.StringIO()
    call_command(
        "results",
        "rank",
        "--framework",
        "vn-province-2022",
        "--year",
        str(year),
        "--json",
        stdout=out,
    )
    return json.loads(out.getvalue())


def test_the_published_2022_table_is_reproduced(builtin):  # type: ignore[no-untyped-def]
    call_command(
        "results",
        "import",
        str(DATA),
        "--framework",
        "vn-province-2022",
        "--year",
        "2022",
        stdout=io.StringIO(),
    )
    rows = rank_json()
    assert [(r["rank"], r["unit"]) for r in rows] == [
        (1, "TP. Đà Nẵng"),
        (2, "TP. Hồ Chí Minh"),
        (3, "Quảng Ninh"),
        (4, "Thừa Thiên - Huế"),
        (5, "TP. Cần Thơ"),
    ]
    assert not any(r["mismatch"] for r in rows)
    for r in rows:
        assert abs(r["total"] - r["published_total"]) <= 0.0001
    assert rows[0]["pillars"] == {
        "Chính quyền số": 0.8638,
        "Kinh tế số": 0.8473,
        "Xã hội số": 0.7864,
    }


def test_columns_may_be_named_by_main_indicator_name(builtin):  # type: ignore[no-untyped-def]
    fw = find("vn-province-2022")
    names = {m.code: m.name for m in fw.indicators.filter(parent__isnull=True)}  # type: ignore[union-attr]
    text = DATA.read_text(encoding="utf-8").splitlines()
    header = [names.get(h, h) for h in text[0].split(",")]
    content = "\n".join([",".join(header), *text[1:]]).encode()
    report = published_import(
        framework=fw,
        year=2022,
        upload=io.BytesIO(content),  # type: ignore[arg-type]
        filename="ket-qua.csv",
    )
    assert report.ok, report.problems
    assert report.stored == 5


def test_a_bad_row_is_named_and_nothing_is_stored(builtin):  # type: ignore[no-untyped-def]
    lines = DATA.read_text(encoding="utf-8").splitlines()
    lines[2] = lines[2].replace("0.8917", "1.8917")
    lines[4] = lines[4].replace("0.6794", "không rõ")
    err = io.StringIO()
    bad = DATA.parent / "bad.csv"
    try:
        bad.write_text("\n".join(lines), encoding="utf-8")
        with pytest.raises(CommandError):
            call_command(
                "results",
                "import",
                str(bad),
                "--framework",
                "vn-province-2022",
                "--year",
                "2022",
                stderr=err,
            )
    finally:
        bad.unlink()
    assert "Dòng 3" in err.getvalue() and "Dòng 5" in err.getvalue()
    assert not PublishedResult.objects.exists()


def test_a_missing_main_indicator_column_is_refused(builtin):  # type: ignore[no-untyped-def]
    content = "Đơn vị,1,2\nTP. Đà Nẵng,1,0.9\n".encode()
    report = published_import(
        framework=find("vn-province-2022"),
        year=2022,  # type: ignore[arg-type]
        upload=io.BytesIO(content),
        filename="x.csv",
    )
    assert not report.ok and "3" in report.problems[0].message


def test_a_year_column_that_disagrees_is_refused(builtin):  # type: ignore[no-untyped-def]
    report = published_import(
        framework=find("vn-province-2022"),
        year=2023,  # type: ignore[arg-type]
        upload=DATA.open("rb"),
        filename=DATA.name,
    )
    assert not report.ok and len(report.problems) == 5


def test_an_unknown_framework_fails_clearly(db):  # type: ignore[no-untyped-def]
    with pytest.raises(CommandError, match="khong-co"):
        call_command("results", "rank", "--framework", "khong-co", "--year", "2022")


def test_importing_again_replaces_the_years_rows(builtin):  # type: ignore[no-untyped-def]
    for _ in range(2):
        call_command(
            "results",
            "import",
            str(DATA),
            "--framework",
            "vn-province-2022",
            "--year",
            "2022",
            stdout=io.StringIO(),
        )
    assert PublishedResult.objects.count() == 5
