"""Which tours a person has seen (finished or dismissed)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from dtis.orgs.models import Role


class TourSeen(models.Model):
    """A person saw the tour of one role: it does not start by itself again.
    Replaying it from the help menu deletes the row."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="tours_seen"
    )
    role = models.CharField(_("role"), max_length=10, choices=Role.choices)
    seen_at = models.DateTimeField(_("seen"), auto_now_add=True)

    class Meta:
        verbose_name = _("tour seen")
        verbose_name_plural = _("tours seen")
        constraints = [models.UniqueConstraint(fields=["user", "role"], name="one_tour_per_role")]

    def __str__(self) -> str:
        return f"{self.user} · {self.role}"
