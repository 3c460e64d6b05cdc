"""Appraised and published years for the demo (`dtis seed-demo`, after
`reporting.demo.seed_reporting`), so that results, rankings, year-on-year
changes, gaps and the emulation table have something real to show.

- The departments' cycles of the two years before today's (hy-department-2023,
  Khánh Hòa's departments of that year): every unit entered its year figures
  and cited documents, submitted (some late), the office accepted the
  reports, the council appraised them (corrections with their reasons; in the
  later year explanation requests, one answered with a cited document and
  accepted, one answered and corrected, one never answered and corrected after
  its due date; and a correction that leaves two units with exactly the same
  index, so the ranking shows a shared rank), the chair signed off and the
  results were published.
- The province's own cycle of last year (vn-province-2025, KHH alone),
  appraised and published.
- Today's departments' cycle gets its council seated, nothing decided yet.

Everything goes through the services (figures, submissions' acceptance,
council, decisions, publication); afterwards the timestamps those services
stamp with "now" are moved back to when the work happened that year (as
`reporting.demo` does for submissions), and the notifications they sent are
dated then and marked read. Deterministic and idempotent: cycles are found by
name and left alone once they exist.
"""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Iterable
from dataclasses import dataclass, replace
from decimal import Decimal
from itertools import pairwise

from django.db import transaction
from django.db.models import Max
from django.utils import timezone

from dtis.appraisal.council import council_seat_set, main_indicators
from dtis.appraisal.decisions import (
    bulk_accept,
    explanation_answer,
    item_accept,
    item_correct,
    item_request_explanation,
)
from dtis.appraisal.models import (
    CouncilRole,
    CycleOutcome,
    ExplanationRequest,
    IndicatorResult,
    Item,
    ItemAction,
    ItemEvent,
    ItemState,
    OutcomeAction,
    OutcomeEvent,
    ReasonCode,
    UnitResult,
)
from dtis.appraisal.publication import publish, sign_off
from dtis.frameworks.models import Framework
from dtis.frameworks.services import find
from dtis.orgs.models import Role, RoleGrant, Unit, UnitKind, User
from dtis.reporting.cycles import cycle_create
from dtis.reporting.demo import DEPARTMENTS_CYCLE, PROVINCE_CYCLE, figures_for, plan_topic
from dtis.reporting.evidence import store_document
from dtis.reporting.figures import figure_save
from dtis.reporting.models import (
    AssessedUnit,
    Assignment,
    Cycle,
    Evidence,
    Notification,
    Period,
    PeriodKind,
    PeriodState,
    Submission,
    SubmissionEvent,
    SubmissionState,
)
from dtis.reporting.workflow import submission_accept

DEPARTMENTS = "Sở, ban, ngành"
PROVINCES = "Tỉnh, thành phố"
CHAIR = "vo.thi.ngoc.lan"
MEMBER = "hoang.van.tung"  # the first half of the groups
WORKING = "phan.thi.my.duyen"  # the second half
R = ReasonCode


@dataclass(frozen=True)
class Correction:
    unit: str  # unit code
    indicator: str  # indicator code
    reason_code: str
    reason: str
    share: Decimal  # of the self score the council confirms


# The council's corrections, by the year before today's (-1) or the one before (-2).
CORRECTIONS: dict[int, tuple[Correction, ...]] = {
    -2: (
        Correction(
            "KHH-SCT",
            "1.3",
            R.MISSING_EVIDENCE,
            "Đơn vị kê khai có văn bản chỉ đạo chuyên đề về chuyển đổi số do Giám đốc Sở ký "
            "nhưng không gửi kèm văn bản; Hội đồng không có căn cứ để chấm điểm.",
            Decimal(0),
        ),
        Correction(
            "KHH-SXD",
            "2.3",
            R.NOT_SUPPORTED,
            "Số lượt công chức chuyên trách tham gia hội nghị, tập huấn về chuyển đổi số kê khai "
            "không khớp với danh sách điểm danh của Sở Thông tin và Truyền thông; Hội đồng chấm "
            "theo danh sách điểm danh.",
            Decimal("0.5"),
        ),
        Correction(
            "KHH-SGDDT",
            "6.4",
            R.RULE_MISAPPLIED,
            "Đơn vị tính tỷ lệ hồ sơ trực tuyến toàn trình trên tổng số hồ sơ trực tuyến thay "
            "vì trên tổng số hồ sơ tiếp nhận; Hội đồng tính lại theo đúng công thức.",
            Decimal("0.6"),
        ),
        Correction(
            "KHH-STTTT",
            "1.4",
            R.OUTSIDE_PERIOD,
            "Số tin, bài trên chuyên mục chuyển đổi số của Cổng thông tin điện tử kê khai gồm cả "
            "các bài đăng năm {previous}, ngoài kỳ đánh giá.",
            Decimal("0.7"),
        ),
    ),
    -1: (
        Correction(
            "KHH-SYT",
            "1.1",
            R.INCOMPLETE_CITATION,
            "Quyết định kiện toàn Ban Chỉ đạo chuyển đổi số chỉ được nêu tên, không ghi số, "
            "ngày ban hành và trích yếu; Hội đồng chấm một nửa số điểm.",
            Decimal("0.5"),
        ),
        Correction(
            "KHH-SVHTTDL",
            "4.3",
            R.NOT_SUPPORTED,
            "Tỷ lệ công chức, viên chức được bồi dưỡng, tập huấn về chuyển đổi số chưa có danh "
            "sách học viên kèm theo; Hội đồng chấm theo danh sách do Sở Nội vụ tổng hợp.",
            Decimal("0.6"),
        ),
        Correction(
            "KHH-SCT",
            "6.7",
            R.OUTSIDE_PERIOD,
            "Số liệu hồ sơ được tổng hợp từ ngày 15/12/{previous} đến ngày 14/12/{year}, không "
            "đúng kỳ đánh giá (01/01 – 31/12/{year}).",
            Decimal("0.8"),
        ),
        Correction(
            "KHH-VPUB",
            "5.10",
            R.RULE_MISAPPLIED,
            "Kinh phí thuê đường truyền được tính vào chi cho an toàn thông tin mạng; Hội đồng "
            "loại khoản này và tính lại tỷ lệ.",
            Decimal("0.5"),
        ),
    ),
}


@dataclass(frozen=True)
class Exchange:
    """An explanation request of the later year and how it ended."""

    unit: str
    indicator: str
    asker: str
    question: str
    answer: str | None  # None: the unit never answered
    document: tuple[str, str, str] | None  # number, issuer, summary (dated in the year)
    outcome: tuple[str, str, Decimal] | None  # reason code, reason, share; None: accepted


EXCHANGES = (
    Exchange(
        "KHH-SNV",
        "1.1",
        CHAIR,
        "Đề nghị Sở cung cấp Quyết định kiện toàn Ban Chỉ đạo chuyển đổi số của Sở, trong đó "
        "ghi rõ Trưởng ban là Giám đốc Sở.",
        "Sở Nội vụ đã kiện toàn Ban Chỉ đạo chuyển đổi số theo Quyết định số 125/QĐ-SNV ngày "
        "12/3/{year}; Giám đốc Sở là Trưởng ban. Sở gửi kèm trích yếu quyết định.",
        (
            "125/QĐ-SNV",
            "Sở Nội vụ tỉnh Khánh Hòa",
            "Quyết định kiện toàn Ban Chỉ đạo chuyển đổi số của Sở Nội vụ",
        ),
        None,
    ),
    Exchange(
        "KHH-STC",
        "2.1",
        MEMBER,
        "Đề nghị Sở cung cấp Kế hoạch hành động 5 năm về chuyển đổi số của Sở; tài liệu kèm "
        "theo báo cáo chỉ là kế hoạch năm {year}.",
        "Sở chưa ban hành kế hoạch 5 năm riêng; nội dung chuyển đổi số giai đoạn 2021 – 2025 "
        "được lồng ghép trong Kế hoạch số 86/KH-STC ngày 12/3/{year} về cải cách hành chính.",
        (
            "86/KH-STC",
            "Sở Tài chính tỉnh Khánh Hòa",
            "Kế hoạch cải cách hành chính và chuyển đổi số của Sở Tài chính giai đoạn 2021 – 2025",
        ),
        (
            R.NOT_SUPPORTED,
            "Kế hoạch số 86/KH-STC là kế hoạch cải cách hành chính, chỉ lồng ghép một phần nội "
            "dung chuyển đổi số, chưa phải kế hoạch hành động 5 năm về chuyển đổi số; Hội đồng "
            "chấm một nửa số điểm.",
            Decimal("0.5"),
        ),
    ),
    Exchange(
        "KHH-SYT",
        "6.2",
        WORKING,
        "Đề nghị Sở cung cấp danh sách thủ tục hành chính đã được rà soát, cập nhật trên Hệ "
        "thống thông tin giải quyết thủ tục hành chính của tỉnh trong năm {year}.",
        None,
        None,
        (
            R.MISSING_EVIDENCE,
            "Hết hạn giải trình, Sở không gửi danh sách thủ tục hành chính đã rà soát, cập nhật; "
            "Hội đồng không chấm điểm chỉ tiêu này.",
            Decimal(0),
        ),
    ),
)

PROVINCE_CORRECTIONS = (
    Correction(
        "KHH",
        "3.1",
        R.NOT_SUPPORTED,
        "Tỷ lệ thôn, bản được phủ sóng di động băng rộng kê khai cao hơn số liệu của Cục Viễn "
        "thông; Hội đồng chấm theo số liệu của Cục.",
        Decimal("0.8"),
    ),
    Correction(
        "KHH",
        "2.2",
        R.MISSING_EVIDENCE,
        "Chưa có Kế hoạch hành động 5 năm kèm theo; Hội đồng chỉ chấm phần kế hoạch hằng năm.",
        Decimal("0.5"),
    ),
)

TIE_REASON = (
    "Số liệu kê khai chỉ được minh chứng một phần; Hội đồng điều chỉnh điểm theo số liệu đã "
    "kiểm chứng trên hệ thống của tỉnh."
)


@dataclass(frozen=True)
class Calendar:
    """When each step of a year's appraisal happened (the year after the cycle's)."""

    accepted: dt.date
    requested: dt.date
    due: dt.date
    answered: dt.date
    decided: dt.date
    signed_off: dt.date
    published: dt.date

    @classmethod
    def of(cls, year: int) -> Calendar:
        nxt = year + 1
        return cls(
            accepted=dt.date(year, 12, 28),
            requested=dt.date(nxt, 1, 12),
            due=dt.date(nxt, 1, 22),
            answered=dt.date(nxt, 1, 19),
            decided=dt.date(nxt, 2, 3),
            signed_off=dt.date(nxt, 2, 24),
            published=dt.date(nxt, 3, 6),
        )


def _at(day: dt.date, hour: int = 9) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time(hour)))


class People:
    """The demo's people, looked up once."""

    def __init__(self) -> None:
        self.by_username = {u.username: u for u in User.objects.filter(is_active=True)}
        self.grants: dict[tuple[int, str], User] = {}
        for grant in RoleGrant.objects.select_related("user").order_by("pk"):
            self.grants.setdefault((grant.unit_id, grant.role), grant.user)

    def of(self, unit: Unit, role: Role) -> User | None:
        return self.grants.get((unit.pk, role))


# --- running one year ----------------------------------------------------------------


def _enter_year_figures(period: Period, assessed: list[AssessedUnit], people: People) -> None:
    """Every unit enters all its year figures, citing a document for most of them,
    while the period is open (the real calendar is restored afterwards)."""
    year = period.cycle.year
    deadline = period.unit_deadline
    Period.objects.filter(pk=period.pk).update(
        state=PeriodState.OPEN, unit_deadline=timezone.localdate() + dt.timedelta(days=30)
    )
    period.refresh_from_db()
    for a in assessed:
        reporter = people.of(a.unit, Role.REPORTER)
        rng = random.Random(f"{a.unit.code}-{year}-year")
        abbr = a.unit.code.split("-")[-1]
        assignments = (
            Assignment.objects.filter(assessed=a)
            .select_related("indicator")
            .order_by("indicator__order")
        )
        for assignment in assignments:
            indicator = assignment.indicator
            figure = figure_save(
                actor=reporter,
                period=period,
                assessed=a,
                indicator=indicator,
                values=figures_for(indicator, rng),
            )
            if indicator.evidence and rng.random() < 0.75:
                store_document(
                    actor=reporter,
                    figure=figure,
                    number=f"{rng.randint(12, 480)}/KH-{abbr}",
                    date=dt.date(year, 1, 1) + dt.timedelta(days=rng.randint(20, 320)),
                    issuer=a.unit.name,
                    summary=f"Kế hoạch thực hiện {plan_topic(indicator.name)} năm {year}",
                )
    Period.objects.filter(pk=period.pk).update(state=PeriodState.CLOSED, unit_deadline=deadline)
    period.refresh_from_db()


def _submitted(
    period: Period, assessed: AssessedUnit, days_late: int, head: User | None
) -> Submission:
    """The head's submission as it happened, `days_late` days after the deadline
    (0: the day before it)."""
    day = period.unit_deadline + dt.timedelta(days=days_late if days_late > 0 else -1)
    submission, _created = Submission.objects.get_or_create(period=period, assessed=assessed)
    event = SubmissionEvent.objects.create(
        submission=submission,
        by=head,
        from_state=SubmissionState.DRAFT,
        to_state=SubmissionState.SUBMITTED,
    )
    SubmissionEvent.objects.filter(pk=event.pk).update(at=_at(day, 15))
    Submission.objects.filter(pk=submission.pk).update(
        state=SubmissionState.SUBMITTED, submitted_at=_at(day, 15), days_late=max(days_late, 0)
    )
    submission.refresh_from_db()
    return submission


def _accept(submission: Submission, admin: User | None, day: dt.date) -> None:
    """The office accepts the report (items open when it is the year's)."""
    submission_accept(actor=admin, submission=submission)
    SubmissionEvent.objects.filter(submission=submission, to_state=SubmissionState.ACCEPTED).update(
        at=_at(day, 10)
    )


def _report_year(
    cycle: Cycle, admin: User | None, people: People, late: dict[int, int]
) -> Calendar:
    """Quarters reported and accepted on time; the year's figures entered,
    submitted (`late`: unit index → days late) and accepted; every period closed."""
    calendar = Calendar.of(cycle.year)
    periods = list(cycle.periods.order_by("end", "-start"))
    assessed = list(cycle.assessed.select_related("unit").order_by("unit__sort_key"))
    heads = {a.pk: people.of(a.unit, Role.HEAD) for a in assessed}
    year = next(p for p in periods if p.kind == PeriodKind.YEAR)
    _enter_year_figures(year, assessed, people)
    Period.objects.filter(cycle=cycle).update(state=PeriodState.CLOSED)
    for period in periods:
        if period.kind == PeriodKind.YEAR:
            continue
        for a in assessed:
            submission = _submitted(period, a, 0, heads[a.pk])
            Submission.objects.filter(pk=submission.pk).update(state=SubmissionState.ACCEPTED)
            event = SubmissionEvent.objects.create(
                submission=submission,
                by=admin,
                from_state=SubmissionState.SUBMITTED,
                to_state=SubmissionState.ACCEPTED,
            )
            SubmissionEvent.objects.filter(pk=event.pk).update(at=_at(period.office_deadline))
    for index, a in enumerate(assessed):
        submission = _submitted(year, a, late.get(index, 0), heads[a.pk])
        _accept(submission, admin, max(calendar.accepted, year.unit_deadline))
    return calendar


def _seat_council(cycle: Cycle, admin: User | None, people: People) -> None:
    mains = main_indicators(cycle)
    half = (len(mains) + 1) // 2
    for username, role, groups in (
        (CHAIR, CouncilRole.CHAIR, mains),
        (MEMBER, CouncilRole.MEMBER, mains[:half]),
        (WORKING, CouncilRole.WORKING_GROUP, mains[half:]),
    ):
        user = people.by_username.get(username)
        if user is not None and admin is not None:
            council_seat_set(actor=admin, cycle=cycle, user=user, role=role, groups=groups)


def _item(cycle: Cycle, unit_code: str, indicator_code: str) -> Item | None:
    return (
        Item.objects.select_related(
            "period__cycle", "assessed__unit", "assessed__cycle", "indicator", "main", "figure"
        )
        .filter(period__cycle=cycle, assessed__unit__code=unit_code, indicator__code=indicator_code)
        .first()
    )


def _self_points(item: Item) -> Decimal:
    figure = item.figure
    return (
        figure.self_points if figure is not None and figure.self_points is not None else Decimal(0)
    )


def _correct(cycle: Cycle, chair: User, fix: Correction, day: dt.date, fmt: dict[str, int]) -> None:
    item = _item(cycle, fix.unit, fix.indicator)
    if item is None or _self_points(item) <= 0:
        return  # the unit is not assessed that year, or claimed nothing to correct
    item_correct(
        actor=chair,
        item=item,
        points=(_self_points(item) * fix.share).quantize(Decimal("0.01")),
        reason_code=fix.reason_code,
        reason=fix.reason.format(**fmt),
        today=day,
    )


def _exchange(
    cycle: Cycle,
    people: People,
    chair: User,
    ex: Exchange,
    calendar: Calendar,
    fmt: dict[str, int],
) -> None:
    item = _item(cycle, ex.unit, ex.indicator)
    asker = people.by_username.get(ex.asker)
    if item is None or asker is None:
        return
    request = item_request_explanation(
        actor=asker,
        item=item,
        question=ex.question.format(**fmt),
        due=calendar.due,
        today=calendar.requested,
    )
    if ex.answer is not None:
        reporter = people.of(item.assessed.unit, Role.REPORTER)
        documents = []
        if ex.document is not None:
            number, issuer, summary = ex.document
            documents.append(
                {
                    "number": number,
                    "date": dt.date(cycle.year, 3, 12),
                    "issuer": issuer,
                    "summary": summary,
                }
            )
        if reporter is None:
            return
        explanation_answer(
            actor=reporter, request=request, answer=ex.answer.format(**fmt), documents=documents
        )
        ExplanationRequest.objects.filter(pk=request.pk).update(
            answered_at=_at(calendar.answered, 16)
        )
        Evidence.objects.filter(pk__in=request.evidence.values("pk")).update(
            added_at=_at(calendar.answered, 16)
        )
    item = _item(cycle, ex.unit, ex.indicator)
    assert item is not None
    # Decided after the due date: an unanswered request leaves the council free to.
    after_due = calendar.due + dt.timedelta(days=1)
    if ex.outcome is None:
        item_accept(actor=asker, item=item, today=after_due)
    else:
        code, reason, share = ex.outcome
        item_correct(
            actor=chair,
            item=item,
            points=(_self_points(item) * share).quantize(Decimal("0.01")),
            reason_code=code,
            reason=reason.format(**fmt),
            today=after_due,
        )


def _tie_preference(row: IndicatorResult) -> tuple[bool, Decimal, str]:
    kind = (row.indicator.rule or {}).get("kind")
    return (kind == "yes_no", row.final_points or Decimal(0), row.code)


def _make_a_tie(cycle: Cycle, chair: User, day: dt.date) -> None:
    """Bring a unit down to exactly the next unit's final points with one
    correction, from rank 3 down, so the ranking shows a shared rank."""
    results = list(UnitResult.objects.filter(cycle=cycle).order_by("rank", "assessed__unit__name"))
    for high, low in pairwise(results[2:]):
        gap = high.final_points - low.final_points
        if gap <= 0 or high.max_points != low.max_points:
            continue
        accepted = {
            it.indicator_id: it
            for it in Item.objects.filter(assessed_id=high.assessed_id, state=ItemState.ACCEPTED)
        }
        rows = IndicatorResult.objects.filter(
            result=high, indicator_id__in=list(accepted), final_points__gte=gap
        ).select_related("indicator")
        # A graded indicator (a ratio, a count) rather than a yes/no one; the smallest change.
        row = min(rows, key=_tie_preference, default=None)
        if row is None:
            continue
        item = _item(cycle, high.assessed.unit.code, row.code)
        assert item is not None
        item_correct(
            actor=chair,
            item=item,
            points=row.final_points - gap,
            reason_code=R.NOT_SUPPORTED,
            reason=TIE_REASON,
            today=day,
        )
        return


def _appraise(
    cycle: Cycle,
    admin: User | None,
    people: People,
    calendar: Calendar,
    corrections: Iterable[Correction],
    exchanges: Iterable[Exchange] = (),
    tie: bool = False,
) -> None:
    """The council's year: seat, corrections, explanations, everything else
    accepted, sign-off and publication; then the dates moved back to then."""
    chair = people.by_username[CHAIR]
    before = Notification.objects.aggregate(n=Max("pk"))["n"] or 0
    _seat_council(cycle, admin, people)
    fmt = {"year": cycle.year, "previous": cycle.year - 1}
    for ex in exchanges:
        _exchange(cycle, people, chair, ex, calendar, fmt)
    for fix in corrections:
        _correct(cycle, chair, fix, calendar.decided, fmt)
    for a in cycle.assessed.select_related("cycle", "unit").order_by("unit__sort_key"):
        bulk_accept(actor=chair, assessed=a, today=calendar.decided)
    if tie:
        _make_a_tie(cycle, chair, calendar.decided)
    sign_off(actor=chair, cycle=cycle)
    publish(actor=chair, cycle=cycle)
    _date_the_work(cycle, calendar, before)


def _date_the_work(cycle: Cycle, calendar: Calendar, notifications_after: int) -> None:
    """The services stamped "now"; the work happened in the first months of the next year."""
    items = Item.objects.filter(period__cycle=cycle)
    Item.objects.filter(period__cycle=cycle, decided_at__isnull=False).update(
        decided_at=_at(calendar.decided, 14)
    )
    events = ItemEvent.objects.filter(item__in=items)
    events.filter(action=ItemAction.REQUEST).update(at=_at(calendar.requested))
    events.filter(action=ItemAction.ANSWER).update(at=_at(calendar.answered, 16))
    events.filter(action__in=[ItemAction.ACCEPT, ItemAction.CORRECT]).update(
        at=_at(calendar.decided, 14)
    )
    ExplanationRequest.objects.filter(item__in=items).update(requested_at=_at(calendar.requested))
    CycleOutcome.objects.filter(cycle=cycle).update(
        signed_off_at=_at(calendar.signed_off, 15), published_at=_at(calendar.published, 8)
    )
    outcome_events = OutcomeEvent.objects.filter(outcome__cycle=cycle)
    outcome_events.filter(action=OutcomeAction.SIGN_OFF).update(at=_at(calendar.signed_off, 15))
    outcome_events.filter(action=OutcomeAction.PUBLISH).update(at=_at(calendar.published, 8))
    Notification.objects.filter(pk__gt=notifications_after).update(
        created_at=_at(calendar.published, 8), read_at=_at(calendar.published, 9)
    )


# --- the cycles ----------------------------------------------------------------------


def _departments(province: Unit, year: int) -> list[tuple[Unit, str]]:
    units = Unit.objects.filter(parent=province, kind=UnitKind.DEPARTMENT).active_on(
        dt.date(year, 12, 31)
    )
    return [(u, DEPARTMENTS) for u in units.order_by("sort_key")]


def _departments_year(
    framework: Framework,
    province: Unit,
    admin: User | None,
    people: People,
    year: int,
    offset: int,
) -> Cycle | None:
    name = DEPARTMENTS_CYCLE.format(year=year)
    if Cycle.objects.filter(name=name).exists():
        return None
    cycle = cycle_create(
        actor=admin,
        framework=framework,
        year=year,
        name=name,
        scope=province,
        assessed=_departments(province, year),
    )
    # Some units sent their year report late: 2, 6 and 3 days.
    late = {1: 2, 4: 6, 7: 3} if offset == -1 else {2: 4, 5: 1}
    calendar = _report_year(cycle, admin, people, late)
    _appraise(
        cycle,
        admin,
        people,
        calendar,
        CORRECTIONS[offset],
        exchanges=EXCHANGES if offset == -1 else (),
        tie=offset == -1,
    )
    return cycle


def _province_year(
    framework: Framework, province: Unit, admin: User | None, people: People, year: int
) -> Cycle | None:
    name = PROVINCE_CYCLE.format(year=year)
    if Cycle.objects.filter(name=name).exists():
        return None
    cycle = cycle_create(
        actor=admin,
        framework=framework,
        year=year,
        name=name,
        scope=province,
        assessed=[(province, PROVINCES)],
        year_unit_deadline=dt.date(year + 1, 1, 10),
        year_office_deadline=dt.date(year + 1, 1, 30),
    )
    calendar = replace(
        _report_year(cycle, admin, people, {}),
        decided=dt.date(year + 1, 2, 10),
        signed_off=dt.date(year + 1, 2, 27),
        published=dt.date(year + 1, 3, 10),
    )
    _appraise(cycle, admin, people, calendar, PROVINCE_CORRECTIONS)
    return cycle


@transaction.atomic
def seed_appraisal(today: dt.date | None = None) -> list[Cycle]:
    """The appraised years and the running year's council; the cycles made."""
    today = today or timezone.localdate()
    province = Unit.objects.filter(code="KHH").first()
    departments = find("hy-department-2023")
    provincial = find("vn-province-2025")
    if province is None or departments is None:
        return []
    people = People()
    if CHAIR not in people.by_username:
        return []
    admin = people.of(province, Role.ADMIN)
    made = []
    for offset in (-2, -1):
        cycle = _departments_year(departments, province, admin, people, today.year + offset, offset)
        if cycle is not None:
            made.append(cycle)
    if provincial is not None:
        cycle = _province_year(provincial, province, admin, people, today.year - 1)
        if cycle is not None:
            made.append(cycle)
    running = Cycle.objects.filter(name=DEPARTMENTS_CYCLE.format(year=today.year)).first()
    if running is not None and not running.council.exists():
        _seat_council(running, admin, people)
    return made
