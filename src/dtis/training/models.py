"""What the training sandbox holds, kept in the real database (the sandbox's
own file is wiped and refilled as a whole)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class SandboxSource(models.TextChoices):
    CYCLE = "cycle", _("A copy of a cycle")
    DEMO = "demo", _("The demo province")


class Sandbox(models.Model):
    """The one training sandbox of the installation (at most one row)."""

    source = models.CharField(_("made from"), max_length=10, choices=SandboxSource.choices)
    cycle_name = models.CharField(_("cycle"), max_length=300, blank=True)
    cycle_id_copied = models.PositiveBigIntegerField(null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    rows = models.PositiveIntegerField(_("figures"), default=0)  # what trainees find there
    # The migrations the sandbox was built with: after an upgrade adds one, the
    # sandbox lacks its tables and must be made again (`sandbox.usable`).
    schema = models.CharField(max_length=64, blank=True)

    class Meta:
        verbose_name = _("training sandbox")

    def __str__(self) -> str:
        return self.cycle_name or str(self.get_source_display())

    @property
    def people_may_play_others(self) -> bool:
        """In the demo every name is made up; a copy of a real cycle holds
        real figures, so there each trainee acts only as themselves."""
        return self.source == SandboxSource.DEMO
