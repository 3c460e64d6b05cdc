"""Background tasks: thin wrappers over the services the commands already call.

No business rule lives here; each task takes plain, JSON-safe arguments (ids,
ISO dates, stored file names), calls a service, and returns a JSON-safe
summary. Without DTIS_REDIS_URL `.delay()` runs the task inline; with it a
worker (`celery -A dtis.ops.celery worker`) does. Callers inside a database
transaction queue with `transaction.on_commit(lambda: task.delay(...))`, so a
worker never looks for rows that are not committed yet.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from celery import shared_task
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.utils import timezone

import dtis.ops.celery  # noqa: F401  (makes the dtis app the one `.delay()` sends through)
from dtis.appraisal.exports import ranking_xlsx
from dtis.appraisal.items import open_items, reported_units
from dtis.appraisal.materialise import recompute
from dtis.frameworks.published import published_import
from dtis.frameworks.services import find
from dtis.plans.reminders import send_task_reminders
from dtis.reporting.models import Cycle
from dtis.reporting.reminders import send_reminders as send_period_reminders

EXPORTS_DIR = "exports"


@shared_task(name="dtis.ops.tasks.send_reminders")
def send_reminders(date_iso: str | None = None) -> dict[str, Any]:
    """What `dtis send-reminders [--date]` does: the reporting periods'
    reminders and the approved plans' task reminders; the same JSON as
    `dtis send-reminders --json`. Beat sends it each morning."""
    today = dt.date.fromisoformat(date_iso) if date_iso else None
    summary = send_period_reminders(today=today)
    tasks = send_task_reminders(today=today)
    return summary.as_json() | {"plan_tasks": [t.as_json() for t in tasks]}


@shared_task(name="dtis.ops.tasks.recompute_cycle")
def recompute_cycle(cycle_id: int) -> dict[str, int]:
    """What `dtis results recompute --cycle ID` does: open the items of
    accepted reports that lack them, score every unit again and rank them."""
    cycle = Cycle.objects.select_related("framework", "scope").get(pk=cycle_id)
    opened = open_items(cycle, reported_units(cycle))
    scored = recompute(cycle)
    return {"cycle": cycle.pk, "units": len(scored), "items_opened": opened}


@shared_task(name="dtis.ops.tasks.export_ranking")
def export_ranking(cycle_id: int) -> str:
    """The cycle's ranking workbook (the ministry's layout) written to the
    file storage; returns the stored name, to open with `default_storage`."""
    cycle = Cycle.objects.get(pk=cycle_id)
    stamp = timezone.localtime().strftime("%Y%m%d-%H%M%S")
    name = f"{EXPORTS_DIR}/{cycle.pk}/xep-hang-{cycle.year}-{stamp}.xlsx"
    return default_storage.save(name, ContentFile(ranking_xlsx(cycle)))


@shared_task(name="dtis.ops.tasks.import_published_results")
def import_published_results(stored_name: str, framework: str, year: int) -> dict[str, Any]:
    """What `dtis results import FILE --framework CODE --year YYYY` does, for a
    file already in the storage (uploaded, or made by `export_ranking`).
    All or nothing: with problems nothing is stored and they are returned."""
    found = find(framework)
    if found is None:
        raise ValueError(f"No framework has the code {framework!r}.")
    with default_storage.open(stored_name, "rb") as upload:
        report = published_import(
            framework=found, year=year, upload=upload, filename=stored_name.rsplit("/", 1)[-1]
        )
    return {
        "stored": report.stored if report.ok else 0,
        "problems": [{"row": p.row, "message": str(p.message)} for p in report.problems],
    }


@shared_task(name="dtis.ops.tasks.build_training_sandbox")
def build_training_sandbox(actor_id: int | None, cycle_id: int | None) -> dict[str, Any]:
    """What `dtis training create` does: the training sandbox anew, from a
    cycle or (no cycle) from the demo. Seeding the demo takes tens of
    seconds, too long to hold a page open when a worker is there; the
    worker must share the application's disk (the sandbox is a SQLite file)."""
    from dtis.orgs.models import User
    from dtis.training import sandbox

    actor = User.objects.filter(pk=actor_id).first() if actor_id else None
    cycle = Cycle.objects.select_related("scope").get(pk=cycle_id) if cycle_id else None
    made = sandbox.create(actor, cycle)
    return {"rows": made.rows, "source": made.source}
