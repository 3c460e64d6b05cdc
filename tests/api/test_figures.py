"""PUT /api/v1/cycles/{id}/figures: one figure, once per idempotency key,
through the same service as the web form; nothing stored on any error."""

from __future__ import annotations

from dtis.api.clients import client_create
from dtis.api.models import IdempotencyRecord
from dtis.reporting.entry import history_of
from dtis.reporting.models import Assignment, Evidence, EvidenceKind, Figure, PeriodState
from dtis.reporting.workflow import submission_submit
from tests.api.conftest import CLIENT_NAME, ApiCaller, dossiers

HistoricalFigure = Figure.history.model


def url(cycle) -> str:
    return f"/api/v1/cycles/{cycle.pk}/figures"


def assert_nothing_stored() -> None:
    assert Figure.objects.count() == 0
    assert HistoricalFigure.objects.count() == 0
    assert Evidence.objects.count() == 0
    assert IdempotencyRecord.objects.count() == 0


def test_it_stores_the_figure_with_its_self_score_and_explanation(api, cycle):
    body = dossiers(1050, 1500, note="Số liệu quý I từ hệ thống một cửa")

    response = api.put(url(cycle), body, "k1")

    assert response.status_code == 200, response.content
    body = response.json()
    assert body["unit"] == "KHH-SYT" and body["indicator"] == "6.4" and body["period"] == "q1"
    assert body["inputs"] == {"so_ho_so_xu_ly_truc_tuyen": 1050, "tong_so_ho_so": 1500}
    assert body["self_points"] == 26.25  # 30 × 70 % / 80 %
    assert body["max_points"] == 30
    assert "26.25" in body["explanation"]
    assert body["updated_by"] == CLIENT_NAME
    figure = Figure.objects.get()
    assert figure.self_points is not None and str(figure.self_points) == "26.25"
    assert figure.note == "Số liệu quý I từ hệ thống một cửa"


def test_the_same_key_and_body_twice_make_one_change_and_the_same_answer(api, cycle):
    first = api.put(url(cycle), dossiers(1050, 1500), "tthc-2026-q1-syt-6.4")
    again = api.put(url(cycle), dossiers(1050, 1500), "tthc-2026-q1-syt-6.4")

    assert first.status_code == again.status_code == 200
    assert again.json() == first.json()
    assert again.headers["Idempotent-Replayed"] == "true"
    assert "Idempotent-Replayed" not in first.headers
    assert HistoricalFigure.objects.count() == 1
    assert Figure.objects.get().version == 1


def test_the_same_key_with_another_body_is_refused_and_changes_nothing(api, cycle):
    api.put(url(cycle), dossiers(1050, 1500), "k-reused")

    response = api.put(url(cycle), dossiers(1400, 1500), "k-reused")

    assert response.status_code == 422
    assert "Idempotency-Key" in response.json()["errors"]
    assert Figure.objects.get().values["so_ho_so_xu_ly_truc_tuyen"] == 1050
    assert HistoricalFigure.objects.count() == 1


def test_a_write_without_an_idempotency_key_is_refused(api, cycle):
    response = api.put(url(cycle), dossiers(1050, 1500), None)

    assert response.status_code == 422
    assert "Idempotency-Key" in response.json()["errors"]
    assert_nothing_stored()


def test_a_new_key_with_unchanged_figures_leaves_no_second_history_entry(api, cycle):
    api.put(url(cycle), dossiers(1050, 1500), "night-1")
    response = api.put(url(cycle), dossiers(1050, 1500), "night-2")

    assert response.status_code == 200
    assert HistoricalFigure.objects.count() == 1


def test_a_changed_figure_is_a_second_change(api, cycle):
    api.put(url(cycle), dossiers(1050, 1500), "k1")
    response = api.put(url(cycle), dossiers(1260, 1500), "k2")

    assert response.json()["self_points"] == 30  # 84 % reaches the 80 % target
    assert response.json()["version"] == 2
    assert HistoricalFigure.objects.count() == 2


def test_a_push_outside_the_token_is_in_the_security_log_under_the_system(api, cycle):
    from dtis.orgs.models import SecurityEvent, SecurityEventKind

    api.put(url(cycle), dossiers(1050, 1500, unit="KHH-SNV"), "k1")

    event = SecurityEvent.objects.get(kind=SecurityEventKind.PERMISSION_DENIED)
    assert event.user is not None and event.user.username.startswith("api-")
    assert event.path == url(cycle)


def test_a_unit_outside_the_token_is_forbidden_and_nothing_is_stored(api, cycle):
    response = api.put(url(cycle), dossiers(1050, 1500, unit="KHH-SNV"), "k1")

    assert response.status_code == 403
    assert "Sở Nội vụ tỉnh Khánh Hòa" in response.json()["detail"]
    assert_nothing_stored()


def test_an_indicator_outside_the_token_is_forbidden(org, health, cycle, client):
    only_satisfaction = client_create(
        actor=org.admin,
        name="Hệ thống đo lường sự hài lòng",
        units=[health],
        indicator_codes=["6.5"],
    )
    api = ApiCaller(only_satisfaction.token, client)

    response = api.put(url(cycle), dossiers(1050, 1500), "k1")

    assert response.status_code == 403
    assert "6.4" in response.json()["detail"]
    assert_nothing_stored()


def test_a_closed_period_is_a_conflict_and_nothing_is_stored(api, cycle):
    cycle.periods.filter(kind="q1").update(state=PeriodState.CLOSED)

    response = api.put(url(cycle), dossiers(1050, 1500), "k1")

    assert response.status_code == 409
    assert response.json()["detail"]
    assert_nothing_stored()


def test_a_submitted_report_is_a_conflict(org, api, cycle, health):
    period = cycle.periods.get(kind="q1")
    assessed = cycle.assessed.get(unit=health)
    submission_submit(actor=None, period=period, assessed=assessed, override_reason="Đủ hồ sơ")

    response = api.put(url(cycle), dossiers(1050, 1500), "k1")

    assert response.status_code == 409
    assert Figure.objects.count() == 0


def test_bad_inputs_get_a_message_per_field_and_nothing_is_stored(api, cycle):
    body = dossiers(1050, 1500)
    body["inputs"] = {"so_ho_so_xu_ly_truc_tuyen": "nhiều", "tong_so_ho_so": -5, "so_ho_so": 3}

    response = api.put(url(cycle), body, "k1")

    assert response.status_code == 422
    errors = response.json()["errors"]
    assert set(errors) == {"inputs.so_ho_so"}  # an unknown name is reported first
    body["inputs"].pop("so_ho_so")
    errors = api.put(url(cycle), body, "k1").json()["errors"]
    assert set(errors) == {"inputs.so_ho_so_xu_ly_truc_tuyen", "inputs.tong_so_ho_so"}
    assert "nhiều" in errors["inputs.so_ho_so_xu_ly_truc_tuyen"][0]
    assert_nothing_stored()


def test_a_body_of_the_wrong_shape_is_named_field_by_field(api, cycle):
    response = api.put(url(cycle), {"period": "q1", "inputs": []}, "k1")

    assert response.status_code == 422
    errors = response.json()["errors"]
    assert {"unit", "indicator", "inputs"} <= set(errors)
    assert_nothing_stored()


def test_an_unknown_period_unit_or_indicator_is_named(api, cycle):
    response = api.put(url(cycle), dossiers(1, 2, period="q7", unit="KHH-SXD"), "k1")

    assert response.status_code == 422
    assert set(response.json()["errors"]) == {"period", "unit"}
    response = api.put(url(cycle), dossiers(1, 2, indicator="99.9"), "k1")
    assert set(response.json()["errors"]) == {"indicator"}
    assert_nothing_stored()


def test_an_unknown_cycle_is_not_found(api, cycle):
    response = api.put(f"/api/v1/cycles/{cycle.pk + 1000}/figures", dossiers(1, 2), "k1")

    assert response.status_code == 404
    assert_nothing_stored()


def test_a_stale_version_is_a_conflict(api, cycle):
    api.put(url(cycle), dossiers(1050, 1500), "k1")
    api.put(url(cycle), dossiers(1100, 1500), "k2")

    response = api.put(url(cycle), dossiers(1200, 1500, version=1), "k3")

    assert response.status_code == 409
    assert CLIENT_NAME in response.json()["detail"]
    assert Figure.objects.get().values["so_ho_so_xu_ly_truc_tuyen"] == 1100


def test_evidence_links_are_added_once_as_link_evidence(api, cycle):
    link = "https://dichvucong.khanhhoa.gov.vn/thong-ke/2026-q1"
    api.put(url(cycle), dossiers(1050, 1500, evidence_links=[link]), "k1")
    response = api.put(url(cycle), dossiers(1100, 1500, evidence_links=[link]), "k2")

    assert response.json()["evidence_links"] == [link]
    evidence = Evidence.objects.get()
    assert evidence.kind == EvidenceKind.LINK and evidence.url == link
    assert evidence.added_by.full_name == CLIENT_NAME


def test_a_bad_evidence_link_stores_neither_the_link_nor_the_figure(api, cycle):
    body = dossiers(1050, 1500, evidence_links=["https://dichvucong.khanhhoa.gov.vn", "ftp://x"])

    response = api.put(url(cycle), body, "k1")

    assert response.status_code == 422
    assert set(response.json()["errors"]) == {"evidence_links.1"}
    assert_nothing_stored()


def test_the_web_history_names_the_client_and_the_reason(api, cycle):
    api.put(url(cycle), dossiers(1050, 1500), "k1")

    figure = Figure.objects.select_related("indicator").get()
    records = list(figure.history.order_by("history_date").select_related("history_user"))
    [change] = history_of(figure.indicator, records)

    assert change.who == CLIENT_NAME
    assert change.reason == f"API: {CLIENT_NAME}"
    assert change.created


def test_messages_are_in_vietnamese_by_default(api, cycle):
    cycle.periods.filter(kind="q1").update(state=PeriodState.CLOSED)
    body = dossiers(1050, 1500)

    closed = api.put(url(cycle), body, "k1").json()["detail"]
    cycle.periods.filter(kind="q1").update(state=PeriodState.OPEN)
    body["inputs"]["tong_so_ho_so"] = -5
    negative = api.put(url(cycle), body, "k1").json()["errors"]["inputs.tong_so_ho_so"]

    assert closed.startswith("Kỳ báo cáo này đã đóng")
    assert negative == ["không được là số âm"]


def test_a_nul_character_is_a_bad_value_not_a_database_error(api, cycle):
    response = api.put(url(cycle), dossiers(1050, 1500, unit="KHH\x00SYT", note="quý\x00I"), "k1")

    assert response.status_code == 422
    assert set(response.json()["errors"]) == {"unit", "note"}
    assert api.get(f"/api/v1/cycles/{cycle.pk}/history", unit="\x00").status_code == 422
    assert_nothing_stored()


def test_a_lead_unit_in_scope_writes_the_figure_of_the_unit_it_leads_for(api, cycle, health):
    # Sở Y tế collects the online-dossier figure for Sở Nội vụ too (it leads that indicator).
    Assignment.objects.filter(
        assessed__cycle=cycle, assessed__unit__code="KHH-SNV", indicator__code="6.4"
    ).update(owner=health)

    response = api.put(url(cycle), dossiers(300, 400, unit="KHH-SNV"), "k1")

    assert response.status_code == 200
    history = api.get(f"/api/v1/cycles/{cycle.pk}/history", unit="KHH-SNV").json()
    assert [i["indicator"] for i in history["items"]] == ["6.4"]
    other = api.put(url(cycle), dossiers(1, 2, unit="KHH-SNV", indicator="6.5"), "k2")
    assert other.status_code == 403


def test_a_push_reads_each_row_once(api, cycle, django_assert_max_num_queries):
    """The token, the key, the period with its cycle, the assignment with its unit
    and indicator, the token's units, the report's state, the figure (locked) are
    each read once; then the figure, its history entry and the answer are written."""
    api.get("/api/v1/cycles")  # the token's first use is recorded once
    with django_assert_max_num_queries(14):  # creating: a savepoint around the insert
        assert api.put(url(cycle), dossiers(1000, 1500), "k1").status_code == 200
    with django_assert_max_num_queries(13):  # changing: the figure's links are read
        assert api.put(url(cycle), dossiers(1050, 1500), "k2").status_code == 200
    with django_assert_max_num_queries(2):  # a replay: the token and the key
        assert api.put(url(cycle), dossiers(1050, 1500), "k2").status_code == 200
