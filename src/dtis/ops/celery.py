"""The Celery application: `celery -A dtis.ops.celery worker` and `… beat`.

Configured from Django's settings (the `CELERY_*` names in settings.py, which
come from DTIS_* variables): with `DTIS_REDIS_URL` the broker and the result
store are that Redis; without it every task runs inline, in the process that
asks for it (`task_always_eager`), so the embedded trial set-up needs no
queue at all. Beat sends the day's reminders at `DTIS_REMINDERS_AT` (07:00 by
default) in the installation's time zone; its schedule is here, in code, not
in the database (no django-celery-beat to migrate and administer).
"""

from __future__ import annotations

import os
from typing import Any

from celery import Celery
from celery.schedules import crontab
from django.core.exceptions import ImproperlyConfigured

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "dtis.settings")

REMINDERS_TASK = "dtis.ops.tasks.send_reminders"


def reminder_time(text: str) -> tuple[int, int]:
    """Read "07:00" as (7, 0); anything else stops the start-up with the reason."""
    try:
        hour, minute = (int(part) for part in text.strip().split(":"))
    except ValueError:
        hour = minute = -1
    if not (0 <= hour <= 23 and 0 <= minute <= 59):
        raise ImproperlyConfigured(f"DTIS_REMINDERS_AT={text!r}: expected a time such as 07:00")
    return hour, minute


def create_app(**overrides: Any) -> Celery:
    """A Celery app configured from the Django settings, then `overrides`.

    Production has one (`app` below); tests make another pointed at a Redis
    database and queue of their own. The tasks are `shared_task`s, so every
    app made here knows them.
    """
    celery_app = Celery("dtis", set_as_current=False)
    celery_app.config_from_object("django.conf:settings", namespace="CELERY")
    celery_app.autodiscover_tasks()  # dtis.ops.tasks, and any other app's tasks.py
    celery_app.on_after_configure.connect(_schedule_reminders, sender=celery_app, weak=False)
    if overrides:
        celery_app.conf.update(overrides)
    return celery_app


def _schedule_reminders(sender: Celery, **kwargs: Any) -> None:
    from django.conf import settings

    hour, minute = reminder_time(settings.REMINDERS_AT)
    sender.conf.beat_schedule = {
        "send-reminders-daily": {
            "task": REMINDERS_TASK,
            "schedule": crontab(hour=hour, minute=minute),
        }
    }


app = create_app()
# The default for every thread: a web server's request threads and the worker
# find the tasks' app without having imported this module themselves.
app.set_default()
