"""`dtis plan draft|export`.

- `draft --cycle ID [--unit CODE] [--target-total N] [--target-rank R] [--json] [--save]`:
  next year's plan drafted from a published cycle (contract): with --json an
  object with `target`, `gap`, `reachable` and `items`, each with
  `indicator`, `points_lost`, `allocated`, `owner`, `tasks`, `deadline`
  (dd/mm/yyyy is for screens; JSON dates are ISO). The unit is the cycle's
  scope when it is assessed (a province's own index), else --unit is needed
  when the cycle assesses several units. --save stores the draft as a plan.
- `export PLAN_ID --format docx|xlsx --output FILE`: the plan as an official
  document (Decree 30 layout) or its assignment appendix as a workbook.
"""

from __future__ import annotations

import json
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from dtis.plans.draft import Draft, DraftError, draft, save_draft
from dtis.plans.models import Plan
from dtis.reporting.models import AssessedUnit, Cycle


def _num(value: Decimal | None) -> float | None:
    return None if value is None else float(value)


def draft_json(d: Draft) -> dict[str, object]:
    """The contract shape of `plan draft --json`."""
    mains = d.mains
    return {
        "cycle": d.assessed.cycle_id,
        "unit": d.assessed.unit.name,
        "year": d.year,
        "current": float(d.current),
        "max_points": float(d.max_points),
        "target": float(d.target),
        "target_total": _num(d.target_total),
        "target_rank": d.target_rank,
        "points_for_rank": _num(d.points_for_rank),
        "rank_now": d.rank_now,
        "peers": d.peers,
        "peer_year": d.peer_year,
        "rank_unknown": d.rank_unknown,
        "gap": float(d.gap),
        "reachable": d.reachable,
        "shortfall": float(d.solution.shortfall),
        "items": [
            {
                "indicator": i.code,
                "name": i.indicator.name,
                "points": float(i.points),
                "max_points": float(i.max_points),
                "points_lost": float(i.points_lost),
                "allocated": float(i.allocated),
                "effort": i.effort,
                "owner": i.owner_name,
                "coordinators": i.coordinators,
                "tasks": i.tasks,
                "evidence": i.evidence,
                "deadline": i.deadline.isoformat() if i.deadline else None,
                "trend": [[y, float(p)] for y, p in i.trend],
            }
            for i in d.items
        ],
        "mains_in_top": None
        if mains is None
        else {
            "wanted": mains.wanted,
            "top": mains.top,
            "in_top": [m.code for m in mains.in_top],
            "closest": [
                {"indicator": m.code, "value": _num(m.value), "line": float(m.line)}
                for m in mains.closest
            ],
            "reached": mains.reached,
        },
    }


class Command(BaseCommand):
    help = "Draft next year's improvement plan from a published cycle, or export a plan."

    def add_arguments(self, parser: Any) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        d = sub.add_parser("draft", help="Draft next year's plan from a published cycle.")
        d.add_argument("--cycle", required=True, help="the cycle's number (id)")
        d.add_argument("--unit", help="the assessed unit's code (cycles of several units)")
        d.add_argument("--target-total", help="points to reach, e.g. 800")
        d.add_argument("--target-rank", help="rank to reach among peers, e.g. 17")
        d.add_argument("--json", action="store_true")
        d.add_argument("--save", action="store_true", help="store the draft as a plan")
        e = sub.add_parser("export", help="A plan as DOCX, or its appendix as XLSX.")
        e.add_argument("plan", help="the plan's number (id)")
        e.add_argument("--format", required=True, choices=["docx", "xlsx"])
        e.add_argument("--output", required=True)

    def handle(self, *args: Any, **options: Any) -> None:
        if options["action"] == "draft":
            self._draft(options)
        else:
            self._export(options)

    def _draft(self, options: dict[str, Any]) -> None:
        assessed = _assessed(options["cycle"], options.get("unit"))
        total = _decimal(options.get("target_total"), "--target-total")
        rank = _integer(options.get("target_rank"), "--target-rank")
        try:
            result = draft(assessed, target_total=total, target_rank=rank)
        except DraftError as exc:
            raise CommandError(str(exc)) from exc
        plan = save_draft(result, None) if options["save"] else None
        if options["json"]:
            data = draft_json(result)
            if plan is not None:
                data["plan"] = plan.pk
            self.stdout.write(json.dumps(data, ensure_ascii=False, indent=2))
            return
        self.stdout.write(_draft_text(result))
        if plan is not None:
            self.stdout.write(_("Saved as plan %(id)d.") % {"id": plan.pk})

    def _export(self, options: dict[str, Any]) -> None:
        from dtis.plans import documents

        plan = Plan.objects.filter(pk=_integer(options["plan"], "PLAN_ID")).first()
        if plan is None:
            raise CommandError(_("There is no plan %(id)s.") % {"id": options["plan"]})
        out = Path(options["output"])
        if not out.parent.is_dir():
            raise CommandError(_("The folder %(dir)s does not exist.") % {"dir": out.parent})
        data = (
            documents.plan_docx(plan) if options["format"] == "docx" else documents.plan_xlsx(plan)
        )
        out.write_bytes(data)
        self.stdout.write(_("Written to %(file)s.") % {"file": out})


def _assessed(cycle_id: str, unit_code: str | None) -> AssessedUnit:
    cycle = (
        Cycle.objects.filter(pk=_integer(cycle_id, "--cycle"))
        .select_related("framework", "scope", "outcome")
        .first()
    )
    if cycle is None:
        raise CommandError(_("There is no cycle %(id)s.") % {"id": cycle_id})
    units = cycle.assessed.select_related("unit", "unit__parent")
    if unit_code:
        found = units.filter(unit__code=unit_code).first()
        if found is None:
            raise CommandError(
                _("The unit %(code)s is not assessed in this cycle.") % {"code": unit_code}
            )
        return found
    own = units.filter(unit_id=cycle.scope_id).first()
    if own is not None:
        return own
    if units.count() == 1:
        return units.get()
    raise CommandError(_("This cycle assesses several units: name one with --unit CODE."))


def _decimal(value: str | None, name: str) -> Decimal | None:
    if value in (None, ""):
        return None
    try:
        return Decimal(str(value).replace(",", "."))
    except InvalidOperation as exc:
        raise CommandError(_("%(name)s must be a number.") % {"name": name}) from exc


def _integer(value: str | None, name: str) -> int | None:
    if value in (None, ""):
        return None
    try:
        return int(str(value))
    except ValueError as exc:
        raise CommandError(_("%(name)s must be a whole number.") % {"name": name}) from exc


def _draft_text(d: Draft) -> str:
    lines = [
        f"{d.assessed.unit.name} — {d.year}",
        _("Now %(now)s of %(max)s; target %(target)s; gap %(gap)s; %(reach)s")
        % {
            "now": f"{d.current:.2f}",
            "max": f"{d.max_points:.2f}",
            "target": f"{d.target:.2f}",
            "gap": f"{d.gap:.2f}",
            "reach": _("reachable") if d.reachable else _("out of reach"),
        },
    ]
    if d.target_rank is not None:
        lines.append(_rank_text(d))
    for i in d.items:
        lines.append(
            f"{i.code:>8}  -{i.points_lost:>7}  +{i.allocated:>7}  {i.owner_name[:40]:<40}  "
            f"{i.deadline:%d/%m/%Y}"
        )
    return "\n".join(lines)


def _rank_text(d: Draft) -> str:
    if d.rank_unknown:
        return _(
            "Rank %(rank)d: only %(peers)d other units' results are known (%(year)s), "
            "so the rank cannot be turned into points."
        ) % {"rank": d.target_rank, "peers": d.peers, "year": d.peer_year or "—"}
    return _("Rank %(rank)d needs %(points).2f points (results of %(year)s; rank now %(now)s).") % {
        "rank": d.target_rank,
        "points": d.points_for_rank,
        "year": d.peer_year,
        "now": d.rank_now or "—",
    }
