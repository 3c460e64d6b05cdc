"""`dtis import-units FILE`: all-or-nothing import of units from CSV/XLSX."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from dtis.orgs.unit_files import units_import


class Command(BaseCommand):
    help = "Import units from a CSV or XLSX file; nothing is written if any row is wrong."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("file")
        parser.add_argument("--json", action="store_true")

    def handle(self, *args: Any, **options: Any) -> None:
        path = Path(options["file"])
        if not path.is_file():
            raise CommandError(_("File %(path)s does not exist.") % {"path": path})
        with path.open("rb") as fh:
            report = units_import(actor=None, upload=fh, filename=path.name)
        summary = {
            "created": report.created,
            "updated": report.updated,
            "unchanged": report.unchanged,
            "problems": [{"row": p.row, "message": p.message} for p in report.problems],
        }
        if options["json"]:
            self.stdout.write(json.dumps(summary, ensure_ascii=False))
        elif report.ok:
            self.stdout.write(
                _("Imported: %(created)s new, %(updated)s updated, %(unchanged)s unchanged.")
                % summary
            )
        else:
            for p in report.problems:
                self.stderr.write(
                    _("Row %(row)s: %(message)s") % {"row": p.row, "message": p.message}
                )
        if not report.ok:
            raise CommandError(
                _("Nothing was imported: %(n)s problems.") % {"n": len(report.problems)}
            )
