"""The data version: a number that moves whenever the data behind the
dashboards changes, so that a drawn dashboard can be kept and reused.

Why: leaders open the same dashboards again and again before a meeting, and
the data behind them moves a few times a day; drawing one at national size
costs ten to twenty login pages. A drawn page body is therefore kept in the
cache under a key that holds this number (`pagecache`), and any change to
the data makes every kept body unreachable. A dashboard is never older than
the data it shows; the price is that one figure saved anywhere redraws every
dashboard once.

How it moves: a database execute wrapper watches every INSERT, UPDATE and
DELETE, whatever issued it. Model signals would miss the biggest writers
(results recompute with `executemany`, workflow transitions with
`QuerySet.update`, imports with `bulk_create`). Writes to tables no
dashboard reads (sessions, notifications, the accounts' `last_login`) are
ignored, so that signing in does not throw the kept pages away.

When it moves: after the writing transaction commits (a reader in another
connection cannot see the new data before that, so nothing drawn from old
data is kept under the new number); and at once as well when this very
connection read the number earlier in its transaction, because it may keep a
page drawn before its own write and read it again before committing.

Where it lives: one row in the database, so that every web process and
worker agrees on it (a per-process cache would not). The row is written in
its own short statement after commit; no request holds it for longer. The
number is random rather than counted up: a database restored from a backup
brings back a number that was current when the backup's data was, instead
of restarting a count that kept pages drawn from other data.
"""

from __future__ import annotations

import re
import secrets
from collections.abc import Callable
from typing import Any

from django.db import connections
from django.db.backends.base.base import BaseDatabaseWrapper

TABLE = "dashboards_dataversion"
IGNORED = frozenset(
    {
        TABLE,
        "django_session",
        "django_admin_log",
        "reporting_notification",
        # last_login on every sign-in (and its history row); dashboards draw no person
        "orgs_user",
        "orgs_historicaluser",
        # the security log and the sign-in lock-out's counts, on every sign-in
        "orgs_securityevent",
        "axes_accessattempt",
        "axes_accesslog",
        "axes_accessfailurelog",
        "axes_accessattemptexpiration",
        # an API token's last use and the replay store of its writes (the
        # figure a write changes moves the version by its own table)
        "api_apiclient",
        "api_idempotencyrecord",
        # two-step sign-in: a code's use, the throttle of wrong codes, backup codes
        "otp_totp_totpdevice",
        "otp_static_staticdevice",
        "otp_static_statictoken",
    }
)
_WRITE = re.compile(
    r'^\s*(?:INSERT\s+(?:OR\s+\w+\s+)?INTO|UPDATE|DELETE\s+FROM|REPLACE\s+INTO)\s+"?(\w+)"?',
    re.IGNORECASE,
)
_READ_FLAG = "_dtis_version_read"
# An upsert: test databases are flushed between some tests, and the row with them.
_MOVE = f"INSERT INTO {TABLE} (id, n) VALUES (1, %s) ON CONFLICT (id) DO UPDATE SET n = excluded.n"


def current(using: str = "default") -> int:
    """The data version now (one query); 0 before the first change."""
    connection = connections[using]
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT n FROM {TABLE} WHERE id = 1")
        row = cursor.fetchone()
    setattr(connection, _READ_FLAG, True)
    return int(row[0]) if row else 0


def written_table(sql: str) -> str | None:
    """The table an INSERT, UPDATE or DELETE statement writes, else None."""
    match = _WRITE.match(sql)
    return match.group(1).lower() if match else None


def _move(connection: BaseDatabaseWrapper) -> None:
    with connection.cursor() as cursor:
        cursor.execute(_MOVE, [secrets.randbits(62)])


def _after_commit(connection: BaseDatabaseWrapper) -> Callable[[], None]:
    """One callable per connection, so that a transaction registers it once."""
    callback = getattr(connection, "_dtis_move_after_commit", None)
    if callback is None:

        def callback() -> None:
            _move(connection)

        connection._dtis_move_after_commit = callback  # type: ignore[attr-defined]
    return callback


def _watch(
    execute: Callable[..., Any], sql: str, params: Any, many: bool, context: dict[str, Any]
) -> Any:
    result = execute(sql, params, many, context)
    table = written_table(sql)
    if table is None or table in IGNORED or _migrating:
        return result
    connection: BaseDatabaseWrapper = context["connection"]
    if not connection.in_atomic_block:
        _move(connection)  # the statement has committed itself
        return result
    if getattr(connection, _READ_FLAG, False):
        setattr(connection, _READ_FLAG, False)
        _move(connection)
    callback = _after_commit(connection)
    if not any(entry[1] is callback for entry in connection.run_on_commit):
        connection.on_commit(callback)
    return result


_migrating = False


def pause(**_: Any) -> None:
    """Migrations write before the version's table exists (`pre_migrate`)."""
    global _migrating
    _migrating = True


def resume(using: str = "default", **_: Any) -> None:
    """After migrations (`post_migrate`, also sent by `flush`): a data
    migration may have changed what dashboards show, so move the version."""
    global _migrating
    _migrating = False
    connection = connections[using]
    if TABLE in connection.introspection.table_names():
        _move(connection)


def watch(connection: BaseDatabaseWrapper, **_: Any) -> None:
    """Install the wrapper on a connection (connected to `connection_created`)."""
    if _watch not in connection.execute_wrappers:
        connection.execute_wrappers.append(_watch)
