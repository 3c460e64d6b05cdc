"""The appraisal council, its decisions on each item, explanations, sign-off,
publication, and the materialised results (self / appraised / final).

One item (`Item`) is one scored leaf indicator of one assessed unit in the
cycle's result period (the year report; see `items.result_period`). The three
scores of DOMAIN.md §3.5, per item:

- self (tự đánh giá): the unit's figures through the framework's rules;
- appraised (thẩm định): the points the council set when it corrected the
  item, empty when it accepted the self score as it was;
- final (đạt được): appraised where set, otherwise self once the council has
  accepted the item; nothing while the item is undecided.

`UnitResult` and `IndicatorResult` store them per unit and per indicator
(main indicators and totals summed by the pure core) so that rankings and
dashboards read, never compute. See docs/decisions/0003-appraisal-and-results.md.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from dtis.frameworks.models import Indicator
from dtis.reporting.models import AssessedUnit, Cycle, Evidence, Figure, Period

POINTS = {"max_digits": 8, "decimal_places": 2}


class CouncilRole(models.TextChoices):
    CHAIR = "chair", _("Council chair")
    MEMBER = "member", _("Council member")
    WORKING_GROUP = "working", _("Working group member")


class CouncilMember(models.Model):
    """A person on a cycle's appraisal council (or its working group) and the
    main indicators (groups) whose items they appraise."""

    cycle = models.ForeignKey(Cycle, on_delete=models.CASCADE, related_name="council")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    role = models.CharField(_("role"), max_length=10, choices=CouncilRole.choices)
    groups = models.ManyToManyField(
        Indicator, verbose_name=_("indicator groups"), blank=True, related_name="+"
    )

    class Meta:
        verbose_name = _("council member")
        verbose_name_plural = _("council members")
        constraints = [models.UniqueConstraint(fields=["cycle", "user"], name="one_seat_per_cycle")]

    def __str__(self) -> str:
        return f"{self.user} ({self.get_role_display()})"


class ItemState(models.TextChoices):
    PENDING = "pending", _("Not appraised yet")
    ACCEPTED = "accepted", _("Accepted")
    CORRECTED = "corrected", _("Score corrected")
    EXPLANATION = "explanation", _("Explanation requested")
    ANSWERED = "answered", _("Explained, to re-appraise")


DECIDED = (ItemState.ACCEPTED, ItemState.CORRECTED)


class ReasonCode(models.TextChoices):
    MISSING_EVIDENCE = "missing_evidence", _("Evidence missing")
    OUTSIDE_PERIOD = "outside_period", _("Evidence outside the period")
    NOT_SUPPORTED = "not_supported", _("Figure not supported by the evidence")
    INCOMPLETE_CITATION = "citation", _("Document cited without number, date or summary")
    RULE_MISAPPLIED = "rule_misapplied", _("Scoring rule misapplied")
    OTHER = "other", _("Other reason")


class Item(models.Model):
    period = models.ForeignKey(Period, on_delete=models.CASCADE, related_name="+")
    assessed = models.ForeignKey(
        AssessedUnit, on_delete=models.CASCADE, related_name="appraisal_items"
    )
    indicator = models.ForeignKey(Indicator, on_delete=models.PROTECT, related_name="+")
    main = models.ForeignKey(
        Indicator,
        on_delete=models.PROTECT,
        related_name="+",
        help_text="The main indicator (group) above it: what council members are assigned.",
    )
    figure = models.ForeignKey(Figure, null=True, blank=True, on_delete=models.SET_NULL)
    state = models.CharField(max_length=12, choices=ItemState.choices, default=ItemState.PENDING)
    appraised_points = models.DecimalField(null=True, blank=True, **POINTS)
    reason_code = models.CharField(max_length=20, choices=ReasonCode.choices, blank=True)
    reason = models.TextField(blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    version = models.PositiveIntegerField(default=1)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["period", "assessed", "indicator"], name="one_item_per_indicator"
            )
        ]

    def __str__(self) -> str:
        return f"{self.assessed.unit} {self.indicator.code}: {self.state}"

    @property
    def decided(self) -> bool:
        return self.state in DECIDED


class ItemAction(models.TextChoices):
    ACCEPT = "accept", _("accepted the self score")
    CORRECT = "correct", _("corrected the score")
    REQUEST = "request", _("requested an explanation")
    ANSWER = "answer", _("answered the request")


class ItemEvent(models.Model):
    """One step on an item, kept for good: who, when, what, from and to, why."""

    item = models.ForeignKey(Item, on_delete=models.CASCADE, related_name="events")
    at = models.DateTimeField(auto_now_add=True)
    by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL)
    action = models.CharField(max_length=10, choices=ItemAction.choices)
    from_state = models.CharField(max_length=12, choices=ItemState.choices)
    to_state = models.CharField(max_length=12, choices=ItemState.choices)
    points_before = models.DecimalField(null=True, blank=True, **POINTS)
    points_after = models.DecimalField(null=True, blank=True, **POINTS)
    reason_code = models.CharField(max_length=20, choices=ReasonCode.choices, blank=True)
    text = models.TextField(blank=True)

    class Meta:
        ordering = ["at", "pk"]

    def __str__(self) -> str:
        return f"{self.item_id} {self.action}"


class ExplanationRequest(models.Model):
    """Giải trình bổ sung: the council's question, the unit's answer and the
    documents it added, all kept with the item."""

    item = models.ForeignKey(Item, on_delete=models.CASCADE, related_name="requests")
    question = models.TextField(_("question"))
    due = models.DateField(_("answer by"))
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    requested_at = models.DateTimeField(auto_now_add=True)
    answer = models.TextField(_("answer"), blank=True)
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    answered_at = models.DateTimeField(null=True, blank=True)
    evidence = models.ManyToManyField(Evidence, blank=True, related_name="+")

    class Meta:
        ordering = ["requested_at", "pk"]

    def __str__(self) -> str:
        return self.question[:60]

    @property
    def is_open(self) -> bool:
        return self.answered_at is None


class Stage(models.TextChoices):
    APPRAISING = "appraising", _("Being appraised")
    SIGNED_OFF = "signed_off", _("Signed off")
    PUBLISHED = "published", _("Published")


class CycleOutcome(models.Model):
    """Where a cycle's appraisal stands: being appraised, signed off by the
    chair (results locked), or published to the assessed units."""

    cycle = models.OneToOneField(Cycle, on_delete=models.CASCADE, related_name="outcome")
    stage = models.CharField(max_length=12, choices=Stage.choices, default=Stage.APPRAISING)
    version = models.PositiveIntegerField(default=1)
    signed_off_at = models.DateTimeField(null=True, blank=True)
    published_at = models.DateTimeField(null=True, blank=True)

    def __str__(self) -> str:
        return f"{self.cycle}: {self.stage}"


class OutcomeAction(models.TextChoices):
    SIGN_OFF = "sign_off", _("signed off the results")
    REOPEN = "reopen", _("reopened the results")
    PUBLISH = "publish", _("published the results")


class OutcomeEvent(models.Model):
    outcome = models.ForeignKey(CycleOutcome, on_delete=models.CASCADE, related_name="events")
    at = models.DateTimeField(auto_now_add=True)
    by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL)
    action = models.CharField(max_length=10, choices=OutcomeAction.choices)
    reason = models.TextField(blank=True)

    class Meta:
        ordering = ["at", "pk"]

    def __str__(self) -> str:
        return f"{self.outcome_id} {self.action}"


class UnitResult(models.Model):
    """One assessed unit's materialised result in its cycle's result period."""

    assessed = models.OneToOneField(AssessedUnit, on_delete=models.CASCADE, related_name="result")
    cycle = models.ForeignKey(Cycle, on_delete=models.CASCADE, related_name="results")
    self_points = models.DecimalField(**POINTS)
    appraised_points = models.DecimalField(**POINTS)
    final_points = models.DecimalField(**POINTS)
    max_points = models.DecimalField(**POINTS)
    self_index = models.DecimalField(max_digits=5, decimal_places=4, null=True)
    index = models.DecimalField(max_digits=5, decimal_places=4, null=True)
    rank = models.PositiveIntegerField(default=0)  # within the peer group; 0: unranked
    band = models.CharField(max_length=100, blank=True)
    pillars = models.JSONField(default=dict)  # pillar code -> final index ("0.8123") or null
    items = models.PositiveIntegerField(default=0)
    decided = models.PositiveIntegerField(default=0)
    reported = models.BooleanField(default=False)  # the unit's report reached appraisal
    computed_at = models.DateTimeField(auto_now=True)

    class Meta:
        indexes = [models.Index(fields=["cycle", "rank"])]

    def __str__(self) -> str:
        return f"{self.assessed}: {self.final_points}/{self.max_points}"


class IndicatorResult(models.Model):
    """Self / appraised / final points of one indicator (leaf or main) for one unit."""

    result = models.ForeignKey(UnitResult, on_delete=models.CASCADE, related_name="indicators")
    indicator = models.ForeignKey(Indicator, on_delete=models.PROTECT, related_name="+")
    code = models.CharField(max_length=20)
    is_main = models.BooleanField(default=False)
    applicable = models.BooleanField(default=True)
    self_points = models.DecimalField(**POINTS)
    appraised_points = models.DecimalField(null=True, **POINTS)  # leaves: only where corrected
    final_points = models.DecimalField(null=True, **POINTS)  # leaves: only once decided
    max_points = models.DecimalField(**POINTS)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["result", "indicator"], name="one_indicator_result")
        ]

    def __str__(self) -> str:
        return f"{self.code}: {self.final_points}/{self.max_points}"
