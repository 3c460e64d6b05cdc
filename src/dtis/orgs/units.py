"""Services that create and change units, keeping the tree fields right."""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from dtis.orgs.models import Unit, User


class StaleEdit(Exception):
    """Somebody else saved the unit after this form was opened."""


def rebuild_tree() -> int:
    """Recompute every unit's `path` and `tree_key` from the parent links.

    Called after a unit moves or is renamed; one read and one bulk write, so
    it stays cheap for the few thousand units of a whole country. Returns how
    many units changed.
    """
    units = {u.pk: u for u in Unit.objects.only("pk", "parent_id", "path", "tree_key", "kind",
                                                "name", "short_name")}  # fmt: skip
    computed: dict[int, tuple[str, str]] = {}

    def walk(pk: int) -> tuple[str, str]:
        if pk not in computed:
            unit = units[pk]
            parent_path, parent_key = walk(unit.parent_id) if unit.parent_id else ("/", "")
            computed[pk] = (f"{parent_path}{pk}/", parent_key + unit.tree_segment())
        return computed[pk]

    changed = []
    for pk, unit in units.items():
        path, key = walk(pk)
        if (path, key) != (unit.path, unit.tree_key):
            unit.path, unit.tree_key = path, key
            changed.append(unit)
    Unit.objects.bulk_update(changed, ["path", "tree_key"], batch_size=500)
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
    unit.full_clean(exclude=["path", "tree_key"])
    unit._history_user = actor  # type: ignore[attr-defined]
    unit.save()
    parent_path, parent_key = (parent.path, parent.tree_key) if parent else ("/", "")
    unit.path, unit.tree_key = f"{parent_path}{unit.pk}/", parent_key + unit.tree_segment()
    Unit.objects.filter(pk=unit.pk).update(path=unit.path, tree_key=unit.tree_key)
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
    reordered = (
        (parent.pk if parent else None) != unit.parent_id
        or (short_name.strip() or name.strip()) != unit.display_name
        or kind != unit.kind
    )
    unit.name, unit.short_name, unit.kind = name.strip(), short_name.strip(), kind
    unit.parent, unit.valid_from, unit.valid_to = parent, valid_from, valid_to
    unit.refresh_derived_fields()
    unit.full_clean(exclude=["path", "tree_key", "code"])
    # Claim the row with a conditional update: only one of two concurrent
    # editors holding the same version can succeed.
    claimed = Unit.objects.filter(pk=unit.pk, version=version).update(version=version + 1)
    if claimed != 1:
        raise StaleEdit
    unit.version = version + 1
    unit._history_user = actor  # type: ignore[attr-defined]
    unit.save()
    if reordered:
        rebuild_tree()
        unit.refresh_from_db(fields=["path", "tree_key"])
    return unit
