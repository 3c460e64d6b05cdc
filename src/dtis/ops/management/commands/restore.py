"""`dtis restore DIR [--json]`: a backup folder into an empty installation.

Checks every checksum first, then the database vendor and that the target is
empty (no table in the database, no file in the storage); any refusal
changes nothing. See `dtis.ops.backup` for what "empty" means and why.
"""

from __future__ import annotations

import json
from dataclasses import asdict
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from dtis.ops.backup import BackupError, restore


class Command(BaseCommand):
    help = "Restore a backup folder (made by `dtis backup`) into an empty installation."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("folder", help="the backup folder")
        parser.add_argument("--json", action="store_true", help="print the report as JSON")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            report = restore(Path(options["folder"]))
        except BackupError as exc:
            raise CommandError(str(exc)) from exc
        if options["json"]:
            self.stdout.write(json.dumps(asdict(report), ensure_ascii=False, indent=2))
        else:
            self.stdout.write(
                _(
                    "Restored: %(vendor)s database, %(tables)d tables, %(rows)d rows, "
                    "%(files)d files."
                )
                % {
                    "vendor": report.vendor,
                    "tables": report.tables,
                    "rows": report.rows,
                    "files": report.files,
                }
            )
            if report.pending_migrations:
                self.stdout.write(
                    _("This version of DTIS is newer than the backup: run `dtis migrate` now.")
                )
        if report.mismatches:
            raise CommandError(
                _("Row counts differ from the backup: %(list)s")
                % {"list": "; ".join(report.mismatches)}
            )
        if not options["json"]:
            self.stdout.write(_("Every table has the row count recorded in the backup."))
