"""Services that create and change units, keeping the tree paths right."""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from dtis.orgs.models import Unit, User


class StaleEdit(Exception):
    """Somebody else saved the unit after this form was opened."""


def _path_for(unit: Unit) -> str:
    prefix = unit.parent.path if unit.parent_id and unit.parent else "/"
    return f"{prefix}{unit.pk}/"


def rebuild_paths() -> int:
    """Recompute every unit's materialised path from the parent links.

    Called after a unit moves; one read and one bulk write, so it stays cheap
    for the few thousand units of a whole country. Returns how many changed.
    """
    rows = list(Unit.objects.values_list("pk", "parent_id", "path"))
    parent_of = {pk: parent for pk, parent, _ in rows}
    computed: dict[int, str] = {}

    def path_of(pk: int) -> str:
        if pk not in computed:
            parent = parent_of[pk]
            computed[pk] = f"{path_of(parent) if parent else '/'}{pk}/"
        return computed[pk]

    changed = [Unit(pk=pk, path=path_of(pk)) for pk, _, old in rows if path_of(pk) != old]
    Unit.objects.bulk_update(changed, ["path"], batch_size=500)
    return len(changed)


def _check_validity(valid_from: dt.date | None, valid_to: dt.date | None) -> None:
    if valid_from and valid_to and valid_to < valid_from:
        raise ValidationError({"valid_to": _("The end date must not be before the start date.")})


@transaction.atomic
def unit_create(
    *,
    actor: User | None,
    code: str,
    name: str,
    kind: str,
    parent: Unit | None,
    short_name: str = "",
    valid_from: dt.date | None = None,
    valid_to: dt.date | None = None,
) -> Unit:
    _check_validity(valid_from, valid_to)
    unit = Unit(
        code=code.strip().upper(),
        name=name.strip(),
        short_name=short_name.strip(),
        kind=kind,
        parent=parent,
        valid_from=valid_from,
        valid_to=valid_to,
    )
    unit.refresh_derived_fields()
    unit.full_clean(exclude=["path"])
    unit._history_user = actor  # type: ignore[attr-defined]
    unit.save()
    unit.path = _path_for(unit)
    Unit.objects.filter(pk=unit.pk).update(path=unit.path)
    return unit


@transaction.atomic
def unit_update(
    *,
    actor: User | None,
    unit: Unit,
    version: int,
    name: str,
    kind: str,
    parent: Unit | None,
    short_name: str = "",
    valid_from: dt.date | None = None,
    valid_to: dt.date | None = None,
) -> Unit:
    """Save the edit unless the unit changed since `version` was read."""
    _check_validity(valid_from, valid_to)
    if parent is not None and (parent.pk == unit.pk or parent.path.startswith(unit.path)):
        raise ValidationError({"parent": _("A unit cannot be placed under itself or below it.")})
    moved = (parent.pk if parent else None) != unit.parent_id
    unit.name, unit.short_name, unit.kind = name.strip(), short_name.strip(), kind
    unit.parent, unit.valid_from, unit.valid_to = parent, valid_from, valid_to
    unit.refresh_derived_fields()
    unit.full_clean(exclude=["path", "code"])
    # Claim the row with a conditional update: only one of two concurrent
    # editors holding the same version can succeed.
    claimed = Unit.objects.filter(pk=unit.pk, version=version).update(version=version + 1)
    if claimed != 1:
        raise StaleEdit
    unit.version = version + 1
    unit._history_user = actor  # type: ignore[attr-defined]
    unit.save()
    if moved:
        rebuild_paths()
        unit.refresh_from_db(fields=["path"])
    return unit
