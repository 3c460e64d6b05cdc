"""The entry pages: my reports, the entry page of a report, who sees what,
contributions of coordinating units, and a bounded number of queries."""

from __future__ import annotations

import sys
import types
from dataclasses import dataclass
from typing import Any

import pytest
from django.test import Client

from dtis.frameworks.models import Indicator
from dtis.orgs.models import Role
from dtis.reporting.entry import input_number, my_reports, normalize_number, previous_period
from dtis.reporting.figures import figure_save
from dtis.reporting.models import (
    AssessedUnit,
    Assignment,
    Contribution,
    Cycle,
    Evidence,
    EvidenceKind,
    Figure,
    Period,
    PeriodState,
)
from dtis.reporting.workflow import submission_return, submission_submit
from tests.factories import Org, make_user

# --- helpers shared by the reporting view tests --------------------------------------


@dataclass(frozen=True)
class Finding:
    indicator_code: str
    message: str


def fake_precheck(monkeypatch: pytest.MonkeyPatch) -> list[Finding]:
    """The evidence pre-check, replaced by a list the test fills."""
    found: list[Finding] = []
    try:
        import dtis.reporting.evidence as module
    except ImportError:  # the evidence module is not there yet
        module = types.ModuleType("dtis.reporting.evidence")
        monkeypatch.setitem(sys.modules, "dtis.reporting.evidence", module)
    monkeypatch.setattr(module, "precheck", lambda period, assessed: list(found), raising=False)
    return found


@pytest.fixture
def findings(monkeypatch: pytest.MonkeyPatch) -> list[Finding]:
    return fake_precheck(monkeypatch)


def q1(cycle: Cycle) -> Period:
    return cycle.periods.get(kind="q1")


def home_of(cycle: Cycle) -> AssessedUnit:
    """Sở Nội vụ in the departments' cycle, the province in the province's."""
    return cycle.assessed.get(unit__code__in=["KHH-SNV"]) if cycle.assessed.count() > 1 else (
        cycle.assessed.get()
    )  # fmt: skip


def indicator(cycle: Cycle, code: str) -> Indicator:
    return cycle.framework.indicators.get(code=code)


def entry_url(period: Period, assessed: AssessedUnit, tail: str = "") -> str:
    return f"/bao-cao/{period.pk}/{assessed.pk}/{tail}"


def save(cycle: Cycle, code: str, values: dict[str, Any], user: Any, **kw: Any) -> Figure:
    return figure_save(
        actor=user,
        period=q1(cycle),
        assessed=home_of(cycle),
        indicator=indicator(cycle, code),
        values=values,
        **kw,
    )


def fill_all(cycle: Cycle, user: Any, period: Period | None = None) -> None:
    """Plausible figures for every indicator of the report."""
    assessed = home_of(cycle)
    for a in Assignment.objects.filter(assessed=assessed).select_related("indicator"):
        values: dict[str, Any] = {}
        for spec in a.indicator.inputs:
            kind = spec.get("type", "number")
            if kind == "boolean":
                values[spec["name"]] = True
            elif kind == "choice":
                values[spec["name"]] = spec["choices"][0]["value"]
            else:
                values[spec["name"]] = 40
        figure_save(
            actor=user,
            period=period or q1(cycle),
            assessed=assessed,
            indicator=a.indicator,
            values=values,
        )


# --- numbers typed the Vietnamese way -------------------------------------------------


@pytest.mark.parametrize(
    ("typed", "meant"),
    [
        ("1.250", "1250"),
        ("1.250.000", "1250000"),
        ("12,5", "12,5"),
        ("1.250,75", "1250.75"),
        ("1,250,000", "1250000"),
        ("12.5", "12.5"),
        (" 2 500 ", "2500"),
    ],
)
def test_numbers_typed_with_thousands_dots_are_read_as_vietnamese(typed: str, meant: str):
    assert normalize_number(typed) == meant


def test_text_that_is_not_a_number_is_refused_before_scoring():
    with pytest.raises(ValueError):
        normalize_number("NaN")


def test_amounts_are_shown_with_thousands_dots_and_a_decimal_comma():
    assert input_number("1250000") == "1.250.000"
    assert input_number("12.5") == "12,5"
    assert input_number(7) == "7"


def test_the_previous_period_is_the_one_reported_just_before(dept_cycle: Cycle):
    periods = {p.kind: p for p in dept_cycle.periods.all()}
    everything = list(periods.values())
    assert previous_period(periods["q1"], everything) is None
    assert previous_period(periods["q2"], everything) == periods["q1"]
    assert previous_period(periods["h1"], everything) == periods["q2"]
    assert previous_period(periods["q3"], everything) == periods["q2"]
    assert previous_period(periods["year"], everything) == periods["q4"]


# --- my reports -------------------------------------------------------------------------


def test_a_reporter_sees_the_report_of_the_unit_in_the_open_period(
    client: Client, org: Org, dept_cycle: Cycle
):
    save(dept_cycle, "1.3", {"co_van_ban_chi_dao_do_thu_truong_ky": True}, org.reporter)
    client.force_login(org.reporter)
    page = client.get("/bao-cao/").content.decode()
    assert "Sở Nội vụ" in page
    assert "Sở Tài chính" not in page
    assert entry_url(q1(dept_cycle), home_of(dept_cycle)) in page
    assert "1 / 42" in page or "1 of 42" in page


def test_a_head_sees_the_report_of_the_unit_to_submit(org: Org, dept_cycle: Cycle):
    (report,) = my_reports(org.head)
    assert report.assessed.unit == org.dept_home
    assert (report.entered, report.total, report.whole) == (0, 42, True)


def test_a_lead_agency_sees_only_the_indicators_it_leads(org: Org, province_cycle: Cycle):
    (report,) = my_reports(org.reporter)
    assert report.assessed.unit == org.province
    assert report.whole is False
    assert (
        report.total == Assignment.objects.filter(cycle=province_cycle, owner=org.dept_home).count()
    )


def test_planned_periods_are_not_listed(org: Org, dept_cycle: Cycle):
    assert [r.period.kind for r in my_reports(org.reporter)] == ["q1"]


def test_a_period_closed_long_ago_is_not_listed(org: Org, dept_cycle: Cycle):
    period = q1(dept_cycle)
    period.state = PeriodState.CLOSED
    period.unit_deadline = period.unit_deadline.replace(year=2020)
    period.save()
    assert my_reports(org.reporter) == []


# --- the entry page ----------------------------------------------------------------------


def test_the_entry_page_groups_indicators_by_main_indicator_with_progress(
    client: Client, org: Org, dept_cycle: Cycle
):
    save(dept_cycle, "1.3", {"co_van_ban_chi_dao_do_thu_truong_ky": True}, org.reporter)
    client.force_login(org.reporter)
    response = client.get(entry_url(q1(dept_cycle), home_of(dept_cycle)))
    page = response.content.decode()
    assert response.status_code == 200
    assert page.count('<details class="group') == 6
    assert "Nhận thức số" in page
    assert 'id="ind-1.2.1"' in page and 'id="ind-6.17"' in page
    assert "1 / 42" in page or "1 of 42" in page  # overall
    assert "1 / 5" in page or "1 of 5" in page  # Nhận thức số: 1.1, 1.2.1, 1.2.2, 1.3, 1.4


def test_each_indicator_shows_its_rule_guidance_and_inputs_by_kind(
    client: Client, org: Org, dept_cycle: Cycle
):
    client.force_login(org.reporter)
    page = client.get(entry_url(q1(dept_cycle), home_of(dept_cycle))).content.decode()
    # yes / no as two radio buttons, a level as a select, numbers with a decimal keyboard
    assert 'type="radio" name="in_co_van_ban_chi_dao_do_thu_truong_ky" value="yes"' in page
    assert '<select name="in_truong_ban_chi_dao"' in page
    assert 'name="in_chi_dau_tu_attt" inputmode="decimal"' in page
    assert "triệu đồng" in page
    # the work to do and the evidence expected come from the assignment
    assert "Lịch công tác của lãnh đạo Sở" in page
    # the live self-score
    assert 'hx-trigger="input changed delay:400ms' in page
    assert (
        f'hx-post="{entry_url(q1(dept_cycle), home_of(dept_cycle), "chi-so/1.3/tinh-diem/")}"'
        in page
    )


def test_a_viewer_reads_the_report_without_forms(client: Client, org: Org, dept_cycle: Cycle):
    save(dept_cycle, "1.4", {"so_tin_bai_cds": 12}, org.reporter)
    client.force_login(org.viewer)
    page = client.get(entry_url(q1(dept_cycle), home_of(dept_cycle))).content.decode()
    assert "figure-save" not in page and "/luu/" not in page
    assert "12 tin, bài" in page


def test_a_reporter_of_another_province_is_refused_the_entry_page(
    client: Client, org: Org, dept_cycle: Cycle
):
    client.force_login(org.other_reporter)
    assert client.get(entry_url(q1(dept_cycle), home_of(dept_cycle))).status_code == 403


@pytest.mark.parametrize(
    "tail",
    [
        "chi-so/1.3/luu/",
        "chi-so/1.3/tinh-diem/",
        "chi-so/1.3/chep-ky-truoc/",
        "chi-so/1.3/phoi-hop/",
        "chep-ky-truoc/",
        "gui/",
        "tham-dinh/tra-lai/",
        "tham-dinh/tiep-nhan/",
    ],
)
def test_a_reporter_of_another_unit_is_refused_every_action(
    client: Client, org: Org, dept_cycle: Cycle, findings: list[Finding], tail: str
):
    client.force_login(org.other_reporter)
    url = entry_url(q1(dept_cycle), home_of(dept_cycle), tail)
    response = client.post(url, {"in_co_van_ban_chi_dao_do_thu_truong_ky": "yes", "version": "0"})
    assert response.status_code == 403
    assert not Figure.objects.exists()


@pytest.mark.parametrize("tail", ["thay-doi/", "gui/", "tham-dinh/"])
def test_a_reporter_of_another_unit_cannot_read_the_reports_pages(
    client: Client, org: Org, dept_cycle: Cycle, findings: list[Finding], tail: str
):
    client.force_login(org.other_reporter)
    assert client.get(entry_url(q1(dept_cycle), home_of(dept_cycle), tail)).status_code == 403


def test_the_finance_departments_reporter_cannot_save_for_home_affairs(
    client: Client, org: Org, dept_cycle: Cycle
):
    finance = make_user("pham.thu.ha", "Phạm Thu Hà", Role.REPORTER, org.dept_finance)
    client.force_login(finance)
    url = entry_url(q1(dept_cycle), home_of(dept_cycle), "chi-so/1.3/luu/")
    assert client.post(url, {"in_co_van_ban_chi_dao_do_thu_truong_ky": "yes"}).status_code == 403


def test_a_head_may_read_but_not_enter_figures(client: Client, org: Org, dept_cycle: Cycle):
    client.force_login(org.head)
    url = entry_url(q1(dept_cycle), home_of(dept_cycle))
    assert client.get(url).status_code == 200
    response = client.post(
        url + "chi-so/1.3/luu/", {"in_co_van_ban_chi_dao_do_thu_truong_ky": "yes"}
    )
    assert response.status_code == 403


def test_a_lead_agency_reads_last_years_notes_only_on_the_indicators_it_leads(
    client: Client, org: Org, province_cycle: Cycle, monkeypatch: pytest.MonkeyPatch
):
    from dtis.reporting import evidence

    notes = [
        Finding("4.1", "Hội đồng trừ điểm: kế hoạch đào tạo chưa ký số"),
        Finding("1.1", "Hội đồng trừ điểm: Nghị quyết ban hành ngoài kỳ đánh giá"),
    ]
    monkeypatch.setattr(evidence, "ADVISORS", [lambda period, assessed: notes])
    client.force_login(org.reporter)
    page = client.get(entry_url(q1(province_cycle), home_of(province_cycle))).content.decode()
    assert "kế hoạch đào tạo chưa ký số" in page
    assert "Nghị quyết ban hành ngoài kỳ đánh giá" not in page


def test_a_lead_agency_sees_only_its_own_indicators_of_the_provinces_report(
    client: Client, org: Org, province_cycle: Cycle
):
    client.force_login(org.reporter)
    page = client.get(entry_url(q1(province_cycle), home_of(province_cycle))).content.decode()
    assert 'id="ind-4.1"' in page  # Sở Nội vụ leads 4.1–4.4
    assert 'id="ind-1.1"' not in page
    response = client.post(
        entry_url(q1(province_cycle), home_of(province_cycle), "chi-so/1.1/luu/"),
        {"in_truong_ban_la_bi_thu_chu_tich": "yes"},
    )
    assert response.status_code == 403


def test_the_standing_office_sees_every_indicator_read_only(
    client: Client, org: Org, province_cycle: Cycle
):
    client.force_login(org.admin)
    page = client.get(entry_url(q1(province_cycle), home_of(province_cycle))).content.decode()
    assert 'id="ind-1.1"' in page and 'id="ind-4.1"' in page
    assert "/luu/" not in page


def test_the_page_says_why_figures_cannot_be_changed_after_the_deadline(
    client: Client, org: Org, dept_cycle: Cycle
):
    period = q1(dept_cycle)
    period.unit_deadline = period.start
    period.save()
    client.force_login(org.reporter)
    page = client.get(entry_url(period, home_of(dept_cycle))).content.decode()
    assert 'class="notice' in page
    assert period.start.strftime("%d/%m/%Y") in page
    assert "/luu/" not in page


# --- contributions of coordinating units --------------------------------------------------


@pytest.fixture
def coordinated(org: Org, province_cycle: Cycle) -> dict[str, Any]:
    """Sở Tài chính coordinates 4.1 (led by Sở Nội vụ) and has a reporter."""
    assignment = Assignment.objects.get(cycle=province_cycle, indicator__code="4.1")
    assignment.coordinators.add(org.dept_finance)
    finance = make_user("pham.thu.ha", "Phạm Thu Hà", Role.REPORTER, org.dept_finance)
    return {"assignment": assignment, "reporter": finance}


def test_a_coordinating_units_reporter_sees_a_contribution_form(
    client: Client, province_cycle: Cycle, coordinated: dict[str, Any]
):
    client.force_login(coordinated["reporter"])
    page = client.get(entry_url(q1(province_cycle), home_of(province_cycle))).content.decode()
    assert 'id="ind-4.1"' in page and 'id="ind-4.4"' not in page
    assert "/chi-so/4.1/phoi-hop/" in page
    assert "/chi-so/4.1/luu/" not in page


def test_a_contribution_is_listed_under_the_lead_units_indicator(
    client: Client, org: Org, province_cycle: Cycle, coordinated: dict[str, Any]
):
    client.force_login(coordinated["reporter"])
    url = entry_url(q1(province_cycle), home_of(province_cycle), "chi-so/4.1/phoi-hop/")
    response = client.post(
        url,
        {
            "unit": org.dept_finance.pk,
            "in_so_co_quan_co_dau_moi_cds": "18",
            "in_tong_so_co_quan": "20",
            "note": "Số liệu các đơn vị thuộc Sở Tài chính đến 20/3/2026",
        },
    )
    assert response.status_code == 302
    contribution = Contribution.objects.get()
    assert contribution.values == {"so_co_quan_co_dau_moi_cds": 18, "tong_so_co_quan": 20}
    assert contribution.history.get().history_user == coordinated["reporter"]

    client.force_login(org.reporter)
    page = client.get(entry_url(q1(province_cycle), home_of(province_cycle))).content.decode()
    assert "Số liệu các đơn vị thuộc Sở Tài chính đến 20/3/2026" in page
    assert "Sở Tài chính" in page


def test_the_lead_units_save_is_not_refused_after_a_contribution_created_the_figure(
    client: Client, org: Org, province_cycle: Cycle, coordinated: dict[str, Any]
):
    client.force_login(org.reporter)
    opened = client.get(entry_url(q1(province_cycle), home_of(province_cycle)))
    assert 'name="version" value="0"' in opened.content.decode()
    other = Client()
    other.force_login(coordinated["reporter"])
    other.post(
        entry_url(q1(province_cycle), home_of(province_cycle), "chi-so/4.1/phoi-hop/"),
        {"unit": org.dept_finance.pk, "in_tong_so_co_quan": "20", "note": "Tổng số cơ quan"},
    )
    response = client.post(
        entry_url(q1(province_cycle), home_of(province_cycle), "chi-so/4.1/luu/"),
        {"in_so_co_quan_co_dau_moi_cds": "19", "in_tong_so_co_quan": "20", "version": "0"},
    )
    assert response.status_code == 302
    assert Figure.objects.get().values == {"so_co_quan_co_dau_moi_cds": 19, "tong_so_co_quan": 20}


def test_a_reporter_who_does_not_coordinate_cannot_contribute(
    client: Client, org: Org, province_cycle: Cycle, coordinated: dict[str, Any]
):
    client.force_login(org.reporter)  # the lead unit, not a coordinator
    url = entry_url(q1(province_cycle), home_of(province_cycle), "chi-so/4.1/phoi-hop/")
    assert (
        client.post(url, {"unit": org.dept_home.pk, "in_tong_so_co_quan": "20"}).status_code == 403
    )
    assert not Contribution.objects.exists()


# --- a bounded number of queries ------------------------------------------------------------


def _evidence_for_some(cycle: Cycle, user: Any) -> None:
    for figure in Figure.objects.filter(assessed=home_of(cycle))[:10]:
        Evidence.objects.create(
            figure=figure,
            kind=EvidenceKind.DOCUMENT,
            doc_number="27/KH-SNV",
            doc_summary="Kế hoạch chuyển đổi số năm 2026",
            added_by=user,
        )


def test_the_departments_entry_page_needs_few_queries(
    client: Client, org: Org, dept_cycle: Cycle, django_assert_max_num_queries: Any
):
    fill_all(dept_cycle, org.reporter)
    fill_all(dept_cycle, org.reporter)  # a second version of each: history to show
    _evidence_for_some(dept_cycle, org.reporter)
    client.force_login(org.reporter)
    url = entry_url(q1(dept_cycle), home_of(dept_cycle))
    with django_assert_max_num_queries(30):
        response = client.get(url)
    assert response.status_code == 200
    assert response.content.decode().count('class="card spaced indicator') == 42


def test_the_provinces_entry_page_needs_few_queries(
    client: Client, org: Org, province_cycle: Cycle, django_assert_max_num_queries: Any
):
    fill_all(province_cycle, org.superuser)
    fill_all(province_cycle, org.superuser)
    _evidence_for_some(province_cycle, org.superuser)
    assignment = Assignment.objects.get(cycle=province_cycle, indicator__code="4.1")
    assignment.coordinators.add(org.dept_finance, org.commune)
    client.force_login(org.admin)
    url = entry_url(q1(province_cycle), home_of(province_cycle))
    with django_assert_max_num_queries(30):
        response = client.get(url)
    assert response.status_code == 200
    assert response.content.decode().count('class="card spaced indicator') == 47


def test_my_reports_needs_few_queries(
    client: Client,
    org: Org,
    dept_cycle: Cycle,
    province_cycle: Cycle,
    django_assert_max_num_queries: Any,
):
    fill_all(dept_cycle, org.reporter)
    client.force_login(org.reporter)
    with django_assert_max_num_queries(15):
        response = client.get("/bao-cao/")
    assert response.status_code == 200


def test_returned_items_are_listed_at_the_top_with_the_offices_comments(
    client: Client, org: Org, dept_cycle: Cycle, findings: list[Finding]
):
    save(dept_cycle, "1.4", {"so_tin_bai_cds": 12}, org.reporter)
    submission = submission_submit(
        actor=org.head, period=q1(dept_cycle), assessed=home_of(dept_cycle)
    )
    submission_return(
        actor=org.admin,
        submission=submission,
        items=[(indicator(dept_cycle, "1.4"), "Bổ sung đường link các tin, bài đã đăng")],
    )
    client.force_login(org.reporter)
    page = client.get(entry_url(q1(dept_cycle), home_of(dept_cycle))).content.decode()
    top = page.index("Bổ sung đường link các tin, bài đã đăng")
    assert top < page.index('id="ind-1.1"')
    assert "/chi-so/1.4/luu/" in page  # correctable


def test_the_entry_pages_widgets_are_drawn_as_djangos_templates_draw_them(
    org: Org, frameworks: None
):
    """`widget_html.WidgetRenderer` writes the widgets in Python: the same HTML,
    character for character, for every input of every built-in framework, empty,
    filled and with errors."""
    from django.forms.renderers import DjangoTemplates

    from dtis.reporting.forms_entry import ContributionForm, FigureForm
    from dtis.reporting.widget_html import RENDERER

    django = DjangoTemplates()
    units = [org.dept_finance, org.commune]
    indicators = [i for i in Indicator.objects.all() if i.inputs]
    assert indicators
    compared = 0
    for ind in indicators:
        filled = Figure(values={}, note='Ghi chú <b>"đậm"</b> & 1.250', version=3)
        for spec in ind.inputs:
            kind = spec.get("type", "number")
            if kind == "boolean":
                filled.values[spec["name"]] = True
            elif kind == "choice":
                filled.values[spec["name"]] = spec["choices"][-1]["value"]
            else:
                filled.values[spec["name"]] = "1250000.5"
        bad = {"in_" + s["name"]: "<x>" for s in ind.inputs} | {"version": "x", "note": "a&b"}
        forms = [
            lambda r, ind=ind: FigureForm(ind, renderer=r),
            lambda r, ind=ind, f=filled: FigureForm(ind, figure=f, renderer=r),
            lambda r, ind=ind, d=bad: FigureForm(ind, d, renderer=r),
            lambda r, ind=ind: ContributionForm(ind, units, renderer=r),
            lambda r, ind=ind: ContributionForm(ind, units[:1], renderer=r),
        ]
        for make in forms:
            ours, theirs = make(RENDERER), make(django)
            ours.is_bound and ours.is_valid()
            theirs.is_bound and theirs.is_valid()
            for name in theirs.fields:
                assert str(ours[name]) == str(theirs[name]), (ind.code, name)
                compared += 1
    assert compared > 500
