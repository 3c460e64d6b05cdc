"""`dtis backup` and `dtis restore`: the round trip keeps every row and every file.

The round trips run the real commands in separate processes against real
installations: a database file (SQLite) or a throw-away database
(PostgreSQL) migrated and filled with the demo province plus evidence files,
backed up, and restored into a fresh empty database with a fresh media
folder. Every table is then compared row by row and every file by sha256.

The SQLite round trip runs in the SQLite half of the suite and the
PostgreSQL one in the PostgreSQL half (`tests/run.py`), so `make test` runs
each once. The refusals run on small SQLite installations of their own in
both halves; messages are checked in English (DTIS_LANGUAGE=en) so the
Vietnamese catalogue can change without breaking them.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import subprocess
import sys
import uuid
from pathlib import Path
from urllib.parse import quote

import pytest
from django.conf import settings
from django.core.management import CommandError, call_command
from django.utils import translation

from dtis.ops.backup import copy_files, restore_files, stored_files

ROWS_SCRIPT = """
import hashlib, json
import django
django.setup()
from django.db import connection
out = {}
with connection.cursor() as cursor:
    for table in sorted(connection.introspection.table_names(cursor)):
        cursor.execute("SELECT * FROM " + connection.ops.quote_name(table))
        rows = sorted(repr(row) for row in cursor.fetchall())
        out[table] = [len(rows), hashlib.sha256("\\n".join(rows).encode()).hexdigest()]
print(json.dumps(out))
"""

# Evidence files as units upload them: a PDF report, a scanned decision (PNG)
# and a second version of the report, on figures of the demo province.
FILES_SCRIPT = """
import django
django.setup()
from django.core.files.uploadedfile import SimpleUploadedFile
from dtis.orgs.models import User
from dtis.reporting.evidence import store_file
from dtis.reporting.models import Figure
reporter = User.objects.get(username="huynh.thi.kim.oanh")
first, second = Figure.objects.order_by("pk")[:2]
uploads = [
    (first, "Báo cáo chuyển đổi số quý III năm 2026.pdf", b"%PDF-1.4\\nBao cao quy III\\n%%EOF\\n"),
    (first, "Báo cáo quý III năm 2026 (bản sửa).pdf", b"%PDF-1.4\\nBan sua\\n%%EOF\\n"),
    (second, "Quyết định 27-QĐ-UBND.png", b"\\x89PNG\\r\\n\\x1a\\n" + bytes(range(256)) * 8),
]
for figure, name, content in uploads:
    store_file(actor=reporter, figure=figure, upload=SimpleUploadedFile(name, content))
"""


# --- running dtis in its own process ----------------------------------------------------


def dtis(
    *args: str, db: str, media: Path, var: Path, code: str | None = None
) -> subprocess.CompletedProcess[str]:
    """`dtis ARGS` (or `python -c CODE`) on an installation of its own, in English."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("DTIS_")}
    env |= {
        "DTIS_DATABASE_URL": db,
        "DTIS_MEDIA_ROOT": str(media),
        "DTIS_VAR_DIR": str(var),
        "DTIS_LANGUAGE": "en",
        "DJANGO_SETTINGS_MODULE": "dtis.settings",
    }
    var.mkdir(parents=True, exist_ok=True)
    command = [sys.executable, "-c", code] if code else [sys.executable, "-m", "dtis", *args]
    return subprocess.run(command, capture_output=True, text=True, env=env, timeout=300)


def ok(result: subprocess.CompletedProcess[str]) -> str:
    assert result.returncode == 0, result.stdout + result.stderr
    return result.stdout


def refused(result: subprocess.CompletedProcess[str]) -> str:
    assert result.returncode != 0, result.stdout
    return result.stderr


def file_sums(root: Path) -> dict[str, str]:
    if not root.exists():
        return {}
    return {
        str(p.relative_to(root)): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(root.rglob("*"))
        if p.is_file()
    }


class Installation:
    """One dtis installation: a database, a media folder, a var folder."""

    def __init__(self, db: str, root: Path) -> None:
        self.db, self.media, self.var = db, root / "media", root / "var"

    def run(self, *args: str) -> subprocess.CompletedProcess[str]:
        return dtis(*args, db=self.db, media=self.media, var=self.var)

    def python(self, code: str) -> subprocess.CompletedProcess[str]:
        return dtis(db=self.db, media=self.media, var=self.var, code=code)

    def rows(self) -> dict[str, list[object]]:
        return json.loads(ok(self.python(ROWS_SCRIPT)))


def sqlite_installation(root: Path) -> Installation:
    root.mkdir(parents=True, exist_ok=True)
    return Installation(f"sqlite:///{root / 'dtis.sqlite3'}", root)


def assert_round_trip(source: Installation, target: Installation, backup_dir: Path) -> None:
    ok(source.run("migrate", "--noinput", "-v", "0"))
    ok(source.run("seed-demo"))
    ok(source.python(FILES_SCRIPT))
    ok(source.run("backup", "--output", str(backup_dir)))

    report = ok(target.run("restore", str(backup_dir)))
    assert "Every table has the row count recorded in the backup." in report

    before, after = source.rows(), target.rows()
    assert before["reporting_figure"][0] > 100 and before["reporting_evidence"][0] > 0
    assert sorted(after) == sorted(before)
    different = [t for t in before if before[t] != after[t]]
    assert different == []
    files = file_sums(source.media)
    assert len(files) == 3
    assert file_sums(target.media) == files


# --- the round trips --------------------------------------------------------------------


def _test_run_vendor() -> str:
    engine = settings.DATABASES["default"]["ENGINE"]
    return "postgresql" if "postgresql" in engine else "sqlite"


def test_a_sqlite_installation_comes_back_identical_row_for_row_and_file_for_file(tmp_path):  # type: ignore[no-untyped-def]
    if _test_run_vendor() != "sqlite":
        pytest.skip("the SQLite round trip runs in the SQLite half of the suite")
    source = sqlite_installation(tmp_path / "source")
    target = sqlite_installation(tmp_path / "target")
    assert_round_trip(source, target, tmp_path / "backup")
    manifest = json.loads((tmp_path / "backup" / "manifest.json").read_text())
    assert manifest["database"]["dump"]["path"] == "db.sqlite3"


def _pg_settings() -> dict[str, str]:
    cfg = settings.DATABASES["default"]
    return {k: str(cfg.get(k) or "") for k in ("HOST", "PORT", "USER", "PASSWORD")}


def _pg_url(cfg: dict[str, str], name: str) -> str:
    auth = quote(cfg["USER"] or "postgres", safe="")
    if cfg["PASSWORD"]:
        auth += ":" + quote(cfg["PASSWORD"], safe="")
    return f"postgres://{auth}@{cfg['HOST'] or '127.0.0.1'}:{cfg['PORT'] or 5432}/{name}"


def test_a_postgresql_installation_comes_back_identical_row_for_row_and_file_for_file(tmp_path):  # type: ignore[no-untyped-def]
    if _test_run_vendor() != "postgresql":
        pytest.skip("the PostgreSQL round trip runs in the PostgreSQL half of the suite")
    import psycopg

    cfg = _pg_settings()
    names = [f"dtis_bk_{uuid.uuid4().hex[:12]}_{side}" for side in ("src", "dst")]
    admin = psycopg.connect(_pg_url(cfg, "postgres").replace("postgres://", "postgresql://", 1),
                            autocommit=True)  # fmt: skip
    try:
        for name in names:
            admin.execute(f'CREATE DATABASE "{name}"')
        source = Installation(_pg_url(cfg, names[0]), tmp_path / "source")
        target = Installation(_pg_url(cfg, names[1]), tmp_path / "target")
        assert_round_trip(source, target, tmp_path / "backup")
        manifest = json.loads((tmp_path / "backup" / "manifest.json").read_text())
        assert manifest["database"]["vendor"] == "postgresql"
        # The restored installation is no longer empty: a second restore is refused.
        again = refused(target.run("restore", str(tmp_path / "backup")))
        assert "The database is not empty" in again
    finally:
        for name in names:
            admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        admin.close()


# --- what a backup holds ----------------------------------------------------------------


@pytest.fixture(scope="module")
def small_backup(tmp_path_factory):  # type: ignore[no-untyped-def]
    """A migrated SQLite installation with one stored file, and its backup."""
    root = tmp_path_factory.mktemp("small")
    source = sqlite_installation(root / "source")
    ok(source.run("migrate", "--noinput", "-v", "0"))
    report = source.media / "evidence" / "7" / "3f2a9c"
    report.parent.mkdir(parents=True)
    report.write_bytes(b"%PDF-1.4\nKe hoach chuyen doi so tinh Khanh Hoa\n%%EOF\n")
    ok(source.run("backup", "--output", str(root / "backup")))
    return source, root / "backup"


@pytest.fixture
def backup_copy(small_backup, tmp_path) -> Path:  # type: ignore[no-untyped-def]
    copy = tmp_path / "backup"
    shutil.copytree(small_backup[1], copy)
    return copy


def test_the_manifest_lists_the_dump_every_file_the_migrations_and_the_row_counts(small_backup):  # type: ignore[no-untyped-def]
    _source, folder = small_backup
    manifest = json.loads((folder / "manifest.json").read_text())
    assert manifest["format"] == "dtis-backup" and manifest["format_version"] == 1
    assert manifest["dtis_version"] and manifest["created_at"].startswith("20")
    assert manifest["database"]["vendor"] == "sqlite"
    dump = manifest["database"]["dump"]
    content = (folder / "db.sqlite3").read_bytes()
    assert dump == {
        "path": "db.sqlite3",
        "size": len(content),
        "sha256": hashlib.sha256(content).hexdigest(),
    }
    stored = (folder / "files/evidence/7/3f2a9c").read_bytes()
    assert manifest["files"] == [
        {
            "path": "files/evidence/7/3f2a9c",
            "size": len(stored),
            "sha256": hashlib.sha256(stored).hexdigest(),
        }
    ]
    assert manifest["migrations"]["reporting"] == "0001_initial"
    assert manifest["rows"]["django_migrations"] > 20
    assert manifest["rows"]["reporting_figure"] == 0


def test_a_backup_into_a_folder_that_is_not_empty_is_refused(tmp_path, small_backup):  # type: ignore[no-untyped-def]
    source, _folder = small_backup
    (tmp_path / "ghi-chu.txt").write_text("bản sao lưu tháng trước")
    stderr = refused(source.run("backup", "--output", str(tmp_path)))
    assert "is not empty" in stderr
    assert [p.name for p in tmp_path.iterdir()] == ["ghi-chu.txt"]


def test_a_backup_into_a_missing_parent_folder_is_refused(tmp_path):  # type: ignore[no-untyped-def]
    with translation.override("en"), pytest.raises(CommandError, match="does not exist"):
        call_command("backup", output=str(tmp_path / "khong-co" / "sao-luu"))
    assert list(tmp_path.iterdir()) == []


# --- restore refusals: nothing changes ------------------------------------------------------


def _empty_target(tmp_path: Path) -> Installation:
    return sqlite_installation(tmp_path / "target")


def _assert_untouched(target: Installation) -> None:
    db_file = Path(target.db.removeprefix("sqlite:///"))
    if db_file.exists():
        assert target.rows() == {}
    assert file_sums(target.media) == {}


def test_a_tampered_file_is_named_and_nothing_is_restored(tmp_path, backup_copy):  # type: ignore[no-untyped-def]
    (backup_copy / "files/evidence/7/3f2a9c").write_bytes(b"%PDF-1.4\nda bi sua\n%%EOF\n")
    target = _empty_target(tmp_path)
    stderr = refused(target.run("restore", str(backup_copy)))
    assert "files/evidence/7/3f2a9c does not match its checksum" in stderr
    _assert_untouched(target)


def test_a_tampered_database_dump_is_refused(tmp_path, backup_copy):  # type: ignore[no-untyped-def]
    with (backup_copy / "db.sqlite3").open("ab") as fh:
        fh.write(b"\0")
    target = _empty_target(tmp_path)
    assert "db.sqlite3 does not match its checksum" in refused(
        target.run("restore", str(backup_copy))
    )
    _assert_untouched(target)


def test_a_missing_file_is_named(tmp_path, backup_copy):  # type: ignore[no-untyped-def]
    (backup_copy / "files/evidence/7/3f2a9c").unlink()
    target = _empty_target(tmp_path)
    stderr = refused(target.run("restore", str(backup_copy)))
    assert "files/evidence/7/3f2a9c is missing" in stderr
    _assert_untouched(target)


def test_a_backup_from_the_other_database_vendor_is_refused(tmp_path, backup_copy):  # type: ignore[no-untyped-def]
    manifest = json.loads((backup_copy / "manifest.json").read_text())
    manifest["database"]["vendor"] = "postgresql"
    (backup_copy / "manifest.json").write_text(json.dumps(manifest))
    target = _empty_target(tmp_path)
    stderr = refused(target.run("restore", str(backup_copy)))
    assert "holds a postgresql database and this installation uses sqlite" in stderr
    assert "across database vendors is not supported" in stderr
    _assert_untouched(target)


def test_a_backup_needing_migrations_this_version_lacks_is_refused(tmp_path, backup_copy):  # type: ignore[no-untyped-def]
    manifest = json.loads((backup_copy / "manifest.json").read_text())
    manifest["migrations"]["reporting"] = "0042_thong_ke_nam_2030"
    (backup_copy / "manifest.json").write_text(json.dumps(manifest))
    target = _empty_target(tmp_path)
    stderr = refused(target.run("restore", str(backup_copy)))
    assert "reporting.0042_thong_ke_nam_2030" in stderr
    _assert_untouched(target)


def test_a_migrated_database_is_not_empty_and_is_left_as_it_was(
    tmp_path, small_backup, backup_copy
):  # type: ignore[no-untyped-def]
    source, _folder = small_backup
    before = source.rows()
    stderr = refused(source.run("restore", str(backup_copy)))
    assert "The database is not empty" in stderr
    assert source.rows() == before


def test_a_storage_holding_files_is_not_empty(tmp_path, backup_copy):  # type: ignore[no-untyped-def]
    target = _empty_target(tmp_path)
    leftover = target.media / "evidence" / "1" / "cu"
    leftover.parent.mkdir(parents=True)
    leftover.write_bytes(b"tep cu")
    stderr = refused(target.run("restore", str(backup_copy)))
    assert "The file storage is not empty (it holds evidence/1/cu)" in stderr
    assert target.rows() == {}
    assert file_sums(target.media) == {"evidence/1/cu": hashlib.sha256(b"tep cu").hexdigest()}


def test_a_folder_without_a_manifest_is_not_a_backup(tmp_path):  # type: ignore[no-untyped-def]
    (tmp_path / "db.sqlite3").write_bytes(b"")
    with translation.override("en"), pytest.raises(CommandError, match=r"holds no manifest\.json"):
        call_command("restore", str(tmp_path))


def test_a_manifest_that_is_not_ours_is_refused(tmp_path):  # type: ignore[no-untyped-def]
    (tmp_path / "manifest.json").write_text('{"format": "bao-cao", "files": []}')
    with translation.override("en"), pytest.raises(CommandError, match="not a DTIS backup"):
        call_command("restore", str(tmp_path))


def test_a_manifest_pointing_outside_the_backup_is_refused(tmp_path, backup_copy):  # type: ignore[no-untyped-def]
    manifest = json.loads((backup_copy / "manifest.json").read_text())
    manifest["files"][0]["path"] = "files/../../etc/passwd"
    (backup_copy / "manifest.json").write_text(json.dumps(manifest))
    with translation.override("en"), pytest.raises(CommandError, match="outside the backup"):
        call_command("restore", str(backup_copy))


def test_a_small_backup_restores_into_an_empty_installation(tmp_path, small_backup, backup_copy):  # type: ignore[no-untyped-def]
    source, _folder = small_backup
    target = _empty_target(tmp_path)
    out = ok(target.run("restore", str(backup_copy)))
    assert "1 files" in out
    assert target.rows() == source.rows()
    assert file_sums(target.media) == file_sums(source.media)


# --- files on an S3-compatible store --------------------------------------------------------


def test_files_on_an_s3_store_are_walked_copied_and_put_back_identical(tmp_path):  # type: ignore[no-untyped-def]
    import boto3
    from moto import mock_aws
    from storages.backends.s3 import S3Storage

    contents = {
        "evidence/1/9c1e": b"%PDF-1.4\nBao cao quy I\n%%EOF\n",
        "evidence/1/a7d2": b"%PDF-1.4\nBao cao quy II\n%%EOF\n",
        "evidence/12/f00d": bytes(range(256)) * 64,
        "giai-trinh/Giải trình bổ sung chỉ số 3.1.pdf": b"%PDF-1.4\nGiai trinh\n%%EOF\n",
    }
    with mock_aws():
        client = boto3.client("s3", region_name="us-east-1")
        for bucket in ("dtis-khh", "dtis-khh-moi"):
            client.create_bucket(Bucket=bucket)
        options = {"region_name": "us-east-1", "access_key": "x", "secret_key": "y"}
        source = S3Storage(bucket_name="dtis-khh", **options)
        target = S3Storage(bucket_name="dtis-khh-moi", **options)
        for name, data in contents.items():
            client.put_object(Bucket="dtis-khh", Key=name, Body=data)

        entries = copy_files(source, tmp_path)
        assert sorted(e["path"] for e in entries) == sorted(f"files/{n}" for n in contents)
        for entry in entries:
            data = contents[entry["path"].removeprefix("files/")]
            assert entry["sha256"] == hashlib.sha256(data).hexdigest()
            assert (tmp_path / entry["path"]).read_bytes() == data

        restore_files(tmp_path, {"files": entries}, target)
        assert sorted(stored_files(target)) == sorted(contents)
        for name, data in contents.items():
            assert client.get_object(Bucket="dtis-khh-moi", Key=name)["Body"].read() == data
