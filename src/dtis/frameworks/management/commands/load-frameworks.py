"""`dtis load-frameworks`: load the built-in frameworks (idempotent)."""

from __future__ import annotations

import json
from typing import Any

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from dtis.frameworks import files
from dtis.frameworks.services import framework_import, summary
from dtis.scoring.serialize import FrameworkError


class Command(BaseCommand):
    help = "Load the built-in frameworks shipped with DTIS (vn-province-2025, …)."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--json", action="store_true")

    def handle(self, *args: Any, **options: Any) -> None:
        loaded = []
        for path in files.builtin_files():
            with path.open("rb") as fh:
                data = files.read(fh, path.name)
            try:
                outcome = framework_import(data, actor=None)
            except FrameworkError as exc:
                raise CommandError(f"{path.name}: {exc}") from exc
            loaded.append(summary(outcome.framework) | {"action": outcome.action})
        if options["json"]:
            self.stdout.write(json.dumps(loaded, ensure_ascii=False, default=str))
            return
        if options["verbosity"] < 1:
            return
        for item in loaded:
            self.stdout.write(
                _(
                    "%(code)s v%(version)s: %(action)s — %(main)s main indicators, "
                    "%(leaves)s scored indicators, %(points)s points"
                )
                % {
                    "code": item["code"],
                    "version": item["version"],
                    "action": item["action"],
                    "main": item["main_indicators"],
                    "leaves": item["scored_indicators"],
                    "points": item["max_points"],
                }
            )
