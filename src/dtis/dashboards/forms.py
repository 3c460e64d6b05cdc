"""The form the standing office sets a cycle's targets with."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from dtis.dashboards.models import Target, TargetKind


class TargetForm(forms.ModelForm):
    class Meta:
        model = Target
        fields = ["kind", "value", "top", "indicator", "label", "order"]
        help_texts = {
            "kind": _("What the target measures; the threshold is read in its terms."),
            "value": _("Points (e.g. 800), an index 0…1 (e.g. 0,8), a rank (e.g. 20) or a count."),
            "top": _("Only for main indicators in the top n, e.g. 10."),
            "indicator": _("Only for an indicator figure: its code, e.g. 6.4."),
            "label": _("e.g. Thuộc nhóm 20 tỉnh, thành phố dẫn đầu cả nước"),
            "order": _("Targets are listed by this number, smallest first."),
        }

    def __init__(self, *args: Any, codes: set[str] | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.codes = codes or set()

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        kind, value = data.get("kind"), data.get("value")
        if value is not None and value < 0:
            self.add_error("value", _("The threshold cannot be negative."))
        if kind == TargetKind.INDEX and value is not None and value > 1:
            self.add_error("value", _("An index lies between 0 and 1, e.g. 0,8."))
        if kind in (TargetKind.RANK,) and value is not None and value < 1:
            self.add_error("value", _("A rank starts at 1."))
        if kind == TargetKind.MAINS_IN_TOP and not data.get("top"):
            self.add_error("top", _("Say which top n the main indicators must reach."))
        if kind == TargetKind.FIGURE:
            code = (data.get("indicator") or "").strip()
            if not code:
                self.add_error("indicator", _("Give the code of the indicator."))
            elif self.codes and code not in self.codes:
                self.add_error("indicator", _("No indicator with this code in the framework."))
        return data
