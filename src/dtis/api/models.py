"""Machine clients of the HTTP API and the idempotency keys of their writes.

A client is another system of the province (the one-stop administrative
procedure system, the LGSP, the operations centre) that pushes figures for
some units. Its token is stored only as a hash; a short prefix identifies it
in lists. Each client writes through its own service account so that the
figures' history names the client like it names a person.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from dtis.orgs.models import Unit


class ApiClient(models.Model):
    name = models.CharField(_("name"), max_length=150)  # also the service account's name
    units = models.ManyToManyField(
        Unit,
        verbose_name=_("units it writes for"),
        related_name="+",
        help_text=_("Each unit also covers the units below it."),
    )
    # Empty: every indicator of the units. Codes as in the framework ("6.4").
    indicator_codes = models.JSONField(_("indicator codes"), default=list, blank=True)
    token_prefix = models.CharField(_("token prefix"), max_length=16, unique=True)
    token_hash = models.CharField(max_length=64, unique=True, editable=False)
    # The service account named in the figures' history (never signs in).
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        null=True,
        on_delete=models.PROTECT,
        related_name="api_client",
        editable=False,
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    revoked_at = models.DateTimeField(_("revoked"), null=True, blank=True)
    revoked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    last_used_at = models.DateTimeField(_("last used"), null=True, blank=True)

    class Meta:
        verbose_name = _("API client")
        verbose_name_plural = _("API clients")
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return self.name

    @property
    def is_active(self) -> bool:
        return self.revoked_at is None

    def _scope(self) -> list[tuple[int, str]]:
        cached: list[tuple[int, str]] | None = self.__dict__.get("_scope_cache")
        if cached is None:
            cached = list(self.units.values_list("pk", "path"))
            self.__dict__["_scope_cache"] = cached
        return cached

    def covers(self, unit: Unit) -> bool:
        """A unit of the client, or one below it (as an administrator's grant covers)."""
        return any(unit.pk == pk or unit.path.startswith(path) for pk, path in self._scope())

    def scope_paths(self) -> list[str]:
        return [path for _pk, path in self._scope()]

    def allows_indicator(self, code: str) -> bool:
        return not self.indicator_codes or code in self.indicator_codes


class IdempotencyRecord(models.Model):
    """The answer given to one write, kept so that a retry with the same key
    gets the same answer instead of a second change."""

    client = models.ForeignKey(ApiClient, on_delete=models.CASCADE, related_name="writes")
    key = models.CharField(max_length=200)
    request_hash = models.CharField(max_length=64)
    status = models.PositiveSmallIntegerField()
    response = models.JSONField()
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["client", "key"], name="one_answer_per_key")]

    def __str__(self) -> str:
        return f"{self.client_id}:{self.key}"
