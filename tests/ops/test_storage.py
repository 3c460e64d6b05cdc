"""DTIS_STORAGE_URL: local disk by default, a folder with file://, an
S3-compatible object store (MinIO, a provincial cloud) with s3://; files go
through Django's storage API, so evidence lands wherever the URL says."""

from __future__ import annotations

from pathlib import Path

import boto3
import pytest
from django.core.exceptions import ImproperlyConfigured
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from moto import mock_aws

from dtis.ops.storage import LOCAL_BACKEND, S3_BACKEND, storage_config, storage_kind
from dtis.reporting.evidence import evidence_add_file
from dtis.reporting.figures import figure_save
from tests.reporting.conftest import dept_cycle, frameworks  # noqa: F401

MEDIA = Path("/var/lib/dtis/media")
MINIO = "https://minio.khanhhoa.gov.vn:9000"
BUCKET = "dtis-minh-chung"
S3_URL = f"s3://AKIAKHANHHOA:bi%2Fmat%2Bkhong%3Dlo@{BUCKET}/khh?endpoint_url={MINIO}&region=ap-southeast-1&addressing_style=path"
MINIMAL_PDF = (
    b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n"
    b"2 0 obj<</Type/Pages/Kids[]/Count 0>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n"
)

# --- reading the URL -----------------------------------------------------------


def test_without_a_url_files_stay_on_the_local_disk_under_media_root():
    config = storage_config("", MEDIA)
    assert config.backend == {"BACKEND": LOCAL_BACKEND}
    assert config.local_root == MEDIA


def test_a_file_url_names_the_local_folder():
    config = storage_config("file:///srv/dtis/t%C3%A0i-li%E1%BB%87u", MEDIA)
    assert config.backend == {"BACKEND": LOCAL_BACKEND}
    assert config.local_root == Path("/srv/dtis/tài-liệu")


@pytest.mark.parametrize("url", ["file://srv/dtis", "file:relative/path", "file://nas/share"])
def test_a_file_url_without_an_absolute_local_path_is_refused(url):
    with pytest.raises(ImproperlyConfigured, match="three slashes"):
        storage_config(url, MEDIA)


def test_an_s3_url_gives_the_bucket_folder_credentials_and_endpoint():
    config = storage_config(S3_URL, MEDIA)
    assert config.local_root is None
    assert config.backend["BACKEND"] == S3_BACKEND
    options = config.backend["OPTIONS"]
    assert options["bucket_name"] == BUCKET
    assert options["location"] == "khh"
    assert options["access_key"] == "AKIAKHANHHOA"
    assert options["secret_key"] == "bi/mat+khong=lo"  # percent-encoded in the URL
    assert options["endpoint_url"] == MINIO
    assert options["region_name"] == "ap-southeast-1"
    assert options["addressing_style"] == "path"
    # Evidence stays private and is never silently overwritten.
    assert options["default_acl"] is None and options["file_overwrite"] is False


def test_an_s3_url_without_credentials_leaves_them_to_boto3():
    options = storage_config(f"s3://{BUCKET}", MEDIA).backend["OPTIONS"]
    assert "access_key" not in options and "secret_key" not in options
    assert options["location"] == ""


@pytest.mark.parametrize(
    ("value", "verify"), [("0", False), ("1", True), ("/etc/ssl/ca.pem", "/etc/ssl/ca.pem")]
)
def test_verify_turns_certificate_checks_off_or_names_a_ca_bundle(value, verify):
    options = storage_config(f"s3://{BUCKET}?verify={value}", MEDIA).backend["OPTIONS"]
    assert options["verify"] == verify


@pytest.mark.parametrize(
    ("url", "reason"),
    [
        ("ftp://kho.khanhhoa.gov.vn/dtis", "unsupported scheme"),
        ("s3://", "bucket"),
        (f"s3://chi-co-khoa@{BUCKET}", "both the access key and the secret"),
        (f"s3://{BUCKET}?endpoint=https://minio:9000", "unknown option 'endpoint'"),
        (f"s3://{BUCKET}?endpoint_url=minio:9000", "http:// or https://"),
        (f"s3://{BUCKET}?addressing_style=dns", "path or virtual"),
    ],
)
def test_a_url_it_does_not_understand_stops_the_start_up_with_the_reason(url, reason):
    with pytest.raises(ImproperlyConfigured, match=reason):
        storage_config(url, MEDIA)


def test_the_kind_shown_by_the_health_check_never_includes_the_url():
    assert storage_kind(storage_config(S3_URL, MEDIA).backend["BACKEND"]) == "s3"
    assert storage_kind(LOCAL_BACKEND) == "local"


# --- an S3-compatible store (moto stands in for MinIO) -------------------------


@pytest.fixture
def s3(settings, monkeypatch):  # type: ignore[no-untyped-def]
    """The default storage on a MinIO-like endpoint, faked by moto; yields the bucket's client."""
    monkeypatch.setenv("MOTO_S3_CUSTOM_ENDPOINTS", MINIO)
    with mock_aws():
        client = boto3.client(
            "s3",
            endpoint_url=MINIO,
            region_name="ap-southeast-1",
            aws_access_key_id="AKIAKHANHHOA",
            aws_secret_access_key="bi/mat+khong=lo",
        )
        client.create_bucket(
            Bucket=BUCKET, CreateBucketConfiguration={"LocationConstraint": "ap-southeast-1"}
        )
        settings.STORAGES = {**settings.STORAGES, "default": storage_config(S3_URL, MEDIA).backend}
        yield client


def _keys(client) -> list[str]:  # type: ignore[no-untyped-def]
    return [o["Key"] for o in client.list_objects_v2(Bucket=BUCKET).get("Contents", [])]


def test_a_file_is_saved_read_and_deleted_in_the_bucket(s3):
    name = default_storage.save("bao-cao/Báo cáo quý 1.txt", ContentFile("Số liệu quý I".encode()))
    assert _keys(s3) == [f"khh/{name}"]
    with default_storage.open(name, "rb") as fh:
        assert fh.read().decode() == "Số liệu quý I"
    default_storage.delete(name)
    assert _keys(s3) == []


def test_a_second_file_of_the_same_name_does_not_overwrite_the_first(s3):
    first = default_storage.save("bao-cao/ke-hoach.txt", ContentFile(b"ban 1"))
    second = default_storage.save("bao-cao/ke-hoach.txt", ContentFile(b"ban 2"))
    assert first != second
    assert sorted(_keys(s3)) == sorted([f"khh/{first}", f"khh/{second}"])


@pytest.mark.django_db
def test_evidence_uploaded_by_a_unit_lands_in_the_bucket_and_downloads_through_the_app(
    s3,
    org,
    dept_cycle,  # noqa: F811
):
    period = dept_cycle.periods.get(kind="q1")
    assessed = dept_cycle.assessed.get(unit=org.dept_home)
    figure = figure_save(
        actor=org.reporter,
        period=period,
        assessed=assessed,
        indicator=dept_cycle.framework.indicators.get(code="2.2"),
        values={"co_ke_hoach_hang_nam": True},
    )
    evidence = evidence_add_file(
        actor=org.reporter,
        figure=figure,
        upload=SimpleUploadedFile("Kế hoạch CĐS 2026.pdf", MINIMAL_PDF, "application/pdf"),
    )
    assert _keys(s3) == [f"khh/{evidence.file.name}"]
    client = Client()
    client.force_login(org.reporter)
    response = client.get(reverse("reporting:evidence-download", args=[evidence.pk]))
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == MINIMAL_PDF


@pytest.mark.django_db
def test_the_health_check_probes_the_bucket_and_leaves_nothing_in_it(s3, settings):
    settings.CELERY_TASK_ALWAYS_EAGER = True
    response = Client().get("/healthz")
    assert response.status_code == 200
    storage = response.json()["checks"]["storage"]
    assert storage["status"] == "ok" and storage["backend"] == "s3"
    assert _keys(s3) == []
