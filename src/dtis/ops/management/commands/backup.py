"""`dtis backup --output DIR [--json]`: the database, every stored file and a
manifest with checksums, into a new or empty folder (see `dtis.ops.backup`)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from dtis.ops.backup import BackupError, backup


class Command(BaseCommand):
    help = "Back up the database and the stored files into a new or empty folder."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument(
            "--output", required=True, help="a folder that does not exist or is empty"
        )
        parser.add_argument("--json", action="store_true", help="print the manifest as JSON")

    def handle(self, *args: Any, **options: Any) -> None:
        output = Path(options["output"])
        try:
            manifest = backup(output)
        except BackupError as exc:
            raise CommandError(str(exc)) from exc
        if options["json"]:
            self.stdout.write(json.dumps(manifest, ensure_ascii=False, indent=2))
            return
        self.stdout.write(
            _(
                "Backup written to %(dir)s: %(vendor)s database, %(tables)d tables, "
                "%(rows)d rows, %(files)d files."
            )
            % {
                "dir": output,
                "vendor": manifest["database"]["vendor"],
                "tables": len(manifest["rows"]),
                "rows": sum(manifest["rows"].values()),
                "files": len(manifest["files"]),
            }
        )
