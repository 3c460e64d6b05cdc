"""Bulk account issuance (cấp phát tài khoản) and single-account services."""

from __future__ import annotations

import datetime as dt
import io
import json

import pytest
from django.core.exceptions import ValidationError
from django.core.management import CommandError, call_command
from openpyxl import load_workbook

from dtis.orgs import accounts
from dtis.orgs.models import AccountIssuance, Role, RoleGrant, User
from tests.factories import Org, make_unit


def test_issuance_creates_a_reporter_and_a_head_for_every_department_and_commune(org: Org):
    result = accounts.accounts_issue(
        actor=org.admin, scope=org.province, roles=[Role.REPORTER, Role.HEAD],
        kinds=["department", "commune"],
    )  # fmt: skip
    created = {(a.unit.code, a.role) for a in result.created}
    # Sở Nội vụ already has both; Sở Tài chính and Xã Diên Khánh get both.
    assert created == {
        ("KHH-STC", Role.REPORTER), ("KHH-STC", Role.HEAD),
        ("KHH-X-DIENKHANH", Role.REPORTER), ("KHH-X-DIENKHANH", Role.HEAD),
    }  # fmt: skip
    assert {(a.unit.code, a.username) for a in result.skipped} == {
        ("KHH-SNV", "huynh.thi.kim.oanh"), ("KHH-SNV", "luong.van.binh"),
    }  # fmt: skip
    reporter = User.objects.get(username="khh-stc.baocao")
    assert reporter.must_change_password
    assert RoleGrant.objects.filter(user=reporter, unit=org.dept_finance, role="reporter").exists()


def test_issued_passwords_work_once_and_are_not_stored_in_clear(org: Org):
    result = accounts.accounts_issue(
        actor=org.admin, scope=org.province, roles=[Role.REPORTER], kinds=["commune"]
    )
    (issued,) = result.created
    user = User.objects.get(username=issued.username)
    assert user.check_password(issued.password)
    assert issued.password not in user.password
    assert len(issued.password) == 14


def test_issuing_again_creates_nothing_new(org: Org):
    kwargs = dict(actor=org.admin, scope=org.province, roles=[Role.REPORTER, Role.HEAD],
                  kinds=["department", "commune"])  # fmt: skip
    accounts.accounts_issue(**kwargs)  # type: ignore[arg-type]
    users_before = User.objects.count()
    again = accounts.accounts_issue(**kwargs)  # type: ignore[arg-type]
    assert again.created == []
    assert User.objects.count() == users_before
    assert AccountIssuance.objects.count() == 2


def test_merged_units_get_no_new_accounts(org: Org):
    make_unit("KHH-X-CU", "Ủy ban nhân dân xã Cũ", "commune", org.province,
              valid_to=dt.date(2025, 6, 30))  # fmt: skip
    result = accounts.accounts_issue(
        actor=org.admin, scope=org.province, roles=[Role.REPORTER], kinds=["commune"],
        on=dt.date(2026, 1, 5),
    )  # fmt: skip
    assert [a.unit.code for a in result.created] == ["KHH-X-DIENKHANH"]


def test_a_taken_username_gets_a_number(org: Org):
    User.objects.create(username="khh-x-dienkhanh.baocao", full_name="Người khác")
    result = accounts.accounts_issue(
        actor=org.admin, scope=org.province, roles=[Role.REPORTER], kinds=["commune"]
    )
    assert [a.username for a in result.created] == ["khh-x-dienkhanh.baocao2"]


def test_issuance_without_roles_or_types_is_refused(org: Org):
    with pytest.raises(ValidationError):
        accounts.accounts_issue(actor=None, scope=org.province, roles=[], kinds=["commune"])
    with pytest.raises(ValidationError):
        accounts.accounts_issue(actor=None, scope=org.province, roles=[Role.HEAD], kinds=["xyz"])
    assert AccountIssuance.objects.count() == 0


def test_the_command_writes_the_workbook_to_hand_out(org: Org, tmp_path):  # type: ignore[no-untyped-def]
    out = tmp_path / "tai-khoan.xlsx"
    stdout = io.StringIO()
    call_command("issue-accounts", "--scope", "KHH", "--kinds", "commune", "--out", str(out),
                 "--json", stdout=stdout)  # fmt: skip
    summary = json.loads(stdout.getvalue())
    assert [c["username"] for c in summary["created"]] == [
        "khh-x-dienkhanh.baocao", "khh-x-dienkhanh.lanhdao",
    ]  # fmt: skip
    rows = list(load_workbook(out).active.iter_rows(values_only=True))
    assert rows[0] == ("STT", "Mã đơn vị", "Tên đơn vị", "Vai trò", "Tên đăng nhập",
                       "Mật khẩu dùng một lần", "Ghi chú")  # fmt: skip
    assert rows[1][1:3] == ("KHH-X-DIENKHANH", "Ủy ban nhân dân xã Diên Khánh")
    password = rows[1][5]
    assert User.objects.get(username=rows[1][4]).check_password(password)


@pytest.mark.parametrize(
    "args",
    [
        ["--scope", "KHONG-CO", "--out", "x.xlsx"],
        ["--scope", "KHH", "--kinds", "lang", "--out", "x.xlsx"],
        ["--scope", "KHH", "--roles", "admin", "--out", "x.xlsx"],
        ["--scope", "KHH", "--out", "x.txt"],
    ],
)
def test_the_command_refuses_bad_input_and_creates_nothing(org: Org, tmp_path, args):  # type: ignore[no-untyped-def]
    before = User.objects.count()
    args = [str(tmp_path / a) if a.startswith("x.") else a for a in args]
    with pytest.raises(CommandError):
        call_command("issue-accounts", *args)
    assert User.objects.count() == before
    assert not list(tmp_path.iterdir())


def test_creating_an_account_returns_a_one_time_password(org: Org):
    user, password = accounts.user_create(
        actor=org.admin, username="Pham.Thi.Hoa", full_name="Phạm Thị Hoa",
        email="Hoa.PT@khanhhoa.gov.vn", role=Role.REPORTER, unit=org.commune,
    )  # fmt: skip
    assert user.username == "pham.thi.hoa"
    assert user.email == "hoa.pt@khanhhoa.gov.vn"
    assert user.must_change_password and user.check_password(password)
    assert user.grants.get().unit == org.commune


@pytest.mark.parametrize(
    ("username", "email", "field"),
    [
        ("ab", "", "username"),
        ("nguyễn văn a", "", "username"),
        ("huynh.thi.kim.oanh", "", "username"),
        ("pham.thi.hoa", "", "full_name"),
    ],
)
def test_account_creation_refuses_bad_input(org: Org, username, email, field):  # type: ignore[no-untyped-def]
    before = User.objects.count()
    with pytest.raises(ValidationError) as err:
        accounts.user_create(
            actor=org.admin, username=username, email=email,
            full_name="" if field == "full_name" else "Phạm Thị Hoa",
            role=Role.REPORTER, unit=org.commune,
        )  # fmt: skip
    assert field in err.value.message_dict
    assert User.objects.count() == before


def test_two_accounts_cannot_share_an_email(org: Org):
    accounts.user_update(actor=None, user=org.head, full_name="Lương Văn Bình",
                         email="binh@khanhhoa.gov.vn", position="", phone="")  # fmt: skip
    with pytest.raises(ValidationError):
        accounts.user_create(
            actor=None, username="binh2", full_name="Lương Văn Bình", email="BINH@khanhhoa.gov.vn",
            role=Role.HEAD, unit=org.commune,
        )  # fmt: skip


def test_an_admin_reset_forces_a_change_at_next_sign_in(org: Org):
    password = accounts.password_reset_by_admin(actor=org.admin, user=org.reporter)
    org.reporter.refresh_from_db()
    assert org.reporter.must_change_password
    assert org.reporter.check_password(password)


def test_granting_the_same_role_twice_is_refused(org: Org):
    with pytest.raises(ValidationError):
        accounts.role_grant(actor=None, user=org.reporter, role=Role.REPORTER, unit=org.dept_home)


def test_nobody_can_lock_their_own_account(org: Org):
    with pytest.raises(ValidationError):
        accounts.user_set_active(actor=org.admin, user=org.admin, active=False)
