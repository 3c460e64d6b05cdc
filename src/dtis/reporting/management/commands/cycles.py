"""`dtis cycles list|import-assignments|export-assignments`."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError
from django.db.models import Count, Prefetch
from django.utils.translation import gettext as _

from dtis.reporting.assignment_files import assignments_export, assignments_import
from dtis.reporting.models import AssessedUnit, Cycle, Period


class Command(BaseCommand):
    help = "List assessment cycles; import or export a cycle's assignments."

    def add_arguments(self, parser: Any) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        p = sub.add_parser("list", help="all cycles with their periods")
        p.add_argument("--json", action="store_true")
        p = sub.add_parser(
            "import-assignments", help="a .csv or .xlsx assignment table (seed layout)"
        )
        p.add_argument("cycle", type=int, help="cycle id (see `dtis cycles list`)")
        p.add_argument("file")
        p.add_argument("--unit", help="code of the assessed unit (needed when there are several)")
        p = sub.add_parser("export-assignments", help="to an .xlsx file in the same layout")
        p.add_argument("cycle", type=int)
        p.add_argument("--unit", help="code of the assessed unit (needed when there are several)")
        p.add_argument("--out", required=True)

    def handle(self, *args: Any, **options: Any) -> None:
        getattr(self, "do_" + options["action"].replace("-", "_"))(options)

    # --- helpers ---

    def _cycle(self, pk: int) -> Cycle:
        cycle = Cycle.objects.select_related("framework", "scope").filter(pk=pk).first()
        if cycle is None:
            raise CommandError(_("No cycle has the id %(id)s.") % {"id": pk})
        return cycle

    def _assessed(self, cycle: Cycle, code: str | None) -> AssessedUnit:
        rows = cycle.assessed.select_related("unit")
        if code:
            found = rows.filter(unit__code=code.strip().upper()).first()
            if found is None:
                raise CommandError(
                    _("Unit %(code)s is not assessed in cycle %(id)s.")
                    % {"code": code, "id": cycle.pk}
                )
            return found
        first_two = list(rows[:2])
        if len(first_two) != 1:
            raise CommandError(
                _("Cycle %(id)s assesses several units: name one with --unit CODE.")
                % {"id": cycle.pk}
            )
        return first_two[0]

    # --- actions ---

    def do_list(self, options: dict[str, Any]) -> None:
        cycles = (
            Cycle.objects.select_related("framework", "scope")
            .annotate(assessed_count=Count("assessed", distinct=True))
            .prefetch_related(
                Prefetch("periods", queryset=Period.objects.order_by("end", "-start"))
            )
            .order_by("-year", "name", "pk")
        )
        items = [
            {
                "id": c.pk,
                "framework": c.framework.code,
                "year": c.year,
                "name": c.name,
                "assessed_units": c.assessed_count,  # type: ignore[attr-defined]
                "periods": [
                    {
                        "kind": p.kind,
                        "state": p.state,
                        "unit_deadline": p.unit_deadline.isoformat(),
                    }
                    for p in c.periods.all()
                ],
            }
            for c in cycles
        ]
        if options["json"]:
            self.stdout.write(json.dumps(items, ensure_ascii=False, indent=1))
            return
        for i in items:
            periods = " ".join(
                f"{p['kind']}:{p['state']}@{p['unit_deadline'][8:10]}/{p['unit_deadline'][5:7]}"
                for p in i["periods"]
            )
            self.stdout.write(
                f"{i['id']:>4}  {i['year']}  {i['framework']:<20} {i['assessed_units']:>4}  "
                f"{i['name']}\n      {periods}"
            )

    def do_import_assignments(self, options: dict[str, Any]) -> None:
        cycle = self._cycle(options["cycle"])
        assessed = self._assessed(cycle, options.get("unit"))
        path = Path(options["file"])
        if not path.is_file():
            raise CommandError(_("File %(path)s does not exist.") % {"path": path})
        with path.open("rb") as fh:
            report = assignments_import(
                actor=None, cycle=cycle, assessed=assessed, upload=fh, filename=path.name
            )
        if not report.ok:
            for p in report.problems:
                where = _("row %(row)s") % {"row": p.row} if p.row else _("file")
                self.stderr.write(f"{where}: {p.message}")
            raise CommandError(
                _("Nothing was imported: %(n)s problems.") % {"n": len(report.problems)}
            )
        self.stdout.write(
            _("%(updated)s assignments updated, %(unchanged)s unchanged, %(skipped)s rows skipped.")
            % {"updated": report.updated, "unchanged": report.unchanged,
               "skipped": report.skipped}
        )  # fmt: skip
        for p in report.kept_with_unit:
            self.stdout.write(
                _(
                    "row %(row)s: “%(name)s” is not in the system; "
                    "the indicator stays with %(unit)s."
                )
                % {"row": p.row, "name": p.message, "unit": assessed.unit.name}
            )

    def do_export_assignments(self, options: dict[str, Any]) -> None:
        cycle = self._cycle(options["cycle"])
        assessed = self._assessed(cycle, options.get("unit"))
        out = Path(options["out"])
        if out.suffix.lower() != ".xlsx":
            raise CommandError(_("--out must name an .xlsx file."))
        out.write_bytes(assignments_export(cycle, assessed))
        self.stdout.write(str(out))
