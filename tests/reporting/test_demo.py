"""The demo shows a living reporting year."""

from __future__ import annotations

import datetime as dt
import io

from django.core.management import call_command

from dtis.plans.models import Plan
from dtis.reporting.demo import seed_reporting
from dtis.reporting.models import Cycle, Evidence, Figure, Submission, SubmissionState


def test_seed_demo_runs_a_provincial_and_a_departments_cycle(seeded_demo, db):  # type: ignore[no-untyped-def]
    frameworks = set(Cycle.objects.values_list("framework__code", flat=True))
    assert frameworks == {"vn-province-2025", "hy-department-2023"}
    assert Figure.objects.exists() and Evidence.objects.exists()


def test_the_demo_quarter_before_today_has_late_returned_and_accepted_reports(seeded_demo, db):  # type: ignore[no-untyped-def]
    Plan.objects.all().delete()  # plans keep their cycle from being deleted
    Cycle.objects.all().delete()
    seed_reporting(today=dt.date(2026, 11, 23))
    q3 = Submission.objects.filter(period__kind="q3")
    assert q3.filter(days_late__gt=0).count() >= 1
    assert q3.filter(state=SubmissionState.RETURNED).count() == 1
    assert q3.filter(state=SubmissionState.ACCEPTED).exists()
    q4 = Figure.objects.filter(period__kind="q4", period__state="open")
    assert q4.exists()


def test_seeding_again_adds_nothing(seeded_demo, db):  # type: ignore[no-untyped-def]
    before = (Cycle.objects.count(), Figure.objects.count())
    call_command("seed-demo", stdout=io.StringIO())
    assert (Cycle.objects.count(), Figure.objects.count()) == before


def test_earlier_quarters_of_the_demo_year_are_accepted_not_overdue(seeded_demo, db):  # type: ignore[no-untyped-def]
    Plan.objects.all().delete()  # plans keep their cycle from being deleted
    Cycle.objects.all().delete()
    seed_reporting(today=dt.date(2026, 11, 23))
    q1 = Submission.objects.filter(period__kind="q1")
    assert q1.exists()
    assert set(q1.values_list("state", flat=True)) == {SubmissionState.ACCEPTED}
