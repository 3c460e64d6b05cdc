"""Targets of a cycle (chỉ tiêu): what the province or unit aims at this year.

The comparison itself is the pure core's (dtis.scoring.targets); a row here
holds one target as the standing office set it.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from dtis.reporting.models import Cycle
from dtis.scoring.targets import Kind


class TargetKind(models.TextChoices):
    POINTS = Kind.POINTS.value, _("Total points at least")
    INDEX = Kind.INDEX.value, _("Index at least")
    RANK = Kind.RANK.value, _("Rank among peers at most")
    RANK_GAIN = Kind.RANK_GAIN.value, _("Places gained on last year at least")
    MAINS_IN_TOP = Kind.MAINS_IN_TOP.value, _("Main indicators in the top n at least")
    FIGURE = Kind.FIGURE.value, _("Indicator figure at least")


class Target(models.Model):
    cycle = models.ForeignKey(Cycle, on_delete=models.CASCADE, related_name="targets")
    kind = models.CharField(_("kind"), max_length=20, choices=TargetKind.choices)
    value = models.DecimalField(_("threshold"), max_digits=12, decimal_places=4)
    top = models.PositiveSmallIntegerField(_("top n"), null=True, blank=True)
    indicator = models.CharField(_("indicator code"), max_length=20, blank=True)
    label = models.CharField(_("as written in the plan"), max_length=300, blank=True)
    order = models.PositiveSmallIntegerField(default=0)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["cycle", "order", "pk"]
        verbose_name = _("target")
        verbose_name_plural = _("targets")

    def __str__(self) -> str:
        return self.label or f"{self.kind} {self.value}"


class DataVersion(models.Model):
    """The one row holding the data version (`dashboards.freshness`)."""

    n = models.BigIntegerField(default=0)

    class Meta:
        verbose_name = _("data version")

    def __str__(self) -> str:
        return str(self.n)
