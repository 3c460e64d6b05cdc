"""Chasing late units: the office's chase page, its export and command, and
the reports waiting for a person on the home page."""

from __future__ import annotations

import datetime as dt
import io
import json
import re
import sys
import types

import pytest
from django.core.management import CommandError, call_command
from django.test import Client
from django.utils import timezone
from openpyxl import load_workbook

from dtis.frameworks.models import Indicator
from dtis.orgs.models import Role
from dtis.reporting.chase import NOT_STARTED, chase_rows, my_open_items
from dtis.reporting.cycles import cycle_create
from dtis.reporting.models import AssessedUnit, Cycle, Period, PeriodState, Reminder
from dtis.reporting.workflow import submission_return, submission_submit
from tests.factories import Org, make_unit, make_user


@pytest.fixture(autouse=True)
def no_evidence_findings(monkeypatch):  # type: ignore[no-untyped-def]
    """Submitting runs the evidence pre-check; these tests are about dates, not evidence."""
    try:
        import dtis.reporting.evidence as evidence
    except ImportError:  # the evidence service is not there yet
        evidence = types.ModuleType("dtis.reporting.evidence")
        monkeypatch.setitem(sys.modules, "dtis.reporting.evidence", evidence)
    monkeypatch.setattr(evidence, "precheck", lambda period, assessed: [], raising=False)


def q1(cycle: Cycle) -> Period:
    return cycle.periods.get(kind="q1")


def assessed(cycle: Cycle, code: str) -> AssessedUnit:
    return cycle.assessed.select_related("unit").get(unit__code=code)


def set_deadline(period: Period, day: dt.date) -> Period:
    period.unit_deadline = day
    period.office_deadline = day + dt.timedelta(days=5)
    period.save()
    return period


def submit_late(org: Org, cycle: Cycle, days: int) -> None:
    """Sở Nội vụ's head submits the first quarter `days` days after the deadline."""
    period = q1(cycle)
    submission_submit(
        actor=org.head,
        period=period,
        assessed=assessed(cycle, "KHH-SNV"),
        today=period.unit_deadline + dt.timedelta(days=days),
    )


# --- chase_rows -------------------------------------------------------------


def test_each_department_has_a_row_for_the_open_quarter_only(dept_cycle: Cycle, org: Org):
    rows = chase_rows(dept_cycle)
    assert sorted(r.unit.code for r in rows) == ["KHH-SNV", "KHH-STC"]
    assert {r.period.kind for r in rows} == {"q1"}
    assert {r.peer_group for r in rows} == {"Sở, ban, ngành"}


def test_a_late_submission_shows_its_days_late(dept_cycle: Cycle, org: Org):
    submit_late(org, dept_cycle, days=3)
    deadline = q1(dept_cycle).unit_deadline
    rows = {r.unit.code: r for r in chase_rows(dept_cycle, today=deadline + dt.timedelta(days=5))}
    home, finance = rows["KHH-SNV"], rows["KHH-STC"]
    assert (home.status, home.days_late, home.deadline) == ("submitted", 3, deadline)
    assert home.submitted_at is not None
    assert (finance.status, finance.days_to_deadline, finance.days_late) == (NOT_STARTED, -5, 5)
    assert finance.is_overdue and not home.is_overdue


def test_rows_name_the_reporters_and_heads_of_each_unit(dept_cycle: Cycle, org: Org):
    rows = {r.unit.code: r for r in chase_rows(dept_cycle)}
    assert rows["KHH-SNV"].reporters == [org.reporter]
    assert rows["KHH-SNV"].heads == [org.head]
    assert rows["KHH-STC"].reporters == []


def test_a_reopening_moves_the_units_deadline(dept_cycle: Cycle, org: Org):
    period = set_deadline(q1(dept_cycle), dt.date(2026, 3, 25))
    period.reopenings.create(
        unit=org.dept_finance,
        until=dt.date(2026, 4, 5),
        reason="Ốm đau, thiếu cán bộ",
        by=org.admin,
    )
    rows = {r.unit.code: r for r in chase_rows(dept_cycle, today=dt.date(2026, 3, 30))}
    assert rows["KHH-STC"].deadline == dt.date(2026, 4, 5)
    assert rows["KHH-STC"].days_to_deadline == 6
    assert rows["KHH-SNV"].days_late == 5


def test_planned_periods_are_not_chased(dept_cycle: Cycle):
    assert chase_rows(dept_cycle, period=dept_cycle.periods.get(kind="q2")) == []


# --- the chase command ----------------------------------------------------------


def test_the_chase_command_prints_one_object_per_unit_and_period(dept_cycle: Cycle, org: Org):
    submit_late(org, dept_cycle, days=2)
    out = io.StringIO()
    call_command("chase", "--cycle", str(dept_cycle.pk), "--period", "q1", "--json", stdout=out)
    rows = {r["unit"]: r for r in json.loads(out.getvalue())}
    home = rows["Sở Nội vụ tỉnh Khánh Hòa"]
    assert {"unit", "period", "status", "deadline", "days_late"} <= home.keys()
    assert (home["period"], home["status"], home["days_late"]) == ("q1", "submitted", 2)
    assert home["deadline"] == q1(dept_cycle).unit_deadline.isoformat()
    finance = rows["Sở Tài chính tỉnh Khánh Hòa"]
    assert (finance["status"], finance["days_late"]) == ("not_started", 0)


def test_the_chase_command_refuses_an_unknown_cycle(db):  # type: ignore[no-untyped-def]
    with pytest.raises(CommandError):
        call_command("chase", "--cycle", "987654", "--json", stdout=io.StringIO())


def test_the_chase_command_refuses_an_unknown_period(dept_cycle: Cycle):
    with pytest.raises(CommandError):
        call_command("chase", "--cycle", str(dept_cycle.pk), "--period", "q7", stdout=io.StringIO())


# --- the chase page ----------------------------------------------------------


def test_a_reporter_may_not_open_the_chase_page(client: Client, dept_cycle: Cycle, org: Org):
    client.force_login(org.reporter)
    assert client.get(f"/dot-danh-gia/{dept_cycle.pk}/don-doc/").status_code == 403
    assert client.get(f"/dot-danh-gia/{dept_cycle.pk}/don-doc/excel/").status_code == 403
    assert client.post(f"/dot-danh-gia/{dept_cycle.pk}/don-doc/gui-nhac-viec/").status_code == 403


def test_another_provinces_office_may_not_chase_this_cycle(
    client: Client, dept_cycle: Cycle, org: Org
):
    client.force_login(org.other_admin)
    assert client.get(f"/dot-danh-gia/{dept_cycle.pk}/don-doc/").status_code == 403


def test_the_office_sees_every_department_with_its_reporters(
    client: Client, dept_cycle: Cycle, org: Org
):
    client.force_login(org.admin)
    page = client.get(f"/dot-danh-gia/{dept_cycle.pk}/don-doc/").content.decode()
    assert "Sở Nội vụ" in page and "Sở Tài chính" in page
    assert "Huỳnh Thị Kim Oanh" in page and "Lương Văn Bình" in page
    assert f"/bao-cao/{q1(dept_cycle).pk}/" in page


def test_the_office_filters_by_status(client: Client, dept_cycle: Cycle, org: Org):
    submit_late(org, dept_cycle, days=1)
    client.force_login(org.admin)
    url = f"/dot-danh-gia/{dept_cycle.pk}/don-doc/"
    page = client.get(url, {"status": "submitted"}).content.decode()
    assert "Sở Nội vụ" in page and "Sở Tài chính" not in page
    page = client.get(url, {"status": "not_started", "period": "q1"}).content.decode()
    assert "Sở Tài chính" in page and "Huỳnh Thị Kim Oanh" not in page


def test_the_office_sorts_by_days_late(client: Client, dept_cycle: Cycle, org: Org):
    submit_late(org, dept_cycle, days=4)
    client.force_login(org.admin)
    url = f"/dot-danh-gia/{dept_cycle.pk}/don-doc/"
    ascending = client.get(url, {"sort": "late"}).content.decode()
    descending = client.get(url, {"sort": "-late"}).content.decode()
    assert ascending.index("Sở Tài chính") < ascending.index("Huỳnh Thị Kim Oanh")
    assert descending.index("Huỳnh Thị Kim Oanh") < descending.index("Sở Tài chính")


def test_the_export_is_a_workbook_of_the_filtered_rows(client: Client, dept_cycle: Cycle, org: Org):
    submit_late(org, dept_cycle, days=2)
    client.force_login(org.admin)
    response = client.get(f"/dot-danh-gia/{dept_cycle.pk}/don-doc/excel/", {"status": "submitted"})
    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(response.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert len(rows) == 2
    unit, group, _period, _status, deadline, _left, late, *_rest = rows[1]
    assert (unit, group, late) == ("Sở Nội vụ tỉnh Khánh Hòa", "Sở, ban, ngành", 2)
    assert deadline == q1(dept_cycle).unit_deadline.strftime("%d/%m/%Y")


def test_the_send_button_runs_the_days_reminders_for_the_cycle(
    client: Client, dept_cycle: Cycle, org: Org
):
    client.force_login(org.admin)
    response = client.post(f"/dot-danh-gia/{dept_cycle.pk}/don-doc/gui-nhac-viec/")
    assert response.status_code == 302
    assert Reminder.objects.filter(recipient=org.reporter, kind="opened").count() == 1
    assert Reminder.objects.filter(recipient=org.admin, kind="digest").count() == 1
    client.post(f"/dot-danh-gia/{dept_cycle.pk}/don-doc/gui-nhac-viec/")
    assert Reminder.objects.count() == 2


def test_the_chase_page_costs_the_same_queries_for_more_departments(
    client: Client, dept_cycle: Cycle, org: Org, django_assert_max_num_queries
):
    client.force_login(org.admin)
    url = f"/dot-danh-gia/{dept_cycle.pk}/don-doc/"
    submit_late(org, dept_cycle, days=1)
    # 12 today: session, user, cycle, grants, periods ×2, units, submissions,
    # reopenings, figures, people, menu; one spare for the unread count.
    with django_assert_max_num_queries(13):
        assert client.get(url).status_code == 200
    for n in range(3):
        unit = make_unit(f"KHH-S{n}", f"Sở thứ {n} tỉnh Khánh Hòa", "department", org.province)
        AssessedUnit.objects.create(cycle=dept_cycle, unit=unit, peer_group="Sở, ban, ngành")
        make_user(f"dau.moi.{n}", f"Cán bộ đầu mối {n}", Role.REPORTER, unit)
    with django_assert_max_num_queries(13):
        page = client.get(url).content.decode()
    assert "Cán bộ đầu mối 2" in page


# --- the home page -------------------------------------------------------------


def test_the_reporter_sees_a_report_due_within_a_week(client: Client, dept_cycle: Cycle, org: Org):
    period = set_deadline(q1(dept_cycle), timezone.localdate() + dt.timedelta(days=3))
    link = f"/bao-cao/{period.pk}/{assessed(dept_cycle, 'KHH-SNV').pk}/"
    client.force_login(org.reporter)
    assert link in client.get("/").content.decode()
    items = my_open_items(org.reporter, timezone.localdate())
    assert [(i.unit.code, i.days_left) for i in items["due"]] == [("KHH-SNV", 3)]


def test_a_deadline_ten_days_away_is_not_yet_due(dept_cycle: Cycle, org: Org):
    items = my_open_items(org.reporter, timezone.localdate())
    assert (items["due"], items["overdue"], items["returned"]) == ([], [], [])


def test_an_open_quarter_with_a_distant_deadline_is_listed_as_open(
    client: Client, dept_cycle: Cycle, org: Org
):
    period = set_deadline(q1(dept_cycle), timezone.localdate() + dt.timedelta(days=30))
    (item,) = my_open_items(org.reporter, timezone.localdate())["open"]
    assert (item.unit.code, item.days_left) == ("KHH-SNV", 30)
    client.force_login(org.reporter)
    page = client.get("/").content.decode()
    assert f"/bao-cao/{period.pk}/{assessed(dept_cycle, 'KHH-SNV').pk}/" in page
    assert "còn 30 ngày" in page


def test_the_reporter_and_the_head_see_an_overdue_report(
    client: Client, dept_cycle: Cycle, org: Org
):
    period = set_deadline(q1(dept_cycle), timezone.localdate() - dt.timedelta(days=2))
    link = f"/bao-cao/{period.pk}/{assessed(dept_cycle, 'KHH-SNV').pk}/"
    for person in (org.reporter, org.head):
        client.force_login(person)
        assert link in client.get("/").content.decode()
        (item,) = my_open_items(person, timezone.localdate())["overdue"]
        assert item.days_late == 2


def test_a_returned_report_is_shown_with_its_number_of_comments(
    client: Client, dept_cycle: Cycle, org: Org
):
    period = q1(dept_cycle)
    home = assessed(dept_cycle, "KHH-SNV")
    submission = submission_submit(actor=org.head, period=period, assessed=home)
    indicators = list(
        Indicator.objects.filter(framework=dept_cycle.framework, max_points__gt=0)[:2]
    )
    submission_return(
        actor=org.admin,
        submission=submission,
        items=[
            (indicators[0], "Thiếu số ký hiệu văn bản kế hoạch chuyển đổi số."),
            (indicators[1], "Tỷ lệ hồ sơ trực tuyến chưa khớp với báo cáo quý."),
        ],
    )
    client.force_login(org.reporter)
    assert f"/bao-cao/{period.pk}/{home.pk}/" in client.get("/").content.decode()
    (item,) = my_open_items(org.reporter, timezone.localdate())["returned"]
    assert item.returned_count == 2


def test_another_provinces_reporter_sees_nothing_of_this_cycle(dept_cycle: Cycle, org: Org):
    set_deadline(q1(dept_cycle), timezone.localdate() - dt.timedelta(days=2))
    items = my_open_items(org.other_reporter, timezone.localdate())
    assert items == {"due": [], "overdue": [], "returned": [], "open": []}


def test_a_lead_agencys_reporter_sees_the_provinces_report(
    client: Client, province_cycle: Cycle, org: Org
):
    set_deadline(q1(province_cycle), timezone.localdate() + dt.timedelta(days=1))
    (item,) = my_open_items(org.reporter, timezone.localdate())["due"]
    assert item.unit == org.province


def test_a_closed_period_no_longer_shows_as_overdue(dept_cycle: Cycle, org: Org):
    period = set_deadline(q1(dept_cycle), timezone.localdate() - dt.timedelta(days=2))
    period.state = PeriodState.CLOSED
    period.save()
    assert my_open_items(org.reporter, timezone.localdate())["overdue"] == []


def test_the_home_page_stays_cheap_for_a_reporter_of_many_cycles(
    client: Client, dept_cycle: Cycle, org: Org, django_assert_max_num_queries
):
    for year in (2027, 2028):
        cycle = cycle_create(
            actor=org.admin,
            framework=dept_cycle.framework,
            year=year,
            name=f"Đánh giá chuyển đổi số các sở, ban, ngành năm {year}",
            scope=org.province,
            assessed=[(org.dept_home, "Sở, ban, ngành")],
        )
        set_deadline(q1(cycle), timezone.localdate() + dt.timedelta(days=2))
        Period.objects.filter(pk=q1(cycle).pk).update(state=PeriodState.OPEN)
    client.force_login(org.reporter)
    # 10 for the page, 1 for whether the person saw the first-login tour (dtis.onboarding)
    with django_assert_max_num_queries(11):
        page = client.get("/").content.decode()
    # The two quarters due in two days, and dept_cycle's own open quarter.
    assert len(re.findall(r"/bao-cao/\d+/\d+/", page)) == 3
