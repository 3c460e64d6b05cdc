"""Generated files into every import: never an uncaught error, and a refused
file leaves every table exactly as it was.

Each import is fed CSV and XLSX files with random and real column names,
cells of every type (Vietnamese text, NUL, right-to-left text, emoji,
formulas, dates, huge and negative numbers, very long strings), missing and
extra columns, and damaged or foreign files. An import may accept a file or
refuse it with its problems; it may not raise, and when it refuses, the row
count of every table is unchanged. Each example runs in its own savepoint,
rolled back after it, so examples do not see each other's data.
"""

from __future__ import annotations

import io
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

import pytest
from django.apps import apps
from django.db import transaction
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st
from openpyxl import load_workbook

from dtis.frameworks import files
from dtis.frameworks.published import (
    RANK_HEADERS,
    TOTAL_HEADERS,
    UNIT_HEADERS,
    YEAR_HEADERS,
    published_import,
)
from dtis.frameworks.services import find, framework_import
from dtis.orgs.unit_files import HEADER_ALIASES as UNIT_HEADER_ALIASES
from dtis.orgs.unit_files import units_import
from dtis.reporting import sheets
from dtis.reporting.assignment_files import HEADER_ALIASES as ASSIGNMENT_HEADER_ALIASES
from dtis.reporting.assignment_files import assignments_import
from dtis.scoring.serialize import FrameworkError
from tests.reporting.conftest import dept_cycle, frameworks, province_cycle  # noqa: F401
from tests.robustness import strategies as gen

pytestmark = pytest.mark.django_db

FUZZ = settings(
    max_examples=40,
    deadline=None,
    derandomize=True,
    suppress_health_check=[
        HealthCheck.function_scoped_fixture,  # each example rolls its own changes back
        HealthCheck.too_slow,
        HealthCheck.data_too_large,
    ],
)


def every_table() -> dict[str, int]:
    return {m._meta.db_table: m.objects.count() for m in apps.get_models() if m._meta.managed}


@contextmanager
def rolled_back() -> Iterator[Callable[[], dict[str, int]]]:
    """One example's savepoint; yields the row counts taken at its start."""
    with transaction.atomic():
        before = every_table()
        yield lambda: before
        transaction.set_rollback(True)


def unit_row() -> Any:
    """Mostly the real layout (code, name, kind, parent) with generated cells."""
    kinds = st.sampled_from(["Sở", "Xã", "Phòng", "Tỉnh", "quốc gia", "", "không rõ"])
    codes = st.one_of(st.sampled_from(["KHH-SYT", "KHH", "KHH-SNV", "VN"]), gen.short_text)
    return st.one_of(
        st.tuples(codes, gen.text, kinds, codes).map(list),
        st.lists(gen.cell, max_size=10),
    )


@FUZZ
@given(upload=gen.table_file(list(UNIT_HEADER_ALIASES), unit_row()))
def test_units_import_never_fails_and_a_refusal_changes_nothing(org, upload):
    content, name = upload
    with rolled_back() as before:
        report = units_import(actor=org.admin, upload=io.BytesIO(content), filename=name)
        event("accepted" if report.ok else "refused")
        if not report.ok:
            assert every_table() == before()
            assert all(p.message for p in report.problems)


@FUZZ
@given(upload=gen.table_file(list(ASSIGNMENT_HEADER_ALIASES)))
def test_assignments_import_never_fails_and_a_refusal_changes_nothing(org, province_cycle, upload):  # noqa: F811
    content, name = upload
    with rolled_back() as before:
        report = assignments_import(
            actor=org.admin,
            cycle=province_cycle,
            assessed=None,
            upload=io.BytesIO(content),
            filename=name,
        )
        if report.problems:
            assert every_table() == before()


@FUZZ
@given(data=st.data())
def test_published_results_import_never_fails_and_a_refusal_changes_nothing(org, frameworks, data):  # noqa: F811
    framework = find("vn-province-2025")
    assert framework is not None
    mains = list(
        framework.indicators.filter(parent__isnull=True, max_points__gt=0).values_list(
            "code", "name"
        )
    )
    known = [*UNIT_HEADERS, *YEAR_HEADERS, *TOTAL_HEADERS, *RANK_HEADERS]
    known += [code for code, _name in mains] + [name for _code, name in mains]
    index = st.one_of(st.floats(0, 1), gen.cell)
    row = st.lists(index, max_size=len(known))
    content, name = data.draw(gen.table_file(known, row))
    with rolled_back() as before:
        report = published_import(
            framework=framework, year=2025, upload=io.BytesIO(content), filename=name
        )
        if report.problems:
            assert every_table() == before()


def framework_document() -> Any:
    """A framework file's content: the real keys with generated values."""
    node = st.fixed_dictionaries(
        {"code": gen.cell, "name": gen.cell},
        optional={"max_points": gen.cell, "rule": gen.cell, "inputs": gen.cell},
    )
    return st.fixed_dictionaries(
        {"code": gen.cell, "name": gen.cell, "level": st.sampled_from(["province", "x", ""])},
        optional={
            "version": gen.cell,
            "status": gen.cell,
            "indicators": st.lists(node, max_size=4),
            "legal_basis": st.dictionaries(gen.short_text, gen.cell, max_size=3),
            "bands": gen.cell,
            "year_from": gen.cell,
        },
    )


@FUZZ
@given(data=st.data())
def test_framework_files_never_fail_and_a_refusal_changes_nothing(org, data):
    import json

    import yaml

    kind = data.draw(st.sampled_from(["json", "yaml", "xlsx", "noise"]))
    if kind in ("json", "yaml"):
        document = data.draw(framework_document())
        text = (
            json.dumps(document, default=str, ensure_ascii=False)
            if kind == "json"
            else yaml.safe_dump(json.loads(json.dumps(document, default=str)), allow_unicode=True)
        )
        content, name = text.encode("utf-8"), f"bo-chi-so.{kind}"
    elif kind == "xlsx":
        content, name = data.draw(gen.table_file(["Mã", "Tên", "Điểm tối đa", "Quy tắc"]))
        name = "bo-chi-so.xlsx"
    else:
        content, name = data.draw(st.binary(max_size=600)), "bo-chi-so.yaml"
    with rolled_back() as before:
        try:
            document = files.read(io.BytesIO(content), name)
        except ValueError:  # FileFormatError: what the import page catches around the read
            assert every_table() == before()
            return
        try:
            framework_import(document, actor=org.superuser)
        except FrameworkError:  # and around the import: every problem listed
            assert every_table() == before()


@pytest.fixture
def download(dept_cycle, org):  # noqa: F811
    """Sở Nội vụ's first-quarter workbook as its reporter downloaded it."""
    period = dept_cycle.periods.get(kind="q1")
    assessed = dept_cycle.assessed.get(unit=org.dept_home)
    return period, assessed, sheets.workbook_for(period, assessed, org.reporter)


@FUZZ
@given(data=st.data())
def test_figures_workbook_import_never_fails_and_a_refusal_changes_nothing(org, download, data):
    """The real downloaded form, its value and note cells typed over with
    generated values (some rows deleted or added), or damaged as a whole."""
    period, assessed, content = download
    workbook = load_workbook(io.BytesIO(content))
    sheet = workbook[sheets.SHEET_DATA]
    last = sheet.max_row
    for _ in range(data.draw(st.integers(0, 12))):
        row = data.draw(st.integers(1, last + 3))
        column = data.draw(st.sampled_from([sheets.COL_VALUE, sheets.COL_NOTE, sheets.COL_CODE]))
        value = data.draw(
            st.one_of(st.integers(0, 5000), st.sampled_from(["Có", "Không"]), gen.cell)
        )
        sheet.cell(row=row, column=column).value = gen._xlsx_value(value)
    if data.draw(st.booleans()):
        sheet.delete_rows(data.draw(st.integers(1, last)), data.draw(st.integers(1, 3)))
    out = io.BytesIO()
    workbook.save(out)
    upload = out.getvalue()
    if data.draw(st.integers(0, 9)) == 0:  # one in ten: cut short on the way
        upload = upload[: int(data.draw(st.floats(0, 1)) * len(upload))]
    with rolled_back() as before:
        report = sheets.workbook_import(
            actor=org.reporter,
            period=period,
            assessed=assessed,
            upload=io.BytesIO(upload),
            filename="so-lieu-quy-1.xlsx",
        )
        event(f"saved {len(report.changed)}" if not report.errors else "refused")
        if report.errors:
            assert every_table() == before()


# --- regressions the generator found ---------------------------------------------------


def workbook_with_broken_sheet() -> bytes:
    """A real workbook whose sheet XML is cut off: the zip is sound, so only
    reading the rows discovers the damage."""
    import zipfile

    source = zipfile.ZipFile(io.BytesIO(gen.xlsx([["Mã đơn vị", "Tên đầy đủ", "Loại"]])))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as target:
        for item in source.infolist():
            data = source.read(item.filename)
            if item.filename.startswith("xl/worksheets/"):
                data = data[: len(data) // 2]
            target.writestr(item, data)
    return out.getvalue()


def test_a_workbook_damaged_inside_is_refused_with_a_message(org):
    before = every_table()

    report = units_import(
        actor=org.admin, upload=io.BytesIO(workbook_with_broken_sheet()), filename="don-vi.xlsx"
    )

    assert [p.row for p in report.problems] == [0]
    assert "Excel" in report.problems[0].message
    assert every_table() == before


def test_a_framework_file_shaped_wrongly_is_refused_with_a_problem(org):
    document = {
        "code": "khh-thu-nghiem",
        "name": "Bộ chỉ số thử nghiệm của tỉnh Khánh Hòa",
        "level": "province",
        "bands": 1,  # a list of {name, min_percent} belongs here
        "indicators": [{"code": "1", "name": "Nhận thức số", "max_points": 10}],
    }
    before = every_table()

    with pytest.raises(FrameworkError) as refused:
        framework_import(document, actor=org.superuser)

    assert "bands" in str(refused.value) or "TypeError" in str(refused.value)
    assert every_table() == before
