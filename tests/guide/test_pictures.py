"""The real chapters and their screenshots agree (the conventions of issue 10):
every picture a chapter shows exists in static/dtis/guide/anh, and every
picture tests/e2e/test_guide_screenshots.py takes is shown by a chapter."""

from __future__ import annotations

import re
from pathlib import Path

from dtis.guide import content

ROOT = Path(__file__).resolve().parents[2]
SHOTS_TEST = ROOT / "tests" / "e2e" / "test_guide_screenshots.py"
# Only real names (NN-short-name): a docstring's `guide_shot(page, "NN-name")` is no call.
SHOT_CALL = re.compile(r"""guide_shot\(\s*\w+\s*,\s*["'](\d\d-[a-z0-9-]+)["']""")
PICTURE = re.compile(r"!\[[^\]]*\]\(([^)\s]+)")


def _referenced() -> dict[str, list[str]]:
    """Every `anh/NAME.png` of every real chapter (both languages) → the files naming it."""
    found: dict[str, list[str]] = {}
    for path in sorted(content.DEFAULT_CONTENT_DIR.glob("*/*.md")):
        for src in PICTURE.findall(path.read_text(encoding="utf-8")):
            name = content.image_name(src)
            assert name is not None, f"{path.name}: {src} is not anh/NAME.png"
            found.setdefault(name, []).append(f"{path.parent.name}/{path.name}")
    return found


def test_there_are_chapters():
    assert sorted(content.DEFAULT_CONTENT_DIR.glob("vi/*.md")), (
        f"no chapters in {content.DEFAULT_CONTENT_DIR / 'vi'}"
    )


def test_every_picture_a_chapter_shows_exists():
    referenced = _referenced()
    assert referenced, "the chapters show no pictures"
    missing = {
        name: where
        for name, where in referenced.items()
        if not (content.DEFAULT_IMAGE_DIR / f"{name}.png").is_file()
    }
    assert not missing, (
        f"pictures missing from {content.DEFAULT_IMAGE_DIR} "
        f"(run `make guide-screenshots`): {missing}"
    )


def test_every_screenshot_taken_is_shown_by_a_chapter():
    assert SHOTS_TEST.is_file(), f"{SHOTS_TEST} does not exist"
    taken = set(SHOT_CALL.findall(SHOTS_TEST.read_text(encoding="utf-8")))
    assert taken, f"{SHOTS_TEST.name} calls guide_shot(page, NAME) nowhere"
    orphans = sorted(taken - set(_referenced()))
    assert not orphans, f"screenshots no chapter shows: {orphans}"
