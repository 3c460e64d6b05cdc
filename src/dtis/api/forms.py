"""The form an administrator fills in to issue a token to another system."""

from __future__ import annotations

import re
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from dtis.api.clients import clean_indicator_codes
from dtis.orgs.models import Unit


class UnitChoice(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj: Unit) -> str:  # type: ignore[override]
        return f"{'— ' * max(obj.depth - 1, 0)}{obj.name} ({obj.code})"


class ClientForm(forms.Form):
    name = forms.CharField(
        label=_("Name of the system"),
        max_length=150,
        help_text=_("E.g. Hệ thống thông tin giải quyết TTHC tỉnh Khánh Hòa"),
    )
    units = UnitChoice(
        label=_("Units it writes figures for"),
        queryset=Unit.objects.none(),
        widget=forms.SelectMultiple(attrs={"size": 12}),
        help_text=_("A unit also covers the units below it. Hold Ctrl to choose several."),
    )
    indicator_codes = forms.CharField(
        label=_("Only these indicators (optional)"),
        required=False,
        max_length=1000,
        help_text=_("Indicator codes separated by commas, e.g. 6.4, 6.5; empty: every indicator."),
    )

    def __init__(self, *args: Any, units: QuerySet[Unit], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["units"].queryset = units.order_by("tree_key")  # type: ignore[attr-defined]

    def clean_indicator_codes(self) -> list[str]:
        text = self.cleaned_data.get("indicator_codes") or ""
        codes = clean_indicator_codes(re.split(r"[,;\s]+", text))
        for code in codes:
            if not re.fullmatch(r"[0-9A-Za-z][0-9A-Za-z.\-_]*", code):
                raise ValidationError(
                    _("“%(code)s” is not an indicator code such as 6.4."), params={"code": code}
                )
        return codes
