"""Reading frameworks, cycles and periods: the shapes of the `dtis` commands'
JSON, with a number of queries that does not grow with the rows."""

from __future__ import annotations

import json
from io import StringIO

from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext

from dtis.frameworks.services import find, framework_new_version
from dtis.reporting.cycles import cycle_create
from dtis.reporting.models import PeriodState


def command_json(*args: str) -> object:
    out = StringIO()
    call_command(*args, "--json", stdout=out)
    return json.loads(out.getvalue())


def test_the_frameworks_list_has_the_fields_of_the_command(api, cycle):
    response = api.get("/api/v1/frameworks")

    assert response.status_code == 200
    assert response.json() == command_json("frameworks", "list")
    codes = {f["code"] for f in response.json()}
    assert {"hy-department-2023", "vn-province-2025"} <= codes


def test_a_framework_is_the_tree_the_command_shows(api, cycle):
    response = api.get("/api/v1/frameworks/hy-department-2023")

    assert response.status_code == 200
    body = response.json()
    expected = command_json("frameworks", "show", "hy-department-2023")
    assert body == expected
    leaf = body["indicators"][5]["children"][3]
    assert leaf["code"] == "6.4" and leaf["name"] == "Tỷ lệ hồ sơ xử lý trực tuyến"
    assert leaf["max_points"] == 30
    assert [i["name"] for i in leaf["inputs"]] == ["so_ho_so_xu_ly_truc_tuyen", "tong_so_ho_so"]


def test_an_unknown_framework_is_not_found(api, cycle):
    response = api.get("/api/v1/frameworks/vn-province-1999")

    assert response.status_code == 404
    assert "vn-province-1999" in response.json()["detail"]


def test_the_cycles_list_has_the_fields_of_the_command(api, cycle):
    [item] = api.get("/api/v1/cycles").json()

    [expected] = command_json("cycles", "list")
    assert {k: item[k] for k in expected if k != "periods"} == {
        k: v for k, v in expected.items() if k != "periods"
    }
    assert [p["kind"] for p in item["periods"]] == [p["kind"] for p in expected["periods"]]
    assert item["scope"] == "KHH" and item["framework_version"] == 1
    assert item["assessed_units"] == 2


def test_the_periods_say_which_one_is_open(api, cycle):
    response = api.get(f"/api/v1/cycles/{cycle.pk}/periods")

    assert response.status_code == 200
    periods = {p["code"]: p for p in response.json()}
    assert list(periods) == ["q1", "q2", "h1", "q3", "q4", "year"]
    assert periods["q1"]["open"] is True and periods["q1"]["state"] == PeriodState.OPEN
    assert periods["year"]["open"] is False
    assert periods["q1"]["name"] == "Quý 1 2026"


def test_the_periods_of_an_unknown_cycle_are_not_found(api, cycle):
    assert api.get(f"/api/v1/cycles/{cycle.pk + 1000}/periods").status_code == 404


def _count(api, path: str) -> int:
    api.get(path)  # the first call of the minute also records the token's last use
    with CaptureQueriesContext(connection) as queries:
        assert api.get(path).status_code == 200
    return len(queries)


def test_listing_frameworks_costs_the_same_queries_for_more_frameworks(org, api, cycle):
    before = _count(api, "/api/v1/frameworks")
    framework_new_version(find("hy-department-2023"), actor=org.admin)
    framework_new_version(find("vn-province-2025"), actor=org.admin)

    assert _count(api, "/api/v1/frameworks") == before


def test_listing_cycles_costs_the_same_queries_for_more_cycles(org, api, cycle):
    before = _count(api, "/api/v1/cycles")
    for year in (2027, 2028):
        cycle_create(
            actor=org.admin,
            framework=find("hy-department-2023"),
            year=year,
            name=f"Đánh giá chuyển đổi số các sở, ban, ngành năm {year}",
            scope=org.province,
            assessed=[(org.dept_home, "Sở, ban, ngành"), (org.dept_finance, "Sở, ban, ngành")],
        )

    assert _count(api, "/api/v1/cycles") == before
