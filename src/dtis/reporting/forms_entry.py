"""Forms of the entry and review pages, built from an indicator's declared inputs.

Each input becomes a field named `in_<input name>`: yes/no as two radio
buttons, a level as a select, a count or an amount as text with a decimal
keyboard on phones. Numbers are shown Vietnamese style ("1.250.000", "12,5")
and accepted back the same way; `figures.clean_values` has the last word, so
a value the form lets through is the value that is saved.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from dtis.frameworks.models import Indicator
from dtis.orgs.models import Unit
from dtis.reporting.entry import input_number, normalize_number
from dtis.reporting.figures import clean_values
from dtis.reporting.models import Contribution, Figure
from dtis.scoring.rules import MANUAL_INPUT

YES, NO = "yes", "no"
PREFIX = "in_"


def _initial(spec: dict[str, Any], value: Any) -> Any:
    if value in (None, ""):
        return ""
    kind = spec.get("type", "number")
    if kind == "boolean":
        return YES if value is True else NO
    if kind == "choice":
        return str(value)
    return input_number(value)


class InputsForm(forms.Form):
    """The indicator's inputs as fields; `values` holds the cleaned inputs."""

    note = forms.CharField(
        label=gettext_lazy("Note"),
        required=False,
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=gettext_lazy(
            "Where the figures come from, e.g. Số liệu từ Cổng dịch vụ công quốc gia"
        ),
    )

    def __init__(
        self, indicator: Indicator, *args: Any, values: dict[str, Any] | None = None, **kwargs: Any
    ) -> None:
        kwargs.setdefault("auto_id", f"{self.id_prefix}{indicator.pk}_%s")
        super().__init__(*args, **kwargs)
        self.indicator = indicator
        self.values: dict[str, Any] = {}
        values = values or {}
        for spec in indicator.inputs:
            name = PREFIX + spec["name"]
            self.fields[name] = self._field(spec)
            self.fields[name].spec = spec  # type: ignore[attr-defined]
            if not self.is_bound:
                self.initial[name] = _initial(spec, values.get(spec["name"]))

    id_prefix = "f"

    def _field(self, spec: dict[str, Any]) -> forms.Field:
        label = str(spec.get("label") or spec["name"])
        rule = self.indicator.rule or {}
        if rule.get("kind") == "manual" and spec["name"] == rule.get("input", MANUAL_INPUT):
            # The framework's label is the council's ("points given by the
            # appraisal council"); what the unit types here is its own proposal.
            label = _("Points the unit gives itself (the appraisal council scores it)")
        kind = spec.get("type", "number")
        if kind == "boolean":
            return forms.ChoiceField(
                label=label,
                required=False,
                choices=[(YES, _("Yes")), (NO, _("No"))],
                widget=forms.RadioSelect,
            )
        if kind == "choice":
            choices = [
                (str(c["value"]), str(c.get("label") or c["value"]))
                for c in spec.get("choices", [])
            ]
            return forms.ChoiceField(label=label, required=False, choices=[("", "—"), *choices])
        return forms.CharField(
            label=label,
            required=False,
            max_length=40,
            widget=forms.TextInput(attrs={"inputmode": "decimal", "autocomplete": "off"}),
        )

    def input_fields(self) -> list[forms.BoundField]:
        return [self[PREFIX + spec["name"]] for spec in self.indicator.inputs]

    def raw_values(self) -> dict[str, Any]:
        """The typed inputs, numbers normalised; errors added to the fields."""
        raw: dict[str, Any] = {}
        for spec in self.indicator.inputs:
            name = PREFIX + spec["name"]
            value = self.cleaned_data.get(name, "")
            if value and spec.get("type", "number") not in ("boolean", "choice"):
                try:
                    value = normalize_number(value)
                except ValueError:
                    self.add_error(name, _("“%(value)s” is not a number") % {"value": value})
                    continue
            raw[spec["name"]] = value
        return raw

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        raw = self.raw_values()
        if self.errors:
            return data
        try:
            self.values = clean_values(self.indicator, raw)
        except ValidationError as exc:
            for name, messages in exc.message_dict.items():
                target = PREFIX + name if PREFIX + name in self.fields else None
                for message in messages:
                    self.add_error(target, message)
        return data


class FigureForm(InputsForm):
    """What the lead unit's reporter enters for one indicator."""

    not_applicable = forms.BooleanField(
        label=gettext_lazy("Not applicable to our unit"),
        required=False,
        help_text=gettext_lazy(
            "The indicator then counts in neither your points nor your maximum."
        ),
    )
    reason = forms.CharField(
        label=gettext_lazy("Reason for the change"),
        required=False,
        max_length=100,
        help_text=gettext_lazy("Kept in the figure's history, e.g. Bổ sung số liệu quý IV"),
    )
    version = forms.IntegerField(required=False, min_value=0, widget=forms.HiddenInput)

    def __init__(
        self, indicator: Indicator, *args: Any, figure: Figure | None = None, **kwargs: Any
    ) -> None:
        super().__init__(indicator, *args, values=figure.values if figure else None, **kwargs)
        if not self.is_bound:
            self.initial.update(
                {
                    "note": figure.note if figure else "",
                    "not_applicable": figure.not_applicable if figure else False,
                    "version": figure.version if figure else 0,
                }
            )


class ContributionForm(InputsForm):
    """A coordinating unit's part of an indicator."""

    id_prefix = "c"
    unit = forms.ModelChoiceField(
        label=gettext_lazy("On behalf of"),
        queryset=Unit.objects.none(),
        help_text=gettext_lazy("The coordinating unit whose part this is."),
    )

    def __init__(
        self,
        indicator: Indicator,
        units: list[Unit],
        *args: Any,
        contribution: Contribution | None = None,
        **kwargs: Any,
    ) -> None:
        super().__init__(
            indicator, *args, values=contribution.values if contribution else None, **kwargs
        )
        self.fields["unit"].queryset = Unit.objects.filter(pk__in=[u.pk for u in units])  # type: ignore[attr-defined]
        # The choices come from the units already loaded: no query to render them.
        self.fields["unit"].choices = [(u.pk, u.display_name) for u in units]  # type: ignore[attr-defined]
        if len(units) == 1:
            self.fields["unit"].widget = forms.HiddenInput()
        if not self.is_bound:
            self.initial["unit"] = (
                (contribution.unit_id if contribution else units[0].pk) if units else None
            )
            self.initial["note"] = contribution.note if contribution else ""


class ReturnForm(forms.Form):
    """The office's general comment when returning or accepting a report."""

    comment = forms.CharField(
        label=gettext_lazy("General comment"),
        required=False,
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=gettext_lazy(
            "What the unit must fix overall; notes on one indicator go in its row above."
        ),
    )


class SubmitForm(forms.Form):
    override_reason = forms.CharField(
        label=gettext_lazy("Reason to submit despite the findings"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=gettext_lazy(
            "Required while findings remain, e.g. Quyết định đang trình ký, bổ sung trước 20/12"
        ),
    )
