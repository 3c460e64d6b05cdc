"""Forms of the framework screens: labels and messages in translatable
English, shown in Vietnamese. Numbers are localized (12,5 in Vietnamese)."""

from __future__ import annotations

import json
from decimal import Decimal
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from dtis.frameworks.describe import RULE_KIND_LABELS
from dtis.frameworks.models import Framework, Indicator
from dtis.orgs.forms import UnitChoiceField
from dtis.orgs.models import Unit
from dtis.scoring.rules import RULE_KINDS

MONO = {"class": "mono", "spellcheck": "false"}


class FrameworkChoiceField(forms.ModelChoiceField):  # type: ignore[type-arg]
    def label_from_instance(self, obj: Framework) -> str:
        return f"{obj.code} v{obj.version} — {obj.name} ({obj.get_status_display()})"


def frameworks_for_choice() -> QuerySet[Framework]:
    return Framework.objects.order_by("code", "-version")


def _json(text: str, what: type) -> Any:
    """Parse a JSON text area; a readable error with line and column otherwise."""
    text = (text or "").strip()
    if not text:
        return what()
    try:
        value = json.loads(text)
    except json.JSONDecodeError as exc:
        raise ValidationError(
            _("This is not valid JSON: %(reason)s (line %(line)s, column %(column)s).")
            % {"reason": exc.msg, "line": exc.lineno, "column": exc.colno}
        ) from exc
    if not isinstance(value, what):
        raise ValidationError(
            _('Write a JSON object: {"name": value, …}.')
            if what is dict
            else _("Write a JSON list: [{…}, {…}].")
        )
    return value


class IndicatorForm(forms.Form):
    """One indicator of a draft. For an indicator with children the rule,
    inputs and maximum are not editable: it is scored as their sum."""

    name = forms.CharField(
        label=_("Name"),
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("As in the framework decision, e.g. Tỷ lệ hồ sơ xử lý trực tuyến toàn trình"),
    )
    max_points = forms.DecimalField(
        label=_("Max points"),
        min_value=Decimal(0),
        max_digits=8,
        decimal_places=2,
        localize=True,
        help_text=_("The parents' maximum changes with it."),
    )
    rule_kind = forms.ChoiceField(
        label=_("Scoring rule"),
        required=False,
        help_text=_("How the inputs become points, e.g. Ratio with a target for ≥ 80 %."),
    )
    rule_params = forms.CharField(
        label=_("Rule parameters (JSON)"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 5, **MONO}),
        help_text=_('e.g. {"numerator": "so_ho_so_truc_tuyen", "denominator": "tong_so_ho_so"}'),
    )
    inputs = forms.CharField(
        label=_("Inputs the unit enters (JSON)"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 6, **MONO}),
        help_text=_(
            'A list, e.g. [{"name": "tong_so_ho_so", "label": "Tổng số hồ sơ", '
            '"type": "integer", "unit": "hồ sơ"}]. Types: boolean, number, integer, choice.'
        ),
    )
    guidance = forms.CharField(
        label=_("Guidance"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Shown to units as they enter figures: what to count and over which dates."),
    )
    evidence = forms.CharField(
        label=_("Evidence expected"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Documents the units attach, e.g. Quyết định, Kế hoạch, ảnh chụp màn hình"),
    )
    tasks = forms.CharField(
        label=_("Work to do"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("What the lead unit must do to earn the points."),
    )
    lead_unit = forms.CharField(
        label=_("Lead unit"),
        max_length=255,
        required=False,
        help_text=_("As the assignment table names it, e.g. Sở Nội vụ"),
    )
    coordinating_units = forms.CharField(
        label=_("Coordinating units"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("One unit per line."),
    )
    auto_measurable = forms.BooleanField(
        label=_("Measured automatically"),
        required=False,
        help_text=_(
            "Tick when a system supplies the figure, e.g. the national public service portal."
        ),
    )

    def __init__(self, *args: Any, is_parent: bool = False, **kw: Any) -> None:
        super().__init__(*args, **kw)
        self.is_parent = is_parent
        self.fields["rule_kind"].choices = [
            ("", _("— none (sum of the component indicators) —")),
            *((kind, RULE_KIND_LABELS[kind]) for kind in RULE_KINDS),
        ]
        if is_parent:
            for name in ("max_points", "rule_kind", "rule_params", "inputs"):
                self.fields[name].disabled = True
            self.fields["max_points"].help_text = _("The sum of the component indicators.")

    @classmethod
    def initial_for(cls, ind: Indicator) -> dict[str, Any]:
        rule = dict(ind.rule or {})
        kind = rule.pop("kind", "")
        # One input per line: long Vietnamese labels stay readable.
        inputs = ",\n ".join(json.dumps(i, ensure_ascii=False) for i in ind.inputs)
        return {
            "name": ind.name,
            "max_points": Decimal(format(ind.max_points.normalize(), "f")),  # 10, not 10.00
            "rule_kind": kind,
            "rule_params": json.dumps(rule, ensure_ascii=False) if rule else "",
            "inputs": f"[{inputs}]" if ind.inputs else "",
            "guidance": ind.guidance,
            "evidence": ind.evidence,
            "tasks": ind.tasks,
            "lead_unit": ind.lead_unit,
            "coordinating_units": "\n".join(ind.coordinating_units),
            "auto_measurable": ind.auto_measurable,
        }

    def clean_name(self) -> str:
        name: str = self.cleaned_data["name"].strip()
        if not name:
            raise ValidationError(_("Enter the indicator's name."))
        return name

    def clean_rule_params(self) -> dict[str, Any]:
        params: dict[str, Any] = _json(self.cleaned_data["rule_params"], dict)
        params.pop("kind", None)  # the select decides the kind
        return params

    def clean_inputs(self) -> list[dict[str, Any]]:
        inputs: list[Any] = _json(self.cleaned_data["inputs"], list)
        for position, item in enumerate(inputs, start=1):
            if not isinstance(item, dict) or not str(item.get("name") or "").isidentifier():
                raise ValidationError(
                    _("Input %(n)s needs a “name” made of letters, digits and _.") % {"n": position}
                )
        return inputs

    def clean_coordinating_units(self) -> list[str]:
        lines = self.cleaned_data["coordinating_units"].splitlines()
        return [line.strip() for line in lines if line.strip()]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        kind = data.get("rule_kind") or ""
        params = data.get("rule_params")
        if not self.is_parent and not kind and params:
            self.add_error("rule_kind", _("Choose the kind of rule these parameters belong to."))
        data["rule"] = {"kind": kind, **(params or {})} if kind else None
        return data


class BandForm(forms.Form):
    name = forms.CharField(
        label=_("Band"),
        max_length=100,
        required=False,
        # The hints are shown once, in the column headers of the bands table.
        widget=forms.TextInput(attrs={"aria-label": _("Band"), "aria-describedby": "hint-name"}),
        help_text=_("e.g. Tốt"),
    )
    min_percent = forms.DecimalField(
        label=_("Threshold (percent of the maximum)"),
        required=False,
        min_value=Decimal(0),
        max_value=Decimal(100),
        max_digits=5,
        decimal_places=2,
        localize=True,
        widget=forms.TextInput(
            attrs={
                "aria-label": _("Threshold (percent of the maximum)"),
                "aria-describedby": "hint-min_percent",
            }
        ),
        help_text=_("The lowest result in this band, e.g. 80 for 80 %"),
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        name = (data.get("name") or "").strip()
        data["name"] = name
        if name and data.get("min_percent") is None and "min_percent" not in self.errors:
            self.add_error("min_percent", _("Enter the lowest percentage of this band."))
        if not name and data.get("min_percent") is not None:
            self.add_error("name", _("Name the band."))
        return data


class BaseBandFormSet(forms.BaseFormSet):  # type: ignore[type-arg]
    def clean(self) -> None:
        if any(self.errors):
            return
        bands = self.bands()
        if not bands:
            raise ValidationError(_("Enter at least one band."))
        names = [b["name"] for b in bands]
        if len(set(names)) != len(names):
            raise ValidationError(_("Each band needs its own name."))
        percents = [b["min_percent"] for b in bands]
        if percents != sorted(percents, reverse=True) or len(set(percents)) != len(percents):
            raise ValidationError(
                _("List the bands from the highest threshold down, each threshold lower "
                  "than the one above it.")
            )  # fmt: skip

    def bands(self) -> list[dict[str, Any]]:
        """The filled rows, in the order entered (empty rows are dropped)."""
        return [
            {"name": f.cleaned_data["name"], "min_percent": f.cleaned_data["min_percent"]}
            for f in self.forms
            if f.cleaned_data.get("name")
        ]


BandFormSet = forms.formset_factory(BandForm, formset=BaseBandFormSet, extra=2, max_num=12)


class FrameworkImportForm(forms.Form):
    file = forms.FileField(
        label=_("Framework file"),
        help_text=_("YAML, JSON or Excel (.xlsx) in the DTIS framework layout."),
        widget=forms.ClearableFileInput(attrs={"accept": ".yaml,.yml,.json,.xlsx"}),
    )
    owner = UnitChoiceField(
        label=_("Maintained by"),
        queryset=Unit.objects.none(),
        required=False,
        help_text=_("The unit whose standing office maintains this framework."),
    )

    def __init__(self, *args: Any, owners: QuerySet[Unit], national: bool, **kw: Any) -> None:
        super().__init__(*args, **kw)
        field = self.fields["owner"]
        field.queryset = owners.order_by("tree_key")
        field.required = not national
        field.empty_label = _("National framework (no owner)") if national else "—"


class PublishedImportForm(forms.Form):
    framework = FrameworkChoiceField(
        label=_("Framework"),
        queryset=frameworks_for_choice(),
        help_text=_("The one the results were computed with, e.g. 405/QĐ-BKHCN for 2025."),
    )
    year = forms.IntegerField(
        label=_("Year"),
        min_value=2000,
        max_value=2100,
        help_text=_("The year assessed, not the year published, e.g. 2024."),
    )
    file = forms.FileField(
        label=_("CSV or Excel file"),
        help_text=_(
            "One row per unit: Đơn vị, Năm, one column per main indicator (its code or name) "
            "with the index value 0…1, Chỉ số DTI, Xếp hạng."
        ),
        widget=forms.ClearableFileInput(attrs={"accept": ".csv,.xlsx"}),
    )


class CompareForm(forms.Form):
    a = FrameworkChoiceField(
        label=_("Older version"),
        queryset=frameworks_for_choice(),
        required=False,
        help_text=_("e.g. the provincial framework of 2022 (922/QĐ-BTTTT)"),
    )
    b = FrameworkChoiceField(
        label=_("Newer version"),
        queryset=frameworks_for_choice(),
        required=False,
        help_text=_("e.g. the one that replaced it in 2025 (405/QĐ-BKHCN)"),
    )
