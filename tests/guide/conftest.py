"""The guide's tests read two placeholder chapters of their own (content/ next
to this file) and pictures made on the fly, so that they do not depend on the
real chapters; tests/guide/test_pictures.py checks the real ones."""

from __future__ import annotations

import struct
import zlib
from pathlib import Path

import pytest

FIXTURE_CONTENT = Path(__file__).resolve().parent / "content"
PICTURES = ("01-login", "01-home", "02-entry-page")


def png(width: int, height: int) -> bytes:
    """A plain light-grey PNG of the given size."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        body = kind + data
        return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body))

    row = b"\x00" + b"\xdd\xe3\xea" * width
    raw = zlib.compress(row * height)
    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", raw) + chunk(b"IEND", b"")


@pytest.fixture(scope="session")
def picture_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("anh")
    for name in PICTURES:
        (folder / f"{name}.png").write_bytes(png(320, 200))
    return folder


@pytest.fixture(autouse=True)
def guide_fixture(settings, picture_dir):  # type: ignore[no-untyped-def]
    from dtis.guide import handout

    settings.GUIDE_CONTENT_DIR = str(FIXTURE_CONTENT)
    settings.GUIDE_IMAGE_DIR = str(picture_dir)
    handout.clear_cache()
    yield
    handout.clear_cache()
