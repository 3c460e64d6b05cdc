"""GET /api/v1/cycles/{id}/history: who changed which figure, when, from what
to what and why, for the client's units; filtered and paginated."""

from __future__ import annotations

import datetime as dt

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from dtis.frameworks.models import Indicator
from dtis.reporting.figures import figure_save
from dtis.reporting.models import Figure
from tests.api.conftest import CLIENT_NAME, dossiers


def path(cycle) -> str:
    return f"/api/v1/cycles/{cycle.pk}/history"


def web_save(cycle, unit, code: str, values: dict, actor, reason: str = "") -> Figure:
    return figure_save(
        actor=actor,
        period=cycle.periods.get(kind="q1"),
        assessed=cycle.assessed.get(unit=unit),
        indicator=Indicator.objects.get(framework=cycle.framework, code=code),
        values=values,
        reason=reason,
    )


def test_the_history_shows_an_api_write_with_the_clients_name(api, cycle):
    api.put(f"/api/v1/cycles/{cycle.pk}/figures", dossiers(1050, 1500), "k1")

    response = api.get(path(cycle))

    assert response.status_code == 200
    [item] = response.json()["items"]
    assert item["who"] == CLIENT_NAME
    assert item["why"] == f"API: {CLIENT_NAME}"
    assert item["action"] == "created"
    assert (item["unit"], item["indicator"], item["period"]) == ("KHH-SYT", "6.4", "q1")
    assert item["before"] is None
    assert item["after"]["inputs"] == {"so_ho_so_xu_ly_truc_tuyen": 1050, "tong_so_ho_so": 1500}
    assert item["after"]["self_points"] == 26.25


def test_a_web_correction_after_the_push_shows_before_and_after(org, api, cycle, health):
    api.put(f"/api/v1/cycles/{cycle.pk}/figures", dossiers(1050, 1500), "k1")
    web_save(cycle, health, "6.4", {"so_ho_so_xu_ly_truc_tuyen": 1200, "tong_so_ho_so": 1500},
             org.admin, reason="Bổ sung hồ sơ tiếp nhận trực tiếp")  # fmt: skip

    items = api.get(path(cycle)).json()["items"]

    assert [i["who"] for i in items] == [CLIENT_NAME, "Trần Minh Quân"]
    correction = items[1]
    assert correction["action"] == "changed"
    assert correction["why"] == "Bổ sung hồ sơ tiếp nhận trực tiếp"
    assert correction["before"]["inputs"]["so_ho_so_xu_ly_truc_tuyen"] == 1050
    assert correction["after"]["inputs"]["so_ho_so_xu_ly_truc_tuyen"] == 1200
    assert correction["after"]["self_points"] == 30
    [change] = correction["changes"]
    assert change["field"] == "Số hồ sơ thủ tục hành chính xử lý trực tuyến"
    assert (change["before"], change["after"]) == ("1.050 hồ sơ", "1.200 hồ sơ")


def test_figures_of_units_outside_the_token_are_not_shown(org, api, cycle):
    web_save(cycle, org.dept_home, "6.4", {"so_ho_so_xu_ly_truc_tuyen": 10, "tong_so_ho_so": 20},
             org.reporter)  # fmt: skip

    response = api.get(path(cycle))

    assert response.json() == {"items": [], "count": 0}


def test_the_history_is_filtered_by_indicator_unit_and_time(org, api, cycle, health):
    api.put(f"/api/v1/cycles/{cycle.pk}/figures", dossiers(1050, 1500), "k1")
    web_save(cycle, health, "6.5", {}, org.admin)
    at = [i["at"] for i in api.get(path(cycle)).json()["items"]]

    only = api.get(path(cycle), indicator="6.5").json()["items"]
    assert [i["indicator"] for i in only] == ["6.5"]
    assert api.get(path(cycle), unit="KHH-SYT").json()["count"] == 2
    assert api.get(path(cycle), unit="KHH-SNV").json()["count"] == 0
    assert api.get(path(cycle), since=at[1]).json()["count"] == 1
    assert api.get(path(cycle), until=at[1]).json()["count"] == 1
    later = (timezone.now() + dt.timedelta(hours=1)).isoformat()
    assert api.get(path(cycle), since=later).json()["count"] == 0


def test_a_bad_time_filter_is_named(api, cycle):
    response = api.get(path(cycle), since="hôm qua")

    assert response.status_code == 422
    assert "since" in response.json()["errors"]


def test_the_history_is_paginated_with_a_bounded_page_size(api, cycle):
    for n, key in enumerate(["k1", "k2", "k3"]):
        api.put(f"/api/v1/cycles/{cycle.pk}/figures", dossiers(1000 + n, 1500), key)

    first = api.get(path(cycle), page_size=2).json()
    second = api.get(path(cycle), page_size=2, page=2).json()

    assert first["count"] == second["count"] == 3
    online = "so_ho_so_xu_ly_truc_tuyen"
    assert [i["after"]["inputs"][online] for i in first["items"]] == [1000, 1001]
    assert [i["after"]["inputs"][online] for i in second["items"]] == [1002]
    assert second["items"][0]["before"]["inputs"]["so_ho_so_xu_ly_truc_tuyen"] == 1001
    huge = api.get(path(cycle), page_size=100000)
    assert huge.status_code == 200 and len(huge.json()["items"]) == 3


def test_a_page_costs_the_same_queries_for_more_changes(org, api, cycle, health):
    api.put(f"/api/v1/cycles/{cycle.pk}/figures", dossiers(1000, 1500), "k0")
    api.get(path(cycle))
    with CaptureQueriesContext(connection) as few:
        api.get(path(cycle))
    for n, code in enumerate(["6.5", "6.6", "6.7", "6.8", "6.9"]):
        web_save(cycle, health, code, {}, org.admin)
        api.put(f"/api/v1/cycles/{cycle.pk}/figures", dossiers(1001 + n, 1500), f"k{n + 1}")

    with CaptureQueriesContext(connection) as many:
        response = api.get(path(cycle))

    assert response.json()["count"] == 11
    assert len(many) == len(few)


def test_the_history_of_an_unknown_cycle_is_not_found(api, cycle):
    assert api.get(f"/api/v1/cycles/{cycle.pk + 1000}/history").status_code == 404
