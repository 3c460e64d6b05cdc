"""`dtis generate-national [--seed N] [--provinces 34] [--communes 3300]
[--departments 700] [--years 5] [--scale 1.0] [--force] [--json]`: a synthetic
nation for benchmarks and load tests (see `dtis.ops.national`)."""

from __future__ import annotations

import json
from typing import Any

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from dtis.ops.national import NationalError, NationSize, generate


class Command(BaseCommand):
    help = "Generate a synthetic nation (units, cycles, quarterly figures) in an empty database."

    def add_arguments(self, parser: Any) -> None:
        defaults = NationSize()
        parser.add_argument("--seed", type=int, default=2026, help="same seed, same rows")
        parser.add_argument("--provinces", type=int, default=defaults.provinces)
        parser.add_argument("--communes", type=int, default=defaults.communes)
        parser.add_argument("--departments", type=int, default=defaults.departments)
        parser.add_argument("--years", type=int, default=defaults.years)
        parser.add_argument(
            "--scale", type=float, default=defaults.scale, help="e.g. 0.01 for a tiny nation"
        )
        parser.add_argument(
            "--force", action="store_true", help="generate even beside real units and cycles"
        )
        parser.add_argument("--json", action="store_true", help="print what was made as JSON")

    def handle(self, *args: Any, **options: Any) -> None:
        size = NationSize(
            provinces=options["provinces"],
            communes=options["communes"],
            departments=options["departments"],
            years=options["years"],
            scale=options["scale"],
        )
        try:
            made = generate(size, seed=options["seed"], force=options["force"])
        except NationalError as exc:
            raise CommandError(str(exc)) from exc
        if options["json"]:
            self.stdout.write(json.dumps(made, ensure_ascii=False))
            return
        self.stdout.write(
            _(
                "Generated in %(seconds)s s (seed %(seed)d): %(provinces)d provinces, "
                "%(departments)d departments, %(communes)d communes; %(cycles)d cycles, "
                "%(assessed_units)d assessed units, %(figures)d figures, "
                "%(submissions)d submissions, %(unit_results)d unit results."
            )
            % made
        )
