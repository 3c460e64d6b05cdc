"""Issuing, revoking and checking API client tokens.

A token is `dtis_` + `secrets.token_urlsafe(32)`. Only its sha256 is stored:
a stolen database does not hand out write access, and the token is shown to
the administrator exactly once, when it is made.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets
from collections.abc import Iterable
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from dtis.api.models import ApiClient
from dtis.orgs.models import Unit, User

TOKEN_PREFIX = "dtis_"
VISIBLE_CHARS = 12  # "dtis_" and 7 random characters: enough to tell tokens apart
# Writing the last-used time on every call would turn each read into a write.
LAST_USED_EVERY = dt.timedelta(minutes=1)


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


@dataclass(frozen=True)
class IssuedClient:
    client: ApiClient
    token: str  # shown once; never stored


def clean_indicator_codes(codes: Iterable[str]) -> list[str]:
    """Distinct codes in the order given, blanks dropped."""
    seen: list[str] = []
    for code in codes:
        code = code.strip()
        if not code:
            continue
        if len(code) > 20:
            raise ValidationError(
                _("“%(code)s” is not an indicator code (at most 20 characters).") % {"code": code}
            )
        if code not in seen:
            seen.append(code)
    return seen


@transaction.atomic
def client_create(
    *,
    actor: User | None,
    name: str,
    units: Iterable[Unit],
    indicator_codes: Iterable[str] = (),
) -> IssuedClient:
    """A new client with its service account; the caller has checked the permission."""
    name = " ".join(name.split())
    units = list(units)
    if not name:
        raise ValidationError(_("Give the client a name."))
    if not units:
        raise ValidationError(_("Choose at least one unit the client writes for."))
    token = TOKEN_PREFIX + secrets.token_urlsafe(32)
    client = ApiClient.objects.create(
        name=name[:150],
        indicator_codes=clean_indicator_codes(indicator_codes),
        token_prefix=token[:VISIBLE_CHARS],
        token_hash=token_hash(token),
        created_by=actor,
    )
    client.units.set(units)
    # A service account so that history rows name the client. Inactive and
    # without a usable password: it can never sign in to the web.
    user = User(username=f"api-{client.pk}", full_name=client.name, is_active=False)
    user.set_unusable_password()
    user._history_user = actor  # type: ignore[attr-defined]
    user.save()
    client.user = user
    client.save(update_fields=["user"])
    return IssuedClient(client, token)


@transaction.atomic
def client_revoke(*, actor: User | None, client: ApiClient) -> ApiClient:
    """From now on the token gets 401. Revoking twice changes nothing."""
    updated = ApiClient.objects.filter(pk=client.pk, revoked_at__isnull=True).update(
        revoked_at=timezone.now(), revoked_by=actor
    )
    if updated:
        client.refresh_from_db(fields=["revoked_at", "revoked_by"])
    return client


def client_for_token(token: str) -> ApiClient | None:
    """The active client holding this token, with its last-used time refreshed."""
    if not token.startswith(TOKEN_PREFIX) or len(token) > 200:
        return None
    client = (
        ApiClient.objects.select_related("user")
        .filter(token_hash=token_hash(token), revoked_at__isnull=True)
        .first()
    )
    if client is None:
        return None
    now = timezone.now()
    if client.last_used_at is None or now - client.last_used_at >= LAST_USED_EVERY:
        ApiClient.objects.filter(pk=client.pk).update(last_used_at=now)
        client.last_used_at = now
    return client
