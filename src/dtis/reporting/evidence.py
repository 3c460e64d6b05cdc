"""Evidence (tài liệu kiểm chứng): files, links and citations of official documents.

A file is accepted by what it contains, not by what it is called: the first
bytes (and, for ZIP-based office files, the names inside) must show a PDF, a
JPEG or PNG image, a Word or Excel file (old or new format) or an OpenDocument
text or spreadsheet, and the extension the user gave must agree. The file is
stored under a generated name; the original name is kept for downloads.
Replacing a file adds a new row and keeps the old one (`replaced_by`).

A citation gives the document's number, date, issuer and summary (số ký hiệu,
ngày ban hành, cơ quan ban hành, trích yếu), as Decree 30/2020/NĐ-CP writes
them: "27/KH-SKHCN", "30/2020/NĐ-CP".

`precheck` looks for the problems an appraisal council would return a report
for, before the unit head submits it.
"""

from __future__ import annotations

import datetime as dt
import os
import re
import struct
import unicodedata
import zipfile
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal
from typing import IO, Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.db import transaction
from django.db.models import Prefetch
from django.utils import formats, timezone
from django.utils.text import Truncator
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from dtis.orgs.models import User
from dtis.reporting.figures import can_edit
from dtis.reporting.models import (
    AssessedUnit,
    Assignment,
    Evidence,
    EvidenceKind,
    Figure,
    Period,
    Submission,
)
from dtis.reporting.plausibility import implausible

# --- recognising files by their content -----------------------------------

PDF = "application/pdf"
JPEG = "image/jpeg"
PNG = "image/png"
OLE2 = "application/x-ole-storage"  # legacy .doc / .xls: which one, the extension says
DOC = "application/msword"
XLS = "application/vnd.ms-excel"
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
ODT = "application/vnd.oasis.opendocument.text"
ODS = "application/vnd.oasis.opendocument.spreadsheet"

# extension → (what sniff() must find, content type stored and served)
EXTENSIONS: dict[str, tuple[str, str]] = {
    ".pdf": (PDF, PDF),
    ".jpg": (JPEG, JPEG),
    ".jpeg": (JPEG, JPEG),
    ".png": (PNG, PNG),
    ".doc": (OLE2, DOC),
    ".xls": (OLE2, XLS),
    ".docx": (DOCX, DOCX),
    ".xlsx": (XLSX, XLSX),
    ".odt": (ODT, ODT),
    ".ods": (ODS, ODS),
}
ACCEPT = ",".join(EXTENSIONS)  # for <input type=file accept=…>
PREVIEWABLE = frozenset({PDF, JPEG, PNG})

_KIND_LABELS = {
    PDF: gettext_lazy("a PDF document"),
    JPEG: gettext_lazy("a JPEG image"),
    PNG: gettext_lazy("a PNG image"),
    OLE2: gettext_lazy("an old-format Word or Excel file (.doc, .xls)"),
    DOCX: gettext_lazy("a Word document (.docx)"),
    XLSX: gettext_lazy("an Excel workbook (.xlsx)"),
    ODT: gettext_lazy("an OpenDocument text (.odt)"),
    ODS: gettext_lazy("an OpenDocument spreadsheet (.ods)"),
}

_OLE2_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_ZIP_MAGIC = b"PK\x03\x04"
_ODF = {ODT: ODT, ODS: ODS}
HEAD_BYTES = 4096
_MAX_ZIP_ENTRIES = 5000


def _stored_mimetype(head: bytes) -> bytes | None:
    """The `mimetype` entry of an OpenDocument file, read from its first bytes.

    The ODF specification puts it first in the ZIP and uncompressed, so it is
    visible in the local header without opening the archive.
    """
    if len(head) < 30 or not head.startswith(_ZIP_MAGIC):
        return None
    method, size, name_len, extra_len = (
        struct.unpack_from("<H", head, 8)[0],
        struct.unpack_from("<I", head, 18)[0],
        *struct.unpack_from("<HH", head, 26),
    )
    start = 30 + name_len + extra_len
    if method != 0 or head[30 : 30 + name_len] != b"mimetype" or size > 100:
        return None
    return head[start : start + size]


def sniff(
    head: bytes, zip_names: set[str] | None, *, mimetype_entry: bytes | None = None
) -> str | None:
    """The real type of a file from its first bytes, or None when it is not accepted.

    `zip_names` are the entry names when the file is a readable ZIP (else None);
    `mimetype_entry` the content of its `mimetype` entry when the caller read it
    (otherwise it is looked for in `head`). Legacy Word and Excel files share one
    container (OLE2): both give `OLE2`, the extension tells them apart.
    Macro-enabled office files are refused.
    """
    if head.startswith(b"%PDF-"):
        return PDF
    if head.startswith(b"\xff\xd8\xff"):
        return JPEG
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return PNG
    if head.startswith(_OLE2_MAGIC):
        return OLE2
    if not head.startswith(_ZIP_MAGIC) or zip_names is None:
        return None
    if any(name.lower().endswith("vbaproject.bin") for name in zip_names):
        return None
    if "mimetype" in zip_names:
        declared = mimetype_entry if mimetype_entry is not None else _stored_mimetype(head)
        text = (declared or b"").strip().decode("ascii", "replace")
        return _ODF.get(text)
    word, excel = "word/document.xml" in zip_names, "xl/workbook.xml" in zip_names
    if word and not excel:
        return DOCX
    if excel and not word:
        return XLSX
    return None


def clean_file_name(name: str | None) -> str:
    """The name the user gave, without folders or control characters, ≤ 255 characters."""
    base = os.path.basename((name or "").replace("\\", "/"))
    base = "".join(ch for ch in unicodedata.normalize("NFC", base) if ch.isprintable()).strip()
    if len(base) > 255:
        stem, ext = os.path.splitext(base)
        base = stem[: 255 - len(ext)] + ext
    return base


def human_size(size: int) -> str:
    """1536 → "1,5 KB" (with the active language's decimal separator)."""
    value, unit = Decimal(size) / 1024, "KB"
    if value >= 1024:
        value, unit = value / 1024, "MB"
    rounded = value.quantize(Decimal("0.1"))
    places = 0 if rounded == rounded.to_integral_value() else 1
    return f"{formats.number_format(rounded, places)} {unit}"


def _limit_mb(limit: int) -> str:
    value = (Decimal(limit) / (1024 * 1024)).quantize(Decimal("0.01")).normalize()
    places = max(-value.as_tuple().exponent, 0)  # type: ignore[operator]
    return formats.number_format(value, places)


def _inspect(upload: Any) -> tuple[str, str, int]:
    """(original name, content type, size) of an acceptable upload; ValidationError otherwise."""
    name = clean_file_name(getattr(upload, "name", ""))
    size = int(getattr(upload, "size", 0) or 0)
    limit = int(settings.EVIDENCE_MAX_BYTES)
    if size <= 0:
        raise ValidationError(_("The file “%(name)s” is empty.") % {"name": name})
    if size > limit:
        raise ValidationError(
            _("The file “%(name)s” is %(size)s; a file may be at most %(limit)s MB.")
            % {"name": name, "size": human_size(size), "limit": _limit_mb(limit)}
        )
    ext = os.path.splitext(name)[1].lower()
    if ext not in EXTENSIONS:
        raise ValidationError(
            _(
                "“%(name)s” cannot be attached: only PDF, JPEG and PNG images, Word "
                "(.doc, .docx), Excel (.xls, .xlsx) and OpenDocument (.odt, .ods) "
                "files are accepted."
            )
            % {"name": name}
        )
    upload.seek(0)
    head = upload.read(HEAD_BYTES)
    zip_names, mimetype_entry = (
        _zip_contents(upload) if head.startswith(_ZIP_MAGIC) else (None, None)
    )
    upload.seek(0)
    found = sniff(head, zip_names, mimetype_entry=mimetype_entry)
    if found is None:
        raise ValidationError(
            _(
                "The content of “%(name)s” is not a PDF, an image, a Word, Excel or "
                "OpenDocument file. Save it in one of these formats and attach it again."
            )
            % {"name": name}
        )
    expected, content_type = EXTENSIONS[ext]
    if found != expected:
        raise ValidationError(
            _(
                "The file “%(name)s” is really %(found)s, which does not match its "
                "extension %(ext)s. Give it the right extension and attach it again."
            )
            % {"name": name, "found": _KIND_LABELS[found], "ext": ext}
        )
    return name, content_type, size


def _zip_contents(upload: IO[bytes]) -> tuple[set[str] | None, bytes | None]:
    upload.seek(0)
    try:
        with zipfile.ZipFile(upload) as archive:
            infos = archive.infolist()
            if len(infos) > _MAX_ZIP_ENTRIES:
                return None, None
            names = {info.filename for info in infos}
            mimetype = None
            if "mimetype" in names:
                with archive.open("mimetype") as entry:
                    mimetype = entry.read(100)
            return names, mimetype
    # zipfile raises NotImplementedError for compression methods it cannot
    # read, and RuntimeError for encrypted entries: such a file is not ours.
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, EOFError, ValueError,
            RuntimeError, NotImplementedError):  # fmt: skip
        return None, None
    finally:
        upload.seek(0)


# --- editing ----------------------------------------------------------------


def is_editable(figure: Figure, today: dt.date | None = None) -> bool:
    """Whether the figure's evidence may still change (same rule as its figures)."""
    submission = Submission.objects.filter(
        period_id=figure.period_id, assessed_id=figure.assessed_id
    ).first()
    reopenings = list(figure.period.reopenings.filter(unit_id=figure.assessed.unit_id))
    return can_edit(
        submission, figure.period, figure.assessed, today or timezone.localdate(), reopenings
    )


def _require_editable(figure: Figure) -> None:
    if not is_editable(figure):
        raise ValidationError(
            _("This period is closed for entries. Ask the standing office to reopen it.")
        )


def _save(evidence: Evidence, actor: User | None) -> Evidence:
    evidence._history_user = actor  # type: ignore[attr-defined]
    evidence.save()
    return evidence


def store_file(*, actor: User | None, figure: Figure, upload: Any) -> Evidence:
    """Check and store a file on the figure, whether or not the figure may still
    change: the caller decides (an answer to the council comes after acceptance)."""
    name, content_type, size = _inspect(upload)
    evidence = Evidence(
        figure=figure,
        kind=EvidenceKind.FILE,
        original_name=name,
        content_type=content_type,
        size=size,
        added_by=actor,
    )
    evidence.file.save(name, upload, save=False)  # upload_to generates the stored name
    try:
        return _save(evidence, actor)
    except Exception:
        evidence.file.storage.delete(evidence.file.name)
        raise


@transaction.atomic
def evidence_add_file(*, actor: User | None, figure: Figure, upload: Any) -> Evidence:
    """Attach a file; the caller has checked the permission. Nothing is stored on error."""
    _require_editable(figure)
    return store_file(actor=actor, figure=figure, upload=upload)


@transaction.atomic
def evidence_replace_file(*, actor: User | None, evidence: Evidence, upload: Any) -> Evidence:
    """A new version of a file; the old one stays, marked as replaced by the new one."""
    current = Evidence.objects.select_for_update().select_related("figure").get(pk=evidence.pk)
    if current.kind != EvidenceKind.FILE:
        raise ValidationError(_("Only a file can be replaced by another file."))
    if current.replaced_by_id is not None:
        raise ValidationError(
            _("This file has already been replaced by a newer version. Reload the page.")
        )
    figure = evidence.figure  # keeps the caller's loaded period and assessed unit
    _require_editable(figure)
    new = store_file(actor=actor, figure=figure, upload=upload)
    current.replaced_by = new
    _save(current, actor)
    evidence.replaced_by = new
    return new


@transaction.atomic
def evidence_add_link(*, actor: User | None, figure: Figure, url: str, note: str = "") -> Evidence:
    """A link to a web page (http or https only); the note says what it shows."""
    url = typed = (url or "").strip()
    if not url:
        raise ValidationError(_("Type the address of the page."))
    if "://" not in url:
        # "dichvucong.khanhhoa.gov.vn/..." as people copy it from the address bar.
        url = f"https://{url}"
    if len(url) > 500:
        raise ValidationError(_("The address is too long (at most 500 characters)."))
    try:
        URLValidator(schemes=["http", "https"])(url)
    except ValidationError as exc:
        raise ValidationError(
            _("“%(url)s” is not a web address starting with http:// or https://.")
            % {"url": Truncator(typed).chars(80)}
        ) from exc
    _require_editable(figure)
    evidence = Evidence(
        figure=figure, kind=EvidenceKind.LINK, url=url, doc_summary=note.strip(), added_by=actor
    )
    return _save(evidence, actor)


# Decree 30/2020/NĐ-CP: number, optional year, then the type and issuer
# abbreviations joined by "-" (27/KH-SKHCN, 30/2020/NĐ-CP, 123/UBND-VP).
# Abbreviations are capitals (with Đ and &), a final small letter is allowed
# for the usual TTg (Thủ tướng) and TTr (tờ trình). Party documents put the
# type before the slash: 57-NQ/TW.
_ABBR = r"[A-ZĐ](?:[A-ZĐ&]*[A-ZĐ])?[a-z]?"
_ABBRS = rf"{_ABBR}(?:-{_ABBR})*"
DOCUMENT_NUMBER = re.compile(
    rf"^(?:\d{{1,6}}(?:/(?:19|20)\d{{2}})?/{_ABBRS}|\d{{1,6}}-{_ABBR}/{_ABBRS})$"
)
_DASHES = str.maketrans({"–": "-", "—": "-", "‐": "-", "‑": "-", "Ð": "Đ"})


def normalize_document_number(text: str) -> str:
    """ "Số: 27/KH–SKHCN" (copied from a document) → "27/KH-SKHCN"; not validated."""
    value = unicodedata.normalize("NFC", (text or "").strip())
    value = re.sub(r"^số\s*:?\s*", "", value, flags=re.IGNORECASE)
    return value.translate(_DASHES).strip()


def validate_document_number(text: str) -> str:
    """The normalized number, or ValidationError with an example of the right form."""
    number = normalize_document_number(text)
    if not DOCUMENT_NUMBER.match(number):
        raise ValidationError(
            _(
                "“%(number)s” is not written like a document number: number, optional "
                "year, then the type and issuer abbreviations joined by “-”, without "
                "spaces, e.g. 27/KH-SKHCN or 30/2020/NĐ-CP."
            )
            % {"number": Truncator(text.strip()).chars(60)}
        )
    return number


@transaction.atomic
def evidence_add_document(
    *,
    actor: User | None,
    figure: Figure,
    number: str,
    date: dt.date | None,
    issuer: str = "",
    summary: str,
) -> Evidence:
    """Cite an official document while the figure may still change."""
    _require_editable(figure)
    return store_document(
        actor=actor, figure=figure, number=number, date=date, issuer=issuer, summary=summary
    )


def store_document(
    *,
    actor: User | None,
    figure: Figure,
    number: str,
    date: dt.date | None,
    issuer: str = "",
    summary: str,
) -> Evidence:
    """Cite an official document. The summary is required; the number, when
    given, must be well formed, and the date must not be in the future. A
    citation without number or date is kept, and the pre-check reports it.
    Like `store_file`, it leaves to the caller whether the figure may change."""
    errors: dict[str, list[str]] = {}
    clean_number = ""
    if (number or "").strip():
        try:
            clean_number = validate_document_number(number)
        except ValidationError as exc:
            errors["doc_number"] = exc.messages
    if date is not None and date > timezone.localdate():
        errors["doc_date"] = [_("The date of issue cannot be in the future.")]
    summary = (summary or "").strip()
    if not summary:
        errors["doc_summary"] = [_("Give the document's summary (trích yếu).")]
    issuer = (issuer or "").strip()
    if len(issuer) > 255:
        errors["doc_issuer"] = [_("The issuer's name is too long (at most 255 characters).")]
    if errors:
        raise ValidationError(errors)
    evidence = Evidence(
        figure=figure,
        kind=EvidenceKind.DOCUMENT,
        doc_number=clean_number,
        doc_date=date,
        doc_issuer=issuer,
        doc_summary=summary,
        added_by=actor,
    )
    return _save(evidence, actor)


@transaction.atomic
def evidence_remove(*, actor: User | None, evidence: Evidence) -> int:
    """Withdraw an item and its older versions; the history keeps the rows and
    the files stay on disk. Returns how many rows were removed."""
    if evidence.replaced_by_id is not None:
        raise ValidationError(_("Only the current version can be removed."))
    _require_editable(evidence.figure)
    chain, layer = [evidence.pk], [evidence.pk]
    while layer:
        layer = list(Evidence.objects.filter(replaced_by_id__in=layer).values_list("pk", flat=True))
        chain.extend(layer)
    removed = 0
    # Newest first: deleting an item must never turn an older version into a current one.
    for item in Evidence.objects.filter(pk__in=chain).order_by("-added_at", "-pk"):
        item._history_user = actor  # type: ignore[attr-defined]
        item.delete()
        removed += 1
    return removed


# --- pre-check before submission -------------------------------------------


@dataclass(frozen=True)
class Finding:
    indicator_code: str
    message: str


# Other apps add advice to the pre-check, e.g. appraisal: what the council
# corrected on the same indicator last year. An advisor takes (period,
# assessed unit) and returns Findings; advice is shown, it never blocks.
ADVISORS: list[Callable[[Period, AssessedUnit], list[Finding]]] = []


def advice(period: Period, assessed: AssessedUnit) -> list[Finding]:
    return [finding for advisor in ADVISORS for finding in advisor(period, assessed)]


def _document_label(item: Evidence) -> str:
    return item.doc_number or Truncator(item.doc_summary).chars(60) or _("(untitled document)")


def precheck(period: Period, assessed: AssessedUnit) -> list[Finding]:
    """Evidence problems in one unit's report for one period, in framework order.

    Looks at the current items only (not replaced versions): documents dated
    outside the cycle's year, one document cited twice for the same indicator,
    citations missing their number, date or summary, and indicators whose
    framework expects evidence but have none (those marked not applicable
    excepted). Three queries whatever the size of the framework.
    """
    year = period.cycle.year
    assignments = {
        a.indicator_id: a
        for a in Assignment.objects.filter(assessed=assessed).select_related("indicator")
    }
    figures = {
        f.indicator_id: f
        for f in Figure.objects.filter(period=period, assessed=assessed)
        .select_related("indicator")
        .prefetch_related(
            Prefetch(
                "evidence",
                queryset=Evidence.objects.filter(replaced_by__isnull=True),
                to_attr="current_evidence",
            )
        )
    }
    indicators = {a.indicator_id: a.indicator for a in assignments.values()}
    indicators.update({f.indicator_id: f.indicator for f in figures.values()})
    findings: list[Finding] = []
    for indicator in sorted(indicators.values(), key=lambda i: (i.order, i.code)):
        figure = figures.get(indicator.pk)
        if figure is not None and figure.not_applicable:
            continue
        items: list[Evidence] = figure.current_evidence if figure else []  # type: ignore[attr-defined]
        assignment = assignments.get(indicator.pk)
        expected = ((assignment.evidence if assignment else "") or indicator.evidence).strip()
        if expected and not items:
            findings.append(
                Finding(
                    indicator.code,
                    _("No evidence attached; the framework expects: %(expected)s")
                    % {"expected": Truncator(expected).chars(160)},
                )
            )
        findings.extend(Finding(indicator.code, m) for m in _document_problems(items, year))
        if figure is not None:
            findings.extend(
                Finding(indicator.code, m) for m in implausible(indicator, figure.values)
            )
    return findings


def _document_problems(items: list[Evidence], year: int) -> list[str]:
    problems: list[str] = []
    cited: dict[str, int] = defaultdict(int)
    for item in items:
        if item.kind != EvidenceKind.DOCUMENT:
            continue
        missing = [
            label
            for label, present in (
                (_("number"), item.doc_number.strip()),
                (_("date of issue"), item.doc_date),
                (_("summary"), item.doc_summary.strip()),
            )
            if not present
        ]
        if missing:
            problems.append(
                _("The citation of %(document)s lacks its %(missing)s.")
                % {"document": _document_label(item), "missing": ", ".join(missing)}
            )
        if item.doc_date and item.doc_date.year != year:
            problems.append(
                _(
                    "%(document)s is dated %(date)s, outside %(year)s, the year assessed: "
                    "check that it is still in force or cite a newer one."
                )
                % {
                    "document": _document_label(item),
                    "date": formats.date_format(item.doc_date, "SHORT_DATE_FORMAT"),
                    "year": year,
                }
            )
        if item.doc_number.strip():
            cited[normalize_document_number(item.doc_number).upper()] += 1
    problems.extend(
        _("Document %(number)s is cited %(times)s times for this indicator.")
        % {"number": number, "times": times}
        for number, times in cited.items()
        if times > 1
    )
    return problems
