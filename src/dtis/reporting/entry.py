"""Reading a report for the entry and review pages, and two small writes.

Selectors load one assessed unit's report for one period with a bounded
number of queries whatever the number of indicators: assignments with their
coordinators, figures with evidence and contributions, the figures' history
and the previous period's figures are each fetched once and joined in Python.
Who may do what on each indicator is decided by `dtis.orgs.policy` from the
person's grants, which the policy caches for the request.

Writes: `contribution_save` (a coordinating unit's part of an indicator) and
`figures_copy_forward` (last period's figures as a starting point); both go
through the same editing rule as `figures.figure_save`.
"""

from __future__ import annotations

import datetime as dt
import re
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from functools import cached_property
from typing import Any

from django.db import transaction
from django.db.models import Prefetch, Q
from django.utils import timezone
from django.utils.formats import number_format
from django.utils.translation import gettext as _

from dtis.frameworks.describe import describe_rule
from dtis.frameworks.models import Indicator
from dtis.orgs import policy
from dtis.orgs.models import Role, Unit, User
from dtis.reporting.cycles import deadline_for
from dtis.reporting.figures import can_edit, clean_values, figure_save, require_editable
from dtis.reporting.models import (
    AssessedUnit,
    Assignment,
    Contribution,
    Evidence,
    Figure,
    Period,
    PeriodState,
    Reopening,
    ReturnedItem,
    Submission,
    SubmissionEvent,
    SubmissionState,
)
from dtis.reporting.plausibility import implausible
from dtis.reporting.workflow import open_returns
from dtis.scoring.numbers import to_decimal

S = SubmissionState
# Closed periods stay on "my reports" this long after their deadline, so a
# unit still sees a report the office returned after closing the period.
RECENTLY_CLOSED_DAYS = 60
HistoricalFigure = Figure.history.model  # type: ignore[attr-defined]


# --- values on screen ----------------------------------------------------------


def input_number(value: Any) -> str:
    """A number for an input field, Vietnamese style whatever the UI language:
    dots group thousands, the comma is decimal ("1.250.000", "12,5"), so the
    text comes back through `parse_number` unchanged."""
    if value in (None, ""):
        return ""
    try:
        number = to_decimal(value)
    except ValueError:
        return str(value)
    sign = "-" if number < 0 else ""
    text = format(abs(number).normalize(), "f")
    whole, _sep, frac = text.partition(".")
    groups = []
    while len(whole) > 3:
        groups.insert(0, whole[-3:])
        whole = whole[:-3]
    groups.insert(0, whole)
    return sign + ".".join(groups) + ("," + frac if frac else "")


_VI_GROUPED = re.compile(r"-?\d{1,3}(\.\d{3})+(,\d+)?")
_EN_GROUPED = re.compile(r"-?\d{1,3}(,\d{3}){2,}(\.\d+)?")
_NUMBER_TEXT = re.compile(r"-?\d[\d.,]*|-?[.,]\d+")


def normalize_number(text: str) -> str:
    """Typed number text made unambiguous for `parse_number`.

    "1.250" is one thousand two hundred and fifty in Vietnamese (the way the
    page displays it), not 1.25: a dot followed by groups of exactly three
    digits groups thousands. "1,250,000" (two or more English groups) is
    accepted too. Anything else is left to `parse_number`; text that is not
    made of digits, dots and commas raises ValueError.
    """
    text = str(text).strip().replace(" ", "").replace("\u00a0", "")
    if not text:
        return text
    if not _NUMBER_TEXT.fullmatch(text):
        raise ValueError(text)
    if _VI_GROUPED.fullmatch(text):
        return text.replace(".", "").replace(",", ".")
    if _EN_GROUPED.fullmatch(text):
        return text.replace(",", "")
    return text


def display_value(spec: Mapping[str, Any], value: Any) -> str:
    """One input's value for reading: Có/Không, the level's label, a number
    with the active language's separators and its unit."""
    if value in (None, ""):
        return "—"
    kind = spec.get("type", "number")
    if kind == "boolean":
        return _("Yes") if value is True or str(value).lower() in ("true", "1", "yes") else _("No")
    if kind == "choice":
        labels = {
            str(c.get("value")): c.get("label") or c.get("value") for c in spec.get("choices") or []
        }
        return str(labels.get(str(value), value))
    try:
        number = to_decimal(value)
    except ValueError:
        return str(value)
    text = number_format(Decimal(format(number.normalize(), "f")), force_grouping=True)
    unit = spec.get("unit")
    return f"{text} {unit}" if unit else text


def value_items(indicator: Indicator, values: Mapping[str, Any] | None) -> list[dict[str, str]]:
    values = values or {}
    return [
        {
            "label": str(spec.get("label") or spec["name"]),
            "text": display_value(spec, values.get(spec["name"])),
        }
        for spec in indicator.inputs
    ]


def is_entered(figure: Figure | None, indicator: Indicator) -> bool:
    """A figure counts as entered when it is not applicable or every input has a value."""
    if figure is None:
        return False
    if figure.not_applicable:
        return True
    names = [spec["name"] for spec in indicator.inputs]
    if not names:
        return bool(figure.note)
    return all(figure.values.get(n) not in (None, "") for n in names)


def same_figure(a: Figure | None, b: Figure | None) -> bool:
    """Same inputs and applicability (notes and evidence aside)."""
    if a is None or b is None:
        return False
    return a.not_applicable == b.not_applicable and _comparable(a.values) == _comparable(b.values)


def _comparable(values: Mapping[str, Any]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for key, value in values.items():
        if value in (None, ""):
            continue
        if isinstance(value, str | int | float) and not isinstance(value, bool):
            try:
                out[key] = to_decimal(value).normalize()
                continue
            except ValueError:
                pass
        out[key] = value
    return out


# --- history -------------------------------------------------------------------


@dataclass
class Diff:
    label: str
    before: str
    after: str


@dataclass
class Change:
    """One saved version of a figure and what it changed from the one before."""

    who: str
    at: dt.datetime
    reason: str
    diffs: list[Diff]
    created: bool = False


def person_name(user: User | None) -> str:
    """How a person is named on screen (the system when nobody)."""
    if user is None:
        return _("the system")
    return user.full_name or user.username


def diff_records(indicator: Indicator, before: Any | None, after: Any) -> list[Diff]:
    """What changed between two saved versions (historical records or figures)."""
    diffs: list[Diff] = []
    old_values = (before.values if before is not None else None) or {}
    new_values = after.values or {}
    for spec in indicator.inputs:
        name = spec["name"]
        old, new = old_values.get(name), new_values.get(name)
        if _comparable({name: old}) != _comparable({name: new}):
            diffs.append(
                Diff(
                    str(spec.get("label") or name),
                    display_value(spec, old),
                    display_value(spec, new),
                )
            )
    old_na = before.not_applicable if before is not None else False
    if old_na != after.not_applicable:
        diffs.append(Diff(_("Not applicable"), _("Yes") if old_na else _("No"),
                          _("Yes") if after.not_applicable else _("No")))  # fmt: skip
    old_note = before.note if before is not None else ""
    if (old_note or "") != (after.note or ""):
        diffs.append(Diff(_("Note"), old_note or "—", after.note or "—"))
    return diffs


def history_of(indicator: Indicator, records: Sequence[Any]) -> list[Change]:
    """A figure's changes, newest first, from its historical records (oldest first)."""
    changes = []
    previous = None
    for record in records:
        changes.append(
            Change(
                who=person_name(record.history_user),
                at=record.history_date,
                reason=record.history_change_reason or "",
                diffs=diff_records(indicator, previous, record),
                created=record.history_type == "+",
            )
        )
        previous = record
    changes.reverse()
    return changes


def _history_records(
    period: Period, assessed: AssessedUnit, indicator_ids: Iterable[int]
) -> dict[int, list[Any]]:
    """Historical records of the report's figures by figure id, oldest first (one query)."""
    rows = (
        HistoricalFigure.objects.filter(
            period_id=period.pk, assessed_id=assessed.pk, indicator_id__in=list(indicator_ids)
        )
        .select_related("history_user")
        .order_by("history_date", "history_id")
    )
    by_figure: dict[int, list[Any]] = defaultdict(list)
    for row in rows:
        by_figure[row.id].append(row)
    return by_figure


# --- periods ---------------------------------------------------------------------


def previous_period(period: Period, periods: Iterable[Period]) -> Period | None:
    """The period of the same cycle reported just before this one.

    The latest one that ended earlier, or a shorter one ending on the same
    day (the fourth quarter before the year, the second quarter before the
    half year); among equals the one that started last.
    """
    candidates = [
        p
        for p in periods
        if p.pk != period.pk
        and p.cycle_id == period.cycle_id
        and (p.end < period.end or (p.end == period.end and p.start > period.start))
    ]
    return max(candidates, key=lambda p: (p.end, p.start), default=None)


def block_reason(
    submission: Submission | None,
    period: Period,
    assessed: AssessedUnit,
    today: dt.date,
    reopenings: Sequence[Reopening],
) -> str:
    """Why figures cannot be changed now; empty when they can."""
    if can_edit(submission, period, assessed, today, list(reopenings)):
        return ""
    state = submission.state if submission else S.DRAFT
    if state == S.SUBMITTED:
        return _(
            "The report has been submitted. It can be changed again only if "
            "the standing office returns it."
        )
    if state == S.ACCEPTED:
        return _("The report has been accepted for appraisal and can no longer be changed.")
    if period.state == PeriodState.PLANNED:
        return _("This period is not open for entries yet.")
    if period.state == PeriodState.CLOSED:
        return _("This period is closed. Ask the standing office to reopen it for your unit.")
    deadline = deadline_for(period, assessed.unit, reopenings)
    return _(
        "The deadline (%(date)s) has passed. "
        "Ask the standing office to reopen the period for your unit."
    ) % {"date": deadline.strftime("%d/%m/%Y")}


# --- the report of one unit for one period ---------------------------------------


@dataclass
class Row:
    """One indicator of the report as the signed-in person sees it.

    What the page shows more than once (entered, the values, the
    contributions) is computed once per row; `replace_figure` forgets it.
    """

    assignment: Assignment
    indicator: Indicator
    figure: Figure | None
    previous: Figure | None
    can_enter: bool
    can_contribute: bool
    contribute_units: list[Unit]
    rule_text: str
    history: list[Change] = field(default_factory=list)
    returned: ReturnedItem | None = None
    editable: bool = False  # the person may change the figure (and its evidence) now
    # Set by the views: the bound or initial forms, the indicator's URLs.
    form: Any = None
    contribution_form: Any = None
    stale: Any = None
    urls: dict[str, str] = field(default_factory=dict)
    last_year: list[str] = field(default_factory=list)  # the council's notes, set by the views

    _FIGURE_DERIVED = (
        "entered",
        "unchanged",
        "values",
        "contributions",
        "contribution_items",
        "warnings",
    )

    def replace_figure(self, figure: Figure | None) -> None:
        """Show another version of the figure (someone saved in between)."""
        self.figure = figure
        for name in self._FIGURE_DERIVED:
            self.__dict__.pop(name, None)

    @cached_property
    def entered(self) -> bool:
        return is_entered(self.figure, self.indicator)

    @cached_property
    def warnings(self) -> list[str]:
        """Saved figures that cannot both be right (dtis.reporting.plausibility)."""
        if self.figure is None or self.figure.not_applicable:
            return []
        return implausible(self.indicator, self.figure.values)

    @cached_property
    def unchanged(self) -> bool:
        """Copied (or typed) exactly as in the previous period."""
        return self.entered and same_figure(self.figure, self.previous)

    @cached_property
    def values(self) -> list[dict[str, str]]:
        return value_items(self.indicator, self.figure.values if self.figure else None)

    @cached_property
    def contributions(self) -> list[Contribution]:
        return list(self.figure.contributions.all()) if self.figure else []

    @cached_property
    def contribution_items(self) -> list[dict[str, Any]]:
        """Each contribution with its values labelled, for reading."""
        return [
            {"contribution": c, "values": value_items(self.indicator, c.values)}
            for c in self.contributions
        ]

    @property
    def own_contributions(self) -> list[Contribution]:
        ids = {u.pk for u in self.contribute_units}
        return [c for c in self.contributions if c.unit_id in ids]

    @property
    def can_copy(self) -> bool:
        return self.previous is not None and is_entered(self.previous, self.indicator)

    @property
    def form_fields(self) -> list[Any]:
        """The figure form's fields after the inputs, in the order shown."""
        if self.form is None:
            return []
        names = ["not_applicable", "note", *(["reason"] if self.figure else [])]
        return [self.form[name] for name in names]


@dataclass
class Group:
    main: Indicator
    rows: list[Row]

    @property
    def entered(self) -> int:
        return sum(1 for r in self.rows if r.entered)

    @property
    def total(self) -> int:
        return len(self.rows)


@dataclass
class Report:
    period: Period
    assessed: AssessedUnit
    submission: Submission | None
    reopenings: list[Reopening]
    blocked: str
    deadline: dt.date
    previous: Period | None
    groups: list[Group]
    returns: list[ReturnedItem]
    sees_all: bool
    can_submit: bool
    can_review: bool
    last_submitted: SubmissionEvent | None

    @property
    def rows(self) -> list[Row]:
        return [r for g in self.groups for r in g.rows]

    @property
    def state(self) -> str:
        return self.submission.state if self.submission else S.DRAFT

    @property
    def editable(self) -> bool:
        return not self.blocked

    @property
    def entered(self) -> int:
        return sum(g.entered for g in self.groups)

    @property
    def total(self) -> int:
        return sum(g.total for g in self.groups)

    @property
    def may_enter_any(self) -> bool:
        return any(r.can_enter for r in self.rows)

    @property
    def may_submit_now(self) -> bool:
        return self.can_submit and self.state in (S.DRAFT, S.RETURNED)

    def row(self, indicator_id: int) -> Row | None:
        return next((r for r in self.rows if r.indicator.pk == indicator_id), None)


def sees_whole_report(user: User, assessed: AssessedUnit) -> bool:
    """The standing office and the people of the assessed unit see every indicator."""
    return policy.can(user, policy.Action.VIEW_UNIT, assessed.unit) or policy.can_run_cycle(
        user, assessed.cycle
    )


def load_report(
    user: User,
    period: Period,
    assessed: AssessedUnit,
    *,
    today: dt.date | None = None,
    only: Iterable[int] | None = None,
    with_history: bool = True,
) -> Report | None:
    """The indicators of the report that `user` may see (None: none at all).

    `period.cycle` and `assessed.unit`/`assessed.cycle.scope` should be
    loaded. `only` restricts the rows to some indicator ids (the save views
    need one row).
    """
    today = today or timezone.localdate()
    sees_all = sees_whole_report(user, assessed)
    assignments = list(
        Assignment.objects.filter(assessed=assessed)
        .select_related("indicator", "owner")
        .prefetch_related("coordinators")
        .order_by("indicator__order")
    )
    visible = []
    for a in assignments:
        a.assessed = assessed  # the policy reads assignment.assessed.unit
        if sees_all or policy.can_view_report(user, assessed, a):
            visible.append(a)
    if not visible:
        return None
    if only is not None:
        wanted = set(only)
        visible = [a for a in visible if a.indicator_id in wanted]
    ids = [a.indicator_id for a in visible]

    figures = {
        f.indicator_id: f
        for f in Figure.objects.filter(period=period, assessed=assessed, indicator_id__in=ids)
        .select_related("updated_by")
        .prefetch_related(
            Prefetch("evidence", queryset=Evidence.objects.select_related("added_by")),
            Prefetch(
                "contributions", queryset=Contribution.objects.select_related("unit", "updated_by")
            ),
        )
    }
    periods = list(Period.objects.filter(cycle_id=period.cycle_id))
    before = previous_period(period, periods)
    previous = (
        {
            f.indicator_id: f
            for f in Figure.objects.filter(period=before, assessed=assessed, indicator_id__in=ids)
        }
        if before
        else {}
    )
    history = _history_records(period, assessed, ids) if with_history else {}

    submission = Submission.objects.filter(period=period, assessed=assessed).first()
    reopenings = list(Reopening.objects.filter(period=period, unit=assessed.unit))
    returns = open_returns(submission) if submission else []
    returned = {item.indicator_id: item for item in returns}
    last_submitted = (
        submission.events.filter(to_state=S.SUBMITTED)
        .select_related("by")
        .order_by("-at", "-pk")
        .first()
        if submission and submission.state != S.DRAFT
        else None
    )

    blocked = block_reason(submission, period, assessed, today, reopenings)
    mains = _main_indicators(period, ids)
    grouped: dict[int, list[Row]] = defaultdict(list)
    for a in visible:
        ind = a.indicator
        figure = figures.get(ind.pk)
        units = [
            u for u in a.coordinators.all() if policy.can(user, policy.Action.ENTER_FIGURES, u)
        ]
        can_enter = policy.can_enter_figure(user, a)
        row = Row(
            assignment=a,
            indicator=ind,
            figure=figure,
            previous=previous.get(ind.pk),
            can_enter=can_enter,
            can_contribute=bool(units) and policy.can_contribute(user, a),
            contribute_units=units,
            rule_text=describe_rule(ind.rule, ind.max_points, is_parent=False, inputs=ind.inputs),
            history=history_of(ind, history.get(figure.pk, [])) if figure else [],
            returned=returned.get(ind.pk),
            editable=can_enter and not blocked,
        )
        grouped[mains[ind.pk].pk].append(row)
    by_id = {m.pk: m for m in mains.values()}
    groups = [Group(by_id[pk], rows) for pk, rows in grouped.items()]
    groups.sort(key=lambda g: g.main.order)
    return Report(
        period=period,
        assessed=assessed,
        submission=submission,
        reopenings=reopenings,
        blocked=blocked,
        deadline=deadline_for(period, assessed.unit, reopenings),
        previous=before,
        groups=groups,
        returns=returns,
        sees_all=sees_all,
        can_submit=policy.can_submit_report(user, assessed),
        can_review=policy.can_run_cycle(user, assessed.cycle),
        last_submitted=last_submitted,
    )


def _main_indicators(period: Period, ids: Iterable[int]) -> dict[int, Indicator]:
    """Each indicator's main indicator (the top of its tree), from one query."""
    tree = {
        i.pk: i
        for i in Indicator.objects.filter(framework_id=period.cycle.framework_id).only(
            "pk", "parent_id", "code", "name", "order", "max_points"
        )
    }
    mains: dict[int, Indicator] = {}
    for pk in ids:
        node = tree[pk]
        while node.parent_id is not None and node.parent_id in tree:
            node = tree[node.parent_id]
        mains[pk] = node
    return mains


# --- what changed since the report was submitted ---------------------------------


@dataclass
class FigureChange:
    indicator: Indicator
    who: str
    at: dt.datetime
    diffs: list[Diff]


def changes_between(
    period: Period,
    assessed: AssessedUnit,
    indicators: Sequence[Indicator],
    since: dt.datetime,
    until: dt.datetime | None = None,
) -> list[FigureChange]:
    """Figures saved after `since` (and up to `until`), with their values then → now (one query)."""
    by_id = {i.pk: i for i in indicators}
    records = _history_records(period, assessed, by_id)
    changes = []
    for rows in records.values():
        if until is not None:
            rows = [r for r in rows if r.history_date <= until]
        if not rows or rows[-1].history_date <= since:
            continue
        before = next((r for r in reversed(rows) if r.history_date <= since), None)
        after = rows[-1]
        indicator = by_id[after.indicator_id]
        diffs = diff_records(indicator, before, after)
        if diffs:
            changes.append(
                FigureChange(indicator, person_name(after.history_user), after.history_date, diffs)
            )
    changes.sort(key=lambda c: c.indicator.order)
    return changes


def submitted_events(submission: Submission | None) -> list[SubmissionEvent]:
    if submission is None:
        return []
    return list(
        submission.events.filter(to_state=S.SUBMITTED).select_related("by").order_by("at", "pk")
    )


# --- my reports --------------------------------------------------------------------


@dataclass
class MyReport:
    period: Period
    assessed: AssessedUnit
    state: str
    deadline: dt.date
    entered: int
    total: int
    whole: bool  # the person works for the assessed unit itself

    @property
    def state_label(self) -> str:
        return str(S(self.state).label)


def my_reports(user: User, today: dt.date | None = None) -> list[MyReport]:
    """The reports the person works on, in open or recently closed periods.

    As reporter or head of an assessed unit: the whole report; as reporter of
    a lead or coordinating unit of some indicators: those indicators.
    """
    today = today or timezone.localdate()
    grants = policy.grants_of(user)
    reporter_ids = [g.unit_id for g in grants if g.role == Role.REPORTER]
    head_paths = [g.unit_path for g in grants if g.role == Role.HEAD]
    if not reporter_ids and not head_paths:
        return []
    whole_q = Q(unit_id__in=reporter_ids)
    for path in head_paths:
        whole_q |= Q(unit__path__startswith=path)
    whole_ids = set(AssessedUnit.objects.filter(whole_q).values_list("pk", flat=True))
    rows = list(
        Assignment.objects.filter(
            Q(assessed_id__in=whole_ids)
            | Q(owner_id__in=reporter_ids)
            | Q(coordinators__in=reporter_ids)
        )
        .values_list("assessed_id", "indicator_id", "indicator__inputs")
        .distinct()
    )
    indicators: dict[int, dict[int, Any]] = defaultdict(dict)
    for assessed_id, indicator_id, inputs in rows:
        indicators[assessed_id][indicator_id] = inputs
    if not indicators:
        return []
    assessed = {
        a.pk: a
        for a in AssessedUnit.objects.filter(pk__in=list(indicators)).select_related(
            "unit", "cycle"
        )
    }
    recent = today - dt.timedelta(days=RECENTLY_CLOSED_DAYS)
    periods = list(
        Period.objects.filter(cycle_id__in={a.cycle_id for a in assessed.values()})
        .filter(Q(state=PeriodState.OPEN) | Q(state=PeriodState.CLOSED, unit_deadline__gte=recent))
        .order_by("-end", "start")
    )
    if not periods:
        return []
    period_ids = [p.pk for p in periods]
    states = {
        (s.period_id, s.assessed_id): s.state
        for s in Submission.objects.filter(period_id__in=period_ids, assessed_id__in=list(assessed))
    }
    reopenings = list(Reopening.objects.filter(period_id__in=period_ids))
    entered: dict[tuple[int, int], int] = defaultdict(int)
    for figure in Figure.objects.filter(
        period_id__in=period_ids, assessed_id__in=list(assessed)
    ).only("period_id", "assessed_id", "indicator_id", "not_applicable", "values", "note"):
        inputs = indicators[figure.assessed_id].get(figure.indicator_id)
        if inputs is not None and is_entered(figure, Indicator(inputs=inputs or [])):
            entered[(figure.period_id, figure.assessed_id)] += 1
    cycles = {a.cycle_id: a.cycle for a in assessed.values()}
    result = []
    for period in periods:
        period.cycle = cycles[period.cycle_id]
        for a in sorted(assessed.values(), key=lambda x: x.unit.sort_key):
            if a.cycle_id != period.cycle_id:
                continue
            unit_reopenings = [r for r in reopenings if r.period_id == period.pk]
            result.append(
                MyReport(
                    period=period,
                    assessed=a,
                    state=states.get((period.pk, a.pk), S.DRAFT),
                    deadline=deadline_for(period, a.unit, unit_reopenings),
                    entered=entered[(period.pk, a.pk)],
                    total=len(indicators[a.pk]),
                    whole=a.pk in whole_ids,
                )
            )
    return result


# --- writes ------------------------------------------------------------------------


@transaction.atomic
def contribution_save(
    *,
    actor: User | None,
    period: Period,
    assessed: AssessedUnit,
    indicator: Indicator,
    unit: Unit,
    values: Mapping[str, Any],
    note: str = "",
) -> Contribution:
    """A coordinating unit's figures and note for the lead unit; the caller has
    checked the permission. The lead unit's figure is created (empty) when it
    does not exist yet, so the contribution has somewhere to hang."""
    require_editable(period, assessed)
    cleaned = clean_values(indicator, dict(values))
    figure = Figure.objects.filter(period=period, assessed=assessed, indicator=indicator).first()
    if figure is None:
        figure = Figure(period=period, assessed=assessed, indicator=indicator, updated_by=actor)
        figure._history_user = actor  # type: ignore[attr-defined]
        figure.save()
    contribution = Contribution.objects.select_for_update().filter(
        figure=figure, unit=unit
    ).first() or Contribution(figure=figure, unit=unit)
    contribution.values, contribution.note, contribution.updated_by = cleaned, note.strip(), actor
    contribution._history_user = actor  # type: ignore[attr-defined]
    contribution.save()
    return contribution


@transaction.atomic
def figures_copy_forward(
    *,
    actor: User | None,
    period: Period,
    assessed: AssessedUnit,
    indicators: Sequence[Indicator],
    source: Period,
    versions: Mapping[int, int | None] | None = None,
    overwrite: bool = False,
) -> list[Figure]:
    """Last period's inputs as this period's; the caller has checked the permission.

    Without `overwrite`, figures already entered are left alone ("copy
    all"); with it, the given `versions` guard against a concurrent change
    (StaleFigure). Notes are not copied: they describe their own period.
    """
    sources = {
        f.indicator_id: f
        for f in Figure.objects.filter(
            period=source, assessed=assessed, indicator__in=list(indicators)
        )
    }
    current = {
        f.indicator_id: f
        for f in Figure.objects.filter(
            period=period, assessed=assessed, indicator__in=list(indicators)
        )
    }
    reason = _("Copied from %(period)s") % {"period": source}
    saved = []
    for indicator in indicators:
        old = sources.get(indicator.pk)
        if old is None or not is_entered(old, indicator):
            continue
        now = current.get(indicator.pk)
        if not overwrite and is_entered(now, indicator):
            continue
        version = (versions or {}).get(indicator.pk) if overwrite else (now.version if now else 0)
        saved.append(
            figure_save(
                actor=actor,
                period=period,
                assessed=assessed,
                indicator=indicator,
                values=dict(old.values),
                note=now.note if now else "",
                not_applicable=old.not_applicable,
                version=version,
                reason=reason,
            )
        )
    return saved
