"""Next year's plan drafted from a published result: the largest losses
first, the right owners, the gap shared out, and "out of reach" said plainly."""

from __future__ import annotations

import json
from decimal import Decimal as D

import pytest
from django.core.management import CommandError, call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext

from dtis.appraisal.models import IndicatorResult, UnitResult
from dtis.dashboards.models import Target, TargetKind
from dtis.plans.draft import DraftError, draft, save_draft
from dtis.plans.models import PlanStatus
from dtis.plans.wording import sections
from dtis.reporting.models import Assignment
from tests.appraisal.results_data import add_units


def _lost(assessed) -> dict[str, D]:  # type: ignore[no-untyped-def]
    """Points lost per scored leaf, from the stored result."""
    rows = IndicatorResult.objects.filter(
        result__assessed=assessed, is_main=False, applicable=True
    ).exclude(indicator__children__isnull=False)
    out = {}
    for r in rows:
        points = r.final_points if r.final_points is not None else r.self_points
        if points < r.max_points:
            out[r.code] = r.max_points - points
    return out


def test_every_indicator_below_its_maximum_is_listed_largest_loss_first(published):
    d = draft(published.health)
    assert {i.code: i.points_lost for i in d.items} == _lost(published.health)
    losses = [i.points_lost for i in d.items]
    assert losses == sorted(losses, reverse=True)  # same effort everywhere


def test_each_item_names_its_lead_unit_from_the_assignments(published):
    d = draft(published.health)
    owners = {
        a.indicator.code: a.owner.name
        for a in Assignment.objects.filter(assessed=published.health).select_related(
            "indicator", "owner"
        )
    }
    assert d.items and all(i.owner_name == owners[i.code] for i in d.items)
    assert all(i.tasks and i.deadline and i.deadline.year == 2026 for i in d.items)


def test_a_total_target_is_met_by_the_allocation(published):
    now = UnitResult.objects.get(assessed=published.health).final_points
    d = draft(published.health, target_total=now + D(5))
    assert d.gap == D(5) and d.reachable
    assert sum(i.allocated for i in d.items) == D(5)
    assert all(i.allocated <= i.points_lost for i in d.items)


def test_a_rank_target_asks_for_the_total_of_the_peer_at_that_rank(published):
    results = {
        r.assessed_id: r.final_points for r in UnitResult.objects.filter(cycle=published.cycle)
    }
    best = max(v for k, v in results.items() if k != published.health.pk)
    d = draft(published.health, target_rank=1)
    assert d.points_for_rank == best
    assert d.target >= best
    assert d.reachable == (sum(i.allocated for i in d.items) >= d.gap)


def test_a_rank_beyond_the_known_peers_is_not_turned_into_zero_points(published):
    d = draft(published.health, target_rank=17)  # three departments in the cycle
    assert d.peers == 2 and d.rank_unknown
    assert d.points_for_rank is None
    assert "chưa quy đổi được thứ hạng" in sections(d)["targets_text"]


def test_without_any_target_the_plan_aims_above_last_years_result(published):
    d = draft(published.health)
    text = sections(d)["targets_text"]
    assert d.target_total is None and d.target_rank is None
    assert "giữ vững và cao hơn kết quả năm 2025" in text and "0,00/" not in text


def test_the_rank_now_is_the_place_among_the_peers(published):
    d = draft(published.health, target_rank=1)
    assert d.rank_now == UnitResult.objects.get(assessed=published.health).rank


def test_a_target_beyond_what_a_year_can_win_back_is_out_of_reach(published):
    result = UnitResult.objects.get(assessed=published.health)
    d = draft(published.health, target_total=result.max_points)
    assert not d.reachable
    assert d.solution.shortfall > 0
    assert all(i.allocated < i.points_lost or i.effort == 1 for i in d.items)


def test_the_cycles_own_targets_apply_when_none_is_given(published):
    Target.objects.create(cycle=published.cycle, kind=TargetKind.RANK, value=D(1))
    Target.objects.create(cycle=published.cycle, kind=TargetKind.POINTS, value=D(100))
    d = draft(published.health)
    assert d.target_rank == 1 and d.target_total == D(100)
    assert d.target == d.points_for_rank


def test_an_unpublished_cycle_cannot_be_drafted_from(decided):
    with pytest.raises(DraftError):
        draft(decided.health)


@pytest.mark.parametrize(
    "kwargs", [{"target_rank": 0}, {"target_total": D(-5)}, {"target_total": D(5000)}]
)
def test_impossible_targets_are_refused(published, kwargs):
    with pytest.raises(DraftError):
        draft(published.health, **kwargs)


def test_the_effort_of_last_years_approved_plan_carries_over(published, org):
    first = draft(published.health)
    plan = save_draft(first, org.admin)
    biggest = plan.tasks.order_by("order").first()
    biggest.effort = 3
    biggest.save()
    plan.status = PlanStatus.APPROVED
    plan.year = published.cycle.year  # last year's plan, for this year's draft
    plan.save()
    again = draft(published.health)
    effort = {i.code: i.effort for i in again.items}
    assert effort[biggest.code] == 3
    priorities = [i.points_lost / i.effort for i in again.items]
    assert priorities == sorted(priorities, reverse=True)
    full = draft(published.health, target_total=first.max_points)
    hard = next(i for i in full.items if i.code == biggest.code)
    assert hard.allocated == hard.points_lost / 2  # a hard indicator: half in a year


def test_a_saved_draft_keeps_the_order_numbers_and_wording(published, org):
    d = draft(published.health, target_rank=1)
    plan = save_draft(d, org.admin)
    tasks = list(plan.tasks.order_by("order"))
    assert [t.code for t in tasks] == [i.code for i in d.items]
    assert plan.status == PlanStatus.DRAFT and plan.year == 2026
    assert plan.number.startswith("…/KH-") and "Sở Y tế" in plan.title
    assert plan.issuer == "SỞ Y TẾ" and plan.issuer_parent == "UBND TỈNH KHÁNH HÒA"
    assert "nhóm 1 đơn vị dẫn đầu" in plan.targets_text


def test_drafting_costs_the_same_queries_with_more_units(published, org):
    draft(published.health, target_rank=1)  # warm-up (the framework's tree is kept)
    with CaptureQueriesContext(connection) as few:
        draft(published.health, target_rank=1)
    add_units(org, published.cycle, 5)
    with CaptureQueriesContext(connection) as more:
        draft(published.health, target_rank=1)
    assert len(more) == len(few)


# --- the command (contract) ----------------------------------------------------------------


def _run(*args: str) -> str:
    from io import StringIO

    out = StringIO()
    call_command("plan", *args, stdout=out)
    return out.getvalue()


def test_the_command_prints_the_contract_json(published):
    code = published.health.unit.code
    data = json.loads(_run("draft", "--cycle", str(published.cycle.pk), "--unit", code,
                           "--target-rank", "1", "--json"))  # fmt: skip
    assert {"target", "gap", "reachable", "items"} <= set(data)
    item = data["items"][0]
    assert {"indicator", "points_lost", "allocated", "owner", "tasks", "deadline"} <= set(item)
    assert item["deadline"].startswith("2026-")
    assert data["reachable"] == (sum(i["allocated"] for i in data["items"]) >= data["gap"])


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--cycle", "99999"], "no cycle"),
        (["--cycle", "x"], "whole number"),
        (["--target-total", "nhiều"], "number"),
        ([], "several units"),
        (["--unit", "KHONG-CO"], "not assessed"),
    ],
)
def test_the_command_refuses_bad_input_with_a_message(published, args, message):
    base = ["draft", "--json"]
    if "--cycle" not in args:
        base += ["--cycle", str(published.cycle.pk)]
    if "--unit" not in args and message not in ("several units",):
        base += ["--unit", published.health.unit.code]
    from django.utils import translation

    with translation.override("en"), pytest.raises(CommandError, match=message):
        _run(*base, *args)
