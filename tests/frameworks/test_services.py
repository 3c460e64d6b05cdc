"""Storing, versioning, editing and comparing frameworks."""

from __future__ import annotations

import copy
from decimal import Decimal as D

import pytest
from django.utils import translation

from dtis.frameworks import files
from dtis.frameworks.models import Crosswalk, Framework, Status
from dtis.frameworks.services import (
    FrameworkLocked,
    compare,
    find,
    framework_dict,
    framework_import,
    framework_new_version,
    framework_set_status,
    indicator_update,
)
from dtis.scoring.rules import RuleError
from dtis.scoring.serialize import FrameworkError


def hung_yen() -> dict:  # type: ignore[type-arg]
    with open(files.DATA_DIR / "hy-department-2023.yaml", "rb") as fh:
        return files.read(fh, "hy-department-2023.yaml")


def test_a_framework_file_round_trips_through_the_database(db):  # type: ignore[no-untyped-def]
    outcome = framework_import(hung_yen(), actor=None)
    again = framework_import(framework_dict(outcome.framework), actor=None)
    assert again.action == "unchanged"


def test_a_bad_file_is_refused_whole_with_every_problem(db):  # type: ignore[no-untyped-def]
    data = hung_yen()
    data["level"] = "village"
    data["indicators"][0]["max_points"] = 130  # children still add up to 120
    data["indicators"][1]["children"][0]["rule"] = {"kind": "ratio", "numerator": "a"}
    with pytest.raises(FrameworkError) as err:
        framework_import(data, actor=None)
    with translation.override("en"):
        messages = " | ".join(f"{p.code}: {p.message}" for p in err.value.problems)
    assert "level" in messages
    assert "1: max points 130" in messages
    assert "2.1:" in messages
    assert not Framework.objects.exists()


def test_a_framework_in_force_cannot_be_overwritten_by_an_import(db):  # type: ignore[no-untyped-def]
    data = hung_yen()
    framework_import(data, actor=None)
    changed = copy.deepcopy(data)
    changed["indicators"][0]["name"] = "Nhận thức số (sửa)"
    with pytest.raises(FrameworkError):
        framework_import(changed, actor=None)
    assert find("hy-department-2023").indicators.get(code="1").name == "Nhận thức số"  # type: ignore[union-attr]


def test_a_new_version_is_a_draft_copy_linked_to_its_source(builtin):  # type: ignore[no-untyped-def]
    v1 = find("vn-province-2025")
    v2 = framework_new_version(v1, actor=None)  # type: ignore[arg-type]
    assert (v2.version, v2.status, v2.based_on) == (2, Status.DRAFT, v1)
    assert v2.indicators.count() == v1.indicators.count()  # type: ignore[union-attr]
    assert Crosswalk.objects.filter(source__framework=v1).count() == v1.indicators.count()  # type: ignore[union-attr]


def test_editing_a_leaf_of_a_draft_moves_its_parents_maximum(builtin):  # type: ignore[no-untyped-def]
    v2 = framework_new_version(find("vn-province-2025"), actor=None)  # type: ignore[arg-type]
    leaf = v2.indicators.get(code="1.1")
    indicator_update(
        leaf, actor=None, name=leaf.name, max_points=D(15), rule=leaf.rule, inputs=leaf.inputs
    )
    assert v2.indicators.get(code="1").max_points == 55


def test_a_framework_in_force_is_never_edited_in_place(builtin):  # type: ignore[no-untyped-def]
    leaf = find("vn-province-2025").indicators.get(code="1.1")  # type: ignore[union-attr]
    with pytest.raises(FrameworkLocked):
        indicator_update(
            leaf,
            actor=None,
            name="Đổi tên",
            max_points=leaf.max_points,
            rule=leaf.rule,
            inputs=leaf.inputs,
        )


def test_an_edit_with_a_rule_reading_an_undeclared_input_is_refused(builtin):  # type: ignore[no-untyped-def]
    v2 = framework_new_version(find("vn-province-2025"), actor=None)  # type: ignore[arg-type]
    leaf = v2.indicators.get(code="1.1")
    with pytest.raises(RuleError):
        indicator_update(
            leaf,
            actor=None,
            name=leaf.name,
            max_points=leaf.max_points,
            rule={"kind": "yes_no", "input": "khong_khai_bao"},
            inputs=leaf.inputs,
        )
    leaf.refresh_from_db()
    assert leaf.rule["input"] != "khong_khai_bao"


def test_activating_checks_the_whole_framework(builtin):  # type: ignore[no-untyped-def]
    v2 = framework_new_version(find("vn-province-2025"), actor=None)  # type: ignore[arg-type]
    v2.indicators.filter(code="1.1").update(rule=None)
    with pytest.raises(FrameworkError):
        framework_set_status(v2, Status.ACTIVE, actor=None)
    v2.refresh_from_db()
    assert v2.status == Status.DRAFT


def test_comparison_reports_renamed_reweighted_added_and_removed(builtin):  # type: ignore[no-untyped-def]
    v1 = find("vn-province-2025")
    v2 = framework_new_version(v1, actor=None)  # type: ignore[arg-type]
    leaf = v2.indicators.get(code="1.1")
    indicator_update(
        leaf,
        actor=None,
        name="Trưởng ban Ban chỉ đạo là Bí thư Tỉnh ủy",
        max_points=D(12),
        rule=leaf.rule,
        inputs=leaf.inputs,
    )
    v2.indicators.get(code="1.5").delete()
    result = compare(v1, v2)  # type: ignore[arg-type]
    by_old = {c.old.code: c.kinds for c in result.changes if c.old}
    assert set(by_old["1.1"]) >= {"renamed", "reweighted"}
    assert by_old["1.5"] == ["removed"]
    assert result.count("removed") == 1


def test_frameworks_are_found_by_code_or_code_and_version(builtin):  # type: ignore[no-untyped-def]
    v2 = framework_new_version(find("hy-department-2023"), actor=None)  # type: ignore[arg-type]
    assert find("hy-department-2023") == v2
    assert find("hy-department-2023@1").version == 1  # type: ignore[union-attr]
    assert find("hy-department-2023@x") is None
    assert find("khong-co") is None
