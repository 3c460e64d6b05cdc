"""`dtis ministry-export --cycle ID --format xlsx|json --output FILE`.

A province's yearly figures and evidence list for the ministry, from the
province's own cycle (`dtis.reporting.ministry`): a workbook shaped like the
indicator list (sheets "Chỉ số" and "Minh chứng"), or the same content as
JSON. Evidence download links start with DTIS_SITE_URL when it is set.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from dtis.reporting.ministry import ExportError, gather, ministry_json, ministry_xlsx
from dtis.reporting.models import Cycle

FORMATS = ("xlsx", "json")


class Command(BaseCommand):
    help = "Export a province's yearly figures and evidence list for the ministry (XLSX or JSON)."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--cycle", required=True, help="the province's own cycle (id)")
        parser.add_argument("--format", required=True, help="xlsx or json")
        parser.add_argument("--output", required=True, help="the file to write")

    def handle(self, *args: Any, **options: Any) -> None:
        fmt = str(options["format"]).lower()
        if fmt not in FORMATS:
            raise CommandError(
                _("Unknown format %(format)s: use xlsx or json.") % {"format": options["format"]}
            )
        try:
            cycle_id = int(options["cycle"])
        except ValueError as exc:
            raise CommandError(_("%(name)s must be a whole number.") % {"name": "--cycle"}) from exc
        cycle = (
            Cycle.objects.filter(pk=cycle_id)
            .select_related("framework", "scope", "outcome")
            .prefetch_related("assessed")
            .first()
        )
        if cycle is None:
            raise CommandError(_("There is no cycle %(id)s.") % {"id": options["cycle"]})
        out = Path(options["output"])
        if not out.parent.is_dir():
            raise CommandError(_("The folder %(dir)s does not exist.") % {"dir": out.parent})
        try:
            export = gather(cycle)
        except ExportError as exc:
            raise CommandError(str(exc)) from exc
        if fmt == "xlsx":
            out.write_bytes(ministry_xlsx(export))
        else:
            text = json.dumps(ministry_json(export), ensure_ascii=False, indent=2)
            out.write_text(text + "\n", encoding="utf-8")
        self.stdout.write(_("Written to %(file)s.") % {"file": out})
