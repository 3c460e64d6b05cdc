"""Entering figures through the entry page: each kind of input, the live
self-score, concurrent saves, locking after submission, history and copying
last period's figures."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal as D
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone

from dtis.orgs.models import Role
from dtis.reporting.figures import figure_save
from dtis.reporting.models import Cycle, Figure, Period, PeriodState
from dtis.reporting.workflow import submission_submit
from tests.factories import Org, make_user
from tests.reporting.test_entry import (
    Finding,
    entry_url,
    fake_precheck,
    home_of,
    indicator,
    q1,
    save,
)


@pytest.fixture
def findings(monkeypatch: pytest.MonkeyPatch) -> list[Finding]:
    return fake_precheck(monkeypatch)


def post_figure(
    client: Client, cycle: Cycle, code: str, data: dict[str, Any], period: Period | None = None
):  # type: ignore[no-untyped-def]
    url = entry_url(period or q1(cycle), home_of(cycle), f"chi-so/{code}/luu/")
    return client.post(url, data)


def figure(cycle: Cycle, code: str, period: Period | None = None) -> Figure:
    return Figure.objects.get(
        period=period or q1(cycle), assessed=home_of(cycle), indicator__code=code
    )


@pytest.fixture
def reporter(client: Client, org: Org) -> Client:
    client.force_login(org.reporter)
    return client


# --- each kind of input -----------------------------------------------------------------


def test_a_yes_answer_earns_the_full_points(reporter: Client, dept_cycle: Cycle):
    response = post_figure(
        reporter,
        dept_cycle,
        "1.3",
        {"in_co_van_ban_chi_dao_do_thu_truong_ky": "yes", "version": "0"},
    )
    assert response.status_code == 302
    assert response["Location"].endswith("#ind-1.3")
    saved = figure(dept_cycle, "1.3")
    assert saved.values == {"co_van_ban_chi_dao_do_thu_truong_ky": True}
    assert saved.self_points == D("30.00")


def test_a_no_answer_earns_nothing(reporter: Client, dept_cycle: Cycle):
    post_figure(reporter, dept_cycle, "1.3", {"in_co_van_ban_chi_dao_do_thu_truong_ky": "no"})
    assert figure(dept_cycle, "1.3").self_points == D("0.00")


def test_a_level_chosen_from_the_list_earns_its_share(reporter: Client, dept_cycle: Cycle):
    post_figure(reporter, dept_cycle, "1.1", {"in_truong_ban_chi_dao": "cap_pho"})
    assert figure(dept_cycle, "1.1").self_points == D("7.50")  # half of 15


def test_a_level_not_in_the_list_is_refused_beside_the_field(reporter: Client, dept_cycle: Cycle):
    response = post_figure(reporter, dept_cycle, "1.1", {"in_truong_ban_chi_dao": "pho_chu_tich"})
    assert response.status_code == 200
    assert 'class="field has-error"' in response.content.decode()
    assert not Figure.objects.exists()


def test_a_ratio_reads_thousands_dots(reporter: Client, dept_cycle: Cycle):
    response = post_figure(
        reporter,
        dept_cycle,
        "6.6",
        {"in_so_van_ban_di_ky_so": "1.250", "in_tong_so_van_ban_di": "2.500"},
    )
    assert response.status_code == 302
    saved = figure(dept_cycle, "6.6")
    assert saved.values == {"so_van_ban_di_ky_so": 1250, "tong_so_van_ban_di": 2500}
    assert saved.self_points == D("10.00")  # 20 × 1250 / 2500


def test_a_ratio_with_a_target_gives_full_points_from_the_target(
    reporter: Client, dept_cycle: Cycle
):
    post_figure(
        reporter,
        dept_cycle,
        "6.4",
        {"in_so_ho_so_xu_ly_truc_tuyen": "1.250", "in_tong_so_ho_so": "2.500"},
    )
    assert figure(dept_cycle, "6.4").self_points == D("18.75")  # 30 × 0,5 / 0,8


def test_amounts_accept_a_decimal_comma(reporter: Client, dept_cycle: Cycle):
    response = post_figure(
        reporter,
        dept_cycle,
        "5.10",
        {
            "in_chi_dau_tu_attt": "12,5",
            "in_chi_thuong_xuyen_attt": "37,5",
            "in_tong_chi_cds": "1.000",
        },
    )
    assert response.status_code == 302
    saved = figure(dept_cycle, "5.10")
    assert saved.values == {
        "chi_dau_tu_attt": "12.5",
        "chi_thuong_xuyen_attt": "37.5",
        "tong_chi_cds": "1000",
    }
    assert saved.self_points == D("5.00")  # 10 × min(1, 50 / 1000 / 0,1)


def test_a_count_earns_the_points_of_its_step(reporter: Client, dept_cycle: Cycle):
    post_figure(reporter, dept_cycle, "1.2.2", {"in_so_cuoc_hop_cds_chu_tri": "3"})
    assert figure(dept_cycle, "1.2.2").self_points == D("22.50")


def test_a_count_must_be_a_whole_number(reporter: Client, dept_cycle: Cycle):
    response = post_figure(reporter, dept_cycle, "1.2.2", {"in_so_cuoc_hop_cds_chu_tri": "2,5"})
    page = response.content.decode()
    assert response.status_code == 200
    assert 'id="f' in page and 'class="field has-error"' in page
    assert 'value="2,5"' in page  # what was typed stays in the field
    assert not Figure.objects.exists()


def test_text_that_is_not_a_number_is_refused(reporter: Client, dept_cycle: Cycle):
    response = post_figure(reporter, dept_cycle, "1.4", {"in_so_tin_bai_cds": "hai mươi"})
    assert response.status_code == 200
    assert "hai mươi" in response.content.decode()
    assert not Figure.objects.exists()


def test_an_indicator_may_be_marked_not_applicable(reporter: Client, dept_cycle: Cycle):
    post_figure(
        reporter,
        dept_cycle,
        "6.2",
        {"not_applicable": "on", "note": "Sở không có thủ tục hành chính công bố riêng"},
    )
    saved = figure(dept_cycle, "6.2")
    assert saved.not_applicable and saved.self_points is None


def test_amounts_are_shown_back_with_thousands_dots(reporter: Client, org: Org, dept_cycle: Cycle):
    save(dept_cycle, "5.10", {"chi_dau_tu_attt": "1250000", "chi_thuong_xuyen_attt": "12.5",
                              "tong_chi_cds": "25000000"}, org.reporter)  # fmt: skip
    page = reporter.get(entry_url(q1(dept_cycle), home_of(dept_cycle))).content.decode()
    assert 'value="1.250.000"' in page
    assert 'value="12,5"' in page


def test_saving_the_shown_amounts_again_changes_nothing(
    reporter: Client, org: Org, dept_cycle: Cycle
):
    saved = save(dept_cycle, "5.10", {"chi_dau_tu_attt": "1250", "chi_thuong_xuyen_attt": "0",
                                      "tong_chi_cds": "25000"}, org.reporter)  # fmt: skip
    post_figure(
        reporter,
        dept_cycle,
        "5.10",
        {"in_chi_dau_tu_attt": "1.250", "in_chi_thuong_xuyen_attt": "0",
         "in_tong_chi_cds": "25.000", "version": str(saved.version)},
    )  # fmt: skip
    assert figure(dept_cycle, "5.10").values == saved.values


# --- the live self-score ----------------------------------------------------------------


def test_the_preview_scores_what_is_typed_without_saving(reporter: Client, dept_cycle: Cycle):
    url = entry_url(q1(dept_cycle), home_of(dept_cycle), "chi-so/1.4/tinh-diem/")
    response = reporter.post(url, {"in_so_tin_bai_cds": "20"}, HTTP_HX_REQUEST="true")
    fragment = response.content.decode()
    assert response.status_code == 200
    assert "<html" not in fragment
    assert "24 / 30" in fragment  # 30 × 20 / 25
    assert not Figure.objects.exists()


def test_the_preview_names_a_bad_input(reporter: Client, dept_cycle: Cycle):
    url = entry_url(q1(dept_cycle), home_of(dept_cycle), "chi-so/1.4/tinh-diem/")
    fragment = reporter.post(url, {"in_so_tin_bai_cds": "-3"}).content.decode()
    assert 'class="error' in fragment
    assert "Số tin, bài" in fragment


def test_the_preview_of_a_not_applicable_indicator_gives_no_points(
    reporter: Client, dept_cycle: Cycle
):
    url = entry_url(q1(dept_cycle), home_of(dept_cycle), "chi-so/1.4/tinh-diem/")
    fragment = reporter.post(url, {"not_applicable": "on"}).content.decode()
    assert "/ 30" not in fragment


# --- two people on the same indicator ----------------------------------------------------


def test_a_stale_save_names_the_other_person_and_keeps_their_values(
    client: Client, org: Org, dept_cycle: Cycle
):
    first = save(dept_cycle, "1.4", {"so_tin_bai_cds": 10}, org.reporter)
    colleague = make_user("tran.van.long", "Trần Văn Long", Role.REPORTER, org.dept_home)
    save(dept_cycle, "1.4", {"so_tin_bai_cds": 18}, colleague, version=first.version)

    client.force_login(org.reporter)
    response = post_figure(
        client, dept_cycle, "1.4", {"in_so_tin_bai_cds": "12", "version": str(first.version)}
    )
    page = response.content.decode()
    assert response.status_code == 409
    assert "Trần Văn Long" in page
    assert "18 tin, bài" in page  # what the colleague saved
    assert 'value="12"' in page  # what this person typed, kept in the form
    assert figure(dept_cycle, "1.4").values == {"so_tin_bai_cds": 18}


def test_saving_again_after_seeing_the_other_persons_values_replaces_them(
    client: Client, org: Org, dept_cycle: Cycle
):
    first = save(dept_cycle, "1.4", {"so_tin_bai_cds": 10}, org.reporter)
    current = save(dept_cycle, "1.4", {"so_tin_bai_cds": 18}, org.reporter, version=first.version)
    client.force_login(org.reporter)
    page = post_figure(
        client, dept_cycle, "1.4", {"in_so_tin_bai_cds": "12", "version": str(first.version)}
    ).content.decode()
    assert f'name="version" value="{current.version}"' in page
    post_figure(
        client, dept_cycle, "1.4", {"in_so_tin_bai_cds": "12", "version": str(current.version)}
    )
    assert figure(dept_cycle, "1.4").values == {"so_tin_bai_cds": 12}


# --- when figures cannot change -----------------------------------------------------------


def test_figures_cannot_be_changed_after_submission(
    client: Client, org: Org, dept_cycle: Cycle, findings: list[Finding]
):
    saved = save(dept_cycle, "1.4", {"so_tin_bai_cds": 10}, org.reporter)
    submission_submit(actor=org.head, period=q1(dept_cycle), assessed=home_of(dept_cycle))
    client.force_login(org.reporter)
    page = client.get(entry_url(q1(dept_cycle), home_of(dept_cycle))).content.decode()
    assert "/chi-so/1.4/luu/" not in page
    assert 'class="notice' in page
    response = post_figure(
        client, dept_cycle, "1.4", {"in_so_tin_bai_cds": "25", "version": str(saved.version)}
    )
    assert response.status_code == 200
    assert 'class="alert error"' in response.content.decode()
    assert figure(dept_cycle, "1.4").values == {"so_tin_bai_cds": 10}


def test_figures_cannot_be_changed_in_a_closed_period(reporter: Client, dept_cycle: Cycle):
    period = q1(dept_cycle)
    period.state = PeriodState.CLOSED
    period.save()
    post_figure(reporter, dept_cycle, "1.4", {"in_so_tin_bai_cds": "25"})
    assert not Figure.objects.exists()


# --- history --------------------------------------------------------------------------------


def test_the_history_shows_who_changed_what_from_what_to_what(
    reporter: Client, org: Org, dept_cycle: Cycle
):
    first = save(
        dept_cycle, "6.6", {"so_van_ban_di_ky_so": 900, "tong_so_van_ban_di": 1200}, org.reporter
    )
    post_figure(
        reporter,
        dept_cycle,
        "6.6",
        {"in_so_van_ban_di_ky_so": "1.150", "in_tong_so_van_ban_di": "1.200",
         "reason": "Cập nhật số liệu hệ thống quản lý văn bản", "version": str(first.version)},
    )  # fmt: skip
    page = reporter.get(entry_url(q1(dept_cycle), home_of(dept_cycle))).content.decode()
    block = page[page.index('id="ind-6.6"') :]
    block = block[: block.index("</article>")]
    assert 'class="history"' in block
    assert "Huỳnh Thị Kim Oanh" in block
    assert "Cập nhật số liệu hệ thống quản lý văn bản" in block
    assert ">900 văn bản<" in block and ">1.150 văn bản<" in block
    assert figure(dept_cycle, "6.6").history.count() == 2


# --- copying last period's figures ----------------------------------------------------------


@pytest.fixture
def second_quarter(dept_cycle: Cycle) -> Period:
    """Q1 closed, Q2 open with its deadline ahead."""
    q2 = dept_cycle.periods.get(kind="q2")
    q2.state = PeriodState.OPEN
    q2.unit_deadline = timezone.localdate() + dt.timedelta(days=10)
    q2.save()
    return q2


def _close_q1(cycle: Cycle) -> None:
    period = q1(cycle)
    period.state = PeriodState.CLOSED
    period.save()


def test_one_indicator_is_copied_from_the_previous_quarter(
    reporter: Client, org: Org, dept_cycle: Cycle, second_quarter: Period
):
    save(dept_cycle, "6.6", {"so_van_ban_di_ky_so": 900, "tong_so_van_ban_di": 1200}, org.reporter)
    _close_q1(dept_cycle)
    url = entry_url(second_quarter, home_of(dept_cycle), "chi-so/6.6/chep-ky-truoc/")
    response = reporter.post(url, {"version": "0"})
    assert response.status_code == 302
    copied = figure(dept_cycle, "6.6", second_quarter)
    assert copied.values == {"so_van_ban_di_ky_so": 900, "tong_so_van_ban_di": 1200}
    assert copied.self_points == D("15.00")
    assert copied.history.get().history_change_reason


def test_a_copied_indicator_says_it_is_unchanged_since_the_previous_quarter(
    reporter: Client, org: Org, dept_cycle: Cycle, second_quarter: Period
):
    save(dept_cycle, "6.6", {"so_van_ban_di_ky_so": 900, "tong_so_van_ban_di": 1200}, org.reporter)
    _close_q1(dept_cycle)
    reporter.post(entry_url(second_quarter, home_of(dept_cycle), "chi-so/6.6/chep-ky-truoc/"))
    page = reporter.get(entry_url(second_quarter, home_of(dept_cycle))).content.decode()
    block = page[page.index('id="ind-6.6"') :]
    block = block[: block.index("</article>")]
    assert "Quý 1" in block or "Quarter 1" in block
    assert 'class="badge">' in block


def test_copy_all_fills_only_what_is_not_entered_yet(
    reporter: Client, org: Org, dept_cycle: Cycle, second_quarter: Period
):
    save(dept_cycle, "1.4", {"so_tin_bai_cds": 12}, org.reporter)
    save(dept_cycle, "1.3", {"co_van_ban_chi_dao_do_thu_truong_ky": True}, org.reporter)
    _close_q1(dept_cycle)
    figure_save(
        actor=org.reporter,
        period=second_quarter,
        assessed=home_of(dept_cycle),
        indicator=indicator(dept_cycle, "1.4"),
        values={"so_tin_bai_cds": 20},
    )
    response = reporter.post(entry_url(second_quarter, home_of(dept_cycle), "chep-ky-truoc/"))
    assert response.status_code == 302
    assert figure(dept_cycle, "1.4", second_quarter).values == {"so_tin_bai_cds": 20}
    assert figure(dept_cycle, "1.3", second_quarter).values == {
        "co_van_ban_chi_dao_do_thu_truong_ky": True
    }


def test_the_first_quarter_has_nothing_to_copy(reporter: Client, dept_cycle: Cycle):
    page = reporter.get(entry_url(q1(dept_cycle), home_of(dept_cycle))).content.decode()
    assert "chep-ky-truoc/" not in page


def test_copying_over_a_newer_save_is_refused(
    reporter: Client, org: Org, dept_cycle: Cycle, second_quarter: Period
):
    save(dept_cycle, "1.4", {"so_tin_bai_cds": 12}, org.reporter)
    _close_q1(dept_cycle)
    figure_save(
        actor=org.reporter,
        period=second_quarter,
        assessed=home_of(dept_cycle),
        indicator=indicator(dept_cycle, "1.4"),
        values={"so_tin_bai_cds": 20},
    )
    url = entry_url(second_quarter, home_of(dept_cycle), "chi-so/1.4/chep-ky-truoc/")
    response = reporter.post(url, {"in_so_tin_bai_cds": "", "version": "0"})
    assert response.status_code == 409
    assert figure(dept_cycle, "1.4", second_quarter).values == {"so_tin_bai_cds": 20}
