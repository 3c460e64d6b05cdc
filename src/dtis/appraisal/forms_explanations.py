"""The unit's answer to an explanation request: text, files, and optionally
the official document it cites.

The form checks only what a form can (the text is there, the date reads as
a date, not too many files); `decisions.explanation_answer` checks the files
by their content and the citation as evidence uploads do, and stores all or
nothing.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from dtis.appraisal.decisions import MAX_TEXT
from dtis.reporting.evidence import ACCEPT

MAX_FILES = 10


class MultipleFileInput(forms.FileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """Several files from one input; an empty list when none was chosen."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("widget", MultipleFileInput(attrs={"accept": ACCEPT}))
        super().__init__(*args, **kwargs)

    def clean(self, data: Any, initial: Any = None) -> list[Any]:
        uploads = data if isinstance(data, list | tuple) else [data]
        single = super().clean
        return [f for f in (single(upload, initial) for upload in uploads if upload) if f]


class AnswerForm(forms.Form):
    answer = forms.CharField(
        label=_("Your explanation"),
        max_length=MAX_TEXT,
        widget=forms.Textarea(attrs={"rows": 6}),
        error_messages={"required": _("Write your explanation.")},
        help_text=_("Answer each point of the request; attach or cite the documents below."),
    )
    attachments = MultipleFileField(
        label=_("Files"),
        required=False,
        help_text=_(
            "PDF, JPEG or PNG images, Word, Excel or OpenDocument files; "
            "you can choose several at once."
        ),
    )
    doc_number = forms.CharField(
        label=_("Document number"),
        required=False,
        max_length=100,
        widget=forms.TextInput(attrs={"placeholder": "27/KH-SKHCN", "autocomplete": "off"}),
        help_text=_("Number and symbol as printed, e.g. 12/QĐ-UBND"),
    )
    doc_date = forms.DateField(
        label=_("Issued on"),
        required=False,
        input_formats=["%d/%m/%Y", "%Y-%m-%d"],
        widget=forms.TextInput(
            attrs={"placeholder": "dd/mm/yyyy", "inputmode": "numeric", "autocomplete": "off"}
        ),
        error_messages={"invalid": _("Type the date as dd/mm/yyyy, e.g. 21/03/2025.")},
        help_text=_("dd/mm/yyyy, e.g. 21/03/2025"),
    )
    doc_issuer = forms.CharField(
        label=_("Issued by"),
        required=False,
        max_length=255,
        help_text=_("The body that signed it, e.g. Ủy ban nhân dân tỉnh Khánh Hòa"),
    )
    doc_summary = forms.CharField(
        label=_("Summary"),
        required=False,
        max_length=MAX_TEXT,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("The summary line (trích yếu) in full, e.g. Về việc triển khai chuyển đổi số"),
    )

    DOCUMENT_FIELDS = ("doc_number", "doc_date", "doc_issuer", "doc_summary")

    def clean_attachments(self) -> list[Any]:
        files: list[Any] = self.cleaned_data.get("attachments") or []
        if len(files) > MAX_FILES:
            raise forms.ValidationError(
                _("Attach at most %(n)s files to one answer.") % {"n": MAX_FILES}
            )
        return files

    def documents(self) -> list[dict[str, Any]]:
        """The cited document for the service, when any of its fields was filled in."""
        data = self.cleaned_data
        if not any(data.get(name) for name in self.DOCUMENT_FIELDS):
            return []
        date: dt.date | None = data.get("doc_date")
        return [
            {
                "number": data.get("doc_number", ""),
                "date": date,
                "issuer": data.get("doc_issuer", ""),
                "summary": data.get("doc_summary", ""),
            }
        ]
