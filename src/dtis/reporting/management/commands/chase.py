"""`dtis chase --cycle ID [--period KIND] [--json]`: where every unit's report stands."""

from __future__ import annotations

import json
from typing import Any

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from dtis.reporting.chase import Row, chase_rows
from dtis.reporting.models import Cycle, PeriodKind


def row_json(row: Row) -> dict[str, Any]:
    """contract: unit, period, status, deadline (ISO), days_late (0 if not late)."""
    return {
        "unit": row.unit.name,
        "unit_code": row.unit.code,
        "peer_group": row.peer_group,
        "period": row.period.kind,
        "status": row.status,
        "deadline": row.deadline.isoformat(),
        "days_to_deadline": row.days_to_deadline,
        "days_late": row.days_late,
        "submitted_at": row.submitted_at.isoformat() if row.submitted_at else None,
        "reporters": [u.username for u in row.reporters],
        "heads": [u.username for u in row.heads],
    }


class Command(BaseCommand):
    help = "List each assessed unit's report status per open or closed period of a cycle."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--cycle", required=True, type=int, help="the cycle's id")
        parser.add_argument("--period", help="one period: q1, q2, h1, q3, q4 or year")
        parser.add_argument("--json", action="store_true")

    def handle(self, *args: Any, **options: Any) -> None:
        cycle = Cycle.objects.filter(pk=options["cycle"]).first()
        if cycle is None:
            raise CommandError(_("No cycle has the id %(id)s.") % {"id": options["cycle"]})
        period = None
        if options["period"]:
            kind = options["period"].lower()
            if kind not in PeriodKind.values:
                kinds = ", ".join(PeriodKind.values)
                raise CommandError(_("--period must be one of %(kinds)s.") % {"kinds": kinds})
            period = cycle.periods.filter(kind=kind).first()
            if period is None:
                raise CommandError(_("This cycle has no period %(kind)s.") % {"kind": kind})
        rows = chase_rows(cycle, period)
        if options["json"]:
            self.stdout.write(json.dumps([row_json(r) for r in rows], ensure_ascii=False, indent=1))
            return
        for r in rows:
            late = f"  +{r.days_late}" if r.days_late else ""
            self.stdout.write(
                f"{r.period.kind:<5} {r.deadline:%d/%m/%Y}  {r.status:<11} {r.unit.name}{late}"
            )
