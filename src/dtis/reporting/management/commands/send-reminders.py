"""`dtis send-reminders`: the day's reminders, e-mail and in-app, each sent once:
the reporting periods' (`reporting.reminders`) and, without --cycle, the
approved plans' tasks due soon or overdue (`plans.reminders`)."""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from dtis.plans.reminders import send_task_reminders
from dtis.reporting.models import Cycle
from dtis.reporting.reminders import send_reminders


class Command(BaseCommand):
    help = (
        "Send today's reminders for every open period (deadline, overdue, returned, "
        "daily digest). Safe to run more than once a day: nothing is sent twice."
    )

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--date", help="the day to act as today, YYYY-MM-DD")
        parser.add_argument("--cycle", type=int, help="only this cycle (id)")
        parser.add_argument("--json", action="store_true")

    def handle(self, *args: Any, **options: Any) -> None:
        today = None
        if options["date"]:
            try:
                today = dt.date.fromisoformat(options["date"])
            except ValueError:
                raise CommandError(
                    _("--date must be a date such as 2026-03-25, not “%(value)s”.")
                    % {"value": options["date"]}
                ) from None
        cycle = None
        if options["cycle"] is not None:
            cycle = Cycle.objects.filter(pk=options["cycle"]).first()
            if cycle is None:
                raise CommandError(_("No cycle has the id %(id)s.") % {"id": options["cycle"]})
        summary = send_reminders(today=today, cycle=cycle)
        tasks = send_task_reminders(today=today) if cycle is None else []
        if options["json"]:
            data = summary.as_json() | {"plan_tasks": [t.as_json() for t in tasks]}
            self.stdout.write(json.dumps(data, ensure_ascii=False, indent=1))
            return
        for t in tasks:
            mail = " ✉" if t.emailed else ""
            self.stdout.write(f"{t.kind:<8} {t.task} · {t.unit} → {t.recipient}{mail}")
        for s in summary.sent:
            where = f"{s.unit} · " if s.unit else ""
            mail = " ✉" if s.emailed else ""
            self.stdout.write(f"{s.kind:<8} {where}{s.period} → {s.recipient}{mail}")
        self.stdout.write(
            _("%(n)s reminders sent on %(day)s (%(emails)s e-mails).")
            % {
                "n": len(summary.sent) + len(tasks),
                "day": summary.date.strftime("%d/%m/%Y"),
                "emails": summary.emails + sum(t.emailed for t in tasks),
            }
        )
        if summary.email_failures:
            self.stderr.write(
                _("%(n)s e-mails could not be sent; the in-app notifications were delivered.")
                % {"n": summary.email_failures}
            )
