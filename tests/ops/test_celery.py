"""Background work: the same tasks run inline in the embedded set-up and on a
real Celery worker with Redis in production; beat sends the reminders at 07:00.

The worker tests start Celery's in-thread worker on the local Redis, with a
queue of their own (per test and xdist worker), and commit their data
(`transaction=True`) so the worker's own database connection sees it.
"""

from __future__ import annotations

import datetime as dt
import io
import json
import os
import subprocess
import sys
import uuid

import pytest
import redis
from celery.contrib.testing.worker import start_worker
from celery.result import EagerResult
from celery.schedules import crontab
from django.core.exceptions import ImproperlyConfigured
from django.core.files.storage import default_storage
from django.core.management import call_command
from django.db import transaction
from openpyxl import load_workbook

from dtis.appraisal.models import IndicatorResult, UnitResult
from dtis.frameworks.models import PublishedResult
from dtis.ops import celery as dtis_celery
from dtis.ops import tasks
from dtis.plans.draft import draft, save_draft
from dtis.plans.models import PlanStatus
from dtis.reporting.models import Notification
from tests.appraisal.conftest import frameworks, year_cycle  # noqa: F401
from tests.dashboards.ranking_data import _decided, _published  # noqa: F401

TODAY = dt.date(2026, 5, 11)
WORKER_TIMEOUT = 60  # seconds; a task takes well under one
# Celery's Redis result store calls a method redis-py 8 marks deprecated; not ours to fix.
QUIET_REDIS = pytest.mark.filterwarnings("ignore:Call to deprecated setex:DeprecationWarning")


# --- the data the tasks work on --------------------------------------------------


@pytest.fixture
def plan_due_next_week(published, org):  # type: ignore[no-untyped-def]
    """The published 2025 results of Sở Nội vụ, Sở Tài chính and Sở Y tế, and
    Sở Nội vụ's approved plan whose first task is due on 18/05/2026."""
    plan = save_draft(draft(published.home), org.admin)
    plan.status = PlanStatus.APPROVED
    plan.save()
    first = plan.tasks.order_by("order").first()
    plan.tasks.exclude(pk=first.pk).update(deadline=dt.date(2026, 11, 30))
    first.deadline = TODAY + dt.timedelta(days=7)
    first.save()
    return plan


def _notifications(after: int = 0) -> list[tuple[int, str, str]]:
    rows = Notification.objects.filter(pk__gt=after).values_list("user_id", "message", "url")
    return sorted(rows)


def _last_notification() -> int:
    return Notification.objects.order_by("-pk").values_list("pk", flat=True).first() or 0


def _results(cycle) -> dict[int, tuple]:  # type: ignore[no-untyped-def]
    """Each unit's stored scores, and its indicators', comparable across a recompute."""
    units = UnitResult.objects.filter(cycle=cycle).values_list(
        "assessed_id", "self_points", "appraised_points", "final_points", "index", "rank", "band"
    )
    indicators = IndicatorResult.objects.filter(result__cycle=cycle).values_list(
        "result__assessed_id", "code", "self_points", "appraised_points", "final_points"
    )
    by_unit = {row[0]: (row[1:], []) for row in units}
    for assessed_id, *rest in indicators:
        by_unit[assessed_id][1].append(tuple(rest))
    return {k: (scores, tuple(sorted(rows))) for k, (scores, rows) in by_unit.items()}


# --- the embedded default: inline -----------------------------------------------


def _celery_conf(**env: str) -> dict:
    """The production app's settings as a fresh process with this environment sees them."""
    code = (
        "import json, django; django.setup(); from dtis.ops.celery import app; c = app.conf; "
        "print(json.dumps([c.task_always_eager, c.broker_url, c.result_backend, "
        "c.task_default_queue]))"
    )
    base = {k: v for k, v in os.environ.items() if k != "DTIS_REDIS_URL"}
    done = subprocess.run(
        [sys.executable, "-c", code],
        env=base | {"DJANGO_SETTINGS_MODULE": "dtis.settings"} | env,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    eager, broker, backend, queue = json.loads(done.stdout)
    return {"eager": eager, "broker": broker, "backend": backend, "queue": queue}


def test_without_dtis_redis_url_the_app_runs_tasks_inline():
    assert _celery_conf() == {
        "eager": True,
        "broker": "memory://",
        "backend": None,
        "queue": "dtis",
    }


def test_with_dtis_redis_url_the_broker_and_the_results_are_that_redis():
    url = "redis://:mat-khau@redis.noi-bo:6379/2"
    assert _celery_conf(DTIS_REDIS_URL=url) == {
        "eager": False,
        "broker": url,
        "backend": url,
        "queue": "dtis",
    }


@pytest.fixture
def inline():  # type: ignore[no-untyped-def]
    """The embedded default even when the suite runs with DTIS_REDIS_URL set."""
    if dtis_celery.app.conf.task_always_eager:
        yield dtis_celery.app
        return
    app = dtis_celery.create_app(task_always_eager=True, broker_url="memory://")
    app.set_current()
    app.set_default()
    yield app
    dtis_celery.app.set_current()
    dtis_celery.app.set_default()


def test_delay_runs_the_task_inline_in_the_calling_process(inline, plan_due_next_week, org):
    task_notes = Notification.objects.filter(user=org.head, url__startswith="/ke-hoach/")
    assert not task_notes.exists()
    result = tasks.send_reminders.delay(TODAY.isoformat())
    assert isinstance(result, EagerResult)
    # Already done when .delay() returns: the head has the plan task's reminder.
    assert task_notes.exists()
    data = result.get()
    assert {s["recipient"] for s in data["plan_tasks"]} == {
        org.head.username,
        org.reporter.username,
    }


def test_an_inline_task_that_fails_raises_in_the_caller(inline, db):
    with pytest.raises(Exception, match="does not exist"):
        tasks.recompute_cycle.delay(987654)


def test_the_ranking_export_lands_in_the_file_storage_and_reads_back(
    inline, published, settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path
    name = tasks.export_ranking.delay(published.cycle.pk).get()
    assert name.startswith(f"exports/{published.cycle.pk}/xep-hang-2025-")
    assert name.endswith(".xlsx")
    with default_storage.open(name, "rb") as fh:
        rows = list(load_workbook(io.BytesIO(fh.read())).active.values)
    assert rows[0][:2] == ("Xếp hạng", "Tên đơn vị")
    assert [r[1] for r in rows[1:]] == [
        "Sở Tài chính tỉnh Khánh Hòa",
        "Sở Y tế tỉnh Khánh Hòa",
        "Sở Nội vụ tỉnh Khánh Hòa",
    ]


def test_a_stored_ranking_imports_as_published_results(inline, published, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    name = tasks.export_ranking.delay(published.cycle.pk).get()
    outcome = tasks.import_published_results.delay(name, "hy-department-2023", 2025).get()
    assert outcome == {"stored": 3, "problems": []}
    imported = PublishedResult.objects.filter(year=2025).values_list("unit_name", "published_rank")
    assert sorted(imported, key=lambda r: r[1]) == [
        ("Sở Tài chính tỉnh Khánh Hòa", 1),
        ("Sở Y tế tỉnh Khánh Hòa", 2),
        ("Sở Nội vụ tỉnh Khánh Hòa", 3),
    ]


def test_a_stored_file_that_is_not_a_ranking_imports_nothing(
    inline,
    db,
    frameworks,  # noqa: F811
    settings,
    tmp_path,
):
    settings.MEDIA_ROOT = tmp_path
    name = default_storage.save("uploads/ghi-chu.csv", io.BytesIO("Ghi chú;Nội dung\n".encode()))
    outcome = tasks.import_published_results.delay(name, "hy-department-2023", 2025).get()
    assert outcome["stored"] == 0 and outcome["problems"]
    assert not PublishedResult.objects.exists()


# --- beat -------------------------------------------------------------------------


def test_beat_sends_the_reminders_every_day_at_seven_in_vietnam():
    entry = dtis_celery.app.conf.beat_schedule["send-reminders-daily"]
    assert entry["task"] == tasks.send_reminders.name
    assert entry["task"] in dtis_celery.app.tasks
    assert entry["schedule"] == crontab(hour=7, minute=0)
    assert str(dtis_celery.app.timezone) == "Asia/Ho_Chi_Minh"


@pytest.mark.parametrize("text", ["7h", "25:00", "07:60", ""])
def test_a_reminder_time_it_cannot_read_stops_the_start_up(text):
    with pytest.raises(ImproperlyConfigured, match="DTIS_REMINDERS_AT"):
        dtis_celery.reminder_time(text)


def test_the_reminder_time_is_read_as_hours_and_minutes():
    assert dtis_celery.reminder_time("06:30") == (6, 30)


# --- a real worker on Redis -------------------------------------------------------


@pytest.fixture
def worker(redis_url, worker_id, monkeypatch):  # type: ignore[no-untyped-def]
    """A Celery worker in a thread, on its own queue of the local Redis; `.delay()`
    goes to it while the test runs, and to the inline app again afterwards."""
    monkeypatch.setenv("CELERY_SKIP_CHECKS", "1")  # Django's checks ran when the suite started
    queue = f"dtis-test-{worker_id}-{uuid.uuid4().hex[:10]}"
    app = dtis_celery.create_app(
        broker_url=redis_url,
        result_backend=redis_url,
        task_always_eager=False,
        task_default_queue=queue,
        result_expires=600,
        worker_hijack_root_logger=False,
        worker_enable_remote_control=False,
    )
    try:
        with start_worker(app, pool="solo", perform_ping_check=False, shutdown_timeout=30):
            yield app
    finally:
        dtis_celery.app.set_current()
        dtis_celery.app.set_default()
        client = redis.Redis.from_url(redis_url)
        leftovers = list(client.scan_iter(match=f"*{queue}*"))  # the queue and its bindings
        if leftovers:
            client.delete(*leftovers)
        client.close()


def _through_the_worker(app, task, *args):  # type: ignore[no-untyped-def]
    result = task.delay(*args)
    assert not isinstance(result, EagerResult)
    assert result.app.conf.task_default_queue == app.conf.task_default_queue
    try:
        return result.get(timeout=WORKER_TIMEOUT)
    finally:
        result.forget()  # the stored result too: the test leaves nothing in Redis


@QUIET_REDIS
@pytest.mark.django_db(transaction=True)
def test_reminders_sent_by_the_worker_are_those_the_command_sends(worker, plan_due_next_week):
    last = _last_notification()  # publication notified the units already
    # What `dtis send-reminders --date 2026-05-11 --json` sends, then rolled back.
    with transaction.atomic():
        out = io.StringIO()
        call_command("send-reminders", "--date", TODAY.isoformat(), "--json", stdout=out)
        by_command = json.loads(out.getvalue()), _notifications(after=last)
        transaction.set_rollback(True)
    assert _notifications(after=last) == []
    assert by_command[0]["plan_tasks"], "the scenario must send plan-task reminders"

    by_worker = _through_the_worker(worker, tasks.send_reminders, TODAY.isoformat())
    assert (by_worker, _notifications(after=last)) == by_command
    # The worker committed them: sent once, so a second run sends nothing.
    again = _through_the_worker(worker, tasks.send_reminders, TODAY.isoformat())
    assert again["sent"] == [] and again["plan_tasks"] == []


@QUIET_REDIS
@pytest.mark.django_db(transaction=True)
def test_a_bulk_recompute_on_the_worker_rebuilds_every_units_results(worker, year_cycle):  # noqa: F811
    cycle = year_cycle.cycle
    before = _results(cycle)
    assert len(before) == 3
    UnitResult.objects.filter(cycle=cycle).delete()  # the indicators' rows go with them
    assert _results(cycle) == {}

    done = _through_the_worker(worker, tasks.recompute_cycle, cycle.pk)
    assert done == {"cycle": cycle.pk, "units": 3, "items_opened": 0}
    assert _results(cycle) == before
