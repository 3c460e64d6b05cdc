"""Indicator frameworks (bộ chỉ số), versioned, and published peer results.

A framework that is active or retired is never edited in place: results of
past years must stay computable with the framework in force that year. A
change means a new draft version ("new version from this one").
"""

from __future__ import annotations

from django.core.validators import MaxValueValidator, MinValueValidator, RegexValidator
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from dtis.orgs.models import Unit

FRAMEWORK_CODE_PATTERN = r"^[a-z0-9][a-z0-9-]{1,59}$"


class Level(models.TextChoices):
    MINISTRY = "ministry", _("Ministry")
    PROVINCE = "province", _("Province")
    DEPARTMENT = "department", _("Department")
    DISTRICT = "district", _("District")
    COMMUNE = "commune", _("Commune")


class Status(models.TextChoices):
    DRAFT = "draft", _("Draft")
    ACTIVE = "active", _("In force")
    RETIRED = "retired", _("Retired")


class Framework(models.Model):
    code = models.CharField(
        _("code"),
        max_length=60,
        validators=[RegexValidator(FRAMEWORK_CODE_PATTERN, _("Use a-z, 0-9 and '-'."))],
    )
    version = models.PositiveIntegerField(_("version"), default=1)
    name = models.CharField(_("name"), max_length=300)
    level = models.CharField(_("level"), max_length=20, choices=Level.choices)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.DRAFT
    )
    legal_number = models.CharField(_("decision number"), max_length=100, blank=True)
    legal_date = models.DateField(_("decision date"), null=True, blank=True)
    legal_issuer = models.CharField(_("issued by"), max_length=200, blank=True)
    year_from = models.PositiveSmallIntegerField(
        _("in force from year"),
        null=True,
        blank=True,
        validators=[MinValueValidator(2000), MaxValueValidator(2100)],
    )
    year_to = models.PositiveSmallIntegerField(
        _("in force until year"),
        null=True,
        blank=True,
        validators=[MinValueValidator(2000), MaxValueValidator(2100)],
    )
    owner = models.ForeignKey(
        Unit,
        verbose_name=_("owner"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="frameworks",
        help_text=_("The unit whose standing office maintains it; empty for national frameworks."),
    )
    based_on = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.SET_NULL, related_name="next_versions"
    )
    bands = models.JSONField(default=list, blank=True)  # [{"name", "min_percent"}], highest first
    pillars = models.JSONField(default=list, blank=True)  # [{"code", "name", "indicators": [...]}]
    updated_at = models.DateTimeField(auto_now=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("framework")
        verbose_name_plural = _("frameworks")
        ordering = ["code", "-version"]
        constraints = [
            models.UniqueConstraint(fields=["code", "version"], name="framework_code_version")
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.code} v{self.version})"

    @property
    def is_editable(self) -> bool:
        return self.status == Status.DRAFT

    @property
    def label(self) -> str:
        return f"{self.code} v{self.version}"


class Indicator(models.Model):
    framework = models.ForeignKey(Framework, on_delete=models.CASCADE, related_name="indicators")
    parent = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.CASCADE, related_name="children"
    )
    code = models.CharField(_("code"), max_length=20)
    name = models.TextField(_("name"))
    order = models.PositiveIntegerField(default=0)
    max_points = models.DecimalField(_("max points"), max_digits=8, decimal_places=2)
    rule = models.JSONField(_("scoring rule"), null=True, blank=True)
    inputs = models.JSONField(_("inputs"), default=list, blank=True)
    guidance = models.TextField(_("guidance"), blank=True)
    evidence = models.TextField(_("evidence expected"), blank=True)
    tasks = models.TextField(_("work to do"), blank=True)
    lead_unit = models.CharField(_("lead unit"), max_length=255, blank=True)
    coordinating_units = models.JSONField(_("coordinating units"), default=list, blank=True)
    auto_measurable = models.BooleanField(_("measured automatically"), default=False)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("indicator")
        verbose_name_plural = _("indicators")
        ordering = ["framework", "order"]
        constraints = [
            models.UniqueConstraint(
                fields=["framework", "code"], name="indicator_code_per_framework"
            )
        ]

    def __str__(self) -> str:
        return f"{self.code}. {self.name}"

    @property
    def depth(self) -> int:
        return self.code.count(".")


class Crosswalk(models.Model):
    """Which indicator of a newer version continues one of an older version,
    so that trends stay comparable across a framework change."""

    source = models.ForeignKey(Indicator, on_delete=models.CASCADE, related_name="crosswalk_out")
    target = models.ForeignKey(
        Indicator, null=True, blank=True, on_delete=models.CASCADE, related_name="crosswalk_in"
    )
    note = models.CharField(max_length=300, blank=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["source"], name="one_crosswalk_per_source")]

    def __str__(self) -> str:
        return f"{self.source.code} → {self.target.code if self.target else '∅'}"


class PublishedResult(models.Model):
    """One unit's result as the ministry published it (index per main indicator)."""

    framework = models.ForeignKey(Framework, on_delete=models.PROTECT, related_name="published")
    year = models.PositiveSmallIntegerField(_("year"))
    unit_name = models.CharField(_("unit"), max_length=255)
    unit = models.ForeignKey(Unit, null=True, blank=True, on_delete=models.SET_NULL)
    indices = models.JSONField()  # {"1": "0.8253", ...} as strings: exact decimals
    published_total = models.DecimalField(max_digits=6, decimal_places=4, null=True, blank=True)
    published_rank = models.PositiveSmallIntegerField(null=True, blank=True)
    imported_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["framework", "year", "published_rank", "unit_name"]
        constraints = [
            models.UniqueConstraint(
                fields=["framework", "year", "unit_name"], name="one_published_row_per_unit"
            )
        ]

    def __str__(self) -> str:
        return f"{self.unit_name} {self.year}"
