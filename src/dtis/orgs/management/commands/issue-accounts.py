"""`dtis issue-accounts`: one account per role for every unit of a scope."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from dtis.core.tabular import xlsx_bytes
from dtis.orgs import accounts
from dtis.orgs.models import Role, Unit, UnitKind


def _csv_choice(value: str, allowed: list[str], what: str) -> list[str]:
    items = [v.strip() for v in value.split(",") if v.strip()]
    bad = [v for v in items if v not in allowed]
    if not items or bad:
        raise CommandError(
            _("%(what)s must be a comma-separated list of: %(allowed)s")
            % {"what": what, "allowed": ", ".join(allowed)}
        )
    return items


class Command(BaseCommand):
    help = "Issue accounts (reporter, head, viewer) for every unit under a scope; writes an XLSX."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--scope", required=True, help="code of the top unit, e.g. KHH")
        parser.add_argument("--kinds", default="department,commune", help="unit types")
        parser.add_argument("--roles", default="reporter,head", help="roles per unit")
        parser.add_argument("--out", required=True, help="XLSX file to write")
        parser.add_argument("--json", action="store_true")

    def handle(self, *args: Any, **options: Any) -> None:
        scope = Unit.objects.filter(code=options["scope"].upper()).first()
        if scope is None:
            raise CommandError(_("No unit has the code “%(code)s”.") % {"code": options["scope"]})
        kinds = _csv_choice(options["kinds"], list(UnitKind.values), "--kinds")
        roles = _csv_choice(options["roles"], [r.value for r in accounts.BULK_ROLES], "--roles")
        out = Path(options["out"])
        if out.suffix.lower() != ".xlsx":
            raise CommandError(_("--out must name an .xlsx file."))
        if not out.parent.exists():
            raise CommandError(_("Folder %(path)s does not exist.") % {"path": out.parent})
        try:
            issuance = accounts.accounts_issue(
                actor=None, scope=scope, roles=[Role(r) for r in roles], kinds=kinds
            )
        except ValidationError as exc:
            raise CommandError(" ".join(exc.messages)) from exc
        out.write_bytes(
            xlsx_bytes(_("Accounts"), accounts.issuance_headers(), accounts.issuance_rows(issuance))
        )
        if options["json"]:
            self.stdout.write(json.dumps({
                "file": str(out),
                "created": [{"unit": a.unit.code, "role": a.role, "username": a.username}
                            for a in issuance.created],
                "skipped": [{"unit": a.unit.code, "role": a.role, "username": a.username}
                            for a in issuance.skipped],
            }, ensure_ascii=False))  # fmt: skip
            return
        self.stdout.write(
            _("%(created)s accounts created, %(skipped)s skipped (already had one). File: %(file)s")
            % {"created": len(issuance.created), "skipped": len(issuance.skipped), "file": out}
        )
