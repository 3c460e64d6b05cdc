"""The data every cell of the authorization matrix points at, built once per
module through the app's own services.

Two provinces (tests.factories.build_org: Khánh Hòa with Sở Nội vụ and Sở Tài
chính; Đà Nẵng with its Sở Nội vụ), each with:

- a 2025 departments' cycle (Hưng Yên's framework, the first six indicators
  reported by each unit) in appraisal: year reports entered (one file of
  evidence each), submitted and accepted, the council seated (Khánh Hòa's
  chair is the `appraiser` of the fixtures; Phạm Quốc Việt, `member`, sits for
  the first two indicator groups), one explanation request waiting
  per unit; Sở Y tế's report is there too, its first indicator coordinated by
  Sở Nội vụ and its second by Sở Tài chính (so that the two departments'
  own reports stay unrelated);
- a 2024 cycle of the same units, appraised and published, with the office's
  draft improvement plan for each unit (its first task led by that unit);
- a draft framework owned by the province, and an API token per department.

A `Side` bundles what one column of the matrix asks for: `own` (Sở Nội vụ of
Khánh Hòa, the unit of the reporter and the head, inside the province of the
office, the council and leadership), `dept` (Sở Tài chính: another department
of the same province) and `prov` (Sở Nội vụ of Đà Nẵng: another province).
"""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass, field

from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.utils import timezone

from dtis.api.clients import client_create
from dtis.appraisal.council import council_seat_set, main_indicators
from dtis.appraisal.decisions import bulk_accept, item_request_explanation
from dtis.appraisal.models import CouncilMember, CouncilRole, ExplanationRequest, Item
from dtis.appraisal.publication import publish, sign_off
from dtis.frameworks.files import DATA_DIR
from dtis.frameworks.models import Framework
from dtis.frameworks.published import published_import
from dtis.frameworks.services import find, framework_dict, framework_import
from dtis.orgs.models import Role, RoleGrant, Unit, UnitKind, User
from dtis.plans.draft import draft, save_draft
from dtis.plans.models import Plan, PlanTask
from dtis.reporting.cycles import cycle_create
from dtis.reporting.demo import figures_for
from dtis.reporting.evidence import evidence_add_file
from dtis.reporting.figures import figure_save
from dtis.reporting.models import (
    AssessedUnit,
    Assignment,
    Cycle,
    Evidence,
    Figure,
    Notification,
    Period,
    PeriodState,
)
from dtis.reporting.workflow import submission_accept, submission_submit
from tests.factories import Org, build_org, make_unit, make_user

FRAMEWORK = "hy-department-2023"
PEER_GROUP = "Sở, ban, ngành"
INDICATORS = 6  # reported per unit: enough for two groups, few enough to draw fast
# A PDF as small as the content check accepts (the evidence download must find a file).
PDF = b"%PDF-1.4\n1 0 obj<</Type/Catalog>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n"


@dataclass
class Side:
    """One column of the matrix: the objects of one unit, as the URLs name them."""

    unit: Unit
    account: User  # a person whose only role is on this unit
    grant: RoleGrant
    cycle: Cycle  # in appraisal (2025)
    period: Period  # its year period
    assessed: AssessedUnit
    assignment: Assignment
    figure: Figure
    evidence: Evidence
    item: Item
    explanation: ExplanationRequest
    seat: CouncilMember
    contribution: tuple[int, int, str]  # (period, assessed, code) this unit coordinates
    published: Cycle  # 2024, published
    published_assessed: AssessedUnit
    plan: Plan
    task: PlanTask
    client_id: int
    token: str
    framework: Framework  # a draft owned by the unit's province
    notification_of: User | None  # None: the person asking (their own notification)


@dataclass
class World:
    org: Org
    sides: dict[str, Side]
    member: User  # on Khánh Hòa's 2025 council for the first two groups only (not the chair)
    notifications: dict[int, int] = field(default_factory=dict)  # user pk → notification pk
    published_framework: tuple[str, int, int] = ("", 0, 0)  # code, version, year


def _upload(name: str) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, PDF, content_type="application/pdf")


def _open_year(cycle: Cycle) -> Period:
    period = cycle.periods.get(kind="year")
    period.state = PeriodState.OPEN
    period.unit_deadline = timezone.localdate() + dt.timedelta(days=5)
    period.save()
    return period


def _cycle(office: User, scope: Unit, units: list[Unit], year: int) -> Cycle:
    """A departments' cycle where each unit reports only the first indicators of
    the framework: every page of the matrix has something to show, and draws
    quickly (the matrix sends thousands of requests)."""
    cycle = cycle_create(
        actor=office,
        framework=find(FRAMEWORK),  # type: ignore[arg-type]
        year=year,
        name=f"Đánh giá chuyển đổi số các sở, ban, ngành {scope.short_name} năm {year}",
        scope=scope,
        assessed=[(u, PEER_GROUP) for u in units],
    )
    for assessed in cycle.assessed.all():
        kept = assessed.assignments.order_by("indicator__order").values_list("pk", flat=True)
        assessed.assignments.exclude(pk__in=list(kept[:INDICATORS])).delete()
    return cycle


def _report(period: Period, assessed: AssessedUnit, *, evidence: bool) -> None:
    """Every figure of the year report, a scanned decision on the first, submitted."""
    rng = random.Random(f"{assessed.unit.code}-{period.cycle.year}")
    rows = assessed.assignments.select_related("indicator").order_by("indicator__order")
    for n, assignment in enumerate(rows):
        figure = figure_save(
            actor=None,
            period=period,
            assessed=assessed,
            indicator=assignment.indicator,
            values=figures_for(assignment.indicator, rng),
        )
        if evidence and n == 0:
            evidence_add_file(
                actor=None, figure=figure, upload=_upload("Quyết định kiện toàn Ban Chỉ đạo.pdf")
            )
    submission_submit(actor=None, period=period, assessed=assessed, override_reason="Đủ hồ sơ")


def _appraising(office: User, chair: User, scope: Unit, units: list[Unit]) -> Cycle:
    cycle = _cycle(office, scope, units, 2025)
    period = _open_year(cycle)
    for assessed in cycle.assessed.select_related("unit", "cycle"):
        _report(period, assessed, evidence=True)
        submission_accept(actor=office, submission=period.submissions.get(assessed=assessed))
    council_seat_set(
        actor=office, cycle=cycle, user=chair, role=CouncilRole.CHAIR, groups=main_indicators(cycle)
    )
    for assessed in cycle.assessed.all():
        first = Item.objects.filter(assessed=assessed).order_by("indicator__order").first()
        assert first is not None
        item_request_explanation(
            actor=chair,
            item=first,
            question="Đề nghị bổ sung Quyết định kiện toàn Ban Chỉ đạo chuyển đổi số.",
            due=timezone.localdate() + dt.timedelta(days=7),
        )
    return cycle


def _published(office: User, chair: User, scope: Unit, units: list[Unit]) -> Cycle:
    cycle = _cycle(office, scope, units, 2024)
    period = _open_year(cycle)
    for assessed in cycle.assessed.select_related("unit", "cycle"):
        _report(period, assessed, evidence=False)
        submission_accept(actor=office, submission=period.submissions.get(assessed=assessed))
    council_seat_set(
        actor=office, cycle=cycle, user=chair, role=CouncilRole.CHAIR, groups=main_indicators(cycle)
    )
    for assessed in cycle.assessed.all():
        bulk_accept(actor=chair, assessed=assessed)
    sign_off(actor=chair, cycle=cycle)
    publish(actor=office, cycle=cycle)
    for assessed in cycle.assessed.select_related("unit", "cycle"):
        plan = save_draft(draft(assessed, target_rank=1), office)
        plan.tasks.filter(order=1).update(owner=assessed.unit)
    return cycle


def _owned_framework(owner: Unit, code: str) -> Framework:
    data = framework_dict(find(FRAMEWORK))  # type: ignore[arg-type]
    data |= {"code": code, "version": 1, "status": "draft",
             "name": f"Bộ chỉ số chuyển đổi số các sở, ban, ngành {owner.short_name}"}  # fmt: skip
    return framework_import(data, actor=None, owner=owner).framework


def _coordinate(cycle: Cycle, lead: Unit, helper: Unit, n: int) -> tuple[int, int, str]:
    """`helper` coordinates the lead unit's n-th indicator: (period, assessed, code)."""
    assignment = (
        Assignment.objects.filter(cycle=cycle, assessed__unit=lead)
        .order_by("indicator__order")
        .select_related("indicator")[n]
    )
    assignment.coordinators.add(helper)
    period = cycle.periods.get(kind="year")
    return period.pk, assignment.assessed_id, assignment.indicator.code


def _side(unit: Unit, account: User, appraising: Cycle, published: Cycle, **rest: object) -> Side:
    assessed = appraising.assessed.select_related("unit").get(unit=unit)
    evidence = Evidence.objects.select_related("figure").get(figure__assessed=assessed)
    plan = Plan.objects.get(source__cycle=published, source__unit=unit)
    return Side(
        unit=unit,
        account=account,
        grant=RoleGrant.objects.get(user=account),
        cycle=appraising,
        period=appraising.periods.get(kind="year"),
        assessed=assessed,
        assignment=Assignment.objects.filter(assessed=assessed).order_by("indicator__order")[0],
        figure=evidence.figure,
        evidence=evidence,
        item=Item.objects.filter(assessed=assessed).order_by("indicator__order")[0],
        explanation=ExplanationRequest.objects.get(item__assessed=assessed),
        published=published,
        published_assessed=published.assessed.get(unit=unit),
        plan=plan,
        task=plan.tasks.get(order=1),
        **rest,  # type: ignore[arg-type]
    )


def build_world() -> World:
    org = build_org()
    call_command("load-frameworks", verbosity=0)
    snv, stc, dna_snv = org.dept_home, org.dept_finance, org.other_dept
    syt = make_unit("KHH-SYT", "Sở Y tế tỉnh Khánh Hòa", UnitKind.DEPARTMENT, org.province,
                    short_name="Sở Y tế")  # fmt: skip
    stc_reporter = make_user("phan.thi.thu.ha", "Phan Thị Thu Hà", Role.REPORTER, stc)
    dna_chair = make_user("ngo.thanh.son", "Ngô Thanh Sơn", Role.APPRAISER, org.other_province)
    member = make_user("pham.quoc.viet", "Phạm Quốc Việt", Role.APPRAISER, org.province)

    khh_2025 = _appraising(org.admin, org.appraiser, org.province, [snv, stc, syt])
    khh_2024 = _published(org.admin, org.appraiser, org.province, [snv, stc])
    dna_2025 = _appraising(org.other_admin, dna_chair, org.other_province, [dna_snv])
    dna_2024 = _published(org.other_admin, dna_chair, org.other_province, [dna_snv])
    khh_seat = council_seat_set(
        actor=org.admin, cycle=khh_2025, user=member, role=CouncilRole.MEMBER,
        groups=main_indicators(khh_2025)[:2],
    )  # fmt: skip
    dna_seat = CouncilMember.objects.get(cycle=dna_2025, user=dna_chair)
    khh_fw = _owned_framework(org.province, "khh-so-nganh-2026")
    dna_fw = _owned_framework(org.other_province, "dna-so-nganh-2026")
    clients = {
        unit.code: client_create(
            actor=actor, name=f"Hệ thống một cửa điện tử — {unit.name}", units=[unit]
        )
        for unit, actor in ((snv, org.admin), (stc, org.admin), (dna_snv, org.other_admin))
    }

    sides = {
        "own": _side(
            snv, org.reporter, khh_2025, khh_2024, seat=khh_seat,
            contribution=_coordinate(khh_2025, syt, snv, 0), framework=khh_fw,
            client_id=clients[snv.code].client.pk, token=clients[snv.code].token,
            notification_of=None,
        ),
        "dept": _side(
            stc, stc_reporter, khh_2025, khh_2024, seat=khh_seat,
            contribution=_coordinate(khh_2025, syt, stc, 1), framework=khh_fw,
            client_id=clients[stc.code].client.pk, token=clients[stc.code].token,
            notification_of=stc_reporter,
        ),
        "prov": _side(
            dna_snv, org.other_reporter, dna_2025, dna_2024, seat=dna_seat,
            contribution=_coordinate(dna_2025, dna_snv, org.other_province, 0), framework=dna_fw,
            client_id=clients[dna_snv.code].client.pk, token=clients[dna_snv.code].token,
            notification_of=org.other_reporter,
        ),
    }  # fmt: skip
    world = World(org=org, sides=sides, member=member)
    for user in User.objects.all():
        note = Notification.objects.create(
            user=user, message="Kỳ báo cáo năm 2025 đã mở.", url="/bao-cao/"
        )
        world.notifications[user.pk] = note.pk
    world.published_framework = _ministry_results()
    return world


def _ministry_results() -> tuple[str, int, int]:
    """The ministry's published 2022 table shipped with the app (national data)."""
    path = DATA_DIR / "published" / "vn-province-2022-2022.csv"
    framework = find("vn-province-2022")
    assert framework is not None
    with path.open("rb") as fh:
        report = published_import(framework=framework, year=2022, upload=fh, filename=path.name)
    assert report.ok, report.problems
    return framework.code, framework.version, 2022
