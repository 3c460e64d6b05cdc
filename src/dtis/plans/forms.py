"""Forms of the plan screens: draft, edit (wording and tasks), task progress."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django import forms
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from dtis.orgs.models import Unit
from dtis.plans.models import Plan, PlanTask, TaskStatus
from dtis.reporting.models import AssessedUnit


class AssessedChoice(forms.ModelChoiceField):
    def label_from_instance(self, obj: AssessedUnit) -> str:  # type: ignore[override]
        return obj.unit.name


class DraftForm(forms.Form):
    """Which published result the plan starts from, and what it aims at."""

    assessed = AssessedChoice(
        label=_("Result it starts from"),
        queryset=AssessedUnit.objects.none(),
        empty_label=None,
        help_text=_("A unit's published result; the plan covers the year after it."),
    )
    target_total = forms.DecimalField(
        label=_("Target total (points)"),
        required=False,
        min_value=Decimal("0.01"),
        max_digits=10,
        decimal_places=2,
        help_text=_("Leave empty to use the cycle's own target."),
    )
    target_rank = forms.IntegerField(
        label=_("Target rank"),
        required=False,
        min_value=1,
        max_value=1000,
        help_text=_("Among the peers whose results are published, e.g. 15."),
    )

    def __init__(self, *args: Any, choices: QuerySet[AssessedUnit], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["assessed"]
        field.queryset = choices  # type: ignore[attr-defined]
        # One group per cycle, newest first: the select reads "cycle → unit".
        groups: dict[str, list[tuple[int, str]]] = {}
        for a in choices:
            groups.setdefault(a.cycle.name, []).append((a.pk, a.unit.name))
        field.choices = list(groups.items())  # type: ignore[attr-defined]


class PlanForm(forms.ModelForm):
    """The plan's wording, as the official document prints it. `version` is
    the plan's last change as the form saw it: a save over someone else's
    newer change is refused rather than overwriting it."""

    version = forms.CharField(widget=forms.HiddenInput)

    class Meta:
        model = Plan
        fields = [
            "title",
            "number",
            "place",
            "issued_on",
            "purpose",
            "requirements",
            "targets_text",
            "organisation",
            "recipients",
            "signer_title",
            "signer_name",
        ]
        widgets = {
            "issued_on": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "title": forms.Textarea(attrs={"rows": 2}),
            "purpose": forms.Textarea(attrs={"rows": 5}),
            "requirements": forms.Textarea(attrs={"rows": 5}),
            "targets_text": forms.Textarea(attrs={"rows": 5}),
            "organisation": forms.Textarea(attrs={"rows": 8}),
            "recipients": forms.Textarea(attrs={"rows": 5}),
            # Printed one line under the other ("KT. GIÁM ĐỐC" / "PHÓ GIÁM ĐỐC"):
            # a one-line input would run the lines together.
            "signer_title": forms.Textarea(attrs={"rows": 3}),
        }
        help_texts = {
            "title": _("What the plan is about, e.g. Nâng cao Chỉ số DTI của Sở Nội vụ năm 2026"),
            "number": _("Given when the plan is issued, e.g. 27/KH-SNV; keep “…” until then."),
            "place": _("The place printed before the date, e.g. Khánh Hòa"),
            "issued_on": _("The signing date, e.g. 15/01/2026; may stay empty in a draft."),
            "purpose": _("Why the plan is made; one paragraph a line."),
            "requirements": _("What the units must do and report, and when; one paragraph a line."),
            "targets_text": _("One target a line starting with “-”, e.g. - Đạt từ 430/500 điểm"),
            "organisation": _("Who does what: standing office, lead and coordinating units."),
            "recipients": _("One a line, e.g. UBND tỉnh (b/c); the last one: Lưu: VT, VP"),
            "signer_title": _("One line each, e.g. KT. GIÁM ĐỐC then PHÓ GIÁM ĐỐC"),
            "signer_name": _("The person who signs, e.g. Nguyễn Văn An"),
        }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if not self.is_bound:
            self.initial["version"] = version_of(self.instance)

    def clean_version(self) -> str:
        seen = self.cleaned_data["version"]
        if seen != version_of(self.instance):
            raise forms.ValidationError(
                _("Someone changed this plan after you opened it. Open it again to see the change.")
            )
        return str(seen)


def version_of(plan: Plan) -> str:
    return plan.updated_at.isoformat() if plan.updated_at else ""


class TaskForm(forms.ModelForm):
    """One task of a draft: the work, its lead unit, coordinators, evidence,
    deadline and effort."""

    class Meta:
        model = PlanTask
        fields = ["tasks", "owner", "coordinators", "evidence_expected", "deadline", "effort"]
        widgets = {
            "tasks": forms.Textarea(attrs={"rows": 3}),
            "coordinators": forms.Textarea(attrs={"rows": 2}),
            "evidence_expected": forms.Textarea(attrs={"rows": 2}),
            "deadline": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        }
        help_texts = {
            "tasks": _("What the lead unit will do to win the points back, one task a line."),
            "owner": _("The unit answerable for the indicator's points; it reports progress."),
            "coordinators": _("Units that supply data or documents, one a line."),
            "evidence_expected": _("Documents that will prove the work, e.g. Quyết định, Kế hoạch"),
            "deadline": _("e.g. 30/06/2026; the lead unit is reminded before it."),
            "effort": _("Sets the priority: most points won back per effort first."),
        }

    def __init__(self, *args: Any, units: list[Unit] | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        owner = self.fields["owner"]
        if units is not None:
            # The choices are drawn once for the whole formset (no query per row).
            owner.choices = [("", "—"), *((u.pk, u.name) for u in units)]  # type: ignore[attr-defined]
            owner.queryset = Unit.objects.filter(pk__in=[u.pk for u in units])  # type: ignore[attr-defined]


TaskFormSet = forms.modelformset_factory(PlanTask, form=TaskForm, extra=0, can_delete=False)


class ProgressForm(forms.ModelForm):
    """A task's progress, as its lead unit reports it each quarter."""

    class Meta:
        model = PlanTask
        fields = ["status", "progress", "evidence", "notes"]
        widgets = {
            "evidence": forms.Textarea(attrs={"rows": 3}),
            "notes": forms.Textarea(attrs={"rows": 3}),
        }
        labels = {"evidence": _("Evidence provided")}
        help_texts = {
            "progress": _("0 to 100; 100 only when the task is done."),
            "evidence": _("Links or references of the documents that prove the work, one a line."),
            "notes": _("Difficulties or help needed, for the standing office to read."),
        }

    status = forms.ChoiceField(
        label=_("Status"),
        choices=TaskStatus.choices,
        help_text=_("“Evidence to add”: the work is done but its documents are missing."),
    )
