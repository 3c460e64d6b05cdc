"""The built-in frameworks load, validate and have the published structure."""

from __future__ import annotations

import io
import json

from django.core.management import call_command

from dtis.frameworks.models import Framework
from dtis.frameworks.services import find, to_core


def frameworks_json() -> dict[str, dict]:  # type: ignore[type-arg]
    out = io.StringIO()
    call_command("frameworks", "list", "--json", stdout=out)
    return {f["code"]: f for f in json.loads(out.getvalue())}


def test_the_three_built_in_frameworks_have_the_published_totals_and_counts(builtin):  # type: ignore[no-untyped-def]
    listed = frameworks_json()
    counts = {
        code: (f["max_points"], f["main_indicators"], f["scored_indicators"])
        for code, f in listed.items()
    }
    assert counts == {
        "vn-province-2025": (1000, 8, 47),
        "vn-province-2022": (1000, 8, 8),
        "hy-department-2023": (1000, 6, 42),
    }
    for f in listed.values():
        assert {"code", "name", "level", "version", "status"} <= set(f)


def test_the_2025_framework_has_the_decision_405_weights(builtin):  # type: ignore[no-untyped-def]
    tree = to_core(find("vn-province-2025"))  # type: ignore[arg-type]
    weights = [int(m.max_points) for m in tree.indicators if m.max_points > 0]
    assert weights == [50, 50, 200, 100, 100, 200, 150, 150]
    assert [p.name for p in tree.pillars] == ["Chính quyền số", "Kinh tế số", "Xã hội số"]


def test_loading_again_changes_nothing(builtin):  # type: ignore[no-untyped-def]
    out = io.StringIO()
    call_command("load-frameworks", "--json", stdout=out)
    assert {item["action"] for item in json.loads(out.getvalue())} == {"unchanged"}
    assert Framework.objects.count() == 3


def test_show_prints_the_tree_in_the_contract_shape(builtin):  # type: ignore[no-untyped-def]
    out = io.StringIO()
    call_command("frameworks", "show", "hy-department-2023", "--json", stdout=out)
    data = json.loads(out.getvalue())
    first = data["indicators"][0]
    assert (first["code"], first["name"], first["max_points"]) == ("1", "Nhận thức số", 120)
    leaf = first["children"][0]
    assert set(leaf) >= {"code", "name", "max_points", "rule", "children"}
    assert leaf["rule"]["kind"]
    one_two = next(c for c in first["children"] if c["code"] == "1.2")
    assert [c["code"] for c in one_two["children"]] == ["1.2.1", "1.2.2"]


def test_every_scored_leaf_of_every_built_in_framework_has_a_rule(builtin):  # type: ignore[no-untyped-def]
    for fw in Framework.objects.all():
        tree = to_core(fw)
        assert all(leaf.rule is not None for leaf in tree.scored_leaves), fw.code


def test_the_score_command_explains_every_indicator(builtin, tmp_path):  # type: ignore[no-untyped-def]
    figures = tmp_path / "khanh-hoa-2025.json"
    figures.write_text(
        json.dumps(
            {
                "1.1": {"truong_ban_la_bi_thu_chu_tich": True},
                "3.1": {"so_thon_phu_song_di_dong": 45, "tong_so_thon": 50},
                "_not_applicable": ["9"],
            }
        ),
        encoding="utf-8",
    )
    out = io.StringIO()
    call_command("frameworks", "score", "vn-province-2025", str(figures), "--json", stdout=out)
    result = json.loads(out.getvalue())
    by_code = {r["code"]: r for r in result["indicators"]}
    assert by_code["3.1"]["points"] == 27
    assert by_code["3.1"]["explanation"] == "30 × 45 / 50 = 27.00"
    assert by_code["1.2"]["notes"] == ["missing"]
    assert by_code["9"]["applicable"] is False
    assert (result["total"], result["max_points"], result["band"]) == (37, 1000, "Yếu")


def test_the_score_command_refuses_unknown_indicator_codes(builtin, tmp_path):  # type: ignore[no-untyped-def]
    import pytest
    from django.core.management import CommandError

    figures = tmp_path / "sai.json"
    figures.write_text('{"99.9": {}}', encoding="utf-8")
    with pytest.raises(CommandError, match=r"99\.9"):
        call_command("frameworks", "score", "vn-province-2025", str(figures))
