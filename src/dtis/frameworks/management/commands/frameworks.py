"""`dtis frameworks list|show|import|export|score`."""

from __future__ import annotations

import json
from decimal import Decimal
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from dtis.frameworks import files
from dtis.frameworks.models import Framework
from dtis.frameworks.services import (
    find,
    framework_dict,
    framework_import,
    framework_tree,
    summary,
    to_core,
)
from dtis.scoring.aggregate import score_unit
from dtis.scoring.serialize import FrameworkError


def _number(value: Any) -> Any:
    if isinstance(value, Decimal):
        return int(value) if value == value.to_integral_value() else float(value)
    raise TypeError(type(value))


class Command(BaseCommand):
    help = "List, show, import, export frameworks, and score figures with one."

    def add_arguments(self, parser: Any) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        p = sub.add_parser("list", help="all frameworks")
        p.add_argument("--json", action="store_true")
        p = sub.add_parser("show", help="one framework as a tree")
        p.add_argument("code", help="code, or code@version")
        p.add_argument("--json", action="store_true")
        p = sub.add_parser("import", help="a .yaml, .json or .xlsx file")
        p.add_argument("file")
        p.add_argument("--json", action="store_true")
        p = sub.add_parser("export", help="to a .yaml, .json or .xlsx file")
        p.add_argument("code")
        p.add_argument("--out", required=True)
        p = sub.add_parser("score", help="score one unit's figures (JSON file) and explain")
        p.add_argument("code")
        p.add_argument(
            "figures", help='JSON: {"1.1": {"input": value}, …, "_not_applicable": [...]}'
        )
        p.add_argument("--json", action="store_true")

    def handle(self, *args: Any, **options: Any) -> None:
        getattr(self, "do_" + options["action"])(options)

    def _get(self, code: str) -> Framework:
        fw = find(code)
        if fw is None:
            raise CommandError(_("No framework has the code “%(code)s”.") % {"code": code})
        return fw

    def _emit(self, data: Any) -> None:
        self.stdout.write(json.dumps(data, ensure_ascii=False, default=_number, indent=1))

    def do_list(self, options: dict[str, Any]) -> None:
        items = [summary(fw) for fw in Framework.objects.order_by("code", "version")]
        if options["json"]:
            self._emit(items)
            return
        for i in items:
            self.stdout.write(
                f"{i['code']:<22} v{i['version']:<3} {i['status']:<8} {i['level']:<10} "
                f"{i['max_points']:>7} {i['main_indicators']:>3} {i['scored_indicators']:>4}  "
                f"{i['name']}"
            )

    def do_show(self, options: dict[str, Any]) -> None:
        fw = self._get(options["code"])
        if options["json"]:
            self._emit(framework_tree(fw))
            return
        data = framework_dict(fw)
        self.stdout.write(f"{fw.name} — {fw.label} ({fw.get_status_display()})")

        def show(node: dict[str, Any], depth: int) -> None:
            rule = node.get("rule", {}).get("kind", "") if node.get("rule") else ""
            indent = "  " * depth
            self.stdout.write(
                f"{indent}{node['code']:<8} {node['max_points']:>7}  {rule:<13} {node['name']}"
            )
            for child in node.get("children", []):
                show(child, depth + 1)

        for node in data["indicators"]:
            show(node, 0)

    def do_import(self, options: dict[str, Any]) -> None:
        path = Path(options["file"])
        if not path.is_file():
            raise CommandError(_("File %(path)s does not exist.") % {"path": path})
        try:
            with path.open("rb") as fh:
                data = files.read(fh, path.name)
            outcome = framework_import(data, actor=None)
        except files.FileFormatError as exc:
            raise CommandError(str(exc)) from exc
        except FrameworkError as exc:
            from dtis.frameworks.xlsx import locate

            for line in locate(exc.problems, data):
                self.stderr.write(line)
            raise CommandError(
                _("Nothing was imported: %(n)s problems.") % {"n": len(exc.problems)}
            ) from exc
        result = summary(outcome.framework) | {"action": outcome.action}
        if options["json"]:
            self._emit(result)
        else:
            self.stdout.write(f"{result['code']} v{result['version']}: {outcome.action}")

    def do_export(self, options: dict[str, Any]) -> None:
        fw = self._get(options["code"])
        out = Path(options["out"])
        suffix = out.suffix.lower()
        if suffix in (".yaml", ".yml"):
            out.write_text(files.to_yaml(framework_dict(fw)), encoding="utf-8")
        elif suffix == ".json":
            out.write_text(files.to_json(framework_dict(fw)), encoding="utf-8")
        elif suffix == ".xlsx":
            from dtis.frameworks.xlsx import workbook_bytes

            out.write_bytes(workbook_bytes(framework_dict(fw)))
        else:
            raise CommandError(_("--out must name a .yaml, .json or .xlsx file."))

    def do_score(self, options: dict[str, Any]) -> None:
        fw = self._get(options["code"])
        path = Path(options["figures"])
        try:
            figures = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, json.JSONDecodeError) as exc:
            raise CommandError(_("Cannot read the figures: %(reason)s") % {"reason": exc}) from exc
        if not isinstance(figures, dict):
            raise CommandError(_("The figures file must hold a JSON object."))
        not_applicable = figures.pop("_not_applicable", [])
        tree = to_core(fw)
        unknown = sorted(set(figures) - {i.code for i in tree.walk()})
        if unknown:
            raise CommandError(
                _("Unknown indicator codes: %(codes)s") % {"codes": ", ".join(unknown)}
            )
        result = score_unit(tree, figures, not_applicable=not_applicable)
        rows = [
            {
                "code": s.code,
                "points": s.points,
                "max_points": s.max_points,
                "index": s.index_value,
                "applicable": s.applicable,
                "rule": s.explanation.rule,
                "explanation": s.explanation.text,
                "notes": list(s.explanation.notes),
                "inputs": s.explanation.inputs,
            }
            for s in (result.scores[i.code] for i in tree.walk())
        ]
        total = result.total
        band = result.band()
        if options["json"]:
            self._emit(
                {
                    "total": total.points,
                    "max_points": total.max_points,
                    "index": total.index_value,
                    "band": band.name if band else None,
                    "indicators": rows,
                }
            )
            return
        for r in rows:
            notes = f"  [{', '.join(r['notes'])}]" if r["notes"] else ""
            self.stdout.write(
                f"{r['code']:<8} {r['points']:>8} / {r['max_points']:<8} {r['explanation']}{notes}"
            )
        self.stdout.write(
            f"{_('Total')}: {total.points} / {total.max_points} = {total.index_value}"
            f" — {band.name if band else '—'}"
        )
