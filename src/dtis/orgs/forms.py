"""Forms: labels and hints in translatable English, shown in Vietnamese."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib.auth.forms import AuthenticationForm
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from dtis.orgs.accounts import BULK_ROLES
from dtis.orgs.models import Role, Unit, UnitKind

DATE_WIDGET = forms.DateInput(format="%d/%m/%Y", attrs={"placeholder": "dd/mm/yyyy"})


class LoginForm(AuthenticationForm):
    username = forms.CharField(
        label=_("Username or e-mail"),
        max_length=254,
        help_text=_("The username the standing office gave you, e.g. nguyen.van.an."),
        widget=forms.TextInput(attrs={"autofocus": True, "autocomplete": "username"}),
    )
    error_messages = {
        "invalid_login": _(
            "Wrong username/e-mail or password. Check the spelling and that Caps Lock is off."
        ),
        "inactive": _("This account is locked. Contact the standing office."),
    }


class CodeForm(forms.Form):
    """A code from the authenticator app, or one of the backup codes."""

    code = forms.CharField(
        label=_("Code"),
        max_length=20,
        help_text=_("The 6 digits your authenticator app shows now, or one of your backup codes."),
        widget=forms.TextInput(
            attrs={
                "autofocus": True,
                "autocomplete": "one-time-code",
                "inputmode": "numeric",
                "spellcheck": "false",
                "class": "code-input",
            }
        ),
    )


class UnitChoiceField(forms.ModelChoiceField):  # type: ignore[type-arg]
    def label_from_instance(self, obj: Unit) -> str:
        indent = "\u2003" * max(obj.depth - 1, 0)
        return f"{indent}{obj.name} ({obj.code})"


class UnitForm(forms.Form):
    code = forms.CharField(
        label=_("Code"),
        max_length=40,
        help_text=_("Capital letters, digits and “-”, unique, e.g. KHH-SNV. Cannot change later."),
    )
    name = forms.CharField(
        label=_("Full name"),
        max_length=255,
        help_text=_("As in the founding decision, e.g. Sở Khoa học và Công nghệ tỉnh Khánh Hòa"),
    )
    short_name = forms.CharField(
        label=_("Short name"), max_length=100, required=False, help_text=_("e.g. Sở Nội vụ")
    )
    kind = forms.ChoiceField(
        label=_("Type"),
        choices=UnitKind.choices,
        help_text=_("Units are ranked among units of the same type, e.g. communes among communes."),
    )
    parent = UnitChoiceField(
        label=_("Parent unit"),
        queryset=Unit.objects.none(),
        required=False,
        help_text=_("The unit directly above, e.g. the province for a department."),
    )
    valid_from = forms.DateField(
        label=_("Valid from"),
        required=False,
        widget=DATE_WIDGET,
        help_text=_("dd/mm/yyyy, e.g. 01/07/2025 for a commune formed by a merger; may be empty."),
    )
    valid_to = forms.DateField(
        label=_("Valid until"),
        required=False,
        widget=DATE_WIDGET,
        help_text=_("Set when the unit is merged or dissolved; its history stays."),
    )
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args: Any, parents: QuerySet[Unit], editing: bool = False, **kw: Any):
        super().__init__(*args, **kw)
        self.fields["parent"].queryset = parents.order_by("tree_key")
        if editing:
            self.fields["code"].disabled = True
            self.fields["code"].help_text = ""


class UnitImportForm(forms.Form):
    file = forms.FileField(
        label=_("CSV or Excel file"),
        help_text=_("Columns: Mã đơn vị, Tên đầy đủ, Tên viết tắt, Loại, Mã đơn vị cấp trên, "
                    "Hiệu lực từ, Hiệu lực đến."),
        widget=forms.ClearableFileInput(attrs={"accept": ".csv,.xlsx"}),
    )  # fmt: skip


ROLE_HINT = _("A reporter enters figures, the unit head submits them, a viewer only reads.")
UNIT_HINT = _("A reporter acts for this unit only; other roles also cover the units below it.")


class UserForm(forms.Form):
    full_name = forms.CharField(
        label=_("Full name"),
        max_length=150,
        help_text=_("With full diacritics, e.g. Nguyễn Thị Hoa"),
    )
    email = forms.EmailField(
        label=_("E-mail"),
        required=False,
        help_text=_("A work address for signing in and reminders, e.g. hoant@khanhhoa.gov.vn"),
    )
    position = forms.CharField(
        label=_("Position"), max_length=150, required=False, help_text=_("e.g. Chuyên viên")
    )
    phone = forms.CharField(
        label=_("Phone"),
        max_length=30,
        required=False,
        help_text=_("A number the standing office can call, e.g. 0258 3822 123"),
    )


class UserCreateForm(UserForm):
    username = forms.CharField(
        label=_("Username"),
        max_length=150,
        help_text=_("Lower-case letters, digits, “.”, “_” or “-”, e.g. nguyen.van.an"),
    )
    role = forms.ChoiceField(label=_("Role"), choices=Role.choices, help_text=ROLE_HINT)
    unit = UnitChoiceField(label=_("On unit"), queryset=Unit.objects.none(), help_text=UNIT_HINT)

    field_order = ["username", "full_name", "email", "position", "phone", "role", "unit"]

    def __init__(self, *args: Any, units: QuerySet[Unit], **kw: Any):
        super().__init__(*args, **kw)
        self.fields["unit"].queryset = units.order_by("tree_key")


class RoleGrantForm(forms.Form):
    role = forms.ChoiceField(label=_("Role"), choices=Role.choices, help_text=ROLE_HINT)
    unit = UnitChoiceField(label=_("On unit"), queryset=Unit.objects.none(), help_text=UNIT_HINT)

    def __init__(self, *args: Any, units: QuerySet[Unit], **kw: Any):
        super().__init__(*args, **kw)
        self.fields["unit"].queryset = units.order_by("tree_key")


# Units that report for themselves; nation, ministry and province accounts are
# few and made one by one.
ISSUABLE_KINDS = [UnitKind.DEPARTMENT, UnitKind.DISTRICT, UnitKind.COMMUNE, UnitKind.AGENCY,
                  UnitKind.OFFICE]  # fmt: skip


class IssueAccountsForm(forms.Form):
    scope = UnitChoiceField(
        label=_("For the units under"),
        queryset=Unit.objects.none(),
        help_text=_("e.g. the province, for all its departments and communes."),
    )
    kinds = forms.MultipleChoiceField(
        label=_("Unit types"),
        choices=[(k.value, k.label) for k in ISSUABLE_KINDS],
        widget=forms.CheckboxSelectMultiple,
        initial=[UnitKind.DEPARTMENT, UnitKind.COMMUNE],
        help_text=_("Only units of the ticked types get accounts."),
    )
    roles = forms.MultipleChoiceField(
        label=_("Accounts per unit"),
        choices=[(r.value, r.label) for r in BULK_ROLES],
        widget=forms.CheckboxSelectMultiple,
        initial=[Role.REPORTER, Role.HEAD],
        help_text=_("One account per ticked role: the reporter enters figures, the head submits."),
    )

    def __init__(self, *args: Any, scopes: QuerySet[Unit], **kw: Any):
        super().__init__(*args, **kw)
        self.fields["scope"].queryset = scopes.order_by("tree_key")
        if len(scopes) == 1:
            self.fields["scope"].initial = scopes[0]
            self.fields["scope"].empty_label = None
