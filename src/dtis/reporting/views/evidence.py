"""Evidence screens: attach, replace, remove, download and preview.

Adding goes through the data-entry page (the panel template posts here and
comes back); files are only ever served by these views, after the policy
allows it, under the name the user gave and the type found in the content.
"""

from __future__ import annotations

import datetime as dt
import unicodedata
from urllib.parse import quote

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.text import Truncator
from django.utils.translation import gettext as _
from django.views.decorators.clickjacking import xframe_options_sameorigin
from django.views.decorators.http import require_GET, require_POST

from dtis.orgs import policy
from dtis.reporting.evidence import (
    PREVIEWABLE,
    evidence_add_document,
    evidence_add_file,
    evidence_add_link,
    evidence_remove,
    evidence_replace_file,
)
from dtis.reporting.models import Assignment, Evidence, EvidenceKind, Figure

_FIGURE_RELATED = ("period__cycle", "assessed__unit", "assessed__cycle__scope", "indicator")


def _assignment(figure: Figure) -> Assignment | None:
    return (
        Assignment.objects.filter(assessed_id=figure.assessed_id, indicator_id=figure.indicator_id)
        .select_related("owner", "assessed__unit")
        .first()
    )


def _require_entry(request: HttpRequest, figure: Figure) -> None:
    """403 unless the person enters figures for this indicator of this unit."""
    assignment = _assignment(figure)
    if assignment is None or not policy.can_enter_figure(request.user, assignment):  # type: ignore[arg-type]
        raise PermissionDenied


def _evidence(request: HttpRequest, pk: int) -> Evidence:
    """The item, or 403 when the person may not see the unit's report."""
    evidence = get_object_or_404(
        Evidence.objects.select_related(*(f"figure__{r}" for r in _FIGURE_RELATED)), pk=pk
    )
    figure = evidence.figure
    if not policy.can_view_report(request.user, figure.assessed, _assignment(figure)):  # type: ignore[arg-type]
        raise PermissionDenied
    return evidence


def _back(request: HttpRequest, figure: Figure) -> HttpResponse:
    """Back to `next` or the referring page, only when it is a local address,
    at the indicator's card: on a report of forty cards the person lands
    where they were, and the page shows the message there (app.js)."""
    for target in (request.POST.get("next"), request.headers.get("referer")):
        if target and url_has_allowed_host_and_scheme(
            target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
        ):
            if "#" not in target:
                target = f"{target}#ind-{figure.indicator.code}"
            return redirect(target)
    return redirect("home")


def _report(request: HttpRequest, exc: ValidationError) -> None:
    for message in exc.messages:
        messages.error(request, message)


def _label(item: Evidence) -> str:
    return (
        item.original_name or item.doc_number or item.url or Truncator(item.doc_summary).chars(60)
    )


def _parse_date(text: str) -> dt.date | None:
    """dd/mm/yyyy (or yyyy-mm-dd) → date; "" → None; ValidationError otherwise."""
    text = (text or "").strip()
    if not text:
        return None
    try:
        return forms.DateField().clean(text)
    except ValidationError as exc:
        raise ValidationError(
            _("“%(value)s” is not a date: type it as dd/mm/yyyy, e.g. 21/03/2026.")
            % {"value": text[:40]}
        ) from exc


@login_required
@require_POST
def evidence_add(request: HttpRequest, figure_pk: int) -> HttpResponse:
    figure = get_object_or_404(Figure.objects.select_related(*_FIGURE_RELATED), pk=figure_pk)
    _require_entry(request, figure)
    kind, actor, post = request.POST.get("kind"), request.user, request.POST
    try:
        if kind == EvidenceKind.FILE:
            upload = request.FILES.get("file")
            if upload is None:
                raise ValidationError(_("Choose a file to attach."))
            item = evidence_add_file(actor=actor, figure=figure, upload=upload)  # type: ignore[arg-type]
        elif kind == EvidenceKind.LINK:
            item = evidence_add_link(
                actor=actor,  # type: ignore[arg-type]
                figure=figure,
                url=post.get("url", ""),
                note=post.get("note", ""),
            )
        elif kind == EvidenceKind.DOCUMENT:
            item = evidence_add_document(
                actor=actor,  # type: ignore[arg-type]
                figure=figure,
                number=post.get("number", ""),
                date=_parse_date(post.get("date", "")),
                issuer=post.get("issuer", ""),
                summary=post.get("summary", ""),
            )
        else:
            raise ValidationError(_("Choose what to add: a file, a link or a document."))
    except ValidationError as exc:
        _report(request, exc)
    else:
        messages.success(
            request,
            _("Evidence added to indicator %(code)s: %(item)s")
            % {"code": figure.indicator.code, "item": _label(item)},
        )
    return _back(request, figure)


@login_required
@require_POST
def evidence_replace(request: HttpRequest, pk: int) -> HttpResponse:
    evidence = _evidence(request, pk)
    _require_entry(request, evidence.figure)
    upload = request.FILES.get("file")
    try:
        if upload is None:
            raise ValidationError(_("Choose a file to attach."))
        new = evidence_replace_file(actor=request.user, evidence=evidence, upload=upload)  # type: ignore[arg-type]
    except ValidationError as exc:
        _report(request, exc)
    else:
        messages.success(
            request,
            _("“%(old)s” replaced by “%(new)s”; the old version stays in the history.")
            % {"old": evidence.original_name, "new": new.original_name},
        )
    return _back(request, evidence.figure)


@login_required
@require_POST
def evidence_remove_view(request: HttpRequest, pk: int) -> HttpResponse:
    evidence = _evidence(request, pk)
    _require_entry(request, evidence.figure)
    try:
        evidence_remove(actor=request.user, evidence=evidence)  # type: ignore[arg-type]
    except ValidationError as exc:
        _report(request, exc)
    else:
        messages.success(request, _("Evidence removed: %(item)s") % {"item": _label(evidence)})
    return _back(request, evidence.figure)


def _ascii_name(name: str) -> str:
    """A plain-ASCII stand-in for old clients: "Báo cáo quý 1.pdf" → "Bao cao quy 1.pdf"."""
    folded = unicodedata.normalize("NFD", name.replace("đ", "d").replace("Đ", "D"))
    bare = "".join(ch for ch in folded if not unicodedata.combining(ch))
    return "".join(ch if ch.isascii() and (ch.isalnum() or ch in " .-_()") else "_" for ch in bare)


def _serve(evidence: Evidence, disposition: str) -> FileResponse:
    if evidence.kind != EvidenceKind.FILE or not evidence.file:
        raise Http404
    try:
        handle = evidence.file.storage.open(evidence.file.name, "rb")
    except FileNotFoundError as exc:
        raise Http404 from exc
    response = FileResponse(handle, content_type=evidence.content_type)
    name = evidence.original_name or "tai-lieu"
    response["Content-Disposition"] = (
        f"{disposition}; filename=\"{_ascii_name(name)}\"; filename*=UTF-8''{quote(name, safe='')}"
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response


@login_required
@require_GET
def evidence_download(request: HttpRequest, pk: int) -> FileResponse:
    return _serve(_evidence(request, pk), "attachment")


@login_required
@require_GET
@xframe_options_sameorigin  # the council's page shows it in an iframe
def evidence_preview(request: HttpRequest, pk: int) -> FileResponse:
    """PDFs and images shown in the browser, sandboxed (no scripts, own origin)."""
    evidence = _evidence(request, pk)
    if evidence.content_type not in PREVIEWABLE:
        raise Http404
    response = _serve(evidence, "inline")
    response["Content-Security-Policy"] = "sandbox"
    return response
