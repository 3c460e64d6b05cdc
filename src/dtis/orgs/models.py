"""Units (cơ quan, đơn vị), people and the roles people hold on units."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.contrib.auth.models import AbstractUser, UserManager
from django.core.validators import RegexValidator
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from dtis.core.text import fold, vi_sort_key

UNIT_CODE_PATTERN = r"^[A-Z0-9][A-Z0-9_-]{0,39}$"


class UnitKind(models.TextChoices):
    NATION = "nation", _("Nation")
    MINISTRY = "ministry", _("Ministry")
    PROVINCE = "province", _("Province")
    DEPARTMENT = "department", _("Department")
    DISTRICT = "district", _("District")
    COMMUNE = "commune", _("Commune / ward")
    AGENCY = "agency", _("Other agency")
    OFFICE = "office", _("Internal office")


# Order of kinds among siblings in the tree view.
KIND_ORDER = {kind: str(rank) for rank, kind in enumerate(
    ["nation", "ministry", "province", "department", "agency", "district", "commune", "office"]
)}  # fmt: skip


class UnitQuerySet(models.QuerySet["Unit"]):
    def active_on(self, day: dt.date) -> UnitQuerySet:
        return self.filter(
            models.Q(valid_from__isnull=True) | models.Q(valid_from__lte=day),
            models.Q(valid_to__isnull=True) | models.Q(valid_to__gte=day),
        )

    def within(self, unit: Unit) -> UnitQuerySet:
        """The unit and everything below it (materialised path prefix)."""
        return self.filter(path__startswith=unit.path)

    def search(self, query: str) -> UnitQuerySet:
        folded = fold(query)
        return self.filter(search_text__contains=folded) if folded else self


class Unit(models.Model):
    """A body that reports, is assessed, or both: a province, a department, a
    commune, an office inside a department.

    Units are never deleted once used: when communes merge, the old ones get a
    `valid_to` date and keep their history.
    """

    code = models.CharField(
        _("code"),
        max_length=40,
        unique=True,
        validators=[
            RegexValidator(
                UNIT_CODE_PATTERN,
                _("Use capital letters A–Z, digits, '-' or '_' (at most 40), e.g. KHH-SKHCN."),
            )
        ],
    )
    name = models.CharField(_("full name"), max_length=255)
    short_name = models.CharField(_("short name"), max_length=100, blank=True)
    kind = models.CharField(_("type"), max_length=20, choices=UnitKind.choices)
    parent = models.ForeignKey(
        "self",
        verbose_name=_("parent unit"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
    )
    valid_from = models.DateField(_("valid from"), null=True, blank=True)
    valid_to = models.DateField(_("valid until"), null=True, blank=True)
    # "/12/40/57/": ids from the root down. Both tree fields are maintained by
    # dtis.orgs.units (never set them by hand).
    path = models.CharField(max_length=255, db_index=True, editable=False, default="")
    # The same walk as sortable text: per level the kind, the name's Vietnamese
    # sort key and the id, so ordering by it lists the tree with siblings
    # grouped by kind and in alphabetical order.
    tree_key = models.CharField(max_length=600, editable=False, default="")
    search_text = models.CharField(max_length=500, editable=False, default="")
    sort_key = models.CharField(max_length=1200, editable=False, default="")
    version = models.PositiveIntegerField(default=1, editable=False)
    history = HistoricalRecords(excluded_fields=["search_text", "sort_key", "path", "tree_key"])

    objects = UnitQuerySet.as_manager()

    class Meta:
        verbose_name = _("unit")
        verbose_name_plural = _("units")
        ordering = ["sort_key"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(valid_to__isnull=True)
                | models.Q(valid_from__isnull=True)
                | models.Q(valid_to__gte=models.F("valid_from")),
                name="unit_validity_ordered",
            )
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def display_name(self) -> str:
        return self.short_name or self.name

    @property
    def depth(self) -> int:
        return self.path.count("/") - 1 if self.path else 0

    def ancestor_ids(self) -> list[int]:
        return [int(part) for part in self.path.strip("/").split("/") if part]

    def is_active_on(self, day: dt.date) -> bool:
        return (self.valid_from is None or self.valid_from <= day) and (
            self.valid_to is None or self.valid_to >= day
        )

    def tree_segment(self) -> str:
        """This unit's level of `tree_key` (fixed width: 1 + 60 + 10 + 1)."""
        name_key = vi_sort_key(self.display_name)[:60].ljust(60, "0")
        return f"{KIND_ORDER[self.kind]}{name_key}{self.pk:010d}/"

    def refresh_derived_fields(self) -> None:
        """Recompute the accent-free search text and the Vietnamese sort key."""
        self.search_text = fold(f"{self.code} {self.name} {self.short_name}")
        self.sort_key = vi_sort_key(self.name)[:1200]


class User(AbstractUser):
    """A person who signs in. Vietnamese names are one field, not first/last."""

    first_name = None  # type: ignore[assignment]
    last_name = None  # type: ignore[assignment]
    full_name = models.CharField(_("full name"), max_length=150)
    email = models.EmailField(_("e-mail"), unique=True, null=True, blank=True)
    position = models.CharField(_("position"), max_length=150, blank=True)
    phone = models.CharField(_("phone"), max_length=30, blank=True)
    must_change_password = models.BooleanField(_("must change password"), default=False)
    search_text = models.CharField(max_length=400, editable=False, default="")
    history = HistoricalRecords(excluded_fields=["password", "last_login", "search_text"])

    objects = UserManager()

    REQUIRED_FIELDS = ["email", "full_name"]

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")
        ordering = ["username"]

    def __str__(self) -> str:
        return self.full_name or self.username

    def get_full_name(self) -> str:
        return self.full_name

    def get_short_name(self) -> str:
        return self.full_name.split()[-1] if self.full_name else self.username

    def save(self, *args: object, **kwargs: object) -> None:
        if self.email == "":
            self.email = None
        self.search_text = fold(f"{self.username} {self.full_name} {self.email or ''}")
        super().save(*args, **kwargs)  # type: ignore[arg-type]


class Role(models.TextChoices):
    ADMIN = "admin", _("Administrator (standing office)")
    REPORTER = "reporter", _("Reporter")
    HEAD = "head", _("Unit head")
    APPRAISER = "appraiser", _("Appraiser")
    VIEWER = "viewer", _("Viewer (leadership)")


ROLE_DUTIES = {
    Role.ADMIN: _(
        "sets up frameworks and cycles, manages units and accounts, "
        "aggregates and publishes results"
    ),
    Role.REPORTER: _("enters the unit's figures and evidence each quarter"),
    Role.HEAD: _("reviews the unit's entries and submits them"),
    Role.APPRAISER: _("checks figures against evidence and sets appraised scores"),
    Role.VIEWER: _("follows results, rankings and late units"),
}


class RoleGrant(models.Model):
    """A role held by a person on a unit (and, for some roles, below it)."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="grants"
    )
    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="grants")
    role = models.CharField(_("role"), max_length=20, choices=Role.choices)
    granted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    granted_at = models.DateTimeField(auto_now_add=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("role")
        verbose_name_plural = _("roles")
        constraints = [
            models.UniqueConstraint(fields=["user", "unit", "role"], name="one_grant_per_role")
        ]

    def __str__(self) -> str:
        return f"{self.user} — {self.get_role_display()} — {self.unit.display_name}"

    @property
    def duties(self) -> str:
        return str(ROLE_DUTIES[Role(self.role)])


class AccountIssuance(models.Model):
    """A record of one bulk issuance. Passwords are never stored here."""

    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    issued_at = models.DateTimeField(auto_now_add=True)
    scope = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="+")
    roles = models.CharField(max_length=100)
    kinds = models.CharField(max_length=200)
    created_count = models.PositiveIntegerField(default=0)
    skipped_count = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["-issued_at"]

    def __str__(self) -> str:
        return f"{self.scope.code} {self.issued_at:%d/%m/%Y %H:%M}: {self.created_count}"


class SecurityEventKind(models.TextChoices):
    LOGIN = "login", _("Signed in")
    LOGIN_FAILED = "login_failed", _("Sign-in failed")
    LOCKOUT = "lockout", _("Locked out")
    LOGOUT = "logout", _("Signed out")
    PERMISSION_DENIED = "denied", _("Permission denied")
    PASSWORD_CHANGED = "password", _("Password changed")
    OTP_ENROLLED = "otp_enrolled", _("Second factor set up")
    OTP_FAILED = "otp_failed", _("Wrong second-factor code")
    OTP_BACKUP_USED = "otp_backup", _("Backup code used")
    OTP_RESET = "otp_reset", _("Second factor removed")


class SecurityEvent(models.Model):
    """One line of the security log. Written by signal receivers and the 403
    handler (`dtis.orgs.security_log`), read by system administrators, never
    edited: no form or view changes a row."""

    at = models.DateTimeField(_("time"), auto_now_add=True, db_index=True)
    kind = models.CharField(_("event"), max_length=20, choices=SecurityEventKind.choices)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    username = models.CharField(_("username given"), max_length=150, blank=True)
    ip = models.GenericIPAddressField(_("IP address"), null=True, blank=True)
    user_agent = models.CharField(_("browser"), max_length=255, blank=True)
    path = models.CharField(_("address"), max_length=255, blank=True)

    class Meta:
        ordering = ["-at", "-pk"]
        indexes = [models.Index(fields=["kind", "-at"])]
        verbose_name = _("security event")
        verbose_name_plural = _("security log")

    def __str__(self) -> str:
        return f"{self.at:%d/%m/%Y %H:%M:%S} {self.kind} {self.username}"
