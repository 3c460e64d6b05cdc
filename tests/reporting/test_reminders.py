"""Reminders: the right people on the right days, each reminder once, by
e-mail and in the app; and the notifications page."""

from __future__ import annotations

import datetime as dt
import io
import json
import sys
import types

import pytest
from django.core import mail
from django.core.management import CommandError, call_command
from django.test import Client

from dtis.frameworks.models import Indicator
from dtis.orgs.models import User
from dtis.reporting.models import (
    AssessedUnit,
    Cycle,
    Notification,
    Period,
    PeriodState,
    Reminder,
)
from dtis.reporting.reminders import send_reminders
from dtis.reporting.workflow import submission_return, submission_submit
from tests.factories import Org

DEADLINE = dt.date(2026, 3, 25)


@pytest.fixture(autouse=True)
def no_evidence_findings(monkeypatch):  # type: ignore[no-untyped-def]
    """Submitting runs the evidence pre-check; these tests are about dates, not evidence."""
    try:
        import dtis.reporting.evidence as evidence
    except ImportError:  # the evidence service is not there yet
        evidence = types.ModuleType("dtis.reporting.evidence")
        monkeypatch.setitem(sys.modules, "dtis.reporting.evidence", evidence)
    monkeypatch.setattr(evidence, "precheck", lambda period, assessed: [], raising=False)


@pytest.fixture
def cycle(dept_cycle: Cycle, org: Org) -> Cycle:
    """The departments' cycle with Q1 due on 25/03/2026; the reporter and the
    office have e-mail addresses, the head has none."""
    Period.objects.filter(cycle=dept_cycle, kind="q1").update(
        unit_deadline=DEADLINE, office_deadline=DEADLINE + dt.timedelta(days=5)
    )
    for user, email in ((org.reporter, "oanh.htk@snv.khanhhoa.gov.vn"),
                        (org.admin, "quan.tm@skhcn.khanhhoa.gov.vn")):  # fmt: skip
        user.email = email
        user.save()
    return dept_cycle


def day(offset: int) -> dt.date:
    return DEADLINE + dt.timedelta(days=offset)


def kinds_for(user: User, on: dt.date | None = None) -> list[str]:
    reminders = Reminder.objects.filter(recipient=user)
    if on is not None:
        reminders = reminders.filter(on=on)
    return sorted(reminders.values_list("kind", flat=True))


def q1(cycle: Cycle) -> Period:
    return cycle.periods.get(kind="q1")


def home_unit(cycle: Cycle) -> AssessedUnit:
    return cycle.assessed.get(unit__code="KHH-SNV")


def test_the_reporters_hear_once_that_the_period_is_open(cycle: Cycle, org: Org):
    send_reminders(today=day(-20))
    send_reminders(today=day(-19))
    assert kinds_for(org.reporter) == ["opened"]
    assert Notification.objects.filter(user=org.reporter).count() == 1


@pytest.mark.parametrize(("offset", "kind"), [(-7, "d7"), (-3, "d3"), (-1, "d1")])
def test_reporters_are_reminded_7_3_and_1_days_before_the_deadline(
    cycle: Cycle, org: Org, offset: int, kind: str
):
    send_reminders(today=day(offset))
    assert kind in kinds_for(org.reporter, on=day(offset))
    assert kinds_for(org.head) == []


def test_no_deadline_reminder_on_the_other_days(cycle: Cycle, org: Org):
    send_reminders(today=day(-20))
    for offset in (-6, -5, -4, -2, 0):
        send_reminders(today=day(offset))
        assert kinds_for(org.reporter, on=day(offset)) == []


def test_the_reminder_names_the_unit_the_deadline_and_the_link(cycle: Cycle, org: Org):
    send_reminders(today=day(-20))  # the period-opened notice
    mail.outbox.clear()
    Notification.objects.all().delete()
    send_reminders(today=day(-3))
    (message,) = [m for m in mail.outbox if m.to == ["oanh.htk@snv.khanhhoa.gov.vn"]]
    assert "Sở Nội vụ" in message.subject
    assert "25/03/2026" in message.body
    assert f"/bao-cao/{q1(cycle).pk}/{home_unit(cycle).pk}/" in message.body
    note = Notification.objects.get(user=org.reporter)
    assert "25/03/2026" in note.message
    assert note.url == f"/bao-cao/{q1(cycle).pk}/{home_unit(cycle).pk}/"


def test_running_twice_the_same_day_sends_nothing_new(cycle: Cycle, org: Org):
    first = send_reminders(today=day(2))
    sent, reminders = len(mail.outbox), Reminder.objects.count()
    notifications = Notification.objects.count()
    second = send_reminders(today=day(2))
    assert first.sent and second.sent == []
    assert len(mail.outbox) == sent
    assert Reminder.objects.count() == reminders
    assert Notification.objects.count() == notifications


def test_after_the_deadline_the_head_is_reminded_too(cycle: Cycle, org: Org):
    send_reminders(today=day(-1))
    assert kinds_for(org.head) == []
    send_reminders(today=day(1))
    assert kinds_for(org.reporter, on=day(1)) == ["overdue"]
    assert kinds_for(org.head, on=day(1)) == ["overdue"]


def test_overdue_reminders_repeat_daily_until_the_unit_submits(cycle: Cycle, org: Org):
    for offset in (1, 2, 3):
        send_reminders(today=day(offset))
    assert kinds_for(org.head) == ["overdue", "overdue", "overdue"]
    submission_submit(actor=org.head, period=q1(cycle), assessed=home_unit(cycle), today=day(3))
    send_reminders(today=day(4))
    assert kinds_for(org.head, on=day(4)) == []
    assert kinds_for(org.reporter, on=day(4)) == []


def test_a_unit_that_submitted_is_not_reminded_of_the_deadline(cycle: Cycle, org: Org):
    submission_submit(actor=org.head, period=q1(cycle), assessed=home_unit(cycle), today=day(-5))
    send_reminders(today=day(-3))
    assert kinds_for(org.reporter) == []


def test_a_closed_period_is_no_longer_chased(cycle: Cycle, org: Org):
    Period.objects.filter(pk=q1(cycle).pk).update(state=PeriodState.CLOSED)
    assert send_reminders(today=day(2)).sent == []


def test_a_returned_report_is_announced_to_the_reporters(cycle: Cycle, org: Org):
    submission = submission_submit(
        actor=org.head, period=q1(cycle), assessed=home_unit(cycle), today=day(-4)
    )
    indicators = list(Indicator.objects.filter(framework=cycle.framework, max_points__gt=0)[:2])
    submission_return(
        actor=org.admin,
        submission=submission,
        items=[
            (indicators[0], "Thiếu số ký hiệu của Kế hoạch chuyển đổi số năm 2026."),
            (indicators[1], "Đề nghị bổ sung ảnh chụp chuyên mục chuyển đổi số."),
        ],
    )
    send_reminders(today=day(-3))
    assert "returned" in kinds_for(org.reporter)
    assert kinds_for(org.head) == []
    note = Notification.objects.get(user=org.reporter)
    assert "2" in note.message
    send_reminders(today=day(-2))
    assert kinds_for(org.reporter).count("returned") == 1


def test_a_report_returned_after_the_period_closed_is_still_announced(cycle: Cycle, org: Org):
    submission = submission_submit(
        actor=org.head, period=q1(cycle), assessed=home_unit(cycle), today=day(-1)
    )
    Period.objects.filter(pk=q1(cycle).pk).update(state=PeriodState.CLOSED)
    indicator = Indicator.objects.filter(framework=cycle.framework, max_points__gt=0).first()
    submission_return(
        actor=org.admin,
        submission=submission,
        items=[(indicator, "Minh chứng là văn bản năm 2025, đề nghị bổ sung văn bản năm 2026.")],
    )
    send_reminders(today=day(10))
    assert kinds_for(org.reporter) == ["returned"]
    assert kinds_for(org.head) == []


def test_the_office_gets_a_daily_digest(cycle: Cycle, org: Org):
    submission_submit(actor=org.head, period=q1(cycle), assessed=home_unit(cycle), today=day(1))
    send_reminders(today=day(2))
    send_reminders(today=day(3))
    assert kinds_for(org.admin) == ["digest", "digest"]
    digest = Notification.objects.filter(user=org.admin).first()
    assert digest is not None and f"/dot-danh-gia/{cycle.pk}/don-doc/" in digest.url
    assert [m for m in mail.outbox if m.to == ["quan.tm@skhcn.khanhhoa.gov.vn"]]
    for person in (org.viewer, org.appraiser, org.other_admin):
        assert kinds_for(person) == []


def test_people_without_an_e_mail_address_are_notified_in_the_app(cycle: Cycle, org: Org):
    summary = send_reminders(today=day(1))
    assert Notification.objects.filter(user=org.head).count() == 1
    assert all(org.head.username != s.recipient or not s.emailed for s in summary.sent)
    assert len(mail.outbox) == summary.emails == 2  # the reporter and the office


def test_the_command_prints_what_it_sent_as_json(cycle: Cycle, org: Org):
    out = io.StringIO()
    call_command("send-reminders", "--date", "2026-03-22", "--json", stdout=out)
    report = json.loads(out.getvalue())
    assert report["date"] == "2026-03-22"
    assert report["counts"]["d3"] == 1
    assert {"kind", "unit", "period", "recipient", "emailed"} <= report["sent"][0].keys()
    again = io.StringIO()
    call_command("send-reminders", "--date", "2026-03-22", "--json", stdout=again)
    assert json.loads(again.getvalue())["sent"] == []


def test_the_command_refuses_a_bad_date(db):  # type: ignore[no-untyped-def]
    with pytest.raises(CommandError):
        call_command("send-reminders", "--date", "25/03/2026", stdout=io.StringIO())


# --- the notifications page ---------------------------------------------------------


def test_a_person_sees_their_notifications_newest_first(client: Client, org: Org):
    Notification.objects.create(user=org.reporter, message="Kỳ báo cáo Quý 1 đã mở.", url="/")
    Notification.objects.create(user=org.reporter, message="Còn 3 ngày đến hạn báo cáo.")
    Notification.objects.create(user=org.head, message="Báo cáo của Sở Nội vụ đã trễ hạn.")
    client.force_login(org.reporter)
    page = client.get("/thong-bao/").content.decode()
    assert page.index("Còn 3 ngày") < page.index("Kỳ báo cáo Quý 1")
    assert "trễ hạn" not in page


def test_marking_all_as_read(client: Client, org: Org):
    Notification.objects.create(user=org.reporter, message="Còn 3 ngày đến hạn báo cáo.")
    Notification.objects.create(user=org.head, message="Báo cáo của Sở Nội vụ đã trễ hạn.")
    client.force_login(org.reporter)
    assert client.post("/thong-bao/da-doc/").status_code == 302
    assert not Notification.objects.filter(user=org.reporter, read_at__isnull=True).exists()
    assert Notification.objects.filter(user=org.head, read_at__isnull=True).exists()


def test_opening_a_notification_marks_it_read_and_follows_its_link(client: Client, org: Org):
    note = Notification.objects.create(
        user=org.reporter, message="Còn 1 ngày đến hạn báo cáo.", url="/bao-cao/1/1/"
    )
    client.force_login(org.reporter)
    response = client.get(f"/thong-bao/{note.pk}/")
    assert response.status_code == 302 and response["Location"] == "/bao-cao/1/1/"
    note.refresh_from_db()
    assert note.read_at is not None


def test_nobody_opens_someone_elses_notification(client: Client, org: Org):
    note = Notification.objects.create(user=org.head, message="Báo cáo đã trễ hạn.", url="/")
    client.force_login(org.reporter)
    assert client.get(f"/thong-bao/{note.pk}/").status_code == 404


def test_the_top_bar_counts_unread_notifications(client: Client, org: Org, settings):  # type: ignore[no-untyped-def]
    processor = "dtis.reporting.context_processors.notifications"
    engine = settings.TEMPLATES[0]
    if processor not in engine["OPTIONS"]["context_processors"]:
        processors = [*engine["OPTIONS"]["context_processors"], processor]
        options = {**engine["OPTIONS"], "context_processors": processors}
        settings.TEMPLATES = [{**engine, "OPTIONS": options}]
    for text in ("Kỳ báo cáo Quý 1 đã mở.", "Còn 3 ngày đến hạn.", "Còn 1 ngày đến hạn."):
        Notification.objects.create(user=org.reporter, message=text)
    client.force_login(org.reporter)
    page = client.get("/thong-bao/").content.decode()
    assert '<span class="badge warn">3<' in page
