"""Print the two-step sign-in code of a demo account, for demos and training
sessions without phones. Works only for accounts holding the published demo
key (`seed-demo`), so it reveals nothing about real accounts."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError

from dtis.orgs import second_factor
from dtis.orgs.models import User


class Command(BaseCommand):
    help = "Print the current two-step sign-in code of a demo account."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("username", help="a demo account, e.g. tran.minh.quan")

    def handle(self, *args: Any, **options: Any) -> None:
        user = User.objects.filter(username__iexact=options["username"].strip()).first()
        if user is None:
            raise CommandError(f"Không có tài khoản “{options['username']}”.")
        code = second_factor.demo_code(user)
        if code is None:
            raise CommandError(
                f"Tài khoản “{user.username}” không dùng khóa demo: mã chỉ có trên "
                "điện thoại của người dùng."
            )
        self.stdout.write(code)
