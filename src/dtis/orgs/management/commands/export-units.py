"""`dtis export-units`: write units as CSV or XLSX in the import layout."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from dtis.core.tabular import csv_lines, xlsx_bytes
from dtis.orgs.models import Unit
from dtis.orgs.unit_files import HEADERS_VI, export_queryset, export_rows


class Command(BaseCommand):
    help = "Export units (all, or those under --root) to a .csv or .xlsx file, or CSV to stdout."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--root", help="code of the top unit to export")
        parser.add_argument("--out", help="file to write (.csv or .xlsx); default: CSV on stdout")

    def handle(self, *args: Any, **options: Any) -> None:
        root = None
        if options["root"]:
            root = Unit.objects.filter(code=options["root"].upper()).first()
            if root is None:
                raise CommandError(
                    _("No unit has the code “%(code)s”.") % {"code": options["root"]}
                )
        rows = export_rows(export_queryset(root))
        out = Path(options["out"]) if options["out"] else None
        if out is None:
            for line in csv_lines(HEADERS_VI, rows):
                sys.stdout.write(line)
        elif out.suffix.lower() == ".xlsx":
            out.write_bytes(xlsx_bytes(_("Units"), HEADERS_VI, rows))
        elif out.suffix.lower() == ".csv":
            with out.open("w", encoding="utf-8", newline="") as fh:
                fh.writelines(csv_lines(HEADERS_VI, rows))
        else:
            raise CommandError(_("--out must name a .csv or .xlsx file."))
