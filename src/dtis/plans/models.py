"""Next year's improvement plan (kế hoạch nâng cao Chỉ số DTI) and its tasks.

A plan is drafted from one assessed unit's published result (`draft`), edited
by the standing office and approved by a leader; its tasks are then tracked
each quarter. The plan's wording (purpose, requirements, organisation,
recipients, signature) is what the official document prints (`documents`).
"""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from dtis.frameworks.models import Indicator
from dtis.orgs.models import Unit
from dtis.reporting.models import AssessedUnit

POINTS = {"max_digits": 10, "decimal_places": 2}


class PlanStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    APPROVED = "approved", _("Approved")


class Effort(models.IntegerChoices):
    EASY = 1, _("Easy")
    USUAL = 2, _("Usual")
    HARD = 3, _("Hard")


class TaskStatus(models.TextChoices):
    NOT_STARTED = "not_started", _("Not started")
    IN_PROGRESS = "in_progress", _("In progress")
    NEEDS_EVIDENCE = "needs_evidence", _("Evidence to add")
    DONE = "done", _("Done")


class Plan(models.Model):
    source = models.ForeignKey(
        AssessedUnit,
        verbose_name=_("result it starts from"),
        on_delete=models.PROTECT,
        related_name="plans",
    )
    year = models.PositiveSmallIntegerField(_("plan year"))
    title = models.CharField(_("title"), max_length=500)
    number = models.CharField(_("document number"), max_length=60, blank=True)
    issuer = models.CharField(_("issuing body"), max_length=255)
    issuer_parent = models.CharField(_("body above the issuer"), max_length=255, blank=True)
    place = models.CharField(_("place"), max_length=100)
    issued_on = models.DateField(_("date"), null=True, blank=True)
    # What the draft aimed at and what it found.
    target_total = models.DecimalField(_("target total"), null=True, blank=True, **POINTS)
    target_rank = models.PositiveSmallIntegerField(_("target rank"), null=True, blank=True)
    current_points = models.DecimalField(**POINTS)
    target_points = models.DecimalField(**POINTS)
    max_points = models.DecimalField(**POINTS)
    reachable = models.BooleanField(default=True)
    # The document's sections.
    purpose = models.TextField(_("purpose"), blank=True)
    requirements = models.TextField(_("requirements"), blank=True)
    targets_text = models.TextField(_("targets"), blank=True)
    organisation = models.TextField(_("organisation of implementation"), blank=True)
    recipients = models.TextField(_("recipients"), blank=True)
    signer_title = models.CharField(_("signer's title"), max_length=200, blank=True)
    signer_name = models.CharField(_("signer's name"), max_length=200, blank=True)
    status = models.CharField(
        _("status"), max_length=20, choices=PlanStatus.choices, default=PlanStatus.DRAFT
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    approved_at = models.DateTimeField(null=True, blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["-year", "-pk"]
        verbose_name = _("improvement plan")
        verbose_name_plural = _("improvement plans")

    def __str__(self) -> str:
        return self.title

    @property
    def gap(self) -> object:
        return max(self.target_points - self.current_points, 0)

    @property
    def approved(self) -> bool:
        return self.status == PlanStatus.APPROVED


class PlanTask(models.Model):
    """One indicator below its maximum: the work planned on it, then its progress."""

    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="tasks")
    order = models.PositiveIntegerField(default=0)  # priority, 1 first
    indicator = models.ForeignKey(Indicator, on_delete=models.PROTECT, related_name="+")
    code = models.CharField(_("code"), max_length=20)
    name = models.TextField(_("indicator"))
    main_code = models.CharField(max_length=20, blank=True)
    points = models.DecimalField(_("points"), **POINTS)
    max_points = models.DecimalField(_("max points"), **POINTS)
    allocated = models.DecimalField(_("points to win back"), default=0, **POINTS)
    effort = models.PositiveSmallIntegerField(
        _("effort"), choices=Effort.choices, default=Effort.USUAL
    )
    trend = models.JSONField(default=list, blank=True)  # [[year, points], …] oldest first
    owner = models.ForeignKey(
        Unit, verbose_name=_("lead unit"), null=True, blank=True, on_delete=models.PROTECT,
        related_name="+",
    )  # fmt: skip
    owner_text = models.CharField(_("lead unit (as written)"), max_length=255, blank=True)
    coordinators = models.TextField(_("coordinating units"), blank=True)
    tasks = models.TextField(_("work to do"), blank=True)
    evidence_expected = models.TextField(_("evidence expected"), blank=True)
    deadline = models.DateField(_("deadline"), null=True, blank=True)
    # Tracking, once the plan is approved.
    status = models.CharField(
        _("status"), max_length=20, choices=TaskStatus.choices, default=TaskStatus.NOT_STARTED
    )
    progress = models.PositiveSmallIntegerField(
        _("progress (%)"), default=0, validators=[MinValueValidator(0), MaxValueValidator(100)]
    )
    evidence = models.TextField(_("evidence"), blank=True)
    notes = models.TextField(_("notes"), blank=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    updated_at = models.DateTimeField(auto_now=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["plan", "order", "pk"]
        verbose_name = _("plan task")
        verbose_name_plural = _("plan tasks")

    def __str__(self) -> str:
        return f"{self.code}. {self.name}"

    @property
    def points_lost(self) -> object:
        return self.max_points - self.points

    @property
    def owner_name(self) -> str:
        return self.owner.name if self.owner_id else self.owner_text  # type: ignore[union-attr]

    def is_overdue(self, today: dt.date) -> bool:
        return (
            self.deadline is not None and self.deadline < today and self.status != TaskStatus.DONE
        )


class TaskReminderKind(models.TextChoices):
    DUE_SOON = "due_soon", _("Due in 7 days")
    OVERDUE = "overdue", _("Overdue")


class TaskReminder(models.Model):
    """A reminder about a plan task, claimed before it is sent so it goes once."""

    task = models.ForeignKey(PlanTask, on_delete=models.CASCADE, related_name="reminders")
    recipient = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE)
    kind = models.CharField(max_length=10, choices=TaskReminderKind.choices)
    on = models.DateField()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["task", "recipient", "kind", "on"], name="task_reminder_once"
            )
        ]

    def __str__(self) -> str:
        return f"{self.kind} {self.on:%d/%m/%Y} → {self.recipient}"
