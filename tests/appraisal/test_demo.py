"""The demo's appraised years: published results with a tie, corrections with
their reasons, an explanation exchange, the province's own result, and a
council seated for the running year. Seeded once for the module (it takes a
few seconds) inside a transaction rolled back at the end."""

from __future__ import annotations

import io
from collections import Counter

import pytest
from django.core.management import call_command
from django.test.utils import override_settings
from django.utils import timezone

from dtis.appraisal.items import previous_cycle
from dtis.appraisal.models import (
    CouncilMember,
    CycleOutcome,
    ExplanationRequest,
    Item,
    ItemEvent,
    ItemState,
    ReasonCode,
    Stage,
    UnitResult,
)
from dtis.reporting.demo import DEPARTMENTS_CYCLE, PROVINCE_CYCLE
from dtis.reporting.models import Cycle, Evidence, EvidenceKind, Notification, Submission

FAST_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(scope="module")
def demo(seeded_demo):  # type: ignore[no-untyped-def]
    return seeded_demo


def year(offset: int) -> int:
    return timezone.localdate().year + offset


def departments(offset: int) -> Cycle:
    return Cycle.objects.get(name=DEPARTMENTS_CYCLE.format(year=year(offset)))


def ranking(cycle: Cycle) -> list[tuple[int, str, object]]:
    return list(
        UnitResult.objects.filter(cycle=cycle)
        .order_by("rank", "assessed__unit__code")
        .values_list("rank", "assessed__unit__code", "index")
    )


def test_last_years_departments_are_published_with_a_tie(demo, db):
    cycle = departments(-1)
    assert cycle.outcome.stage == Stage.PUBLISHED
    rows = ranking(cycle)
    assert len(rows) == cycle.assessed.count() >= 8
    ranks = Counter(rank for rank, _unit, _index in rows)
    shared = [rank for rank, n in ranks.items() if n == 2]
    assert len(shared) == 1
    (tied,) = shared
    assert len({index for rank, _u, index in rows if rank == tied}) == 1  # the same index
    assert tied + 1 not in ranks and tied + 2 in ranks  # the next rank is skipped
    assert all(r.decided == r.items > 0 for r in UnitResult.objects.filter(cycle=cycle))


def test_the_year_before_is_published_too_so_last_year_has_changes(demo, db):
    earlier, later = departments(-2), departments(-1)
    assert earlier.outcome.stage == Stage.PUBLISHED
    assert earlier.outcome.published_at < later.outcome.published_at
    assert previous_cycle(later) == earlier
    units_both = set(later.assessed.values_list("unit__code", flat=True)) & set(
        earlier.assessed.values_list("unit__code", flat=True)
    )
    assert len(units_both) >= 8  # most departments are compared with the year before


def test_corrections_carry_reason_codes_and_written_reasons(demo, db):
    corrected = Item.objects.filter(
        period__cycle__in=[departments(-2), departments(-1)], state=ItemState.CORRECTED
    )
    assert corrected.count() >= 8
    assert all(it.reason.strip() and it.reason_code in ReasonCode.values for it in corrected)
    assert len(set(corrected.values_list("reason_code", flat=True))) >= 5
    assert all(it.appraised_points < it.figure.self_points for it in corrected)


def test_last_year_has_an_explanation_answered_with_a_cited_document(demo, db):
    requests = ExplanationRequest.objects.filter(item__period__cycle=departments(-1))
    answered = [r for r in requests if not r.is_open]
    assert answered
    documents = Evidence.objects.filter(
        pk__in=[e.pk for r in answered for e in r.evidence.all()], kind=EvidenceKind.DOCUMENT
    )
    assert documents.exists() and all(d.doc_number and d.doc_date for d in documents)
    assert {r.item.state for r in answered} == {ItemState.ACCEPTED, ItemState.CORRECTED}
    actions = list(answered[0].item.events.values_list("action", flat=True))
    assert actions[:2] == ["request", "answer"]
    # One unit never answered: the council decided after the due date.
    unanswered = [r for r in requests if r.is_open]
    assert len(unanswered) == 1
    last_event = unanswered[0].item.events.last()
    assert timezone.localdate(last_event.at) > unanswered[0].due


def test_the_provinces_own_result_of_last_year_is_published(demo, db):
    cycle = Cycle.objects.get(name=PROVINCE_CYCLE.format(year=year(-1)))
    assert cycle.framework.code == "vn-province-2025"
    assert cycle.outcome.stage == Stage.PUBLISHED
    (result,) = UnitResult.objects.filter(cycle=cycle)
    assert result.assessed.unit.code == "KHH" and result.rank == 1
    assert result.final_points < result.self_points  # the council corrected some claims


def test_the_running_year_has_its_council_and_nothing_decided(demo, db):
    cycle = departments(0)
    seats = {s.user.username: s for s in CouncilMember.objects.filter(cycle=cycle)}
    assert seats["vo.thi.ngoc.lan"].role == "chair"
    assert len(seats) == 3 and all(s.groups.exists() for s in seats.values())
    assert not Item.objects.filter(period__cycle=cycle).exists()
    assert not CycleOutcome.objects.filter(cycle=cycle).exists()


def test_the_appraisal_happened_in_the_past_and_its_notices_are_read(demo, db):
    now = timezone.now()
    for offset in (-2, -1):
        cycle = departments(offset)
        events = ItemEvent.objects.filter(item__period__cycle=cycle)
        assert all(e.at.year == cycle.year + 1 and e.at < now for e in events)
        assert cycle.outcome.published_at.year == cycle.year + 1
        late = Submission.objects.filter(period__cycle=cycle, period__kind="year", days_late__gt=0)
        assert late.exists()
    published = Notification.objects.filter(message__contains=str(year(-1)))
    assert published.exists() and not published.filter(read_at__isnull=True).exists()


def test_seeding_again_creates_nothing(demo, db):
    models = (
        Cycle,
        Item,
        ItemEvent,
        ExplanationRequest,
        UnitResult,
        CouncilMember,
        Evidence,
        Submission,
        Notification,
    )
    before = [m.objects.count() for m in models]
    with override_settings(PASSWORD_HASHERS=FAST_HASHERS):
        call_command("seed-demo", stdout=io.StringIO())
    assert [m.objects.count() for m in models] == before
