"""The guide's pages: the chapters, search and the handout downloads.

Signed-in people read everything; chapter 01 (getting started) is also at
`guide:start` for people who have not signed in yet (the sign-in page links
there). The pages read files only: the one query of their own loads the
person's roles (cached on the user for the request).
"""

from __future__ import annotations

from dataclasses import dataclass

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from dtis.guide import content, handout
from dtis.guide.content import Chapter
from dtis.guide.search import search
from dtis.orgs import policy
from dtis.orgs.models import Role

DOCX_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def current_lang() -> str:
    lang = (get_language() or content.REFERENCE_LANG)[:2]
    return lang if lang in content.LANGS else content.REFERENCE_LANG


def role_codes(user: object) -> set[str]:
    """The person's roles as the chapters name them. The lead agency of an
    indicator (`lead`) is a unit, so its reporters and heads read that chapter."""
    if not getattr(user, "is_authenticated", False):
        return set()
    codes = {g.role.value for g in policy.grants_of(user)}  # type: ignore[arg-type]
    if getattr(user, "is_superuser", False):
        codes.add(Role.ADMIN.value)
    if codes & {Role.REPORTER.value, Role.HEAD.value}:
        codes.add("lead")
    return codes


def role_label(code: str) -> str:
    if code == "all":
        return _("Everyone")
    if code == "lead":
        return _("Lead agency")
    if code in Role.values:
        return str(Role(code).label)
    return code


@dataclass(frozen=True)
class Card:
    chapter: Chapter
    url: str
    roles: tuple[str, ...]
    for_you: bool


@require_GET
@login_required
def index(request: HttpRequest) -> HttpResponse:
    codes = role_codes(request.user)
    cards = [
        Card(
            ch,
            content.chapter_url(ch.slug),
            tuple(role_label(r) for r in ch.roles),
            ch.is_for(codes),
        )
        for ch in content.chapters(current_lang())
    ]
    cards.sort(key=lambda card: not card.for_you)  # stable: the chapters' order within each
    return render(
        request,
        "guide/index.html",
        {"cards": cards, "pdf_available": handout.libreoffice() is not None},
    )


@require_GET
def start(request: HttpRequest) -> HttpResponse:
    chapter = content.start_chapter(current_lang())
    if chapter is None:
        raise Http404
    return _chapter(request, chapter)


@require_GET
@login_required
def chapter_page(request: HttpRequest, slug: str) -> HttpResponse:
    chapter = content.chapter(slug, current_lang())
    if chapter is None:
        raise Http404
    if chapter.number == 1:
        return redirect("guide:start")
    return _chapter(request, chapter)


def _chapter(request: HttpRequest, chapter: Chapter) -> HttpResponse:
    chapters = content.chapters(current_lang())
    at = next(i for i, ch in enumerate(chapters) if ch.slug == chapter.slug)
    previous = chapters[at - 1] if at > 0 else None
    following = chapters[at + 1] if at + 1 < len(chapters) else None
    return render(
        request,
        "guide/chapter.html",
        {
            "chapter": chapter,
            "roles": [role_label(r) for r in chapter.roles],
            "previous": previous,
            "previous_url": content.chapter_url(previous.slug) if previous else "",
            "next": following,
            "next_url": content.chapter_url(following.slug) if following else "",
            "pdf_available": handout.libreoffice() is not None,
        },
    )


@require_GET
@login_required
def search_page(request: HttpRequest) -> HttpResponse:
    query = request.GET.get("q", "").strip()[:200]
    hits = search(content.chapters(current_lang()), query) if query else []
    results = [
        {
            "hit": hit,
            "url": content.chapter_url(hit.chapter.slug)
            + (f"#{hit.section.anchor}" if hit.section else ""),
        }
        for hit in hits
    ]
    return render(request, "guide/search.html", {"query": query, "results": results})


@require_GET
@login_required
def download_docx(request: HttpRequest) -> HttpResponse:
    made = handout.docx(current_lang())
    response = HttpResponse(made.data, content_type=DOCX_TYPE)
    response["Content-Disposition"] = f'attachment; filename="{handout.file_name("docx")}"'
    return response


@require_GET
@login_required
def download_pdf(request: HttpRequest) -> HttpResponse:
    try:
        made = handout.pdf(current_lang())
    except handout.PdfUnavailable as exc:
        return render(request, "guide/pdf_unavailable.html", {"reason": str(exc)}, status=503)
    response = HttpResponse(made.data, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{handout.file_name("pdf")}"'
    return response
