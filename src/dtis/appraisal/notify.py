"""Tell people about an appraisal step: in the app, and by e-mail after the
transaction commits (a mail server that fails never undoes the step)."""

from __future__ import annotations

import logging
from collections.abc import Iterable

from django.conf import settings
from django.core.mail import send_mass_mail
from django.db import transaction

from dtis.orgs.models import Role, RoleGrant, Unit, User
from dtis.reporting.models import Notification

logger = logging.getLogger(__name__)


def people_of(units: Iterable[Unit], roles: Iterable[Role]) -> list[User]:
    """Active people holding one of the roles directly on one of the units."""
    ids = [u.pk for u in units]
    grants = RoleGrant.objects.filter(unit_id__in=ids, role__in=list(roles), user__is_active=True)
    return list(User.objects.filter(pk__in=grants.values("user_id")).order_by("pk"))


def notify(users: Iterable[User], message: str, url: str, subject: str) -> None:
    users = list({u.pk: u for u in users}.values())
    Notification.objects.bulk_create(
        Notification(user=u, message=message[:500], url=url[:300]) for u in users
    )
    mailed = [u.email for u in users if u.email]
    if not mailed:
        return
    link = getattr(settings, "SITE_URL", "").rstrip("/") + url

    def send() -> None:
        try:
            body = f"{message}\n\n{link}\n"
            send_mass_mail([(f"[DTIS] {subject}", body, None, [to]) for to in mailed])
        except Exception:  # the in-app notification stands; the failure is logged
            logger.exception("Appraisal e-mail to %s failed", ", ".join(mailed))

    transaction.on_commit(send)
