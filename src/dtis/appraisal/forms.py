"""Forms of the council's workspace: seats on the council, and the decisions
on an item (English labels, shown in Vietnamese).

The forms check what a person typed (required, a number, a date); the
services in `council`, `decisions` and `publication` check the rules (points
within the maximum, the due date after today, one chair) and the views put
their errors back on these forms.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from dtis.appraisal.decisions import MAX_TEXT
from dtis.appraisal.models import CouncilRole, ReasonCode
from dtis.frameworks.models import Indicator
from dtis.orgs.forms import DATE_WIDGET
from dtis.orgs.models import User
from dtis.reporting.figures import parse_number

REQUEST_DAYS = 7  # an explanation is due a week after the request unless the council says otherwise


def put_errors(form: forms.Form, exc: ValidationError) -> None:
    """A service's ValidationError on the form: on its field when it names one."""
    if hasattr(exc, "error_dict"):
        for name, errors in exc.message_dict.items():
            for message in errors:
                form.add_error(name if name in form.fields else None, message)
    else:
        for message in exc.messages:
            form.add_error(None, message)


class CorrectForm(forms.Form):
    """The council's own score, with a reason code and a reason the unit reads."""

    points = forms.CharField(
        label=_("Appraised points"),
        max_length=20,
        error_messages={"required": _("Enter the appraised points.")},
        help_text=_("From 0 to the indicator's maximum, with a decimal comma, e.g. 7,5."),
        widget=forms.TextInput(attrs={"inputmode": "decimal", "autocomplete": "off"}),
    )
    reason_code = forms.ChoiceField(
        label=_("Reason code"),
        choices=[("", "—"), *ReasonCode.choices],
        error_messages={"required": _("Choose why the score changes.")},
        help_text=_("The closest one; explain in your own words below."),
    )
    reason = forms.CharField(
        label=_("Reason"),
        max_length=MAX_TEXT,
        error_messages={"required": _("Write the reason: the unit reads it with its result.")},
        help_text=_("The unit reads it, e.g. Quyết định số 12/QĐ-UBND ban hành ngoài kỳ đánh giá"),
        widget=forms.Textarea(attrs={"rows": 2}),
    )

    def __init__(self, *args: Any, maximum: Decimal | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.maximum = maximum

    def clean_points(self) -> Decimal:
        text = self.cleaned_data["points"]
        try:
            number = parse_number(text)
        except ValueError:
            number = None
        if number is None or not number.is_finite():
            raise ValidationError(_("Enter the points as a number, e.g. 7,5."))
        # Said here too so that every mistake shows at once; the service decides.
        if self.maximum is not None and not (0 <= number <= self.maximum):
            raise ValidationError(
                _("Enter points between 0 and %(max)s.")
                % {"max": f"{self.maximum:.2f}".replace(".", ",")}
            )
        return number


class RequestForm(forms.Form):
    """Giải trình bổ sung: what the unit must explain or supply, and by when."""

    question = forms.CharField(
        label=_("What the unit must explain or supply"),
        max_length=MAX_TEXT,
        error_messages={"required": _("Write what the unit must explain or supply.")},
        help_text=_("Name the document or figure, e.g. Bổ sung Quyết định thành lập Ban Chỉ đạo"),
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    due = forms.DateField(
        label=_("Answer by"),
        widget=DATE_WIDGET,
        error_messages={
            "required": _("Give the date the answer is due."),
            "invalid": _("Type the date as dd/mm/yyyy, e.g. 21/03/2026."),
        },
        help_text=_("dd/mm/yyyy; a week from today unless you change it."),
    )

    def __init__(self, *args: Any, today: dt.date | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        today = today or timezone.localdate()
        self.fields["due"].initial = today + dt.timedelta(days=REQUEST_DAYS)


class ReopenForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason for reopening"),
        max_length=2000,
        error_messages={"required": _("Give the reason for reopening the results.")},
        help_text=_("e.g. Theo Công văn số 15/UBND-KGVX ngày 02/4/2026 về việc rà soát kết quả"),
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class PersonChoiceField(forms.ModelChoiceField):  # type: ignore[type-arg]
    def label_from_instance(self, obj: User) -> str:
        name = obj.full_name or obj.username
        return f"{name} — {obj.position}" if obj.position else name


class GroupChoiceField(forms.ModelMultipleChoiceField):  # type: ignore[type-arg]
    def label_from_instance(self, obj: Indicator) -> str:
        return f"{obj.code}. {obj.name}"


class SeatForm(forms.Form):
    """A seat on the council: the person, the role, the groups they appraise."""

    user = PersonChoiceField(
        label=_("Person"),
        queryset=User.objects.none(),
        error_messages={"required": _("Choose the person.")},
        help_text=_("Active accounts holding a role on a unit within the cycle's scope."),
    )
    role = forms.ChoiceField(
        label=_("Role on the council"),
        choices=CouncilRole.choices,
        initial=CouncilRole.MEMBER,
        widget=forms.RadioSelect,
        error_messages={"required": _("Choose the person's role on the council.")},
        help_text=_("A council has one chair, who signs the results off."),
    )
    groups = GroupChoiceField(
        label=_("Indicator groups they appraise"),
        queryset=Indicator.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("They score only the items of the ticked main indicators."),
    )

    def __init__(
        self, *args: Any, people: QuerySet[User], groups: QuerySet[Indicator], **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self.fields["user"].queryset = people  # type: ignore[attr-defined]
        self.fields["groups"].queryset = groups  # type: ignore[attr-defined]
