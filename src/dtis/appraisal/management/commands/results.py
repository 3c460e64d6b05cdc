"""`dtis results import|rank`: results the ministry published."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from dtis.frameworks.published import checked_json, published_check, published_import
from dtis.frameworks.services import find


class Command(BaseCommand):
    help = "Import published results (CSV/XLSX) and rank them with the framework's weights."

    def add_arguments(self, parser: Any) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        for name in ("import", "rank"):
            p = sub.add_parser(name)
            if name == "import":
                p.add_argument("file")
            p.add_argument("--framework", required=True)
            p.add_argument("--year", required=True, type=int)
            p.add_argument("--json", action="store_true")

    def handle(self, *args: Any, **options: Any) -> None:
        fw = find(options["framework"])
        if fw is None:
            raise CommandError(
                _("No framework has the code “%(code)s”.") % {"code": options["framework"]}
            )
        if not 2000 <= options["year"] <= 2100:
            raise CommandError(_("--year must be a year such as 2024."))
        if options["action"] == "import":
            self._import(fw, options)
        rows = [checked_json(r) for r in published_check(fw, options["year"])]
        if options["json"]:
            self.stdout.write(json.dumps(rows, ensure_ascii=False, indent=1))
            return
        if options["action"] == "rank":
            for r in rows:
                flag = "  ≠ " + _("published") if r["mismatch"] else ""
                self.stdout.write(
                    f"{r['rank']:>3}  {r['total']:.4f}  {r['unit']}"
                    f"  ({r['published_rank']}, {r['published_total']}){flag}"
                )

    def _import(self, fw: Any, options: dict[str, Any]) -> None:
        path = Path(options["file"])
        if not path.is_file():
            raise CommandError(_("File %(path)s does not exist.") % {"path": path})
        with path.open("rb") as fh:
            report = published_import(
                framework=fw, year=options["year"], upload=fh, filename=path.name
            )
        if not report.ok:
            for p in report.problems:
                self.stderr.write(
                    _("Row %(row)s: %(message)s") % {"row": p.row, "message": p.message}
                )
            raise CommandError(
                _("Nothing was imported: %(n)s problems.") % {"n": len(report.problems)}
            )
        if not options["json"]:
            self.stdout.write(_("%(n)s results stored.") % {"n": report.stored})
