"""The council's workspace through the client: who sees what, each decision,
htmx fragments, bad input, the stage, and bounded queries."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal as D
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from dtis.appraisal.decisions import bulk_accept, item_request_explanation
from dtis.appraisal.models import (
    CouncilMember,
    CouncilRole,
    CycleOutcome,
    Item,
    ItemState,
    ReasonCode,
    Stage,
)
from dtis.appraisal.publication import sign_off
from dtis.frameworks.services import find
from dtis.reporting.cycles import cycle_create
from dtis.reporting.evidence import store_document, store_file
from dtis.reporting.figures import figure_save
from dtis.reporting.models import PeriodState
from tests.pages import english
from tests.reporting.test_evidence import MINIMAL_PDF, png_bytes

HTMX = {"HTTP_HX_REQUEST": "true"}


def _item(assessed, code):
    return Item.objects.select_related("indicator", "main").get(
        assessed=assessed, indicator__code=code
    )


def _other_group_item(year_cycle):
    """An item of the home department outside the member's groups (1 and 2)."""
    return (
        Item.objects.filter(assessed=year_cycle.home)
        .exclude(main__code__in=["1", "2"])
        .select_related("indicator")
        .first()
    )


def _queue(cycle):
    return f"/tham-dinh/{cycle.pk}/"


def _unit(cycle, assessed):
    return f"/tham-dinh/{cycle.pk}/don-vi/{assessed.pk}/"


def _accept(item):
    return f"/tham-dinh/muc/{item.pk}/chap-nhan/"


def _correct(item):
    return f"/tham-dinh/muc/{item.pk}/dieu-chinh/"


def _request(item):
    return f"/tham-dinh/muc/{item.pk}/giai-trinh/"


@pytest.fixture
def media(settings, tmp_path: Path) -> Path:  # type: ignore[no-untyped-def]
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


# --- who sees what -----------------------------------------------------------------------


def test_it_lists_the_cycles_of_the_council_and_of_the_office(client, year_cycle, org):
    for person in (year_cycle.chair, year_cycle.member, org.admin):
        client.force_login(person)
        response = client.get("/tham-dinh/")
        assert response.status_code == 200
        assert year_cycle.cycle.name in response.content.decode()
    client.force_login(org.reporter)
    response = client.get("/tham-dinh/")
    assert year_cycle.cycle.name not in response.content.decode()


def test_people_outside_the_council_and_the_office_get_403_on_every_page(client, year_cycle, org):
    cycle = year_cycle.cycle
    pages = [_queue(cycle), _unit(cycle, year_cycle.home), f"/tham-dinh/{cycle.pk}/hoi-dong/"]
    # The unit's own reporter and head, a viewer of the province, another province's office.
    for outsider in (org.reporter, org.head, org.viewer, org.other_admin):
        client.force_login(outsider)
        for url in pages:
            assert client.get(url).status_code == 403, (outsider.username, url)


def test_the_appraisal_menu_shows_only_for_the_council_and_the_office(client, year_cycle, org):
    with english(client):
        for person, shown in ((year_cycle.member, True), (org.admin, True), (org.reporter, False)):
            client.force_login(person)
            html = client.get("/").content.decode()
            assert ('href="/tham-dinh/"' in html) is shown, person.username


def test_the_queue_shows_each_unit_with_its_progress_and_the_units_not_reported(
    client, year_cycle, org
):
    from dtis.reporting.models import AssessedUnit

    late = AssessedUnit.objects.create(
        cycle=year_cycle.cycle, unit=org.commune, peer_group="Xã, phường, đặc khu"
    )
    bulk_accept(actor=year_cycle.chair, assessed=year_cycle.home)
    client.force_login(year_cycle.chair)
    html = client.get(_queue(year_cycle.cycle) + "?show=all").content.decode()
    total = Item.objects.filter(assessed=year_cycle.home).count()
    assert year_cycle.health.unit.name in html and year_cycle.finance.unit.name in html
    assert f'<progress max="{total}" value="{total}"' in html
    assert 'id="waiting-h"' in html and late.unit.name in html
    assert f'id="unit-{late.pk}"' not in html  # not among the units in appraisal


def test_a_member_counts_their_own_groups_by_default(client, year_cycle):
    client.force_login(year_cycle.member)
    mine = Item.objects.filter(assessed=year_cycle.home, main__code__in=["1", "2"]).count()
    everything = Item.objects.filter(assessed=year_cycle.home).count()
    html = client.get(_queue(year_cycle.cycle)).content.decode()
    assert f'<progress max="{mine}" value="0"' in html
    html = client.get(_queue(year_cycle.cycle) + "?show=all").content.decode()
    assert f'<progress max="{everything}" value="0"' in html


def test_the_unit_page_shows_only_my_groups_unless_asked_for_all(client, year_cycle):
    client.force_login(year_cycle.member)
    mine = _item(year_cycle.home, "1.1")
    other = _other_group_item(year_cycle)
    html = client.get(_unit(year_cycle.cycle, year_cycle.home)).content.decode()
    assert f'id="item-{mine.pk}"' in html and f'id="item-{other.pk}"' not in html
    html = client.get(_unit(year_cycle.cycle, year_cycle.home) + "?show=all").content.decode()
    assert f'id="item-{other.pk}"' in html
    # Outside their groups the member reads but has no decision form.
    assert f'action="{_accept(other)}"' not in html and f'action="{_accept(mine)}"' in html


# --- the council page ------------------------------------------------------------------------


def test_the_office_seats_a_person_with_a_role_and_groups(client, year_cycle, org):
    cycle = year_cycle.cycle
    client.force_login(org.admin)
    groups = list(
        cycle.framework.indicators.filter(parent__isnull=True, code__in=["3", "4"]).order_by("code")
    )
    response = client.post(
        f"/tham-dinh/{cycle.pk}/hoi-dong/",
        {
            "user": org.viewer.pk,
            "role": CouncilRole.WORKING_GROUP,
            "groups": [g.pk for g in groups],
        },
    )
    assert response.status_code == 302
    seat = CouncilMember.objects.get(cycle=cycle, user=org.viewer)
    assert seat.role == CouncilRole.WORKING_GROUP
    assert sorted(g.code for g in seat.groups.all()) == ["3", "4"]
    html = client.get(f"/tham-dinh/{cycle.pk}/hoi-dong/").content.decode()
    assert org.viewer.full_name in html and "Phạm Quốc Việt" in html
    # The viewer now has a seat: the queue opens for them.
    client.force_login(org.viewer)
    assert client.get(_queue(cycle)).status_code == 200


def test_a_second_chair_is_refused_with_a_message(client, year_cycle, org):
    cycle = year_cycle.cycle
    client.force_login(org.admin)
    with english(client):
        response = client.post(
            f"/tham-dinh/{cycle.pk}/hoi-dong/", {"user": org.viewer.pk, "role": CouncilRole.CHAIR}
        )
    assert response.status_code == 400
    assert "already chairs this council" in response.content.decode()
    assert not CouncilMember.objects.filter(cycle=cycle, user=org.viewer).exists()


def test_a_person_outside_the_cycles_scope_cannot_be_chosen(client, year_cycle, org):
    cycle = year_cycle.cycle
    client.force_login(org.admin)
    response = client.post(
        f"/tham-dinh/{cycle.pk}/hoi-dong/",
        {"user": org.other_reporter.pk, "role": CouncilRole.MEMBER},
    )
    assert response.status_code == 400
    assert not CouncilMember.objects.filter(cycle=cycle, user=org.other_reporter).exists()


def test_members_read_the_council_but_cannot_change_it(client, year_cycle, org):
    cycle = year_cycle.cycle
    seat = CouncilMember.objects.get(cycle=cycle, user=year_cycle.member)
    client.force_login(year_cycle.member)
    response = client.get(f"/tham-dinh/{cycle.pk}/hoi-dong/")
    assert response.status_code == 200
    assert 'name="role"' not in response.content.decode()
    response = client.post(
        f"/tham-dinh/{cycle.pk}/hoi-dong/", {"user": org.viewer.pk, "role": CouncilRole.MEMBER}
    )
    assert response.status_code == 403
    assert client.post(f"/tham-dinh/{cycle.pk}/hoi-dong/{seat.pk}/xoa/").status_code == 403
    assert CouncilMember.objects.filter(cycle=cycle).count() == 2


def test_the_office_removes_a_seat(client, year_cycle, org):
    cycle = year_cycle.cycle
    seat = CouncilMember.objects.get(cycle=cycle, user=year_cycle.member)
    client.force_login(org.admin)
    response = client.post(f"/tham-dinh/{cycle.pk}/hoi-dong/{seat.pk}/xoa/")
    assert response.status_code == 302
    assert not CouncilMember.objects.filter(pk=seat.pk).exists()
    client.force_login(year_cycle.member)
    assert client.get(_queue(cycle)).status_code == 403


# --- decisions on an item ------------------------------------------------------------------------


def test_accepting_redirects_to_the_item_on_the_unit_page(client, year_cycle):
    item = _item(year_cycle.home, "1.1")
    client.force_login(year_cycle.member)
    response = client.post(_accept(item))
    assert response.status_code == 302
    assert response["Location"] == _unit(year_cycle.cycle, year_cycle.home) + f"#item-{item.pk}"
    assert Item.objects.get(pk=item.pk).state == ItemState.ACCEPTED


def test_an_htmx_decision_returns_only_the_items_fragment(client, year_cycle):
    item = _item(year_cycle.home, "1.1")
    client.force_login(year_cycle.member)
    response = client.post(_accept(item), **HTMX)
    assert response.status_code == 200
    html = response.content.decode()
    assert html.lstrip().startswith("<article") and "<html" not in html
    assert f'id="item-{item.pk}"' in html
    assert 'id="unit-progress" hx-swap-oob="true"' in html  # the unit's progress follows
    assert Item.objects.get(pk=item.pk).state == ItemState.ACCEPTED


def test_a_correction_with_a_decimal_comma_sets_the_appraised_points(client, year_cycle):
    item = _item(year_cycle.home, "1.1")
    client.force_login(year_cycle.member)
    response = client.post(
        _correct(item),
        {
            "points": "0,5",
            "reason_code": ReasonCode.OUTSIDE_PERIOD,
            "reason": "Quyết định ban hành ngoài kỳ đánh giá.",
        },
        **HTMX,
    )
    assert response.status_code == 200
    item.refresh_from_db()
    assert (item.state, item.appraised_points) == (ItemState.CORRECTED, D("0.50"))
    assert "Quyết định ban hành ngoài kỳ đánh giá." in response.content.decode()


def test_a_correction_without_a_reason_is_refused_and_changes_nothing(client, year_cycle):
    item = _item(year_cycle.home, "1.1")
    client.force_login(year_cycle.member)
    with english(client):
        response = client.post(_correct(item), {"points": "1", "reason_code": "", "reason": " "})
    assert response.status_code == 400
    html = response.content.decode()
    assert "Write the reason: the unit reads it with its result." in html
    assert "Choose why the score changes." in html
    assert "<html" in html  # the whole unit page, the item's form open with its errors
    item.refresh_from_db()
    assert item.state == ItemState.PENDING and not item.events.exists()


def test_an_htmx_correction_above_the_maximum_shows_the_error_in_the_fragment(client, year_cycle):
    item = _item(year_cycle.home, "1.1")
    client.force_login(year_cycle.member)
    with english(client):
        response = client.post(
            _correct(item),
            {
                "points": str(item.indicator.max_points + 1),
                "reason_code": ReasonCode.OTHER,
                "reason": "Sai",
            },
            **HTMX,
        )
    assert response.status_code == 400
    html = response.content.decode()
    assert "<html" not in html and "Enter points between 0 and" in html
    assert Item.objects.get(pk=item.pk).state == ItemState.PENDING


def test_points_that_are_not_a_number_are_refused(client, year_cycle):
    item = _item(year_cycle.home, "1.1")
    client.force_login(year_cycle.member)
    with english(client):
        response = client.post(
            _correct(item), {"points": "bảy", "reason_code": ReasonCode.OTHER, "reason": "Sai"}
        )
    assert response.status_code == 400
    assert "Enter the points as a number" in response.content.decode()
    assert Item.objects.get(pk=item.pk).state == ItemState.PENDING


def test_requesting_an_explanation_through_the_page(client, year_cycle, org):
    item = _item(year_cycle.home, "1.1")
    due = timezone.localdate() + dt.timedelta(days=10)
    client.force_login(year_cycle.member)
    response = client.post(
        _request(item),
        {
            "question": "Đề nghị bổ sung quyết định kiện toàn Ban Chỉ đạo.",
            "due": due.strftime("%d/%m/%Y"),
        },
    )
    assert response.status_code == 302
    item.refresh_from_db()
    assert item.state == ItemState.EXPLANATION
    assert item.requests.get().due == due
    html = client.get(_unit(year_cycle.cycle, year_cycle.home)).content.decode()
    assert due.strftime("%d/%m/%Y") in html
    # While the unit may still answer, no decision form is offered on the item.
    assert f'action="{_accept(item)}"' not in html


def test_the_request_form_proposes_a_due_date_a_week_ahead(client, year_cycle):
    client.force_login(year_cycle.member)
    html = client.get(_unit(year_cycle.cycle, year_cycle.home)).content.decode()
    assert (timezone.localdate() + dt.timedelta(days=7)).strftime("%d/%m/%Y") in html


def test_an_explanation_due_today_is_refused(client, year_cycle):
    item = _item(year_cycle.home, "1.1")
    client.force_login(year_cycle.member)
    with english(client):
        response = client.post(
            _request(item),
            {"question": "Bổ sung.", "due": timezone.localdate().strftime("%d/%m/%Y")},
            **HTMX,
        )
    assert response.status_code == 400
    assert "The answer must be due after today." in response.content.decode()
    assert not item.requests.exists()


def test_a_member_cannot_decide_outside_their_groups(client, year_cycle):
    item = _other_group_item(year_cycle)
    client.force_login(year_cycle.member)
    posts = [
        (_accept(item), {}),
        (_correct(item), {"points": "0", "reason_code": ReasonCode.OTHER, "reason": "Sai"}),
        (_request(item), {"question": "?", "due": "01/01/2099"}),
    ]
    for url, data in posts:
        assert client.post(url, data).status_code == 403, url
        assert client.post(url, data, **HTMX).status_code == 403, url
    item.refresh_from_db()
    assert item.state == ItemState.PENDING and not item.events.exists()


def test_the_office_reads_but_does_not_appraise(client, year_cycle, org):
    item = _item(year_cycle.home, "1.1")
    client.force_login(org.admin)
    assert client.get(_unit(year_cycle.cycle, year_cycle.home)).status_code == 200
    assert client.post(_accept(item)).status_code == 403
    assert Item.objects.get(pk=item.pk).state == ItemState.PENDING


def test_bulk_accept_accepts_the_untouched_items_of_my_groups(client, year_cycle):
    client.force_login(year_cycle.member)
    url = f"/tham-dinh/{year_cycle.cycle.pk}/don-vi/{year_cycle.home.pk}/chap-nhan-tat-ca/"
    response = client.post(url)
    assert response.status_code == 302 and response["Location"] == _queue(year_cycle.cycle)
    states = Item.objects.filter(assessed=year_cycle.home)
    assert not states.filter(main__code__in=["1", "2"]).exclude(state=ItemState.ACCEPTED).exists()
    assert not states.exclude(main__code__in=["1", "2"]).exclude(state=ItemState.PENDING).exists()


# --- the stage ----------------------------------------------------------------------------------


def test_the_chair_signs_off_when_everything_is_decided_then_the_office_publishes(
    client, year_cycle, org
):
    cycle = year_cycle.cycle
    client.force_login(year_cycle.chair)
    with english(client):
        html = client.get(_queue(cycle)).content.decode()
    assert "Sign off" in html
    client.post(f"/tham-dinh/{cycle.pk}/ky-duyet/")
    assert CycleOutcome.objects.get(cycle=cycle).stage == Stage.APPRAISING  # items undecided
    for assessed in (year_cycle.home, year_cycle.finance, year_cycle.health):
        bulk_accept(actor=year_cycle.chair, assessed=assessed)
    assert client.post(f"/tham-dinh/{cycle.pk}/ky-duyet/").status_code == 302
    assert CycleOutcome.objects.get(cycle=cycle).stage == Stage.SIGNED_OFF
    client.force_login(org.admin)
    with english(client):
        html = client.get(_queue(cycle)).content.decode()
    assert f'action="/tham-dinh/{cycle.pk}/cong-bo/"' in html
    assert client.post(f"/tham-dinh/{cycle.pk}/cong-bo/").status_code == 302
    assert CycleOutcome.objects.get(cycle=cycle).stage == Stage.PUBLISHED


def test_a_member_cannot_sign_off_publish_or_reopen(client, year_cycle):
    cycle = year_cycle.cycle
    for assessed in (year_cycle.home, year_cycle.finance, year_cycle.health):
        bulk_accept(actor=year_cycle.chair, assessed=assessed)
    client.force_login(year_cycle.member)
    assert client.post(f"/tham-dinh/{cycle.pk}/ky-duyet/").status_code == 403
    sign_off(actor=year_cycle.chair, cycle=cycle)
    assert client.post(f"/tham-dinh/{cycle.pk}/cong-bo/").status_code == 403
    assert client.post(f"/tham-dinh/{cycle.pk}/mo-lai/", {"reason": "x"}).status_code == 403
    assert CycleOutcome.objects.get(cycle=cycle).stage == Stage.SIGNED_OFF


def test_reopening_needs_a_reason_and_is_recorded(client, year_cycle, org):
    cycle = year_cycle.cycle
    for assessed in (year_cycle.home, year_cycle.finance, year_cycle.health):
        bulk_accept(actor=year_cycle.chair, assessed=assessed)
    sign_off(actor=year_cycle.chair, cycle=cycle)
    client.force_login(org.admin)
    with english(client):
        response = client.post(f"/tham-dinh/{cycle.pk}/mo-lai/", {"reason": "  "}, follow=True)
    assert "Give the reason for reopening the results." in response.content.decode()
    assert CycleOutcome.objects.get(cycle=cycle).stage == Stage.SIGNED_OFF
    reason = "Bộ KH&CN đề nghị rà soát lại chỉ số 3.2."
    response = client.post(f"/tham-dinh/{cycle.pk}/mo-lai/", {"reason": reason}, follow=True)
    assert CycleOutcome.objects.get(cycle=cycle).stage == Stage.APPRAISING
    assert reason.replace("&", "&amp;") in response.content.decode()  # the stage history


def test_no_decision_form_once_signed_off(client, year_cycle):
    for assessed in (year_cycle.home, year_cycle.finance, year_cycle.health):
        bulk_accept(actor=year_cycle.chair, assessed=assessed)
    sign_off(actor=year_cycle.chair, cycle=year_cycle.cycle)
    item = _item(year_cycle.home, "1.1")
    client.force_login(year_cycle.chair)
    html = client.get(_unit(year_cycle.cycle, year_cycle.home)).content.decode()
    assert f'action="{_correct(item)}"' not in html
    response = client.post(
        _correct(item), {"points": "0", "reason_code": ReasonCode.OTHER, "reason": "Sai"}
    )
    assert response.status_code == 400
    assert Item.objects.get(pk=item.pk).state == ItemState.ACCEPTED


# --- what the council reads ----------------------------------------------------------------------


def test_evidence_files_are_previewed_in_the_page_and_downloadable(client, year_cycle, media):
    item = _item(year_cycle.home, "1.1")
    pdf = store_file(
        actor=None,
        figure=item.figure,
        upload=SimpleUploadedFile("QD-125-SNV.pdf", MINIMAL_PDF, content_type="application/pdf"),
    )
    png = store_file(
        actor=None,
        figure=item.figure,
        upload=SimpleUploadedFile("anh-chup-cong.png", png_bytes(), content_type="image/png"),
    )
    store_document(
        actor=None,
        figure=item.figure,
        number="125/QĐ-SNV",
        date=dt.date(2025, 3, 12),
        issuer="Sở Nội vụ",
        summary="Kiện toàn Ban Chỉ đạo chuyển đổi số",
    )
    client.force_login(year_cycle.member)
    html = client.get(_unit(year_cycle.cycle, year_cycle.home)).content.decode()
    preview = f"/tai-lieu-kiem-chung/{pdf.pk}/xem/"
    assert (
        f'<iframe src="{preview}#view=FitH&amp;navpanes=0" title="QD-125-SNV.pdf" loading="lazy">'
        in html
    )
    assert (
        f'<img src="/tai-lieu-kiem-chung/{png.pk}/xem/" alt="anh-chup-cong.png" loading="lazy">'
        in html
    )
    assert f'href="/tai-lieu-kiem-chung/{pdf.pk}/tai-ve/"' in html
    assert "125/QĐ-SNV" in html and "12/03/2025" in html
    assert client.get(preview).status_code == 200  # the council may open the unit's files


def _report_previous_year(year_cycle, org, values):
    """A published 2024 cycle of the same framework and scope where Sở Nội vụ reported 1.1."""
    cycle = cycle_create(
        actor=org.admin,
        framework=find("hy-department-2023"),
        year=2024,
        name="Đánh giá chuyển đổi số các sở, ban, ngành năm 2024",
        scope=org.province,
        assessed=[(org.dept_home, "Sở, ban, ngành")],
    )
    period = cycle.periods.get(kind="year")
    period.state = PeriodState.OPEN
    period.unit_deadline = timezone.localdate() + dt.timedelta(days=5)
    period.save()
    assessed = cycle.assessed.get()
    indicator = cycle.framework.indicators.get(code="1.1")
    figure_save(actor=None, period=period, assessed=assessed, indicator=indicator, values=values)
    CycleOutcome.objects.create(cycle=cycle, stage=Stage.PUBLISHED, published_at=timezone.now())
    return cycle


def test_the_previous_years_value_is_shown(client, year_cycle, org):
    item = _item(year_cycle.home, "1.1")
    indicator = item.indicator
    values = dict(item.figure.values)
    spec = indicator.inputs[0]
    values[spec["name"]] = 4 if spec.get("type", "number") == "number" else values[spec["name"]]
    _report_previous_year(year_cycle, org, values)
    client.force_login(year_cycle.member)
    response = client.get(_unit(year_cycle.cycle, year_cycle.home))
    view = next(v for v in response.context["data"].items if v.item.pk == item.pk)
    assert view.last_year is not None and view.last_year.label == "2024"
    assert view.last_year.values[0]["label"] == str(spec.get("label") or spec["name"])
    assert "Năm 2024" in response.content.decode() or "2024" in response.content.decode()


def test_a_previous_year_cycle_not_published_is_not_compared(client, year_cycle, org):
    item = _item(year_cycle.home, "1.1")
    cycle = _report_previous_year(year_cycle, org, dict(item.figure.values))
    CycleOutcome.objects.filter(cycle=cycle).update(stage=Stage.APPRAISING)
    client.force_login(year_cycle.member)
    response = client.get(_unit(year_cycle.cycle, year_cycle.home))
    assert response.context["data"].last_year is None


# --- bounded queries -----------------------------------------------------------------------------


def _activity(year_cycle, first, last):
    """Evidence, explanation requests and decisions on the home department's
    items first..last (in framework order), and on a late unit."""
    items = list(
        Item.objects.filter(assessed=year_cycle.home)
        .select_related("period__cycle", "assessed__unit", "assessed__cycle", "indicator", "main")
        .order_by("indicator__order")
    )[first:last]
    for n, item in enumerate(items):
        store_file(
            actor=None,
            figure=item.figure,
            upload=SimpleUploadedFile("bc.pdf", MINIMAL_PDF, content_type="application/pdf"),
        )
        store_document(
            actor=None,
            figure=item.figure,
            number="12/KH-SNV",
            date=dt.date(2025, 2, 1),
            summary="Kế hoạch",
        )
        if n % 2:
            item_request_explanation(
                actor=year_cycle.chair,
                item=item,
                question="Bổ sung minh chứng.",
                due=timezone.localdate() + dt.timedelta(days=3),
            )


def _count(client, url):
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    return len(ctx.captured_queries)


def test_the_unit_page_runs_a_bounded_number_of_queries(
    client, year_cycle, media, django_assert_max_num_queries
):
    client.force_login(year_cycle.chair)
    url = _unit(year_cycle.cycle, year_cycle.home)
    _activity(year_cycle, 0, 2)
    some = _count(client, url)
    _activity(year_cycle, 2, 12)
    bulk_accept(actor=year_cycle.chair, assessed=year_cycle.home)
    assert _count(client, url) == some
    with django_assert_max_num_queries(22):
        client.get(url)


def test_the_queue_runs_a_bounded_number_of_queries(
    client, year_cycle, org, media, django_assert_max_num_queries
):
    from dtis.reporting.models import AssessedUnit

    client.force_login(year_cycle.chair)
    url = _queue(year_cycle.cycle)
    _activity(year_cycle, 0, 2)
    AssessedUnit.objects.create(cycle=year_cycle.cycle, unit=org.commune, peer_group="Xã")
    some = _count(client, url)
    _activity(year_cycle, 2, 12)
    bulk_accept(actor=year_cycle.chair, assessed=year_cycle.finance)
    AssessedUnit.objects.create(cycle=year_cycle.cycle, unit=org.dept_home_office, peer_group="")
    assert _count(client, url) == some
    with django_assert_max_num_queries(18):
        client.get(url)


def test_the_cycle_list_runs_a_bounded_number_of_queries(
    client, year_cycle, org, django_assert_max_num_queries
):
    client.force_login(org.admin)
    one = _count(client, "/tham-dinh/")
    _report_previous_year(year_cycle, org, dict(_item(year_cycle.home, "1.1").figure.values))
    assert _count(client, "/tham-dinh/") == one
    with django_assert_max_num_queries(12):
        client.get("/tham-dinh/")


def test_the_council_page_runs_a_bounded_number_of_queries(
    client, year_cycle, org, django_assert_max_num_queries
):
    from dtis.appraisal.council import council_seat_set, main_indicators

    url = f"/tham-dinh/{year_cycle.cycle.pk}/hoi-dong/"
    client.force_login(org.admin)
    two = _count(client, url)
    for person in (org.viewer, org.head, org.reporter):
        council_seat_set(
            actor=org.admin,
            cycle=year_cycle.cycle,
            user=person,
            role=CouncilRole.WORKING_GROUP,
            groups=main_indicators(year_cycle.cycle)[2:],
        )
    assert _count(client, url) == two
    with django_assert_max_num_queries(13):
        client.get(url)


def test_every_mistake_in_a_correction_shows_at_once(client, year_cycle):
    item = _item(year_cycle.home, "1.1")
    client.force_login(year_cycle.member)
    with english(client):
        response = client.post(_correct(item), {"points": "99", "reason_code": "", "reason": ""})
    html = response.content.decode()
    assert response.status_code == 400
    assert "Enter points between 0 and 15,00." in html
    assert "Choose why the score changes." in html
    assert Item.objects.get(pk=item.pk).state == ItemState.PENDING


def test_a_unit_cannot_decide_on_its_own_items(client, year_cycle, org):
    item = _item(year_cycle.home, "1.1")
    for person in (org.reporter, org.head):
        client.force_login(person)
        assert client.post(_accept(item)).status_code == 403
        url = f"/tham-dinh/{year_cycle.cycle.pk}/don-vi/{year_cycle.home.pk}/chap-nhan-tat-ca/"
        assert client.post(url).status_code == 403
    assert not Item.objects.filter(assessed=year_cycle.home).exclude(state="pending").exists()
