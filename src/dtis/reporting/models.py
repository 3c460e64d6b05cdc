"""Assessment cycles, periods, assignments, figures, evidence and submissions.

A cycle (đợt đánh giá) is a framework version × a year × a scope. Its
assessed units are scored and ranked within their peer group; the people who
enter figures belong to the units an assignment names (the lead agency of an
indicator for the province's own DTI, an office inside a department for a
department's).
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from dtis.frameworks.models import Framework, Indicator
from dtis.orgs.models import Unit


class Cycle(models.Model):
    name = models.CharField(_("name"), max_length=255)
    framework = models.ForeignKey(
        Framework, verbose_name=_("framework"), on_delete=models.PROTECT, related_name="cycles"
    )
    year = models.PositiveSmallIntegerField(_("year"))
    scope = models.ForeignKey(
        Unit,
        verbose_name=_("standing office's scope"),
        on_delete=models.PROTECT,
        related_name="cycles",
        help_text=_("The unit whose standing office runs the cycle, e.g. the province."),
    )
    copied_from = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("assessment cycle")
        verbose_name_plural = _("assessment cycles")
        ordering = ["-year", "name"]

    def __str__(self) -> str:
        return self.name


class AssessedUnit(models.Model):
    cycle = models.ForeignKey(Cycle, on_delete=models.CASCADE, related_name="assessed")
    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="assessments")
    peer_group = models.CharField(_("peer group"), max_length=100, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["cycle", "unit"], name="assessed_once_per_cycle")
        ]

    def __str__(self) -> str:
        return f"{self.unit} ({self.cycle})"


class PeriodKind(models.TextChoices):
    Q1 = "q1", _("Quarter 1")
    Q2 = "q2", _("Quarter 2")
    H1 = "h1", _("Half year")
    Q3 = "q3", _("Quarter 3")
    Q4 = "q4", _("Quarter 4")
    YEAR = "year", _("Year")


class PeriodState(models.TextChoices):
    PLANNED = "planned", _("Planned")
    OPEN = "open", _("Open")
    CLOSED = "closed", _("Closed")


class Period(models.Model):
    cycle = models.ForeignKey(Cycle, on_delete=models.CASCADE, related_name="periods")
    kind = models.CharField(_("period"), max_length=10, choices=PeriodKind.choices)
    start = models.DateField(_("from"))
    end = models.DateField(_("until"))
    unit_deadline = models.DateField(_("units report by"))
    office_deadline = models.DateField(_("office reports by"))
    state = models.CharField(
        _("state"), max_length=10, choices=PeriodState.choices, default=PeriodState.PLANNED
    )
    history = HistoricalRecords()

    class Meta:
        ordering = ["cycle", "end", "-start"]  # q1, q2, h1, q3, q4, year
        constraints = [models.UniqueConstraint(fields=["cycle", "kind"], name="one_period_kind")]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.cycle.year}"


class Reopening(models.Model):
    """The office let one unit report again after the deadline (recorded)."""

    period = models.ForeignKey(Period, on_delete=models.CASCADE, related_name="reopenings")
    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="+")
    until = models.DateField(_("until"))
    reason = models.CharField(_("reason"), max_length=500)
    by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL)
    at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return f"{self.period} {self.unit} → {self.until:%d/%m/%Y}"


class Assignment(models.Model):
    """Who answers for an indicator of an assessed unit (phân công)."""

    cycle = models.ForeignKey(Cycle, on_delete=models.CASCADE, related_name="assignments")
    assessed = models.ForeignKey(AssessedUnit, on_delete=models.CASCADE, related_name="assignments")
    indicator = models.ForeignKey(Indicator, on_delete=models.PROTECT, related_name="+")
    owner = models.ForeignKey(
        Unit, verbose_name=_("lead unit"), on_delete=models.PROTECT, related_name="owned"
    )
    coordinators = models.ManyToManyField(
        Unit, verbose_name=_("coordinating units"), blank=True, related_name="coordinated"
    )
    # Collective coordinators that name no single unit ("Các sở, ban, ngành, địa phương").
    coordinators_text = models.CharField(_("other coordinators"), max_length=500, blank=True)
    tasks = models.TextField(_("work to do"), blank=True)
    evidence = models.TextField(_("evidence expected"), blank=True)
    due = models.DateField(_("due date"), null=True, blank=True)
    history = HistoricalRecords(m2m_fields=[coordinators])

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["assessed", "indicator"], name="one_assignment")
        ]

    def __str__(self) -> str:
        return f"{self.indicator.code} → {self.owner}"


class Figure(models.Model):
    """An assessed unit's inputs for one indicator in one period, and its self-score."""

    period = models.ForeignKey(Period, on_delete=models.CASCADE, related_name="figures")
    assessed = models.ForeignKey(AssessedUnit, on_delete=models.CASCADE, related_name="figures")
    indicator = models.ForeignKey(Indicator, on_delete=models.PROTECT, related_name="+")
    values = models.JSONField(_("inputs"), default=dict, blank=True)
    not_applicable = models.BooleanField(_("not applicable"), default=False)
    note = models.TextField(_("note"), blank=True)
    self_points = models.DecimalField(max_digits=8, decimal_places=2, null=True, blank=True)
    explanation = models.CharField(max_length=500, blank=True)
    version = models.PositiveIntegerField(default=1)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    updated_at = models.DateTimeField(auto_now=True)
    history = HistoricalRecords()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["period", "assessed", "indicator"], name="one_figure_per_period"
            )
        ]

    def __str__(self) -> str:
        return f"{self.indicator.code} {self.period}"


class Contribution(models.Model):
    """A coordinating unit's part: its own figures and note for the lead unit."""

    figure = models.ForeignKey(Figure, on_delete=models.CASCADE, related_name="contributions")
    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="+")
    values = models.JSONField(default=dict, blank=True)
    note = models.TextField(_("note"), blank=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    updated_at = models.DateTimeField(auto_now=True)
    history = HistoricalRecords()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["figure", "unit"], name="one_contribution_per_unit")
        ]

    def __str__(self) -> str:
        return f"{self.figure} — {self.unit}"


class SubmissionState(models.TextChoices):
    DRAFT = "draft", _("Draft")
    SUBMITTED = "submitted", _("Submitted")
    RETURNED = "returned", _("Returned for correction")
    ACCEPTED = "accepted", _("Accepted for appraisal")


class Submission(models.Model):
    """The workflow state of one assessed unit's report for one period."""

    period = models.ForeignKey(Period, on_delete=models.CASCADE, related_name="submissions")
    assessed = models.ForeignKey(AssessedUnit, on_delete=models.CASCADE, related_name="submissions")
    state = models.CharField(
        max_length=10, choices=SubmissionState.choices, default=SubmissionState.DRAFT
    )
    submitted_at = models.DateTimeField(null=True, blank=True)
    days_late = models.PositiveSmallIntegerField(default=0)
    version = models.PositiveIntegerField(default=1)
    history = HistoricalRecords()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["period", "assessed"], name="one_submission")
        ]

    def __str__(self) -> str:
        return f"{self.assessed.unit} {self.period}: {self.state}"


class SubmissionEvent(models.Model):
    """One step of the workflow: who moved it, from what, to what, and why."""

    submission = models.ForeignKey(Submission, on_delete=models.CASCADE, related_name="events")
    at = models.DateTimeField(auto_now_add=True)
    by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL)
    from_state = models.CharField(max_length=10, choices=SubmissionState.choices)
    to_state = models.CharField(max_length=10, choices=SubmissionState.choices)
    comment = models.TextField(blank=True)

    class Meta:
        ordering = ["at", "pk"]

    def __str__(self) -> str:
        return f"{self.from_state} → {self.to_state}"


class ReturnedItem(models.Model):
    """An indicator the office returned with a comment; resolved on resubmission."""

    event = models.ForeignKey(SubmissionEvent, on_delete=models.CASCADE, related_name="items")
    indicator = models.ForeignKey(Indicator, on_delete=models.PROTECT, related_name="+")
    comment = models.TextField()

    def __str__(self) -> str:
        return f"{self.indicator.code}: {self.comment[:40]}"


def evidence_path(instance: Evidence, filename: str) -> str:
    """A generated name: never the uploader's file name on disk."""
    import uuid

    return f"evidence/{instance.figure.period.cycle_id}/{uuid.uuid4().hex}"


class EvidenceKind(models.TextChoices):
    FILE = "file", _("File")
    LINK = "link", _("Link")
    DOCUMENT = "document", _("Official document")


class Evidence(models.Model):
    """Tài liệu kiểm chứng: a file, a link, or a citation of an official document.

    Replacing a file adds a new row and keeps the old one (`replaced_by`).
    """

    figure = models.ForeignKey(Figure, on_delete=models.CASCADE, related_name="evidence")
    kind = models.CharField(_("kind"), max_length=10, choices=EvidenceKind.choices)
    file = models.FileField(upload_to=evidence_path, blank=True)
    original_name = models.CharField(_("file name"), max_length=255, blank=True)
    content_type = models.CharField(max_length=100, blank=True)
    size = models.PositiveIntegerField(default=0)
    url = models.URLField(_("link"), max_length=500, blank=True)
    doc_number = models.CharField(_("document number"), max_length=100, blank=True)
    doc_date = models.DateField(_("issued on"), null=True, blank=True)
    doc_issuer = models.CharField(_("issued by"), max_length=255, blank=True)
    doc_summary = models.TextField(_("summary"), blank=True)
    added_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    added_at = models.DateTimeField(auto_now_add=True)
    replaced_by = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.SET_NULL, related_name="older"
    )
    history = HistoricalRecords()

    class Meta:
        ordering = ["added_at", "pk"]
        verbose_name = _("evidence")
        verbose_name_plural = _("evidence")

    def __str__(self) -> str:
        return self.original_name or self.doc_number or self.url

    @property
    def is_current(self) -> bool:
        return self.replaced_by_id is None


class ReminderKind(models.TextChoices):
    OPENED = "opened", _("Period opened")
    DAYS_7 = "d7", _("7 days before the deadline")
    DAYS_3 = "d3", _("3 days before the deadline")
    DAYS_1 = "d1", _("1 day before the deadline")
    OVERDUE = "overdue", _("Overdue")
    RETURNED = "returned", _("Returned with comments")
    DIGEST = "digest", _("Daily digest")


class Reminder(models.Model):
    """A reminder sent (e-mail and in-app); unique so none is sent twice."""

    period = models.ForeignKey(Period, on_delete=models.CASCADE, related_name="reminders")
    assessed = models.ForeignKey(AssessedUnit, null=True, on_delete=models.CASCADE)
    kind = models.CharField(max_length=10, choices=ReminderKind.choices)
    recipient = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE)
    on = models.DateField()
    sent_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["period", "assessed", "kind", "recipient", "on"], name="reminder_once"
            ),
            # The daily digest concerns no single unit (assessed is NULL, and
            # NULLs never collide in the constraint above).
            models.UniqueConstraint(
                fields=["period", "kind", "recipient", "on"],
                condition=models.Q(assessed__isnull=True),
                name="digest_once",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.kind} {self.on:%d/%m/%Y} → {self.recipient}"


class Notification(models.Model):
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications"
    )
    message = models.CharField(max_length=500)
    url = models.CharField(max_length=300, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    read_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return self.message
