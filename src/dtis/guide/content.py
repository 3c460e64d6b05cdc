"""The guide's chapters: Markdown files read, parsed and cached.

A chapter is `content/<lang>/NN-slug.md`: the first line `# Title`, line 2
an HTML comment naming the roles it is for (`<!-- roles: reporter head -->`),
sections `##`, steps `###`, pictures `![Caption](anh/NAME.png)` whose files
live in `static/dtis/guide/anh/`. A chapter missing in English falls back to
Vietnamese, the reference text.

Parsing goes through markdown-it-py (CommonMark plus tables, raw HTML off,
typographer off), once per process: the cache is keyed on the files'
modification times, so an edited chapter shows without a restart.
"""

from __future__ import annotations

import re
import struct
import threading
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.conf import settings
from django.templatetags.static import static
from django.urls import reverse
from markdown_it import MarkdownIt
from markdown_it.token import Token

from dtis.core.text import fold

PACKAGE_DIR = Path(__file__).resolve().parent.parent
DEFAULT_CONTENT_DIR = PACKAGE_DIR / "guide" / "content"
DEFAULT_IMAGE_DIR = PACKAGE_DIR / "static" / "dtis" / "guide" / "anh"
IMAGE_STATIC_PREFIX = "dtis/guide/anh/"
REFERENCE_LANG = "vi"
LANGS = ("vi", "en")
ROLE_CODES = ("all", "reporter", "head", "lead", "admin", "appraiser", "viewer")
SHOT_SIZE = (1280, 800)  # the screenshots' viewport, when a picture's file is missing

_FILE_NAME = re.compile(r"^(\d\d)-[a-z0-9-]+\.md$")
_ROLES = re.compile(r"^\s*<!--\s*roles:\s*(.*?)\s*-->\s*$")
_COMMENT_LINE = re.compile(r"^\s*<!--.*-->\s*$")
_IMAGE_SRC = re.compile(r"^anh/([A-Za-z0-9_-]+)\.png$")
_CHAPTER_LINK = re.compile(r"^(?:\.\./(?:vi|en)/)?(\d\d-[a-z0-9-]+)\.md(#[\w-]*)?$")


@dataclass(frozen=True)
class Image:
    name: str  # "02-entry-page"
    caption: str
    width: int
    height: int

    @property
    def file_name(self) -> str:
        return f"{self.name}.png"


@dataclass(frozen=True)
class Section:
    """A `##` part of a chapter: the table of contents and the search use these."""

    title: str
    anchor: str
    text: str  # plain text of the section (its `###` steps included), for search
    steps: tuple[str, ...]  # the `###` titles inside it


@dataclass(frozen=True)
class Chapter:
    slug: str  # the file's stem, "02-nguoi-bao-cao"; also the URL's
    number: int
    lang: str  # the language of the file actually read (after fallback)
    title: str
    roles: tuple[str, ...]
    intro: str  # plain text before the first `##`
    sections: tuple[Section, ...]
    images: tuple[Image, ...]
    html: str  # the body (title excluded), safe: raw HTML is off in the parser
    tokens: tuple[Token, ...]  # the body's markdown-it tokens, for the handout

    def is_for(self, codes: set[str]) -> bool:
        return "all" in self.roles or bool(codes & set(self.roles))


def parser() -> MarkdownIt:
    return MarkdownIt("commonmark", {"html": False, "typographer": False}).enable("table")


def content_dir() -> Path:
    return Path(getattr(settings, "GUIDE_CONTENT_DIR", DEFAULT_CONTENT_DIR))


def image_dir() -> Path:
    return Path(getattr(settings, "GUIDE_IMAGE_DIR", DEFAULT_IMAGE_DIR))


# --- loading, with a per-process cache ---------------------------------------------------

_lock = threading.Lock()
_cache: dict[tuple[str, str], tuple[tuple[Any, ...], tuple[Chapter, ...]]] = {}


def signature() -> tuple[Any, ...]:
    """What the cache depends on: every chapter's and picture's name and mtime."""
    entries: list[tuple[str, int]] = []
    for folder in (content_dir(), image_dir()):
        if folder.is_dir():
            for path in sorted(folder.rglob("*")):
                if path.is_file():
                    entries.append((str(path), path.stat().st_mtime_ns))
    return (str(content_dir()), str(image_dir()), tuple(entries))


def chapters(lang: str = REFERENCE_LANG) -> tuple[Chapter, ...]:
    """Every chapter in order, in `lang` where it exists, else in Vietnamese."""
    lang = lang if lang in LANGS else REFERENCE_LANG
    key = (str(content_dir()), lang)
    sig = signature()
    with _lock:
        hit = _cache.get(key)
        if hit is not None and hit[0] == sig:
            return hit[1]
    loaded = tuple(_load(lang))
    with _lock:
        _cache[key] = (sig, loaded)
    return loaded


def chapter(slug: str, lang: str = REFERENCE_LANG) -> Chapter | None:
    return next((c for c in chapters(lang) if c.slug == slug), None)


def start_chapter(lang: str = REFERENCE_LANG) -> Chapter | None:
    """Chapter 01, getting started: the one page readable without signing in."""
    return next((c for c in chapters(lang) if c.number == 1), None)


def role_chapter(role: str, lang: str = REFERENCE_LANG) -> Chapter | None:
    """The first chapter written for the role itself (not for everybody): the
    one the home page and the help menu offer as "your guide"."""
    return next((c for c in chapters(lang) if role in c.roles), None)


def _files(lang: str) -> dict[str, Path]:
    folder = content_dir() / lang
    if not folder.is_dir():
        return {}
    return {p.stem: p for p in sorted(folder.iterdir()) if _FILE_NAME.match(p.name)}


def _load(lang: str) -> list[Chapter]:
    files = _files(REFERENCE_LANG)
    if lang != REFERENCE_LANG:
        files |= _files(lang)  # a translated chapter replaces the reference one
    out: list[Chapter] = []
    for slug in sorted(files):
        path = files[slug]
        out.append(parse(path.read_text(encoding="utf-8"), slug, path.parent.name))
    return out


# --- parsing -----------------------------------------------------------------------------


def parse(source: str, slug: str, lang: str = REFERENCE_LANG) -> Chapter:
    """One chapter from its Markdown text."""
    lines = source.splitlines()
    roles: tuple[str, ...] = ()
    body_lines: list[str] = []
    for line in lines:
        match = _ROLES.match(line)
        if match and not roles:
            roles = tuple(r for r in match.group(1).replace(",", " ").split() if r)
            continue
        if _COMMENT_LINE.match(line):  # editors' notes; raw HTML is off anyway
            continue
        body_lines.append(line)
    tokens = parser().parse("\n".join(body_lines) + "\n")
    title, tokens = _take_title(tokens, fallback=slug)
    anchors = _add_anchors(tokens)
    images = tuple(_images(tokens))
    intro, sections = _sections(tokens, anchors)
    return Chapter(
        slug=slug,
        number=int(slug[:2]) if slug[:2].isdigit() else 0,
        lang=lang,
        title=title,
        roles=roles or ("all",),
        intro=intro,
        sections=sections,
        images=images,
        html=render_html(tokens),
        tokens=tuple(tokens),
    )


def _take_title(tokens: list[Token], fallback: str) -> tuple[str, list[Token]]:
    """The first `# Title` (three tokens), removed from the body."""
    for i, tok in enumerate(tokens):
        if tok.type == "heading_open" and tok.tag == "h1":
            title = tokens[i + 1].content.strip()
            return title, tokens[:i] + tokens[i + 3 :]
    return fallback, tokens


def anchor_of(text: str) -> str:
    """ "Nhập số liệu quý" → "nhap-so-lieu-quy"."""
    return re.sub(r"[^a-z0-9]+", "-", fold(text)).strip("-") or "muc"


def _add_anchors(tokens: list[Token]) -> dict[int, str]:
    """An id on every `##`/`###` heading (unique within the chapter)."""
    used: set[str] = set()
    anchors: dict[int, str] = {}
    for i, tok in enumerate(tokens):
        if tok.type == "heading_open" and tok.tag in ("h2", "h3"):
            base = anchor_of(tokens[i + 1].content)
            anchor, n = base, 2
            while anchor in used:
                anchor, n = f"{base}-{n}", n + 1
            used.add(anchor)
            tok.attrSet("id", anchor)
            anchors[i] = anchor
    return anchors


def _images(tokens: list[Token]) -> list[Image]:
    out = []
    for tok in tokens:
        for child in tok.children or ():
            if child.type == "image":
                name = image_name(str(child.attrGet("src") or ""))
                if name is not None:
                    out.append(Image(name, plain_text([child]), *image_size(name)))
    return out


def image_name(src: str) -> str | None:
    """`anh/02-entry-page.png` → `02-entry-page`; None for any other address."""
    match = _IMAGE_SRC.match(src.strip())
    return match.group(1) if match else None


def image_path(name: str) -> Path:
    return image_dir() / f"{name}.png"


def image_size(name: str) -> tuple[int, int]:
    """A PNG's width and height from its header (the page reserves the room)."""
    try:
        with image_path(name).open("rb") as fh:
            head = fh.read(24)
    except OSError:
        return SHOT_SIZE
    if len(head) < 24 or head[:8] != b"\x89PNG\r\n\x1a\n" or head[12:16] != b"IHDR":
        return SHOT_SIZE
    width, height = struct.unpack(">II", head[16:24])
    return int(width), int(height)


def plain_text(children: list[Token] | None) -> str:
    """The words of inline tokens (an image counts by its caption)."""
    parts: list[str] = []
    for child in children or ():
        if child.type in ("text", "code_inline"):
            parts.append(child.content)
        elif child.type in ("softbreak", "hardbreak"):
            parts.append(" ")
        elif child.type == "image":
            parts.append(plain_text(child.children) or child.content)
    return "".join(parts)


def _sections(tokens: list[Token], anchors: dict[int, str]) -> tuple[str, tuple[Section, ...]]:
    intro: list[str] = []
    sections: list[tuple[str, str, list[str], list[str]]] = []
    for i, tok in enumerate(tokens):
        if tok.type == "heading_open" and tok.tag == "h2":
            sections.append((tokens[i + 1].content.strip(), anchors[i], [], []))
        elif tok.type == "heading_open" and tok.tag == "h3" and sections:
            sections[-1][3].append(tokens[i + 1].content.strip())
        if tok.type == "inline":
            words = plain_text(tok.children) if tok.children else tok.content
            if tokens[i - 1].type == "heading_open" and tokens[i - 1].tag == "h2":
                continue  # the section's own title is not its text
            (sections[-1][2] if sections else intro).append(words)
        elif tok.type in ("fence", "code_block"):
            (sections[-1][2] if sections else intro).append(tok.content)
    return " ".join(" ".join(intro).split()), tuple(
        Section(title, anchor, " ".join(" ".join(text).split()), tuple(steps))
        for title, anchor, text, steps in sections
    )


# --- HTML --------------------------------------------------------------------------------


def render_html(tokens: list[Token]) -> str:
    """The body as HTML: pictures become lazy-loaded figures with their size,
    tables get the app's table style, links to `NN-slug.md` go to that chapter.
    The tokens are not changed (the handout reads them too)."""
    md = parser()
    rules = md.renderer.rules
    default_image = rules["image"]
    escape = md.utils.escapeHtml
    lone: set[int] = set()
    for i in range(len(tokens)):
        if _lone_image(tokens, i):
            lone.add(id(tokens[i + 1].children[0]))  # type: ignore[index]

    def paragraph_open(tokens: Any, idx: int, options: Any, env: Any) -> str:
        if _lone_image(tokens, idx):
            return '<figure class="guide-figure">\n'
        return str(md.renderer.renderToken(tokens, idx, options, env))

    def paragraph_close(tokens: Any, idx: int, options: Any, env: Any) -> str:
        if idx >= 2 and _lone_image(tokens, idx - 2):
            return "</figure>\n"
        return str(md.renderer.renderToken(tokens, idx, options, env))

    def image(tokens: Any, idx: int, options: Any, env: Any) -> str:
        tok = tokens[idx]
        name = image_name(str(tok.attrGet("src") or ""))
        if name is None:
            return str(default_image(tokens, idx, options, env))
        caption = plain_text(tok.children)
        width, height = image_size(name)
        src = static(IMAGE_STATIC_PREFIX + f"{name}.png")
        tag = (
            f'<img src="{escape(src)}" alt="{escape(caption)}" width="{width}" '
            f'height="{height}" loading="lazy" decoding="async">'
        )
        if id(tok) in lone:
            return f"{tag}\n<figcaption>{escape(caption)}</figcaption>"
        return tag

    def table_open(tokens: Any, idx: int, options: Any, env: Any) -> str:
        return '<div class="table-wrap">\n<table class="table">\n'

    def table_close(tokens: Any, idx: int, options: Any, env: Any) -> str:
        return "</table>\n</div>\n"

    def link_open(tokens: Any, idx: int, options: Any, env: Any) -> str:
        href = str(tokens[idx].attrGet("href") or "")
        match = _CHAPTER_LINK.match(href)
        if match:
            href = chapter_url(match.group(1)) + (match.group(2) or "")
        title = tokens[idx].attrGet("title")
        extra = f' title="{escape(str(title))}"' if title else ""
        return f'<a href="{escape(href)}"{extra}>'

    rules["paragraph_open"] = paragraph_open
    rules["paragraph_close"] = paragraph_close
    rules["image"] = image
    rules["table_open"] = table_open
    rules["table_close"] = table_close
    rules["link_open"] = link_open
    return str(md.renderer.render(tokens, md.options, {}))


def _lone_image(tokens: Any, idx: int) -> bool:
    """A paragraph holding one picture and nothing else: shown as a figure."""
    if idx < 0 or idx + 1 >= len(tokens) or tokens[idx].type != "paragraph_open":
        return False
    children = [c for c in tokens[idx + 1].children or () if c.type != "softbreak"]
    return len(children) == 1 and children[0].type == "image"


def chapter_url(slug: str) -> str:
    start = start_chapter_slug()
    if slug == start:
        return reverse("guide:start")
    return reverse("guide:chapter", args=[slug])


def start_chapter_slug() -> str | None:
    files = _files(REFERENCE_LANG)
    firsts = [s for s in files if s.startswith("01-")]
    return firsts[0] if firsts else None
