"""`dtis training create --cycle ID | --demo`, `delete`, `status`: the
training sandbox from the command line (before a training session)."""

from __future__ import annotations

import json
from typing import Any

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from dtis.reporting.models import Cycle
from dtis.training import sandbox


class Command(BaseCommand):
    help = "Make, show or remove the training sandbox."

    def add_arguments(self, parser: Any) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        create = sub.add_parser("create", help="make the sandbox anew")
        source = create.add_mutually_exclusive_group(required=True)
        source.add_argument("--cycle", type=int, help="copy this cycle")
        source.add_argument("--demo", action="store_true", help="use the demo province")
        sub.add_parser("delete", help="remove the sandbox and what trainees did in it")
        status = sub.add_parser("status", help="what the sandbox holds")
        status.add_argument("--json", action="store_true")

    def handle(self, *args: Any, **options: Any) -> None:
        action = options["action"]
        if action == "create":
            cycle = None
            if not options["demo"]:
                cycle = Cycle.objects.filter(pk=options["cycle"]).first()
                if cycle is None:
                    raise CommandError(f"Không có đợt đánh giá số {options['cycle']}.")
            made = sandbox.create(None, cycle)
            what = "tỉnh demo" if cycle is None else f"bản sao đợt “{cycle}”"
            self.stdout.write(f"Đã tạo bản tập huấn từ {what}: {made.rows} số liệu.")
        elif action == "delete":
            if sandbox.current() is None:
                raise CommandError("Chưa có bản tập huấn nào để xóa.")
            sandbox.delete()
            self.stdout.write("Đã xóa bản tập huấn.")
        else:
            current = sandbox.current()
            data = (
                {
                    "source": current.source,
                    "cycle": current.cycle_name,
                    "created_at": current.created_at.isoformat(),
                    "rows": current.rows,
                }
                if current
                else None
            )
            if options["json"]:
                self.stdout.write(json.dumps(data, ensure_ascii=False))
            elif data is None:
                self.stdout.write("Chưa có bản tập huấn.")
            else:
                assert current is not None
                what = (
                    "tỉnh demo" if not current.cycle_name else f"bản sao đợt “{current.cycle_name}”"
                )
                made = timezone.localtime(current.created_at)
                self.stdout.write(
                    f"Bản tập huấn: {what}, tạo lúc {made:%d/%m/%Y %H:%M}, {current.rows} số liệu."
                )
