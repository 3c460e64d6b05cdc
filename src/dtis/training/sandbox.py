"""The training sandbox: a database of its own (the `training` alias, an
SQLite file) where trainees practise entering figures and submitting.

While a trainee's request runs, `inside()` puts the sandbox's connection in
place of the default one for that thread. Everything the request does — the
ORM, transactions, raw SQL, the history, the dashboards' data version — then
reads and writes the sandbox, without any service having to know. Nothing of
a training request can reach the real database, because the real connection
is not reachable from that thread until the request ends.

A sandbox is made either from the demo province (`seed-demo` run into it) or
as a copy of one real cycle: units, people and their roles, frameworks, and
that cycle with its periods, assessed units, assignments, figures and
submissions. Evidence files, logs, history, tokens and reminders are not
copied: a trainee practises on figures, and deleting a copied evidence item
must not be able to delete the real file.
"""

from __future__ import annotations

import contextlib
import functools
import hashlib
from collections.abc import Iterator
from contextvars import ContextVar
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.apps import apps
from django.conf import settings
from django.core.management import call_command
from django.db import DEFAULT_DB_ALIAS, connections, models, transaction
from django.db.models.fields.related import ForeignKey

from dtis.orgs.models import User
from dtis.training.models import Sandbox, SandboxSource

ALIAS = "training"
_active: ContextVar[bool] = ContextVar("dtis_training", default=False)

# What a sandbox never holds: logs, history, sessions, sign-in state, API
# tokens, messages to people, evidence files, and the sandbox's own record.
_SKIPPED_APPS = frozenset(
    {"admin", "auth", "contenttypes", "sessions", "axes", "otp_totp", "otp_static", "api"}
)
_SKIPPED_MODELS = frozenset(
    {
        "orgs.securityevent",
        "orgs.accountissuance",
        "reporting.evidence",
        "reporting.reminder",
        "reporting.notification",
        "training.sandbox",
        "onboarding.tourseen",  # a trainee sees the tour in the sandbox, even if seen for real
    }
)
# Apps whose rows belong to cycles but are not practised in the sandbox.
_SKIPPED_CYCLE_APPS = frozenset({"appraisal", "plans", "dashboards"})


def active() -> bool:
    """Whether the current request works in the sandbox."""
    return _active.get()


@contextlib.contextmanager
def inside() -> Iterator[None]:
    """Run the block with the sandbox as this thread's default database."""
    handler = connections._connections  # type: ignore[attr-defined]
    real = connections[DEFAULT_DB_ALIAS]
    setattr(handler, DEFAULT_DB_ALIAS, connections[ALIAS])
    token = _active.set(True)
    try:
        yield
    finally:
        _active.reset(token)
        setattr(handler, DEFAULT_DB_ALIAS, real)


@functools.cache
def schema() -> str:
    """A fingerprint of the code's migrations (their leaf nodes)."""
    from django.db.migrations.loader import MigrationLoader

    leaves = sorted(MigrationLoader(None, ignore_no_migrations=True).graph.leaf_nodes())
    return hashlib.sha256(repr(leaves).encode()).hexdigest()


def usable(sandbox: Sandbox | None) -> bool:
    """A sandbox made before an upgrade lacks the new tables: not usable."""
    return sandbox is not None and sandbox.schema == schema()


def current() -> Sandbox | None:
    return Sandbox.objects.using(DEFAULT_DB_ALIAS).select_related("created_by").first()


def _file() -> Path:
    return Path(settings.DATABASES[ALIAS]["NAME"])


def _fresh_database() -> None:
    """An empty, migrated sandbox database."""
    name = str(settings.DATABASES[ALIAS]["NAME"])
    if "memory" not in name:  # tests use an in-memory one
        _file().parent.mkdir(parents=True, exist_ok=True)
    call_command("migrate", database=ALIAS, verbosity=0, interactive=False)
    call_command("flush", database=ALIAS, verbosity=0, interactive=False)


# --- copying one cycle ---------------------------------------------------------------


def _is_copied(model: type[models.Model], seen: frozenset[type] = frozenset()) -> bool:
    meta = model._meta
    if meta.app_label in _SKIPPED_APPS | _SKIPPED_CYCLE_APPS:
        return False
    if meta.label_lower in _SKIPPED_MODELS or meta.object_name.startswith("Historical"):
        return False
    if (not meta.managed and not meta.auto_created) or meta.proxy or meta.swapped:
        return False
    # A row that must point at a row the sandbox leaves out cannot come either
    # (a person's link to a permission group, say).
    return all(
        _is_copied(field.related_model, seen | {model})
        for field in meta.concrete_fields
        if isinstance(field, ForeignKey)
        and not field.null
        and field.related_model is not model
        and field.related_model not in seen
    )


def _path_to_cycle(model: type[models.Model], depth: int = 0) -> str | None:
    """The lookup that ties a row to its cycle ("period__cycle"), or None
    for rows that belong to no cycle (units, people, frameworks)."""
    cycle_model = apps.get_model("reporting", "Cycle")
    if model is cycle_model:
        return "pk"
    if depth > 3:
        return None
    for field in model._meta.concrete_fields:
        if not isinstance(field, ForeignKey) or field.null:
            continue
        target = field.related_model
        if target is cycle_model:
            return field.name
        if target is model:
            continue
        deeper = _path_to_cycle(target, depth + 1)
        if deeper is not None and deeper != "pk":
            return f"{field.name}__{deeper}"
    return None


@dataclass(frozen=True)
class Copied:
    model: str
    rows: int


def _copy_rows(cycle_id: int) -> list[Copied]:
    copied: list[Copied] = []
    wanted = [m for m in apps.get_models(include_auto_created=True) if _is_copied(m)]
    known = {m._meta.label_lower for m in wanted}
    for model in wanted:
        rows = model._base_manager.using(DEFAULT_DB_ALIAS).all()
        path = _path_to_cycle(model)
        if path is not None:
            rows = rows.filter(**{path: cycle_id})
        objects = list(rows)
        for obj in objects:
            _cut_links(obj, known, cycle_id)
        model._base_manager.using(ALIAS).bulk_create(objects, batch_size=500)
        copied.append(Copied(model._meta.label_lower, len(objects)))
    return copied


def _cut_links(obj: models.Model, known: set[str], cycle_id: int) -> None:
    """Clear the optional links to rows the sandbox does not hold (another
    cycle a cycle was copied from, a replaced evidence item…)."""
    cycle_model = apps.get_model("reporting", "Cycle")
    for field in obj._meta.concrete_fields:
        if not isinstance(field, ForeignKey) or not field.null:
            continue
        value = getattr(obj, field.attname)
        if value is None:
            continue
        target = field.related_model._meta.label_lower
        if target not in known or (field.related_model is cycle_model and value != cycle_id):
            setattr(obj, field.attname, None)


@transaction.atomic(using=ALIAS)
def _fill_from_cycle(cycle_id: int) -> int:
    """Copy the cycle; the number of figures copied."""
    copied = _copy_rows(cycle_id)
    return sum(c.rows for c in copied if c.model == "reporting.figure")


def _fill_from_demo() -> int:
    """Seed the demo province; the number of figures it holds."""
    with inside():
        call_command("seed-demo", verbosity=0, stdout=_Quiet())
    return apps.get_model("reporting", "Figure")._base_manager.using(ALIAS).count()


class _Quiet:
    def write(self, *_: Any) -> None:
        pass

    def flush(self) -> None:
        pass


# --- the sandbox as a whole ----------------------------------------------------------


def create(actor: User | None, cycle: Any | None) -> Sandbox:
    """Make the sandbox anew from a cycle (a copy) or, with `cycle=None`,
    from the demo province. Any earlier sandbox, and every trainee's work in
    it, is replaced."""
    remove_files()
    _fresh_database()
    if cycle is None:
        rows = _fill_from_demo()
        source, name, copied_id = SandboxSource.DEMO, "", None
    else:
        rows = _fill_from_cycle(cycle.pk)
        source, name, copied_id = SandboxSource.CYCLE, str(cycle), cycle.pk
    with transaction.atomic(using=DEFAULT_DB_ALIAS):
        Sandbox.objects.using(DEFAULT_DB_ALIAS).all().delete()
        return Sandbox.objects.using(DEFAULT_DB_ALIAS).create(
            source=source, cycle_name=name[:300], cycle_id_copied=copied_id,
            created_by=actor, rows=rows, schema=schema(),
        )  # fmt: skip


def delete() -> None:
    """Remove the sandbox: the files trainees uploaded, its data, its record."""
    remove_files()
    call_command("flush", database=ALIAS, verbosity=0, interactive=False)
    Sandbox.objects.using(DEFAULT_DB_ALIAS).all().delete()


def remove_files() -> None:
    """Delete the evidence files uploaded in the sandbox (the sandbox holds no
    copied evidence, so every file it names is a trainee's)."""
    evidence = apps.get_model("reporting", "Evidence")
    try:
        names = list(
            evidence._base_manager.using(ALIAS).exclude(file="").values_list("file", flat=True)
        )
    except Exception:  # no sandbox database yet
        return
    storage = evidence._meta.get_field("file").storage
    for name in names:
        storage.delete(name)


def people(sandbox: Sandbox, user: User) -> list[User]:
    """Whom a trainee may act as in the sandbox."""
    everyone = User.objects.using(ALIAS).filter(is_active=True).prefetch_related("grants__unit")
    if sandbox.people_may_play_others:
        return list(everyone.filter(grants__isnull=False).distinct().order_by("username"))
    return list(everyone.filter(pk=user.pk))
