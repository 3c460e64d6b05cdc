"""Published results for the results tests, built through the app's services.

On top of the `year_cycle` fixture (2025, Sở Nội vụ, Sở Tài chính, Sở Y tế):

- `decide_2025`: the council corrects a few items with reasons (one after an
  explanation the unit answered late), accepts the rest;
- `publish`: the chair signs off, the office publishes;
- `build_2024`: the same three departments assessed in 2024 with the same
  framework, appraised (Sở Tài chính loses points there) and published, so that
  2025 has year-on-year arrows.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal as D

from django.utils import timezone

from dtis.appraisal.council import council_seat_set, main_indicators
from dtis.appraisal.decisions import (
    bulk_accept,
    explanation_answer,
    item_correct,
    item_request_explanation,
)
from dtis.appraisal.materialise import recompute
from dtis.appraisal.models import CouncilRole, ExplanationRequest, Item, ReasonCode, UnitResult
from dtis.appraisal.publication import publish as publish_results
from dtis.appraisal.publication import sign_off
from dtis.frameworks.services import find
from dtis.orgs.models import Role, UnitKind, User
from dtis.reporting.cycles import cycle_create
from dtis.reporting.models import AssessedUnit, Cycle, PeriodState
from dtis.reporting.workflow import submission_accept
from tests.appraisal.conftest import YearCycle, report_year
from tests.factories import Org, make_unit, make_user

REASON_HOME = "Quyết định kiện toàn Ban Chỉ đạo không kèm theo hồ sơ."
REASON_HEALTH = "Số liệu hồ sơ trực tuyến vượt so với báo cáo của Cổng dịch vụ công."


def item(assessed: AssessedUnit, code: str) -> Item:
    return Item.objects.select_related(
        "period__cycle", "assessed__unit", "assessed__cycle", "indicator", "main"
    ).get(assessed=assessed, indicator__code=code)


def biggest_items(assessed: AssessedUnit, n: int) -> list[Item]:
    """The unit's n items worth most points (where a correction shows)."""
    codes = list(
        Item.objects.filter(assessed=assessed)
        .order_by("-indicator__max_points", "indicator__order")
        .values_list("indicator__code", flat=True)[:n]
    )
    return [item(assessed, c) for c in codes]


def self_points(assessed: AssessedUnit, code: str) -> D:
    return UnitResult.objects.get(assessed=assessed).indicators.get(code=code).self_points


def correct(chair, assessed: AssessedUnit, code: str, lost: D, reason_code: str, reason: str):  # type: ignore[no-untyped-def]
    """Take `lost` points (at most what the unit claimed) off one item."""
    claimed = self_points(assessed, code)
    points = max(claimed - lost, D(0))
    item_correct(
        actor=chair,
        item=item(assessed, code),
        points=points,
        reason_code=reason_code,
        reason=reason,
    )
    return claimed - points


def decide_2025(yc: YearCycle, org: Org) -> dict[str, D]:
    """Corrections on Sở Nội vụ (1.1, missing evidence) and Sở Y tế (two items,
    one after an explanation answered after its due date); everything else
    accepted. Returns the points lost per unit code."""
    lost: dict[str, D] = {}
    lost["KHH-SNV"] = correct(
        yc.chair, yc.home, "1.1", D("7.5"), ReasonCode.MISSING_EVIDENCE, REASON_HOME
    )
    first, second = (i.indicator.code for i in biggest_items(yc.health, 2))
    ten_days_ago = timezone.localdate() - dt.timedelta(days=10)
    request = item_request_explanation(
        actor=yc.chair,
        item=item(yc.health, first),
        question="Đề nghị bổ sung báo cáo thống kê hồ sơ trực tuyến của Cổng dịch vụ công.",
        due=ten_days_ago + dt.timedelta(days=3),
        today=ten_days_ago,
    )
    ExplanationRequest.objects.filter(pk=request.pk).update(
        requested_at=timezone.now() - dt.timedelta(days=10)
    )
    request.refresh_from_db()
    explanation_answer(
        actor=_health_head(yc),
        request=ExplanationRequest.objects.select_related(
            "item__period__cycle",
            "item__assessed__unit",
            "item__assessed__cycle",
            "item__indicator",
        ).get(pk=request.pk),
        answer="Sở đã bổ sung Báo cáo số 112/BC-SYT ngày 15/01/2026 về hồ sơ trực tuyến.",
        documents=[
            {
                "number": "112/BC-SYT",
                "date": dt.date(2026, 1, 15),
                "issuer": "Sở Y tế tỉnh Khánh Hòa",
                "summary": "Báo cáo kết quả tiếp nhận hồ sơ trực tuyến năm 2025",
            }
        ],
    )
    a = correct(yc.chair, yc.health, first, D("10"), ReasonCode.NOT_SUPPORTED, REASON_HEALTH)
    b = correct(
        yc.chair,
        yc.health,
        second,
        D("5"),
        ReasonCode.OUTSIDE_PERIOD,
        "Văn bản ban hành năm 2024, ngoài kỳ đánh giá.",
    )
    lost["KHH-SYT"] = a + b
    for assessed in (yc.home, yc.finance, yc.health):
        bulk_accept(actor=yc.chair, assessed=assessed)
    return lost


def _health_head(yc: YearCycle) -> User:
    return make_user("truong.cong.danh", "Trương Công Danh", Role.HEAD, yc.health.unit)


def publish(cycle: Cycle, chair, office) -> None:  # type: ignore[no-untyped-def]
    sign_off(actor=chair, cycle=cycle)
    publish_results(actor=office, cycle=cycle)


def build_2024(org: Org, yc: YearCycle, lower: dict[str, D] | None = None) -> Cycle:
    """The same departments in 2024, published. `lower`: unit code → points the
    council took off its biggest item that year (default: Sở Tài chính −30)."""
    lower = {"KHH-STC": D(30)} if lower is None else lower
    cycle = cycle_create(
        actor=org.admin,
        framework=find("hy-department-2023"),  # type: ignore[arg-type]
        year=2024,
        name="Đánh giá chuyển đổi số các sở, ban, ngành năm 2024",
        scope=org.province,
        assessed=[(a.unit, "Sở, ban, ngành") for a in (yc.home, yc.finance, yc.health)],
    )
    period = cycle.periods.get(kind="year")
    period.state = PeriodState.OPEN
    period.unit_deadline = timezone.localdate() + dt.timedelta(days=5)
    period.save()
    units = {a.unit.code: a for a in cycle.assessed.select_related("unit", "cycle")}
    for assessed in units.values():
        report_year(period, assessed, None)
        submission_accept(actor=org.admin, submission=period.submissions.get(assessed=assessed))
    council_seat_set(
        actor=org.admin,
        cycle=cycle,
        user=yc.chair,
        role=CouncilRole.CHAIR,
        groups=main_indicators(cycle),
    )
    for code, points in lower.items():
        assessed = units[code]
        top = biggest_items(assessed, 3)
        left = points
        for it in top:
            if left <= 0:
                break
            left -= correct(
                yc.chair,
                assessed,
                it.indicator.code,
                left,
                ReasonCode.NOT_SUPPORTED,
                "Số liệu không khớp minh chứng.",
            )
    for assessed in units.values():
        bulk_accept(actor=yc.chair, assessed=assessed)
    publish(cycle, yc.chair, org.admin)
    return cycle


MORE_DEPARTMENTS = [
    ("KHH-SGDDT", "Sở Giáo dục và Đào tạo tỉnh Khánh Hòa"),
    ("KHH-SXD", "Sở Xây dựng tỉnh Khánh Hòa"),
    ("KHH-SCT", "Sở Công Thương tỉnh Khánh Hòa"),
    ("KHH-SVHTTDL", "Sở Văn hóa, Thể thao và Du lịch tỉnh Khánh Hòa"),
    ("KHH-SKHCN", "Sở Khoa học và Công nghệ tỉnh Khánh Hòa"),
    ("KHH-SNNMT", "Sở Nông nghiệp và Môi trường tỉnh Khánh Hòa"),
]


def add_units(org: Org, cycle: Cycle, n: int) -> list[AssessedUnit]:
    """n more departments in the cycle, with (empty) results: for query counts
    that must not grow with the number of units."""
    made = []
    for code, name in MORE_DEPARTMENTS[:n]:
        unit = make_unit(code, name, UnitKind.DEPARTMENT, org.province)
        made.append(
            AssessedUnit.objects.create(cycle=cycle, unit=unit, peer_group="Sở, ban, ngành")
        )
    recompute(cycle, made)
    return made
