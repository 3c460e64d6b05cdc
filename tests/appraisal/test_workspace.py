"""Selectors of the council's workspace: which cycles, the queue's counts, one
unit's items with their earlier figures and evidence."""

from __future__ import annotations

import datetime as dt

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from dtis.appraisal.decisions import bulk_accept, item_request_explanation
from dtis.appraisal.models import CycleOutcome, Item, ItemState, Stage
from dtis.appraisal.workspace import (
    council_cycles,
    has_workspace,
    load_queue,
    load_unit_items,
    may_open,
)
from dtis.reporting.evidence import store_document, store_file
from dtis.reporting.figures import figure_save
from dtis.reporting.models import AssessedUnit, PeriodState
from tests.reporting.test_evidence import MINIMAL_PDF, png_bytes


def _item(assessed, code):
    return Item.objects.select_related(
        "period__cycle", "assessed__unit", "assessed__cycle", "indicator", "main", "figure"
    ).get(assessed=assessed, indicator__code=code)


def test_the_council_and_the_office_have_a_workspace_others_do_not(year_cycle, org):
    cycle = year_cycle.cycle
    for person in (year_cycle.chair, year_cycle.member, org.admin, org.superuser):
        assert may_open(person, cycle) and has_workspace(person), person.username
    for person in (org.reporter, org.head, org.viewer):
        assert not may_open(person, cycle) and not has_workspace(person), person.username
    # Another province's office has the menu (it runs its own cycles), not this cycle.
    assert has_workspace(org.other_admin) and not may_open(org.other_admin, cycle)
    assert council_cycles(org.other_admin) == []


def test_cycles_show_the_stage_the_seat_and_the_progress(year_cycle, org):
    bulk_accept(actor=year_cycle.member, assessed=year_cycle.home)
    [row] = council_cycles(year_cycle.member)
    items = Item.objects.filter(assessed__cycle=year_cycle.cycle)
    assert (row.cycle, row.stage, row.runs) == (year_cycle.cycle, Stage.APPRAISING, False)
    assert row.seat.role == "member"
    assert (row.assessed, row.reported) == (3, 3)
    assert row.items == items.count()
    assert row.decided == items.filter(state=ItemState.ACCEPTED).count() > 0
    [office] = council_cycles(org.admin)
    assert office.runs and office.seat is None
    assert council_cycles(org.reporter) == []


def test_the_queue_counts_my_groups_or_all(year_cycle):
    mine = load_queue(year_cycle.member, year_cycle.cycle)
    everything = load_queue(year_cycle.member, year_cycle.cycle, mine=False)
    home = Item.objects.filter(assessed=year_cycle.home)
    assert mine.mine and not everything.mine
    [row] = [r for r in mine.rows if r.assessed == year_cycle.home]
    assert row.items == row.pending == home.filter(main__code__in=["1", "2"]).count()
    [row] = [r for r in everything.rows if r.assessed == year_cycle.home]
    assert row.items == row.pending == home.count()
    assert row.mine_pending == home.filter(main__code__in=["1", "2"]).count()
    assert [g.code for g in mine.groups] == ["1", "2"]


def test_the_office_without_a_seat_counts_every_group(year_cycle, org):
    queue = load_queue(org.admin, year_cycle.cycle)
    assert not queue.mine and not queue.can_filter and queue.runs
    assert not queue.can_sign_off and queue.can_publish and queue.can_reopen


def test_the_queue_counts_explanations_awaited_overdue_and_answered(year_cycle, org):
    from dtis.appraisal.decisions import explanation_answer

    items = list(
        Item.objects.filter(assessed=year_cycle.home, main__code="1")
        .select_related("period__cycle", "assessed__unit", "assessed__cycle", "indicator", "main")
        .order_by("indicator__order")[:3]
    )
    today = timezone.localdate()
    for n, item in enumerate(items):
        item_request_explanation(
            actor=year_cycle.chair,
            item=item,
            question="Bổ sung minh chứng.",
            due=today + dt.timedelta(days=3),
            today=today - dt.timedelta(days=n * 10),
        )
    # One request is answered; another was due in the past (requested earlier).
    from dtis.appraisal.models import ExplanationRequest

    ExplanationRequest.objects.filter(item=items[1]).update(due=today - dt.timedelta(days=2))
    explanation_answer(
        actor=org.reporter,
        request=ExplanationRequest.objects.get(item=items[2]),
        answer="Đã bổ sung kế hoạch số 27/KH-SNV.",
    )
    queue = load_queue(year_cycle.chair, year_cycle.cycle, today=today)
    [row] = [r for r in queue.rows if r.assessed == year_cycle.home]
    assert (row.explanation, row.overdue, row.answered) == (2, 1, 1)


def test_units_not_in_appraisal_are_listed_apart_with_their_report_state(year_cycle, org):
    late = AssessedUnit.objects.create(cycle=year_cycle.cycle, unit=org.commune, peer_group="Xã")
    queue = load_queue(year_cycle.chair, year_cycle.cycle)
    assert [w.assessed for w in queue.waiting] == [late]
    assert queue.waiting[0].state == ""
    assert late not in [r.assessed for r in queue.rows]


def test_the_chair_sees_how_many_items_are_undecided(year_cycle):
    queue = load_queue(year_cycle.chair, year_cycle.cycle)
    assert queue.can_sign_off
    assert queue.undecided == Item.objects.filter(assessed__cycle=year_cycle.cycle).count()
    for assessed in (year_cycle.home, year_cycle.finance, year_cycle.health):
        bulk_accept(actor=year_cycle.chair, assessed=assessed)
    assert load_queue(year_cycle.chair, year_cycle.cycle).undecided == 0


def test_a_unit_s_items_come_grouped_with_who_may_act(year_cycle):
    data = load_unit_items(year_cycle.member, year_cycle.cycle, year_cycle.home)
    assert [g.main.code for g in data.groups] == ["1", "2"]
    assert all(v.can_act for v in data.items)
    assert (
        data.hidden
        == Item.objects.filter(assessed=year_cycle.home).exclude(main__code__in=["1", "2"]).count()
    )
    everything = load_unit_items(year_cycle.member, year_cycle.cycle, year_cycle.home, mine=False)
    assert len(everything.items) == Item.objects.filter(assessed=year_cycle.home).count()
    assert {v.can_act for v in everything.items} == {True, False}


def test_an_item_carries_its_figures_self_score_and_rule(year_cycle):
    data = load_unit_items(year_cycle.member, year_cycle.cycle, year_cycle.home)
    view = data.items[0]
    item = _item(year_cycle.home, view.item.indicator.code)
    assert view.self_points == item.figure.self_points
    assert [v["label"] for v in view.values] == [
        str(s.get("label") or s["name"]) for s in item.indicator.inputs
    ]
    assert view.rule_text


def test_evidence_is_split_into_files_links_and_documents(year_cycle, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    item = _item(year_cycle.home, "1.1")
    old = store_file(
        actor=None,
        figure=item.figure,
        upload=SimpleUploadedFile("cu.pdf", MINIMAL_PDF, content_type="application/pdf"),
    )
    new = store_file(
        actor=None,
        figure=item.figure,
        upload=SimpleUploadedFile("anh.png", png_bytes(), content_type="image/png"),
    )
    old.replaced_by = new
    old.save()
    store_document(
        actor=None,
        figure=item.figure,
        number="27/KH-SNV",
        date=dt.date(2025, 3, 21),
        summary="Kế hoạch chuyển đổi số năm 2025",
    )
    data = load_unit_items(year_cycle.member, year_cycle.cycle, year_cycle.home)
    view = next(v for v in data.items if v.item.pk == item.pk)
    assert [(e.original_name, e.preview) for e in view.files] == [("anh.png", "image")]
    assert [e.doc_number for e in view.documents] == ["27/KH-SNV"]
    assert view.links == []


def test_the_previous_period_is_the_fourth_quarter(year_cycle):
    item = _item(year_cycle.home, "1.1")
    q4 = year_cycle.cycle.periods.get(kind="q4")
    q4.state = PeriodState.OPEN
    q4.unit_deadline = timezone.localdate() + dt.timedelta(days=5)
    q4.save()
    figure_save(
        actor=None,
        period=q4,
        assessed=year_cycle.home,
        indicator=item.indicator,
        values=dict(item.figure.values),
    )
    data = load_unit_items(year_cycle.member, year_cycle.cycle, year_cycle.home)
    view = next(v for v in data.items if v.item.pk == item.pk)
    assert data.previous_period == q4
    assert view.previous is not None and view.previous.values == view.values
    other = next(v for v in data.items if v.item.pk != item.pk)
    assert other.previous is None


def test_an_item_waiting_for_its_explanation_offers_no_decision(year_cycle):
    item = _item(year_cycle.home, "1.1")
    item_request_explanation(
        actor=year_cycle.chair,
        item=item,
        question="Bổ sung.",
        due=timezone.localdate() + dt.timedelta(days=3),
    )
    data = load_unit_items(year_cycle.chair, year_cycle.cycle, year_cycle.home, only=[item.pk])
    [view] = data.items
    assert view.waiting and not view.can_accept and not view.can_correct and not view.can_request
    assert [r.question for r in view.requests] == ["Bổ sung."]
    assert [e.action for e in view.events] == ["request"]
    later = load_unit_items(
        year_cycle.chair,
        year_cycle.cycle,
        year_cycle.home,
        only=[item.pk],
        today=timezone.localdate() + dt.timedelta(days=4),
    )
    assert later.items[0].can_accept  # past the due date the council decides


def test_nobody_acts_once_signed_off(year_cycle):
    CycleOutcome.objects.filter(cycle=year_cycle.cycle).update(stage=Stage.SIGNED_OFF)
    year_cycle.cycle.refresh_from_db()
    data = load_unit_items(year_cycle.chair, year_cycle.cycle, year_cycle.home)
    assert not any(v.can_act for v in data.items)
