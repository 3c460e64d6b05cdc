"""Demo cycles for `dtis seed-demo`: the province's own DTI (vn-province-2025)
and its departments' (hy-department-2023), with two quarters of figures.

Deterministic (seeded by unit code) and idempotent: cycles are found by name
and left alone once they exist. The quarter before today's is closed: most
units submitted on time, some late, one report returned with a comment;
today's quarter is open with about two thirds of the figures entered.
"""

from __future__ import annotations

import datetime as dt
import random
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.utils import timezone

from dtis.frameworks.describe import share_of_standard
from dtis.frameworks.models import Indicator
from dtis.frameworks.services import find
from dtis.orgs.models import Role, RoleGrant, Unit, UnitKind, User
from dtis.reporting.cycles import cycle_create
from dtis.reporting.figures import figure_save
from dtis.reporting.models import (
    AssessedUnit,
    Assignment,
    Cycle,
    Evidence,
    EvidenceKind,
    Period,
    PeriodState,
    Submission,
    SubmissionEvent,
    SubmissionState,
)

PROVINCE_CYCLE = "Chỉ số chuyển đổi số tỉnh Khánh Hòa năm {year}"
DEPARTMENTS_CYCLE = "Đánh giá chuyển đổi số các sở, ban, ngành tỉnh Khánh Hòa năm {year}"


# Plausible sizes by the input's unit: a department has a handful of
# information systems and meetings, hundreds of staff, thousands of dossiers
# (a first-time user reading 1.200 meetings beside 40 systems stops trusting
# the demo).
SCALES: dict[str, tuple[int, int]] = {
    "người": (45, 380),
    "hệ thống": (4, 18),
    "hồ sơ": (900, 14000),
    "lượt": (60, 2400),
    "dịch vụ": (12, 160),
    "thủ tục": (60, 420),
    "thôn, bản": (20, 140),
    "cổng": (1, 3),
    "cuộc họp": (2, 8),
    "cuộc": (2, 8),
    "doanh nghiệp": (8, 220),
    "ứng dụng": (1, 6),
    "văn bản": (40, 900),
    "bộ dữ liệu": (2, 24),
    "hộ": (600, 18000),
    "cơ quan": (6, 38),
    "tài khoản": (60, 1200),
    "tin, bài": (6, 60),
    "thuê bao": (1500, 60000),
    "tên miền": (1, 4),
    "triệu đồng": (150, 4800),
    "tỷ đồng": (4, 260),
}
DEFAULT_SCALE = (3, 40)


def _value(spec: dict[str, Any], rng: random.Random, denominator: int | None) -> Any:
    kind = spec.get("type", "number")
    if kind == "boolean":
        return rng.random() < 0.8
    if kind == "choice":
        choices = [c["value"] for c in spec.get("choices", [])]
        return choices[min(int(rng.random() * 1.6), len(choices) - 1)] if choices else None
    if denominator is not None:
        return max(1, int(denominator * rng.uniform(0.55, 0.98)))
    low, high = SCALES.get(str(spec.get("unit") or ""), DEFAULT_SCALE)
    return rng.randint(low, high)


def plan_topic(name: str) -> str:
    """An indicator's name as the topic of a plan's summary: lower-case first
    letter (proper names further on keep theirs), cut at a word, not mid-word."""
    words = name.split()
    topic = " ".join(words[:24]) + (" …" if len(words) > 24 else "")
    return topic[:1].lower() + topic[1:]


def figures_for(
    indicator: Indicator, rng: random.Random, shared: dict[str, Any] | None = None
) -> dict[str, Any]:
    """One period's plausible inputs for an indicator. `shared` keeps the
    values already drawn for the same unit and period by input name, so two
    indicators asking for the same total (all staff, all information
    systems) get the same number."""
    shared = {} if shared is None else shared
    rule = indicator.rule or {}
    values: dict[str, Any] = {}
    specs = {spec["name"]: spec for spec in indicator.inputs}
    budget = (
        share_of_standard(str(rule.get("expression", "")))
        if rule.get("kind") == "formula"
        else None
    )
    if budget is not None:
        parts, whole, standard = budget
        # One state budget per unit and period (triệu đồng); a "total spent on
        # digital transformation" is a small part of it, so the shares of the
        # indicators reading each agree with one another.
        budget_total = shared.setdefault("__budget", rng.randint(8000, 150000))
        total = shared.setdefault(
            whole, budget_total if "nsnn" in whole else int(budget_total * 0.035)
        )
        spent = total * standard * Decimal(str(round(rng.uniform(0.45, 1.3), 2)))
        for name in parts:
            values[name] = int(spent / len(parts))
        values[whole] = total
        return values
    denominator_name = rule.get("denominator")
    denominator = None
    if denominator_name in specs:
        denominator = shared.setdefault(
            denominator_name, _value(specs[denominator_name], rng, None)
        )
    for name, spec in specs.items():
        if name == denominator_name:
            values[name] = denominator
        elif name == rule.get("numerator") or (denominator_name and name == rule.get("input")):
            values[name] = _value(spec, rng, denominator)
        elif name == "diem":
            values[name] = str(
                (indicator.max_points * Decimal(rng.uniform(0.5, 0.9))).quantize(Decimal("0.5"))
            )
        elif spec.get("type", "number") in ("integer", "number"):
            values[name] = shared.setdefault(name, _value(spec, rng, None))
        else:
            values[name] = _value(spec, rng, None)
    return values


def _people(unit: Unit, role: Role) -> User | None:
    grant = RoleGrant.objects.filter(unit=unit, role=role).select_related("user").first()
    return grant.user if grant else None


def _fill(period: Period, assessed: AssessedUnit, share: float, actor: User | None) -> None:
    rng = random.Random(f"{assessed.unit.code}-{period.kind}")
    assignments = (
        Assignment.objects.filter(assessed=assessed)
        .select_related("indicator")
        .order_by("indicator__order")  # the same figures on every database
    )
    shared: dict[str, Any] = {}
    for assignment in assignments:
        if rng.random() > share:
            continue
        figure = figure_save(
            actor=actor,
            period=period,
            assessed=assessed,
            indicator=assignment.indicator,
            values=figures_for(assignment.indicator, rng, shared),
        )
        if assignment.indicator.evidence and rng.random() < 0.7:
            Evidence.objects.create(
                figure=figure,
                kind=EvidenceKind.DOCUMENT,
                added_by=actor,
                doc_number=f"{rng.randint(12, 480)}/KH-{assessed.unit.code.split('-')[-1]}",
                doc_date=period.start + dt.timedelta(days=rng.randint(3, 60)),
                doc_issuer=assessed.unit.name,
                doc_summary=f"Kế hoạch thực hiện {plan_topic(assignment.indicator.name)}",
            )


def _submit(period: Period, assessed: AssessedUnit, days_late: int) -> Submission:
    """Record a submission as the unit head would have made it."""
    head = _people(assessed.unit, Role.HEAD)
    submission, _ = Submission.objects.get_or_create(period=period, assessed=assessed)
    submitted_at = timezone.make_aware(
        dt.datetime.combine(period.unit_deadline + dt.timedelta(days=days_late - 1), dt.time(15))
    )
    event = SubmissionEvent.objects.create(
        submission=submission,
        by=head,
        from_state=SubmissionState.DRAFT,
        to_state=SubmissionState.SUBMITTED,
    )
    # The history shows the submission when it happened, not when the demo was seeded.
    SubmissionEvent.objects.filter(pk=event.pk).update(at=submitted_at)
    Submission.objects.filter(pk=submission.pk).update(
        state=SubmissionState.SUBMITTED, submitted_at=submitted_at, days_late=max(days_late, 0)
    )
    submission.refresh_from_db()
    return submission


def _accept(submission: Submission, admin: User | None) -> None:
    SubmissionEvent.objects.create(
        submission=submission,
        by=admin,
        from_state=SubmissionState.SUBMITTED,
        to_state=SubmissionState.ACCEPTED,
    )
    Submission.objects.filter(pk=submission.pk).update(state=SubmissionState.ACCEPTED)


def _run_year(cycle: Cycle, admin: User | None, today: dt.date) -> None:
    """The quarter before today's is over and submitted; today's is open."""
    periods = {p.kind: p for p in cycle.periods.all()}
    current_q = (today.month - 1) // 3 + 1
    current = periods[f"q{current_q}"]
    past = periods[f"q{current_q - 1}"] if current_q > 1 else None
    filled = [(p, share) for p, share in ((past, 1.0), (current, 0.65)) if p is not None]
    real = {p.pk: p.unit_deadline for p in periods.values()}
    # Enter the figures while the periods are open, then restore the calendar.
    for period, _share in filled:
        Period.objects.filter(pk=period.pk).update(
            state=PeriodState.OPEN, unit_deadline=today + dt.timedelta(days=30)
        )
        period.refresh_from_db()
    assessed_units = list(cycle.assessed.select_related("unit"))
    for assessed in assessed_units:
        reporter = _people(assessed.unit, Role.REPORTER)
        for period, share in filled:
            _fill(period, assessed, share, reporter)
    for period in periods.values():
        state = PeriodState.PLANNED
        if period.end < today:
            state = PeriodState.CLOSED
        elif period.start <= today:
            state = PeriodState.OPEN
        Period.objects.filter(pk=period.pk).update(state=state, unit_deadline=real[period.pk])
    # Earlier periods of the year were reported and accepted long ago.
    earlier = [p for p in periods.values() if p.end < today and p != past and p.kind != "year"]
    for period in earlier:
        for assessed in assessed_units:
            _accept(_submit(period, assessed, 0), admin)
    if past is None:
        return
    past.refresh_from_db()
    for index, assessed in enumerate(assessed_units):
        late = 4 if index % 5 == 3 else 0  # some units submitted late
        submission = _submit(past, assessed, late)
        if index == 1:  # one report returned with a comment on one item
            from dtis.reporting.workflow import submission_return

            first = (
                Assignment.objects.filter(assessed=assessed)
                .select_related("indicator")
                .order_by("indicator__order")
                .first()
            )
            if first is not None:
                submission_return(
                    actor=admin,
                    submission=submission,
                    items=[
                        (
                            first.indicator,
                            "Đề nghị bổ sung văn bản minh chứng có số, ngày ban hành "
                            "và trích yếu đầy đủ.",
                        )
                    ],
                    comment="Trả lại để bổ sung minh chứng.",
                )
        elif index % 3 == 0:
            _accept(submission, admin)


@transaction.atomic
def seed_reporting(today: dt.date | None = None) -> list[Cycle]:
    today = today or timezone.localdate()
    year = today.year
    province = Unit.objects.get(code="KHH")
    admin = _people(province, Role.ADMIN)
    made = []
    provincial = find("vn-province-2025")
    name = PROVINCE_CYCLE.format(year=year)
    if provincial is not None and not Cycle.objects.filter(name=name).exists():
        cycle = cycle_create(
            actor=admin,
            framework=provincial,
            year=year,
            name=name,
            scope=province,
            assessed=[(province, "Tỉnh, thành phố")],
            year_unit_deadline=dt.date(year + 1, 1, 10),
            year_office_deadline=dt.date(year + 1, 1, 30),
        )
        _run_year(cycle, admin, today)
        made.append(cycle)
    departments = find("hy-department-2023")
    name = DEPARTMENTS_CYCLE.format(year=year)
    if departments is not None and not Cycle.objects.filter(name=name).exists():
        units = Unit.objects.filter(parent=province, kind=UnitKind.DEPARTMENT).active_on(today)
        cycle = cycle_create(
            actor=admin,
            framework=departments,
            year=year,
            name=name,
            scope=province,
            assessed=[(u, "Sở, ban, ngành") for u in units.order_by("sort_key")],
        )
        _run_year(cycle, admin, today)
        made.append(cycle)
    return made
