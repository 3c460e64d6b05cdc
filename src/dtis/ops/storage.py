"""Where uploaded files live: `DTIS_STORAGE_URL` read into Django's `STORAGES["default"]`.

Evidence files, explanation attachments and background exports all go through
Django's storage API, so one setting moves them from the local disk to an
S3-compatible object store (MinIO, Viettel/VNPT/FPT cloud, AWS) without a line
of code changing. Accepted forms:

- unset or empty: local disk under `MEDIA_ROOT` (`DTIS_MEDIA_ROOT`, default `var/media`);
- `file:///srv/dtis/media`: local disk in that folder (it becomes `MEDIA_ROOT`);
- `s3://ACCESS_KEY:SECRET_KEY@BUCKET/PREFIX?endpoint_url=https://minio.local:9000&region=…`:
  django-storages' S3 backend. Credentials are optional (without them boto3
  looks in `AWS_ACCESS_KEY_ID`/`AWS_SECRET_ACCESS_KEY`, `~/.aws` or the
  machine's role); characters such as `/` or `+` in a secret are written
  percent-encoded (`%2F`, `%2B`). `PREFIX` (optional) is a folder inside the
  bucket. Query keys: `endpoint_url` (absent: AWS itself), `region`,
  `addressing_style` (`path` — what MinIO wants — or `virtual`),
  `signature_version` and `verify` (`0` to accept a self-signed certificate
  on an intranet endpoint, or the path of a CA bundle).

A value this module does not understand stops the start-up with the reason
(ImproperlyConfigured): files written to the wrong place are worse than a
server that refuses to start.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import parse_qsl, unquote, urlsplit

from django.core.exceptions import ImproperlyConfigured

LOCAL_BACKEND = "django.core.files.storage.FileSystemStorage"
S3_BACKEND = "storages.backends.s3.S3Storage"

_S3_QUERY_KEYS = {
    "endpoint_url": "endpoint_url",
    "region": "region_name",
    "addressing_style": "addressing_style",
    "signature_version": "signature_version",
    "verify": "verify",
}


@dataclass(frozen=True)
class StorageConfig:
    """What settings.py needs: the `STORAGES["default"]` entry, and the local
    folder when files stay on this machine (None on an object store)."""

    backend: dict[str, Any]
    local_root: Path | None


def storage_kind(backend: str) -> str:
    """The storage's kind, "local", "s3" or "other": safe to show, unlike the URL."""
    return {LOCAL_BACKEND: "local", S3_BACKEND: "s3"}.get(backend, "other")


def storage_config(url: str, media_root: Path) -> StorageConfig:
    """Read DTIS_STORAGE_URL (`url`); `media_root` is the local default."""
    url = url.strip()
    if not url:
        return StorageConfig({"BACKEND": LOCAL_BACKEND}, media_root)
    parts = urlsplit(url)
    if parts.scheme == "file":
        return _local(parts.netloc, parts.path)
    if parts.scheme == "s3":
        return StorageConfig({"BACKEND": S3_BACKEND, "OPTIONS": _s3_options(parts)}, None)
    raise ImproperlyConfigured(
        f"DTIS_STORAGE_URL: unsupported scheme {parts.scheme!r}; "
        "expected file:///path or s3://key:secret@bucket?endpoint_url=…"
    )


def _local(host: str, path: str) -> StorageConfig:
    if host not in {"", "localhost"} or not path.startswith("/"):
        raise ImproperlyConfigured(
            "DTIS_STORAGE_URL: a local folder is written file:///absolute/path (three slashes)"
        )
    # The folder becomes MEDIA_ROOT, which FileSystemStorage follows by default.
    return StorageConfig({"BACKEND": LOCAL_BACKEND}, Path(unquote(path)))


def _s3_options(parts: Any) -> dict[str, Any]:
    bucket = parts.hostname
    if not bucket:
        raise ImproperlyConfigured("DTIS_STORAGE_URL: s3:// needs a bucket name, s3://BUCKET")
    options: dict[str, Any] = {
        # Generated names never collide; a clash would mean a bug, not a new version.
        "file_overwrite": False,
        # Objects stay private: downloads go through the permission-checked views.
        "default_acl": None,
        "querystring_auth": True,
        "bucket_name": bucket,
        "location": parts.path.strip("/"),
    }
    if parts.username or parts.password:
        if not (parts.username and parts.password):
            raise ImproperlyConfigured(
                "DTIS_STORAGE_URL: give both the access key and the secret (s3://KEY:SECRET@…)"
            )
        options["access_key"] = unquote(parts.username)
        options["secret_key"] = unquote(parts.password)
    for key, value in parse_qsl(parts.query, keep_blank_values=True):
        if key not in _S3_QUERY_KEYS:
            known = ", ".join(sorted(_S3_QUERY_KEYS))
            raise ImproperlyConfigured(
                f"DTIS_STORAGE_URL: unknown option {key!r}; known options: {known}"
            )
        options[_S3_QUERY_KEYS[key]] = _s3_value(key, value)
    return options


def _s3_value(key: str, value: str) -> Any:
    if key == "endpoint_url" and urlsplit(value).scheme not in {"http", "https"}:
        raise ImproperlyConfigured(
            "DTIS_STORAGE_URL: endpoint_url must be an http:// or https:// address"
        )
    if key == "addressing_style" and value not in {"path", "virtual", "auto"}:
        raise ImproperlyConfigured("DTIS_STORAGE_URL: addressing_style is path or virtual")
    if key == "verify":
        lowered = value.strip().lower()
        if lowered in {"0", "false", "no", "off"}:
            return False
        if lowered in {"1", "true", "yes", "on"}:
            return True
        return value  # a CA bundle's path
    return value
