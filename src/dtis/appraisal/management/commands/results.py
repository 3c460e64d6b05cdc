"""`dtis results show|recompute|import|rank`.

- `show --cycle ID [--json]`: a cycle's results, best first (contract): a
  list of {unit, peer_group, self_total, appraised_total, final_total (points),
  index (final, 4 decimals), rank, band, main: {code: {points, index}}}.
  Unranked units (no maximum) have rank and index null; no band is null.
- `recompute --cycle ID`: score every unit of the cycle again from its
  figures and the council's decisions, and rank again (after a fix to the
  figures' storage or a framework data correction).
- `import FILE|rank --framework CODE --year YYYY [--json]`: results the
  ministry published, ranked again with the framework's weights.
"""

from __future__ import annotations

import json
from decimal import Decimal
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from dtis.appraisal.items import open_items, reported_units
from dtis.appraisal.materialise import recompute
from dtis.appraisal.standings import Standing, standings
from dtis.frameworks.published import checked_json, published_check, published_import
from dtis.frameworks.services import find
from dtis.reporting.models import Cycle


def _number(value: Decimal | None) -> float | None:
    # Points have 2 decimals and indices 4: exact as JSON numbers (887.5, 0.8873).
    return None if value is None else float(value)


def standing_json(row: Standing) -> dict[str, object]:
    """One unit of `dtis results show --json` (the contract shape)."""
    result = row.result
    return {
        "unit": row.unit.name,
        "peer_group": row.assessed.peer_group,
        "self_total": float(result.self_points),
        "appraised_total": float(result.appraised_points),
        "final_total": float(result.final_points),
        "index": _number(result.index),
        "rank": result.rank or None,
        "band": result.band or None,
        "main": {
            cell.code: {"points": _number(cell.points), "index": _number(cell.index)}
            for cell in row.main
        },
    }


class Command(BaseCommand):
    help = (
        "Show a cycle's results (show), or import the results the ministry published "
        "and rank them with the framework's weights (import, rank)."
    )

    def add_arguments(self, parser: Any) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        show = sub.add_parser("show", help="A cycle's results, best first.")
        show.add_argument("--cycle", required=True, help="the cycle's number (id)")
        show.add_argument("--json", action="store_true")
        again = sub.add_parser("recompute", help="Score a cycle's units again and rank them.")
        again.add_argument("--cycle", required=True, help="the cycle's number (id)")
        again.add_argument("--json", action="store_true")
        for name in ("import", "rank"):
            p = sub.add_parser(name)
            if name == "import":
                p.add_argument("file")
            p.add_argument("--framework", required=True)
            p.add_argument("--year", required=True, type=int)
            p.add_argument("--json", action="store_true")

    def handle(self, *args: Any, **options: Any) -> None:
        if options["action"] == "show":
            self._show(options)
            return
        if options["action"] == "recompute":
            self._recompute(options)
            return
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

    @staticmethod
    def _cycle(options: dict[str, Any]) -> Cycle:
        text = str(options["cycle"]).strip()
        if not text.isdigit():
            raise CommandError(
                _("--cycle must be a cycle number such as 12, not “%(value)s”.") % {"value": text}
            )
        cycle = Cycle.objects.select_related("framework", "scope").filter(pk=int(text)).first()
        if cycle is None:
            raise CommandError(_("No cycle has the number %(id)s.") % {"id": text})
        return cycle

    def _recompute(self, options: dict[str, Any]) -> None:
        cycle = self._cycle(options)
        opened = open_items(cycle, reported_units(cycle))
        scored = recompute(cycle)
        if options["json"]:
            data = {"cycle": cycle.pk, "units": len(scored), "items_opened": opened}
            self.stdout.write(json.dumps(data))
            return
        self.stdout.write(
            _("%(cycle)s: %(units)s units scored again, %(items)s items opened.")
            % {"cycle": cycle.name, "units": len(scored), "items": opened}
        )

    def _show(self, options: dict[str, Any]) -> None:
        cycle = self._cycle(options)
        table = standings(cycle)
        if options["json"]:
            data = [standing_json(r) for r in table.rows()]
            self.stdout.write(json.dumps(data, ensure_ascii=False, indent=1))
            return
        self.stdout.write(f"{cycle.name} ({cycle.year})")
        if not table.groups:
            self.stdout.write(_("No results yet."))
        for group in table.groups:
            if len(table.groups) > 1:
                self.stdout.write("")
                self.stdout.write(f"{group.name or '—'}:")
            self._table(group.rows)

    def _table(self, rows: list[Standing]) -> None:
        header = [
            _("Rank"),
            _("Unit"),
            _("Self"),
            _("Appraised"),
            _("Final"),
            _("Index"),
            _("Band"),
        ]
        table = [
            [
                str(r.rank or "—"),
                r.unit.name,
                f"{r.result.self_points:.2f}",
                f"{r.result.appraised_points:.2f}",
                f"{r.result.final_points:.2f}",
                f"{r.result.index:.4f}" if r.result.index is not None else "—",
                r.result.band or "—",
            ]
            for r in rows
        ]
        widths = [max(len(line[i]) for line in [header, *table]) for i in range(len(header))]
        right = {0, 2, 3, 4, 5}
        for line in [header, *table]:
            cells = [
                cell.rjust(widths[i]) if i in right else cell.ljust(widths[i])
                for i, cell in enumerate(line)
            ]
            self.stdout.write("  ".join(cells).rstrip())

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
