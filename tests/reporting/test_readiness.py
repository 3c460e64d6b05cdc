"""The reporter tells the unit head that every indicator is entered: only
the head submits, and without this the reporter phones or e-mails."""

from __future__ import annotations

import pytest
from django.core import mail

from dtis.reporting.models import Cycle, Notification
from dtis.reporting.workflow import submission_submit
from tests.factories import Org
from tests.reporting.test_entry import entry_url, fake_precheck, fill_all, home_of, q1, save
from tests.reporting.test_workflow import as_user

TELL = "bao-thu-truong/"


def url(cycle: Cycle, tail: str = "") -> str:
    return entry_url(q1(cycle), home_of(cycle), tail)


def test_a_reporter_with_everything_entered_is_shown_the_next_step(org: Org, dept_cycle: Cycle):
    fill_all(dept_cycle, org.reporter)
    page = as_user(org.reporter).get(url(dept_cycle)).content.decode()
    assert "chỉ số đã nhập: tiếp theo là thủ trưởng đơn vị" in page
    assert f'action="{url(dept_cycle, TELL)}"' in page


def test_a_reporter_part_way_is_told_who_submits_but_offered_no_button(org: Org, dept_cycle: Cycle):
    save(dept_cycle, "1.4", {"so_tin_bai_cds": 12}, org.reporter)
    page = as_user(org.reporter).get(url(dept_cycle)).content.decode()
    assert "Ai gửi báo cáo này" in page
    assert url(dept_cycle, TELL) not in page


def test_telling_the_head_notifies_them_with_the_reports_link(
    org: Org, dept_cycle: Cycle, django_capture_on_commit_callbacks
):
    fill_all(dept_cycle, org.reporter)
    org.head.email = "luong.van.binh@khanhhoa.gov.vn"
    org.head.save(update_fields=["email"])
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        response = as_user(org.reporter).post(url(dept_cycle, TELL), follow=True)
    assert "Đã báo " in response.content.decode()
    (note,) = Notification.objects.filter(user=org.head)
    assert note.url == url(dept_cycle)
    assert "đã nhập đủ các chỉ số của Sở Nội vụ" in note.message
    assert not Notification.objects.filter(user=org.reporter).exists()
    assert [m.to for m in mail.outbox] == [["luong.van.binh@khanhhoa.gov.vn"]]


def test_telling_the_head_of_an_incomplete_report_is_refused_and_names_what_is_missing(
    org: Org, dept_cycle: Cycle
):
    save(dept_cycle, "1.4", {"so_tin_bai_cds": 12}, org.reporter)
    response = as_user(org.reporter).post(url(dept_cycle, TELL), follow=True)
    assert "chưa được nhập" in response.content.decode()
    assert not Notification.objects.exists()


def test_a_submitted_report_no_longer_offers_to_tell_the_head(
    org: Org, dept_cycle: Cycle, monkeypatch: pytest.MonkeyPatch
):
    fake_precheck(monkeypatch)  # no evidence findings: the head submits straight away
    fill_all(dept_cycle, org.reporter)
    submission_submit(actor=org.head, period=q1(dept_cycle), assessed=home_of(dept_cycle))
    client = as_user(org.reporter)
    assert url(dept_cycle, TELL) not in client.get(url(dept_cycle)).content.decode()
    response = client.post(url(dept_cycle, TELL), follow=True)
    assert "Báo cáo này đã được gửi" in response.content.decode()
    assert not Notification.objects.exists()


def test_the_head_is_not_offered_to_tell_themselves(org: Org, dept_cycle: Cycle):
    fill_all(dept_cycle, org.reporter)
    client = as_user(org.head)
    assert url(dept_cycle, TELL) not in client.get(url(dept_cycle)).content.decode()
    assert client.post(url(dept_cycle, TELL)).status_code == 403


@pytest.mark.parametrize("who", ["admin", "other_reporter"])
def test_nobody_but_the_units_reporter_may_tell_the_head(org: Org, dept_cycle: Cycle, who: str):
    fill_all(dept_cycle, org.reporter)
    assert as_user(getattr(org, who)).post(url(dept_cycle, TELL)).status_code == 403
    assert not Notification.objects.exists()


# --- the head asks the reporter to correct the draft -------------------------------

ASK = "de-nghi-sua/"


def test_the_head_asks_the_reporter_to_correct_the_draft_with_a_comment(
    org: Org, dept_cycle: Cycle
):
    fill_all(dept_cycle, org.reporter)
    comment = "1.2.2: đính kèm giấy mời và biên bản của từng cuộc họp."
    response = as_user(org.head).post(url(dept_cycle, ASK), {"comment": comment}, follow=True)
    assert "Đã gửi cho " in response.content.decode()
    (note,) = Notification.objects.filter(user=org.reporter)
    assert comment in note.message and note.url == url(dept_cycle)


def test_asking_without_a_comment_is_refused_and_sends_nothing(org: Org, dept_cycle: Cycle):
    response = as_user(org.head).post(url(dept_cycle, ASK), {"comment": "  "}, follow=True)
    assert "Hãy ghi rõ nội dung cán bộ đầu mối cần sửa." in response.content.decode()
    assert not Notification.objects.exists()


def test_the_head_finds_the_form_on_the_draft_report(org: Org, dept_cycle: Cycle):
    page = as_user(org.head).get(url(dept_cycle)).content.decode()
    assert f'action="{url(dept_cycle, ASK)}"' in page


def test_only_the_head_may_ask_the_reporter(org: Org, dept_cycle: Cycle):
    for user in (org.reporter, org.admin):
        response = as_user(user).post(url(dept_cycle, ASK), {"comment": "Sửa 1.1"})
        assert response.status_code == 403
    assert not Notification.objects.exists()


def test_a_long_report_lists_its_groups_with_their_progress_at_the_top(org: Org, dept_cycle: Cycle):
    save(dept_cycle, "1.4", {"so_tin_bai_cds": 12}, org.reporter)
    page = as_user(org.reporter).get(url(dept_cycle)).content.decode()
    nav = page[
        page.index('class="group-nav') : page.index("</nav>", page.index('class="group-nav'))
    ]
    assert 'href="#group-1"' in nav and "1/5" in nav
    assert 'id="group-1"' in page
