"""`dtis guide export --format docx|pdf --output FILE [--lang vi|en] [--json]`

The user guide as one handout for a training session: a DOCX, or a PDF made
from it by LibreOffice (which must be installed: `apt-get install
libreoffice-writer`). Bad input stops with a clear message before anything is
written.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from dtis.guide import content, handout

FORMATS = ("docx", "pdf")


class Command(BaseCommand):
    help = "Export the user guide as a DOCX or PDF handout."

    def add_arguments(self, parser: Any) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        e = sub.add_parser("export", help="The whole guide as one DOCX or PDF file.")
        e.add_argument("--format", required=True, help="docx or pdf")
        e.add_argument("--output", required=True, help="the file to write")
        e.add_argument("--lang", default=content.REFERENCE_LANG, help="vi (default) or en")
        e.add_argument("--json", action="store_true", help="print the result as JSON")

    def handle(self, *args: Any, **options: Any) -> None:
        fmt = str(options["format"]).lower().lstrip(".")
        if fmt not in FORMATS:
            raise CommandError(
                _("The format must be docx or pdf, not %(format)s.") % {"format": fmt}
            )
        lang = str(options["lang"]).lower()
        if lang not in content.LANGS:
            raise CommandError(_("The language must be vi or en, not %(lang)s.") % {"lang": lang})
        out = Path(options["output"])
        if not out.parent.is_dir():
            raise CommandError(_("The folder %(dir)s does not exist.") % {"dir": out.parent})
        if not content.chapters(lang):
            raise CommandError(
                _("The guide has no chapters in %(dir)s.") % {"dir": content.content_dir()}
            )
        try:
            made = handout.docx(lang) if fmt == "docx" else handout.pdf(lang)
        except handout.PdfUnavailable as exc:
            raise CommandError(str(exc)) from exc
        out.write_bytes(made.data)
        if options["json"]:
            summary = {
                "file": str(out),
                "format": fmt,
                "lang": lang,
                "bytes": len(made.data),
                "chapters": made.chapters,
                "images": made.images,
            }
            self.stdout.write(json.dumps(summary, ensure_ascii=False))
        else:
            self.stdout.write(
                _("Written to %(file)s: %(chapters)s chapters, %(images)s pictures.")
                % {"file": out, "chapters": made.chapters, "images": made.images}
            )
