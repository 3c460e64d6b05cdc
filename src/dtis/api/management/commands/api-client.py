"""`dtis api-client create|list|revoke`: tokens for other systems, from the shell.

`create --name "…" --unit KHH-SYT [--unit …] [--indicator 6.4 …] [--json]`
prints the token once; `list [--json]` shows prefixes only; `revoke ID`.
"""

from __future__ import annotations

import json
from typing import Any

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from dtis.api.clients import client_create, client_revoke
from dtis.api.models import ApiClient
from dtis.orgs.models import Unit


class Command(BaseCommand):
    help = "Issue, list or revoke API client tokens."

    def add_arguments(self, parser: Any) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        p = sub.add_parser("create", help="a new client; prints its token once")
        p.add_argument("--name", required=True)
        p.add_argument("--unit", action="append", required=True, help="unit code (repeatable)")
        p.add_argument("--indicator", action="append", default=[], help="indicator code")
        p.add_argument("--json", action="store_true")
        p = sub.add_parser("list", help="every client, without tokens")
        p.add_argument("--json", action="store_true")
        p = sub.add_parser("revoke", help="stop a client's token")
        p.add_argument("id", type=int)

    def handle(self, *args: Any, **options: Any) -> None:
        getattr(self, "do_" + options["action"])(options)

    def do_create(self, options: dict[str, Any]) -> None:
        codes = [c.strip().upper() for c in options["unit"]]
        units = list(Unit.objects.filter(code__in=codes))
        missing = sorted(set(codes) - {u.code for u in units})
        if missing:
            raise CommandError(_("Unknown unit codes: %(codes)s") % {"codes": ", ".join(missing)})
        try:
            issued = client_create(
                actor=None, name=options["name"], units=units, indicator_codes=options["indicator"]
            )
        except ValidationError as exc:
            raise CommandError(" ".join(exc.messages)) from exc
        if options["json"]:
            data = {"id": issued.client.pk, "name": issued.client.name, "token": issued.token}
            self.stdout.write(json.dumps(data, ensure_ascii=False))
        else:
            self.stdout.write(f"{issued.client.pk}  {issued.client.name}\n{issued.token}")

    def do_list(self, options: dict[str, Any]) -> None:
        rows = [
            {
                "id": c.pk,
                "name": c.name,
                "units": [u.code for u in c.units.all()],
                "indicators": c.indicator_codes,
                "token_prefix": c.token_prefix,
                "created_at": c.created_at.isoformat(),
                "last_used_at": c.last_used_at.isoformat() if c.last_used_at else None,
                "revoked_at": c.revoked_at.isoformat() if c.revoked_at else None,
            }
            for c in ApiClient.objects.prefetch_related("units")
        ]
        if options["json"]:
            self.stdout.write(json.dumps(rows, ensure_ascii=False, indent=1))
            return
        for r in rows:
            state = _("revoked") if r["revoked_at"] else _("active")
            units = ",".join(r["units"])
            prefix = f"{r['token_prefix']}…"
            self.stdout.write(f"{r['id']:>4}  {prefix}  {state:<10} {units}  {r['name']}")

    def do_revoke(self, options: dict[str, Any]) -> None:
        client = ApiClient.objects.filter(pk=options["id"]).first()
        if client is None:
            raise CommandError(_("No API client has the number %(id)s.") % {"id": options["id"]})
        client_revoke(actor=None, client=client)
        self.stdout.write(_("Revoked: %(name)s") % {"name": client.name})
