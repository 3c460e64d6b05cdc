"""Backing up an installation into a folder, and restoring it into an empty one.

A backup folder holds three things:

- the database dump: `db.sqlite3`, a copy made with SQLite's online backup
  API (consistent while the site runs), or `db.pgdump`, `pg_dump
  --format=custom` of a PostgreSQL database;
- `files/…`: every file the `default` storage holds (evidence, explanation
  attachments, …), walked through Django's storage API (`listdir`/`open`),
  so local disk and S3-compatible storage back up the same way;
- `manifest.json`: format version, dtis version, time, database vendor, the
  latest applied migration per app, the row count of every table, and the
  relative path, size and sha256 of the dump and of every file.

Row counts are taken from the same snapshot as the dump (the SQLite copy is
read back; PostgreSQL counts inside a REPEATABLE READ transaction whose
snapshot `pg_dump --snapshot` shares), so they describe the dump exactly and
a restore can be checked against them. Files are copied after the database:
a file uploaded during the backup may be in the folder without its row.

Restore refuses, changing nothing, when

1. a file of the folder is missing or differs from the manifest (size or
   sha256) — every file is checked before anything is written;
2. the dump comes from the other database vendor: a SQLite backup restores
   into SQLite and a PostgreSQL backup into PostgreSQL; moving between them
   is out of scope (`dtis dumpdata`/`loaddata` are the tools for that);
3. the backup was made by a newer dtis whose migrations this one does not
   know;
4. the target installation is not **empty**. Empty means: the configured
   database holds no table at all (a new SQLite file or a database just made
   with `CREATE DATABASE`, before `dtis migrate`; a migrated database has
   tables even without data, and restoring over them would mix two
   installations), and the `default` storage holds no file.

Then it loads the dump (SQLite: the backup API copies it into the configured
database; PostgreSQL: `pg_restore --no-owner --no-privileges --exit-on-error
--single-transaction`, so a failing restore leaves the database empty), puts
every file back through the storage API under its own name, and counts the
rows of every table against the manifest. A restore that fails after the
database step (e.g. the storage refuses a file) is restarted from an empty
database and storage.

PostgreSQL's tools get the connection from `settings.DATABASES` through
their environment variables (PGHOST, PGPASSWORD, …), never on the command
line where other users of the machine could read the password.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import os
import posixpath
import shutil
import sqlite3
import subprocess
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any

from django.core.files import File
from django.core.files.storage import Storage, storages
from django.db import DatabaseError, connections
from django.db.backends.base.base import BaseDatabaseWrapper
from django.db.migrations.loader import MigrationLoader
from django.utils.translation import gettext as _

import dtis

FORMAT = "dtis-backup"
FORMAT_VERSION = 1
MANIFEST = "manifest.json"
FILES_DIR = "files"
DUMPS = {"sqlite": "db.sqlite3", "postgresql": "db.pgdump"}
CHUNK = 1024 * 1024
# settings.DATABASES[...]["OPTIONS"] keys that libpq reads from the environment.
_PG_OPTIONS = {
    "sslmode": "PGSSLMODE",
    "sslrootcert": "PGSSLROOTCERT",
    "sslcert": "PGSSLCERT",
    "sslkey": "PGSSLKEY",
    "passfile": "PGPASSFILE",
    "service": "PGSERVICE",
}


class BackupError(Exception):
    """A backup or restore refused or failed; the message is for people."""


@dataclass
class RestoreReport:
    vendor: str
    tables: int
    rows: int
    files: int
    mismatches: list[str] = field(default_factory=list)
    pending_migrations: bool = False


# --- shared helpers ----------------------------------------------------------------------


def _default_storage() -> Storage:
    return storages["default"]


def _vendor(connection: BaseDatabaseWrapper) -> str:
    if connection.vendor not in DUMPS:
        raise BackupError(
            _("Backups support SQLite and PostgreSQL, not %(vendor)s.")
            % {"vendor": connection.vendor}
        )
    return connection.vendor


def _sha256_copy(source: IO[bytes], target: IO[bytes] | None = None) -> tuple[int, str]:
    """Read `source` in chunks (writing them to `target`): size and sha256."""
    digest, size = hashlib.sha256(), 0
    while chunk := source.read(CHUNK):
        digest.update(chunk)
        size += len(chunk)
        if target is not None:
            target.write(chunk)
    return size, digest.hexdigest()


def _entry(folder: Path, relative: str) -> dict[str, Any]:
    with (folder / relative).open("rb") as fh:
        size, sha = _sha256_copy(fh)
    return {"path": relative, "size": size, "sha256": sha}


def stored_files(storage: Storage, prefix: str = "") -> Iterator[str]:
    """Every file name in the storage, depth first, in a stable order."""
    try:
        dirs, files = storage.listdir(prefix)
    except FileNotFoundError:  # local storage whose folder was never created
        return
    for name in sorted(files):
        yield posixpath.join(prefix, name) if prefix else name
    for name in sorted(dirs):
        yield from stored_files(storage, posixpath.join(prefix, name) if prefix else name)


def _pg_env(settings_dict: Mapping[str, Any]) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("PG")}
    for key, var in (
        ("HOST", "PGHOST"),
        ("PORT", "PGPORT"),
        ("USER", "PGUSER"),
        ("PASSWORD", "PGPASSWORD"),
        ("NAME", "PGDATABASE"),
    ):
        if settings_dict.get(key):
            env[var] = str(settings_dict[key])
    for option, var in _PG_OPTIONS.items():
        value = (settings_dict.get("OPTIONS") or {}).get(option)
        if value:
            env[var] = str(value)
    return env


def _run_pg_tool(args: list[str], env: dict[str, str]) -> None:
    try:
        done = subprocess.run(args, env=env, capture_output=True, text=True, check=False)
    except FileNotFoundError as exc:
        raise BackupError(
            _("%(tool)s is not installed: install the PostgreSQL client tools.") % {"tool": args[0]}
        ) from exc
    if done.returncode != 0:
        reason = (done.stderr.strip().splitlines() or [f"exit {done.returncode}"])[-1]
        raise BackupError(_("%(tool)s failed: %(reason)s") % {"tool": args[0], "reason": reason})


def _latest_migrations(rows: list[tuple[str, str]]) -> dict[str, str]:
    """(app, name) in the order applied → the last applied migration per app."""
    latest: dict[str, str] = {}
    for app, name in rows:
        latest[app] = name
    return dict(sorted(latest.items()))


# --- backup --------------------------------------------------------------------------------


def _prepare_output(output: Path) -> bool:
    """Refuse a folder with anything in it; True when the folder is ours to remove."""
    if output.exists():
        if not output.is_dir():
            raise BackupError(_("%(dir)s is a file, not a folder.") % {"dir": output})
        if any(output.iterdir()):
            raise BackupError(
                _("The folder %(dir)s is not empty: back up into a new or empty folder.")
                % {"dir": output}
            )
        return False
    if not output.parent.is_dir():
        raise BackupError(_("The folder %(dir)s does not exist.") % {"dir": output.parent})
    output.mkdir()
    return True


def _dump_sqlite(
    connection: BaseDatabaseWrapper, target: Path
) -> tuple[dict[str, int], dict[str, str]]:
    connection.ensure_connection()
    copy = sqlite3.connect(target)
    try:
        connection.connection.backup(copy)  # type: ignore[union-attr]
        # Counted in the copy: exactly what the dump holds.
        names = [
            r[0]
            for r in copy.execute(
                "SELECT name FROM sqlite_master WHERE type = 'table' "
                "AND name NOT LIKE 'sqlite\\_%' ESCAPE '\\' ORDER BY name"
            )
        ]
        rows = {n: copy.execute(f'SELECT COUNT(*) FROM "{n}"').fetchone()[0] for n in names}
        migrations = (
            copy.execute("SELECT app, name FROM django_migrations ORDER BY id").fetchall()
            if "django_migrations" in rows
            else []
        )
    finally:
        copy.close()
    return rows, _latest_migrations(migrations)


def _dump_postgresql(
    connection: BaseDatabaseWrapper, target: Path
) -> tuple[dict[str, int], dict[str, str]]:
    # A connection of its own: the snapshot must stay open while pg_dump reads it,
    # whatever the caller's connection is doing.
    own = connections.create_connection(connection.alias)
    try:
        with own.cursor() as cursor:
            cursor.execute("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY")
            cursor.execute("SELECT pg_export_snapshot()")
            snapshot = cursor.fetchone()[0]
            names = sorted(own.introspection.table_names(cursor))
            rows = {}
            for name in names:
                cursor.execute(f"SELECT COUNT(*) FROM {own.ops.quote_name(name)}")
                rows[name] = cursor.fetchone()[0]
            migrations: list[tuple[str, str]] = []
            if "django_migrations" in rows:
                cursor.execute("SELECT app, name FROM django_migrations ORDER BY id")
                migrations = list(cursor.fetchall())
            _run_pg_tool(
                ["pg_dump", "--format=custom", f"--snapshot={snapshot}", f"--file={target}"],
                _pg_env(own.settings_dict),
            )
            cursor.execute("COMMIT")
    finally:
        own.close()
    return rows, _latest_migrations(migrations)


def copy_files(storage: Storage, output: Path) -> list[dict[str, Any]]:
    """Every stored file into `output/files/…`: its manifest entries."""
    entries = []
    for name in stored_files(storage):
        relative = posixpath.join(FILES_DIR, name)
        target = output / relative
        target.parent.mkdir(parents=True, exist_ok=True)
        with storage.open(name, "rb") as source, target.open("wb") as out:
            size, sha = _sha256_copy(source, out)
        entries.append({"path": relative, "size": size, "sha256": sha})
    return entries


def backup(
    output: Path, *, using: str = "default", storage: Storage | None = None
) -> dict[str, Any]:
    """Write a backup folder and return its manifest; nothing is left behind on error."""
    connection = connections[using]
    vendor = _vendor(connection)
    storage = storage or _default_storage()
    created = _prepare_output(output)
    try:
        dump = DUMPS[vendor]
        if vendor == "sqlite":
            rows, migrations = _dump_sqlite(connection, output / dump)
        else:
            rows, migrations = _dump_postgresql(connection, output / dump)
        manifest: dict[str, Any] = {
            "format": FORMAT,
            "format_version": FORMAT_VERSION,
            "dtis_version": dtis.__version__,
            "created_at": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
            "database": {"vendor": vendor, "dump": _entry(output, dump)},
            "migrations": migrations,
            "rows": rows,
            "files": copy_files(storage, output),
        }
        (output / MANIFEST).write_text(
            json.dumps(manifest, ensure_ascii=False, indent=2) + "\n", encoding="utf-8"
        )
    except (DatabaseError, sqlite3.Error) as exc:
        _discard(output, created)
        raise BackupError(_("The database cannot be read: %(reason)s") % {"reason": exc}) from exc
    except BaseException:
        _discard(output, created)
        raise
    return manifest


def _discard(output: Path, created: bool) -> None:
    """Leave the output folder as it was found: removed, or empty again."""
    if created:
        shutil.rmtree(output, ignore_errors=True)
        return
    for child in output.iterdir():
        if child.is_dir():
            shutil.rmtree(child)
        else:
            child.unlink()


# --- restore -------------------------------------------------------------------------------


def read_manifest(folder: Path) -> dict[str, Any]:
    path = folder / MANIFEST
    if not folder.is_dir():
        raise BackupError(_("The folder %(dir)s does not exist.") % {"dir": folder})
    if not path.is_file():
        raise BackupError(
            _("%(dir)s holds no manifest.json: it is not a backup.") % {"dir": folder}
        )
    try:
        manifest = json.loads(path.read_text(encoding="utf-8"))
        entries = [manifest["database"]["dump"], *manifest["files"]]
        ok = manifest.get("format") == FORMAT and all(_well_formed(e) for e in entries)
    except (ValueError, KeyError, TypeError, AttributeError):
        ok = False
    if not ok:
        raise BackupError(_("%(file)s is not a DTIS backup manifest.") % {"file": path})
    if manifest.get("format_version", 0) > FORMAT_VERSION:
        raise BackupError(
            _("This backup was written by a newer DTIS (format %(version)s): upgrade first.")
            % {"version": manifest.get("format_version")}
        )
    return manifest


def _well_formed(entry: Any) -> bool:
    return (
        isinstance(entry, dict)
        and isinstance(entry.get("path"), str)
        and isinstance(entry.get("size"), int)
        and isinstance(entry.get("sha256"), str)
    )


def _safe_path(folder: Path, relative: str) -> Path:
    """A path inside the folder, or a refusal (a manifest must not point elsewhere)."""
    parts = Path(relative).parts
    if not relative or Path(relative).is_absolute() or ".." in parts:
        raise BackupError(
            _("The manifest names a file outside the backup: %(file)s") % {"file": relative}
        )
    return folder / relative


def verify(folder: Path, manifest: Mapping[str, Any]) -> None:
    """Every file the manifest lists is there with its size and sha256."""
    for entry in [manifest["database"]["dump"], *manifest["files"]]:
        path = _safe_path(folder, entry["path"])
        if not path.is_file():
            raise BackupError(
                _("The backup is incomplete: %(file)s is missing.") % {"file": entry["path"]}
            )
        with path.open("rb") as fh:
            size, sha = _sha256_copy(fh)
        if size != entry["size"] or sha != entry["sha256"]:
            raise BackupError(
                _("%(file)s does not match its checksum in the manifest: the backup is damaged.")
                % {"file": entry["path"]}
            )


def _check_migrations_known(manifest: Mapping[str, Any]) -> None:
    known = set(MigrationLoader(None, ignore_no_migrations=True).disk_migrations)
    for app, name in manifest.get("migrations", {}).items():
        if (app, name) not in known:
            raise BackupError(
                _(
                    "The backup needs migration %(app)s.%(name)s, which this version of DTIS "
                    "does not have: restore it with the version that made it (%(version)s)."
                )
                % {"app": app, "name": name, "version": manifest.get("dtis_version", "?")}
            )


def _check_empty(connection: BaseDatabaseWrapper, storage: Storage) -> None:
    try:
        with connection.cursor() as cursor:
            tables = connection.introspection.table_names(cursor)
    except DatabaseError as exc:
        raise BackupError(
            _("The database cannot be opened: %(reason)s") % {"reason": str(exc).strip()}
        ) from exc
    if tables:
        raise BackupError(
            _(
                "The database is not empty (%(count)d tables): restore only into a new, "
                "empty database, before `dtis migrate`."
            )
            % {"count": len(tables)}
        )
    first = next(stored_files(storage), None)
    if first is not None:
        raise BackupError(
            _("The file storage is not empty (it holds %(file)s): restore into an empty one.")
            % {"file": first}
        )


def _load_sqlite(connection: BaseDatabaseWrapper, dump: Path) -> None:
    connection.ensure_connection()
    source = sqlite3.connect(f"{dump.resolve().as_uri()}?mode=ro", uri=True)
    try:
        source.backup(connection.connection)  # type: ignore[union-attr]
    finally:
        source.close()
    connection.close()  # the next query reads the restored schema afresh


def _load_postgresql(connection: BaseDatabaseWrapper, dump: Path) -> None:
    connection.close()  # pg_restore works alone on its own connection
    name = str(connection.settings_dict["NAME"])
    _run_pg_tool(
        [
            "pg_restore",
            "--no-owner",
            "--no-privileges",
            "--exit-on-error",
            "--single-transaction",
            f"--dbname={name}",
            str(dump),
        ],
        _pg_env(connection.settings_dict),
    )


def restore_files(folder: Path, manifest: Mapping[str, Any], storage: Storage) -> None:
    """Every file of the manifest back into the storage under its own name."""
    for entry in manifest["files"]:
        name = posixpath.relpath(entry["path"], FILES_DIR)
        with (folder / entry["path"]).open("rb") as fh:
            saved = storage.save(name, File(fh, name=posixpath.basename(name)))
        if saved != name:
            raise BackupError(
                _("The storage saved %(file)s under another name (%(saved)s).")
                % {"file": name, "saved": saved}
            )


def row_counts(connection: BaseDatabaseWrapper) -> dict[str, int]:
    with connection.cursor() as cursor:
        names = sorted(connection.introspection.table_names(cursor))
        counts = {}
        for name in names:
            cursor.execute(f"SELECT COUNT(*) FROM {connection.ops.quote_name(name)}")
            counts[name] = cursor.fetchone()[0]
    return counts


def _has_pending_migrations(connection: BaseDatabaseWrapper) -> bool:
    from django.db.migrations.executor import MigrationExecutor

    executor = MigrationExecutor(connection)
    return bool(executor.migration_plan(executor.loader.graph.leaf_nodes()))


def restore(
    folder: Path, *, using: str = "default", storage: Storage | None = None
) -> RestoreReport:
    """Restore a backup folder into an empty installation (see the module's notes)."""
    connection = connections[using]
    storage = storage or _default_storage()
    manifest = read_manifest(folder)
    verify(folder, manifest)
    vendor = _vendor(connection)
    theirs = manifest["database"].get("vendor")
    if theirs != vendor:
        raise BackupError(
            _(
                "This backup holds a %(theirs)s database and this installation uses "
                "%(ours)s: restoring across database vendors is not supported."
            )
            % {"theirs": theirs, "ours": vendor}
        )
    _check_migrations_known(manifest)
    _check_empty(connection, storage)

    dump = folder / manifest["database"]["dump"]["path"]
    if vendor == "sqlite":
        _load_sqlite(connection, dump)
    else:
        _load_postgresql(connection, dump)
    restore_files(folder, manifest, storage)

    expected: dict[str, int] = manifest.get("rows", {})
    found = row_counts(connection)
    mismatches = [
        _("%(table)s: %(found)s rows, the backup has %(expected)s")
        % {"table": t, "found": found.get(t, "—"), "expected": expected.get(t, "—")}
        for t in sorted(set(expected) | set(found))
        if found.get(t) != expected.get(t)
    ]
    stored = sum(1 for _name in stored_files(storage))
    if stored != len(manifest["files"]):
        mismatches.append(
            _("files: %(found)d stored, the backup has %(expected)d")
            % {"found": stored, "expected": len(manifest["files"])}
        )
    return RestoreReport(
        vendor=vendor,
        tables=len(found),
        rows=sum(found.values()),
        files=stored,
        mismatches=mismatches,
        pending_migrations=_has_pending_migrations(connection),
    )
