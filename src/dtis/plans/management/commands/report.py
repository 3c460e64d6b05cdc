"""`dtis report export --cycle ID --period PERIOD --format docx|xlsx --output FILE`
(contract).

The quarterly or yearly report of a cycle: results by indicator, changes
against last year, late units, points lost and the progress of the year's
approved plans (`dtis.plans.reports`), as an official document in the
Decree 30 layout (docx) or a workbook with one sheet per part (xlsx).
PERIOD is the period's kind (q1, q2, h1, q3, q4, year) or its id. Bad input
stops with a clear message before anything is written.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from dtis.plans.reports import find_period, report_of
from dtis.reporting.models import Cycle, PeriodKind

FORMATS = ("docx", "xlsx")


class Command(BaseCommand):
    help = "Export a cycle's quarterly or yearly report as DOCX or XLSX."

    def add_arguments(self, parser: Any) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        e = sub.add_parser("export", help="A period's report as DOCX or XLSX.")
        e.add_argument("--cycle", required=True, help="the cycle's number (id)")
        e.add_argument(
            "--period", required=True, help="q1, q2, h1, q3, q4 or year (or the period's id)"
        )
        e.add_argument("--format", required=True, help="docx or xlsx")
        e.add_argument("--output", required=True, help="the file to write")

    def handle(self, *args: Any, **options: Any) -> None:
        from dtis.plans import documents

        fmt = str(options["format"]).lower()
        if fmt not in FORMATS:
            raise CommandError(
                _("The format must be docx or xlsx, not %(format)s.") % {"format": fmt}
            )
        out = Path(options["output"])
        if not out.parent.is_dir():
            raise CommandError(_("The folder %(dir)s does not exist.") % {"dir": out.parent})
        cycle = _cycle(options["cycle"])
        period = find_period(cycle, options["period"])
        if period is None:
            raise CommandError(
                _("The cycle %(cycle)s has no period %(period)s (use one of: %(kinds)s).")
                % {
                    "cycle": cycle.pk,
                    "period": options["period"],
                    "kinds": ", ".join(
                        k for k in PeriodKind.values if cycle.periods.filter(kind=k).exists()
                    ),
                }
            )
        report = report_of(cycle, period)
        data = documents.report_docx(report) if fmt == "docx" else documents.report_xlsx(report)
        out.write_bytes(data)
        self.stdout.write(_("Written to %(file)s.") % {"file": out})


def _cycle(value: str) -> Cycle:
    text = str(value).strip()
    cycle = None
    if text.isdigit():
        cycle = (
            Cycle.objects.filter(pk=int(text))
            .select_related("framework", "scope", "outcome")
            .first()
        )
    if cycle is None:
        raise CommandError(_("There is no cycle %(id)s.") % {"id": value})
    return cycle
