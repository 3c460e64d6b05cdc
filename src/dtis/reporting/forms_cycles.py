"""Forms of the cycle and assignment screens (English labels, shown in Vietnamese)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django import forms
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from dtis.frameworks.models import Framework, Status
from dtis.orgs.forms import DATE_WIDGET, UnitChoiceField
from dtis.orgs.models import Unit, UnitKind
from dtis.reporting.models import AssessedUnit, Cycle, Period

# Peer groups are data (stored with the cycle), named as the provinces name them.
DEFAULT_PEER_GROUPS = {
    UnitKind.PROVINCE: "Tỉnh, thành phố",
    UnitKind.DEPARTMENT: "Sở, ban, ngành",
    UnitKind.DISTRICT: "Huyện, thị xã, thành phố",
    UnitKind.COMMUNE: "Xã, phường, đặc khu",
    UnitKind.AGENCY: "Cơ quan, đơn vị",
    UnitKind.OFFICE: "Phòng, đơn vị thuộc Sở",
    UnitKind.MINISTRY: "Bộ, ngành",
    UnitKind.NATION: "",
}

ASSESSED_KINDS = [UnitKind.DEPARTMENT, UnitKind.DISTRICT, UnitKind.COMMUNE, UnitKind.AGENCY,
                  UnitKind.OFFICE, UnitKind.PROVINCE]  # fmt: skip


class FrameworkChoiceField(forms.ModelChoiceField):  # type: ignore[type-arg]
    def label_from_instance(self, obj: Framework) -> str:
        return f"{obj.name} ({obj.label})"


class CycleChoiceField(forms.ModelChoiceField):  # type: ignore[type-arg]
    def label_from_instance(self, obj: Cycle) -> str:
        return f"{obj.name} ({obj.year})"


class UnitMultipleChoiceField(forms.ModelMultipleChoiceField):  # type: ignore[type-arg]
    def label_from_instance(self, obj: Unit) -> str:
        return f"{obj.name} ({obj.code})"


class CycleCreateForm(forms.Form):
    SELF = "self"
    KIND = "kind"

    framework = FrameworkChoiceField(
        label=_("Framework"),
        queryset=Framework.objects.none(),
        help_text=_("The version in force that year; the cycle keeps it for good."),
    )
    year = forms.IntegerField(
        label=_("Year"),
        min_value=2000,
        max_value=2100,
        help_text=_("The year assessed, e.g. 2026."),
    )
    name = forms.CharField(
        label=_("Name"),
        max_length=255,
        help_text=_("e.g. Đánh giá chuyển đổi số các sở, ban, ngành năm 2026"),
    )
    scope = UnitChoiceField(
        label=_("Run by the standing office of"),
        queryset=Unit.objects.none(),
        help_text=_("e.g. the province, whose Sở Khoa học và Công nghệ runs the cycle."),
    )
    assessed_mode = forms.ChoiceField(
        label=_("Assessed units"),
        choices=[
            (SELF, _("The unit itself (e.g. the province's own DTI)")),
            (KIND, _("All units of one type under it")),
        ],
        widget=forms.RadioSelect,
        initial=KIND,
        help_text=_("The unit itself for its own index, or e.g. all its departments."),
    )
    assessed_kind = forms.ChoiceField(
        label=_("Type of the assessed units"),
        choices=[(k.value, k.label) for k in ASSESSED_KINDS],
        initial=UnitKind.DEPARTMENT,
        required=False,
        help_text=_("Needed when all units of one type are assessed."),
    )
    peer_group = forms.CharField(
        label=_("Peer group"),
        max_length=100,
        required=False,
        help_text=_("Units are ranked within their peer group; empty: named after the type."),
    )
    unit_day = forms.IntegerField(
        label=_("Units report each quarter by day"),
        min_value=1,
        max_value=31,
        initial=25,
        help_text=_("of the quarter's last month"),
    )
    office_day = forms.IntegerField(
        label=_("The office reports each quarter by day"),
        min_value=1,
        max_value=31,
        initial=30,
        help_text=_("of the quarter's last month, on or after the units' day"),
    )
    year_unit_deadline = forms.DateField(
        label=_("Units' yearly report due"),
        required=False,
        widget=DATE_WIDGET,
        help_text=_("Empty: 20/12 of the year."),
    )
    year_office_deadline = forms.DateField(
        label=_("Office's yearly report due"),
        required=False,
        widget=DATE_WIDGET,
        help_text=_("Empty: five days after the units'."),
    )

    def __init__(self, *args: Any, scopes: QuerySet[Unit], **kw: Any):
        super().__init__(*args, **kw)
        self.fields["framework"].queryset = Framework.objects.filter(status=Status.ACTIVE).order_by(
            "code", "-version"
        )
        self.fields["scope"].queryset = scopes.order_by("tree_key")
        self.fields["year"].initial = timezone.localdate().year

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        if data.get("assessed_mode") == self.KIND and not data.get("assessed_kind"):
            self.add_error("assessed_kind", _("Choose the type of the assessed units."))
        unit_deadline = data.get("year_unit_deadline")
        office_deadline = data.get("year_office_deadline")
        if unit_deadline and office_deadline and office_deadline < unit_deadline:
            self.add_error(
                "year_office_deadline",
                _("The office's deadline cannot come before the units' deadline."),
            )
        year = data.get("year")
        for key in ("year_unit_deadline", "year_office_deadline"):
            day = data.get(key)
            if year and day and not year <= day.year <= year + 1:
                self.add_error(key, _("The date must fall in the cycle's year or the next."))
        return data

    def assessed_units(self) -> list[tuple[Unit, str]]:
        """The units to assess with their peer group (call after is_valid)."""
        data = self.cleaned_data
        scope: Unit = data["scope"]
        if data["assessed_mode"] == self.SELF:
            group = data["peer_group"].strip() or DEFAULT_PEER_GROUPS.get(scope.kind, "")
            return [(scope, group)]
        kind = data["assessed_kind"]
        group = data["peer_group"].strip() or DEFAULT_PEER_GROUPS.get(kind, "")
        year = data["year"]
        units = (
            Unit.objects.within(scope)
            .exclude(pk=scope.pk)
            .filter(kind=kind)
            # Units that exist at the year's end (a merged unit, not its predecessors).
            .active_on(dt.date(year, 12, 31))
            .order_by("sort_key")
        )
        return [(u, group) for u in units]


class PeriodDeadlinesForm(forms.Form):
    unit_deadline = forms.DateField(
        label=_("Units report by"),
        widget=DATE_WIDGET,
        help_text=_("The last day units may send this period's figures."),
    )
    office_deadline = forms.DateField(
        label=_("Office reports by"),
        widget=DATE_WIDGET,
        help_text=_("The last day the standing office sends the aggregate report up."),
    )

    def __init__(self, *args: Any, form_id: str = "", **kw: Any):
        super().__init__(*args, **kw)
        # The inputs sit in the periods table, outside the <form> element; the
        # hints are shown once, in the column headers (hint-unit_deadline…).
        for name, field in self.fields.items():
            field.widget.attrs.update(
                {"aria-label": str(field.label), "size": 10, "aria-describedby": f"hint-{name}"}
            )
            if form_id:
                field.widget.attrs["form"] = form_id

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        unit_deadline, office_deadline = data.get("unit_deadline"), data.get("office_deadline")
        if unit_deadline and office_deadline and office_deadline < unit_deadline:
            self.add_error(
                "office_deadline",
                _("The office's deadline cannot come before the units' deadline."),
            )
        return data


class PeriodChoiceField(forms.ModelChoiceField):  # type: ignore[type-arg]
    def label_from_instance(self, obj: Period) -> str:
        return str(obj.get_kind_display())


class ReopenForm(forms.Form):
    period = PeriodChoiceField(
        label=_("Period"),
        queryset=Period.objects.none(),
        help_text=_("The closed period the unit may report for again."),
    )
    unit = UnitChoiceField(
        label=_("Unit"),
        queryset=Unit.objects.none(),
        help_text=_("Only this unit may enter figures again; the others stay closed."),
    )
    until = forms.DateField(
        label=_("May report until"),
        widget=DATE_WIDGET,
        help_text=_("dd/mm/yyyy, e.g. 05/04/2026; after that day the period closes for it again."),
    )
    reason = forms.CharField(
        label=_("Reason"),
        max_length=500,
        help_text=_("Kept with the reopening, e.g. Công văn số 15/SNV-VP ngày 02/4/2026"),
    )

    def __init__(self, *args: Any, cycle: Cycle, units: QuerySet[Unit], **kw: Any):
        super().__init__(*args, **kw)
        self.fields["period"].queryset = cycle.periods.order_by("end", "-start")
        self.fields["unit"].queryset = units.order_by("tree_key")


class AssignmentForm(forms.Form):
    owner = UnitChoiceField(
        label=_("Lead unit"),
        queryset=Unit.objects.none(),
        help_text=_("The unit answerable for the indicator's result; it enters the figures."),
    )
    coordinators = UnitMultipleChoiceField(
        label=_("Coordinating units"),
        queryset=Unit.objects.none(),
        required=False,
        widget=forms.SelectMultiple(attrs={"size": 8}),
        help_text=_("Hold Ctrl (⌘ on a Mac) to choose several."),
    )
    coordinators_text = forms.CharField(
        label=_("Other coordinators"),
        max_length=500,
        required=False,
        help_text=_("Groups that name no single unit, e.g. Các sở, ban, ngành, địa phương"),
    )
    tasks = forms.CharField(
        label=_("Work to do"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("e.g. Ban hành kế hoạch chuyển đổi số năm 2026 của đơn vị"),
    )
    evidence = forms.CharField(
        label=_("Evidence expected"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Documents to attach, e.g. Quyết định kiện toàn Ban Chỉ đạo chuyển đổi số"),
    )
    due = forms.DateField(
        label=_("Due date"),
        required=False,
        widget=DATE_WIDGET,
        help_text=_("dd/mm/yyyy, e.g. 30/11/2026; may stay empty."),
    )

    def __init__(self, *args: Any, units: QuerySet[Unit], **kw: Any):
        super().__init__(*args, **kw)
        self.fields["owner"].queryset = units.order_by("tree_key")
        self.fields["coordinators"].queryset = units.order_by("tree_key")


class AssessedChoiceField(forms.ModelChoiceField):  # type: ignore[type-arg]
    def label_from_instance(self, obj: AssessedUnit) -> str:
        return obj.unit.name


class AssignmentImportForm(forms.Form):
    assessed = AssessedChoiceField(
        label=_("Assignments of"),
        queryset=AssessedUnit.objects.none(),
        empty_label=None,
        help_text=_("The assessed unit the table's rows are for."),
    )
    file = forms.FileField(
        label=_("CSV or Excel file"),
        help_text=_(
            "Columns: STT, Chỉ số, Điểm tối đa, Công việc thực hiện, Tài liệu kiểm chứng, "
            "Đơn vị chủ trì, Đơn vị phối hợp, Thời hạn (optional)."
        ),
        widget=forms.ClearableFileInput(attrs={"accept": ".csv,.xlsx"}),
    )

    def __init__(self, *args: Any, cycle: Cycle, **kw: Any):
        super().__init__(*args, **kw)
        self.fields["assessed"].queryset = cycle.assessed.select_related("unit").order_by(
            "unit__sort_key"
        )


class AssignmentCopyForm(forms.Form):
    source = CycleChoiceField(
        label=_("Copy from"),
        queryset=Cycle.objects.none(),
        help_text=_("An earlier cycle of the same standing office, e.g. last year's."),
    )

    def __init__(self, *args: Any, cycle: Cycle, **kw: Any):
        super().__init__(*args, **kw)
        self.fields["source"].queryset = (
            Cycle.objects.filter(scope=cycle.scope).exclude(pk=cycle.pk).order_by("-year", "name")
        )
