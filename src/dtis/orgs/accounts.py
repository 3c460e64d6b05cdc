"""Services for people: create, reset, grant and revoke roles, issue in bulk."""

from __future__ import annotations

import datetime as dt
import re
import secrets
from dataclasses import dataclass, field

from django.contrib.auth.hashers import make_password
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from dtis.orgs import policy
from dtis.orgs.models import AccountIssuance, Role, RoleGrant, Unit, UnitKind, User

USERNAME_RE = re.compile(r"^[a-z0-9][a-z0-9._-]{2,149}$")
# No 0/O, 1/l/I: one-time passwords are read off paper and typed by hand.
_PASSWORD_ALPHABET = "abcdefghijkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789"

# Suffixes of bulk-issued usernames: "khh-snv.baocao" is the reporter of Sở Nội vụ.
ROLE_USERNAME_SUFFIX = {
    Role.REPORTER: "baocao",
    Role.HEAD: "lanhdao",
    Role.VIEWER: "xem",
    Role.APPRAISER: "thamdinh",
    Role.ADMIN: "quantri",
}


def one_time_password() -> str:
    """Three groups of four characters (about 70 bits), e.g. "k7Qm-x2Pa-R9tv"."""
    while True:
        groups = ["".join(secrets.choice(_PASSWORD_ALPHABET) for _ in range(4)) for _ in range(3)]
        candidate = "-".join(groups)
        if any(c.isdigit() for c in candidate) and any(c.isalpha() for c in candidate):
            return candidate


def set_one_time_password(user: User) -> str:
    """Give the user a fresh one-time password (hashed lightly, see hashers.py)."""
    password = one_time_password()
    user.password = make_password(password, hasher="pbkdf2_issued")
    user.must_change_password = True
    return password


def _clean_username(username: str) -> str:
    username = username.strip().lower()
    if not USERNAME_RE.match(username):
        raise ValidationError(
            {"username": _("Use 3–150 lower-case letters, digits, “.”, “_” or “-”.")}
        )
    if User.objects.filter(username__iexact=username).exists():
        raise ValidationError({"username": _("This username is already taken.")})
    return username


def _clean_email(email: str, *, exclude: User | None = None) -> str | None:
    email = email.strip().lower()
    if not email:
        return None
    others = User.objects.filter(email__iexact=email)
    if exclude is not None:
        others = others.exclude(pk=exclude.pk)
    if others.exists():
        raise ValidationError({"email": _("Another account already uses this e-mail address.")})
    return email


@transaction.atomic
def user_create(
    *,
    actor: User | None,
    username: str,
    full_name: str,
    role: Role,
    unit: Unit,
    email: str = "",
    position: str = "",
    phone: str = "",
) -> tuple[User, str]:
    """Create an account holding one role; returns it with its one-time password."""
    user = User(
        username=_clean_username(username),
        full_name=full_name.strip(),
        email=_clean_email(email),
        position=position.strip(),
        phone=phone.strip(),
        must_change_password=True,
    )
    if not user.full_name:
        raise ValidationError({"full_name": _("Enter the person's full name.")})
    password = set_one_time_password(user)
    user._history_user = actor  # type: ignore[attr-defined]
    user.save()
    role_grant(actor=actor, user=user, role=role, unit=unit)
    return user, password


@transaction.atomic
def user_update(
    *, actor: User | None, user: User, full_name: str, email: str, position: str, phone: str
) -> User:
    if not full_name.strip():
        raise ValidationError({"full_name": _("Enter the person's full name.")})
    user.full_name, user.position, user.phone = full_name.strip(), position.strip(), phone.strip()
    user.email = _clean_email(email, exclude=user)
    user._history_user = actor  # type: ignore[attr-defined]
    user.save()
    return user


@transaction.atomic
def user_set_active(*, actor: User | None, user: User, active: bool) -> User:
    if actor is not None and actor.pk == user.pk and not active:
        raise ValidationError(_("You cannot lock your own account."))
    user.is_active = active
    user._history_user = actor  # type: ignore[attr-defined]
    user.save(update_fields=["is_active"])
    return user


@transaction.atomic
def password_reset_by_admin(*, actor: User | None, user: User) -> str:
    """Give the person a new one-time password they must change at sign-in;
    a lock-out after failed sign-ins lifts with it."""
    from axes.utils import reset as reset_lockouts

    password = set_one_time_password(user)
    user._history_user = actor  # type: ignore[attr-defined]
    user.save()
    reset_lockouts(username=user.username)
    return password


@transaction.atomic
def password_changed(*, user: User) -> None:
    user.must_change_password = False
    user.save(update_fields=["must_change_password"])


@transaction.atomic
def role_grant(*, actor: User | None, user: User, role: Role, unit: Unit) -> RoleGrant:
    grant, created = RoleGrant.objects.get_or_create(
        user=user, unit=unit, role=role, defaults={"granted_by": actor}
    )
    if not created:
        raise ValidationError(_("This person already holds that role on that unit."))
    policy.forget_grants(user)
    return grant


@transaction.atomic
def role_revoke(*, actor: User | None, grant: RoleGrant) -> None:
    grant._history_user = actor  # type: ignore[attr-defined]
    grant.delete()
    policy.forget_grants(grant.user)


@dataclass
class IssuedAccount:
    unit: Unit
    role: Role
    username: str
    password: str = ""
    note: str = ""


@dataclass
class Issuance:
    accounts: list[IssuedAccount] = field(default_factory=list)

    @property
    def created(self) -> list[IssuedAccount]:
        return [a for a in self.accounts if a.password]

    @property
    def skipped(self) -> list[IssuedAccount]:
        return [a for a in self.accounts if not a.password]


BULK_ROLES = (Role.REPORTER, Role.HEAD, Role.VIEWER)


def units_for_issuance(scope: Unit, kinds: list[str], on: dt.date) -> list[Unit]:
    return list(
        Unit.objects.within(scope).filter(kind__in=kinds).active_on(on).order_by("kind", "sort_key")
    )


@transaction.atomic
def accounts_issue(
    *,
    actor: User | None,
    scope: Unit,
    roles: list[Role],
    kinds: list[str],
    on: dt.date | None = None,
) -> Issuance:
    """One account per role for every active unit of the chosen kinds in scope.

    Idempotent: a unit that already has someone in a role is listed as skipped,
    so running it again after new communes were added issues only theirs.
    """
    if not roles:
        raise ValidationError(_("Choose at least one role."))
    unknown = [k for k in kinds if k not in UnitKind.values]
    if not kinds or unknown:
        raise ValidationError(_("Choose at least one valid unit type."))
    on = on or timezone.localdate()
    units = units_for_issuance(scope, kinds, on)
    holders = {
        (unit_id, role): username
        for unit_id, role, username in RoleGrant.objects.filter(
            unit__in=units, role__in=roles
        ).values_list("unit_id", "role", "user__username")
    }
    taken = set(
        User.objects.filter(
            username__in=[
                f"{u.code.lower()}.{ROLE_USERNAME_SUFFIX[r]}" for u in units for r in roles
            ]
        ).values_list("username", flat=True)
    )
    result = Issuance()
    new_users: list[tuple[User, Unit, Role]] = []
    for unit in units:
        for role in roles:
            if (unit.pk, role) in holders:
                result.accounts.append(
                    IssuedAccount(
                        unit, role, holders[(unit.pk, role)], note=_("already has an account")
                    )
                )
                continue
            username = _free_username(f"{unit.code.lower()}.{ROLE_USERNAME_SUFFIX[role]}", taken)
            taken.add(username)
            with translation.override("vi"):  # stored data, not UI: always Vietnamese
                full_name = f"{Role(role).label} — {unit.display_name}"
            user = User(username=username, full_name=full_name)
            password = set_one_time_password(user)
            new_users.append((user, unit, role))
            result.accounts.append(IssuedAccount(unit, role, username, password))
    for user, _unit, _role in new_users:
        user._history_user = actor  # type: ignore[attr-defined]
        user.save()
    RoleGrant.objects.bulk_create(
        [RoleGrant(user=u, unit=unit, role=role, granted_by=actor) for u, unit, role in new_users]
    )
    AccountIssuance.objects.create(
        issued_by=actor,
        scope=scope,
        roles=",".join(roles),
        kinds=",".join(kinds),
        created_count=len(result.created),
        skipped_count=len(result.skipped),
    )
    return result


def _free_username(base: str, taken: set[str]) -> str:
    if base not in taken:
        return base
    n = 2
    while f"{base}{n}" in taken or User.objects.filter(username=f"{base}{n}").exists():
        n += 1
    return f"{base}{n}"


def issuance_headers() -> list[str]:
    return [
        _("No."),
        _("Unit code"),
        _("Unit name"),
        _("Role"),
        _("Username"),
        _("One-time password"),
        _("Note"),
    ]


def issuance_rows(issuance: Issuance) -> list[list[object]]:
    return [
        [n, a.unit.code, a.unit.name, str(Role(a.role).label), a.username, a.password, a.note]
        for n, a in enumerate(issuance.accounts, start=1)
    ]
