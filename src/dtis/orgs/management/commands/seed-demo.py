"""Build (or refresh) the demo province: units, people, roles. Idempotent."""

from __future__ import annotations

import io
import json
from typing import Any

from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.test.utils import override_settings

from dtis.orgs import accounts, second_factor
from dtis.orgs.demo_data import DEMO_PEOPLE, DEMO_UNITS
from dtis.orgs.models import Role, RoleGrant, Unit, User
from dtis.orgs.units import rebuild_tree, unit_create

DEMO_PASSWORD = "dtis-demo-2026"
SUPERUSER = ("quantri", "Quản trị hệ thống", "quantri@khanhhoa.gov.vn")


class Command(BaseCommand):
    help = "Create the demo province (Khánh Hòa) with units and one account per role."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--json", action="store_true", help="print the accounts as JSON")

    def handle(self, *args: Any, **options: Any) -> None:
        # The demo's people are told in the app only: their addresses look real,
        # and a configured mail server would deliver the appraisal's e-mails.
        with override_settings(EMAIL_BACKEND="django.core.mail.backends.dummy.EmailBackend"):
            self._seed(options)

    @transaction.atomic
    def _seed(self, options: dict[str, Any]) -> None:
        created_units = self._units()
        people = self._people()
        call_command("load-frameworks", verbosity=0, stdout=io.StringIO())
        self._published_results()
        from dtis.reporting.demo import seed_reporting

        seed_reporting()
        from dtis.appraisal.demo import seed_appraisal

        seed_appraisal()
        from dtis.dashboards.targets import default_targets
        from dtis.reporting.models import Cycle

        for cycle in Cycle.objects.select_related("framework"):  # the seeds' targets
            default_targets(cycle)
        from dtis.plans.demo import seed_plans

        seed_plans()  # after the targets: a draft reads the cycle's targets
        if options["json"]:
            self.stdout.write(json.dumps({"units_created": created_units, "accounts": people},
                                         ensure_ascii=False))  # fmt: skip
            return
        self.stdout.write(f"Đơn vị mới: {created_units} (tổng {Unit.objects.count()})")
        self.stdout.write(f"Tài khoản demo (mật khẩu chung: {DEMO_PASSWORD}):")
        width = max(len(p["username"]) for p in people)
        for p in people:
            two_step = "  (đăng nhập hai bước)" if p["two_step"] else ""
            self.stdout.write(f"  {p['username']:<{width}}  {p['role']:<10} {p['unit']}{two_step}")
        self.stdout.write(
            "Đăng nhập hai bước: mã của các tài khoản demo có trong lệnh "
            "`dtis demo-code <tên đăng nhập>`, hoặc thêm khóa demo "
            f"{second_factor.readable_secret(second_factor.DEMO_KEY)}"
            " vào ứng dụng xác thực."
        )

    def _published_results(self) -> None:
        """The published results shipped as data files: data/published/<code>-<year>.csv."""
        from dtis.frameworks.files import DATA_DIR
        from dtis.frameworks.published import published_import
        from dtis.frameworks.services import find

        for path in sorted((DATA_DIR / "published").glob("*.csv")):
            code, _, year = path.stem.rpartition("-")
            framework = find(code)
            if framework is None:
                continue
            with path.open("rb") as fh:
                report = published_import(
                    framework=framework, year=int(year), upload=fh, filename=path.name
                )
            if not report.ok:
                raise CommandError(f"{path.name}: {report.problems}")

    def _units(self) -> int:
        existing = set(Unit.objects.values_list("code", flat=True))
        created = 0
        for demo in DEMO_UNITS:
            if demo.code in existing:
                continue
            parent = Unit.objects.get(code=demo.parent) if demo.parent else None
            unit_create(
                actor=None, code=demo.code, name=demo.name, short_name=demo.short_name,
                kind=demo.kind, parent=parent, valid_from=demo.valid_from,
                valid_to=demo.valid_to,
            )  # fmt: skip
            created += 1
        rebuild_tree()
        return created

    def _people(self) -> list[dict[str, Any]]:
        listed: list[dict[str, Any]] = []
        username, full_name, email = SUPERUSER
        root = self._user(username, full_name, email, "Quản trị viên hệ thống")
        root.is_superuser = root.is_staff = True
        root.save()
        listed.append({"username": username, "role": "superuser", "unit": "—"})
        demo_apps = [root]
        for person in DEMO_PEOPLE:
            user = self._user(person.username, person.full_name, person.email, person.position)
            unit = Unit.objects.get(code=person.unit)
            if not RoleGrant.objects.filter(user=user, unit=unit, role=person.role).exists():
                accounts.role_grant(actor=None, user=user, role=Role(person.role), unit=unit)
            listed.append(
                {"username": user.username, "role": person.role, "unit": unit.display_name}
            )
            demo_apps.append(user)
        # The published demo key for everyone who must use two-step sign-in,
        # so a demo or a training session needs no phone (`dtis demo-code`).
        with_app = {u.username for u in demo_apps if second_factor.is_required(u)}
        for user in demo_apps:
            if user.username in with_app:
                second_factor.give_demo_app(user)
        for p in listed:
            p["two_step"] = p["username"] in with_app
        return listed

    def _user(self, username: str, full_name: str, email: str, position: str) -> User:
        user = User.objects.filter(username=username).first() or User(username=username)
        user.full_name, user.email, user.position = full_name, email, position
        user.must_change_password = False
        user.is_active = True
        user.set_password(DEMO_PASSWORD)
        user.save()
        return user
