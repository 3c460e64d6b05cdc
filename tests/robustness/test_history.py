"""Every change is in the history, and the history cannot be edited.

One figure's life, Sở Y tế's online dossiers (indicator 6.4) for the year
2026: its reporter saves it on the web, the one-stop system pushes a newer
figure through the API, evidence is added, replaced and removed, the head
submits, the standing office returns the report and accepts it after it is
submitted again, and the appraisal council corrects the score. Each step
shows in the history with who, when, before and after, and why.

Then the other side: no page lets anyone change a historical record. No
Historical* model is in the Django admin, and every URL whose name or path
speaks of history ("history", "lich-su") changes nothing on a POST, PUT,
PATCH or DELETE, whoever sends it.
"""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal
from typing import Any

import pytest
from django.apps import apps
from django.contrib import admin
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.utils import timezone

from dtis.appraisal.council import council_seat_set, main_indicators
from dtis.appraisal.decisions import item_correct
from dtis.appraisal.models import CouncilRole, Item, ItemAction, ReasonCode
from dtis.orgs.models import Role, Unit
from dtis.orgs.units import unit_update
from dtis.reporting.evidence import (
    evidence_add_file,
    evidence_add_link,
    evidence_remove,
    evidence_replace_file,
)
from dtis.reporting.figures import figure_save
from dtis.reporting.models import Assignment, Evidence, Figure, PeriodState, SubmissionState
from dtis.reporting.workflow import submission_accept, submission_return, submission_submit
from tests.api.conftest import CLIENT_NAME, dossiers
from tests.factories import make_user

pytestmark = pytest.mark.django_db

HistoricalFigure = Figure.history.model
HistoricalEvidence = Evidence.history.model
S = SubmissionState

MINIMAL_PDF = (
    b"%PDF-1.4\n"
    b"1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n"
    b"2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>endobj\n"
    b"3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 595 842]>>endobj\n"
    b"xref\n0 4\n0000000000 65535 f \n0000000009 00000 n \n"
    b"0000000052 00000 n \n0000000101 00000 n \n"
    b"trailer<</Size 4/Root 1 0 R>>\nstartxref\n165\n%%EOF\n"
)


def pdf(name: str) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, MINIMAL_PDF, content_type="application/pdf")


@pytest.fixture
def life(org, health, cycle, issued, api, settings, tmp_path):  # type: ignore[no-untyped-def]
    """Live the figure's whole year; answer what each step returned."""
    settings.MEDIA_ROOT = tmp_path
    period = cycle.periods.get(kind="year")
    period.state = PeriodState.OPEN
    period.unit_deadline = timezone.localdate() + dt.timedelta(days=10)
    period.office_deadline = period.unit_deadline + dt.timedelta(days=5)
    period.save()
    assessed = cycle.assessed.select_related("unit").get(unit=health)
    indicator = Assignment.objects.get(assessed=assessed, indicator__code="6.4").indicator
    reporter = make_user("tran.thi.thu", "Trần Thị Thu", Role.REPORTER, health)
    head = make_user("nguyen.van.khoa", "Nguyễn Văn Khoa", Role.HEAD, health)

    web = figure_save(
        actor=reporter,
        period=period,
        assessed=assessed,
        indicator=indicator,
        values={"so_ho_so_xu_ly_truc_tuyen": "1.050", "tong_so_ho_so": "1.500"},
        version=0,
        reason="Số liệu cả năm theo báo cáo của Văn phòng",
    )
    pushed = api.put(
        f"/api/v1/cycles/{cycle.pk}/figures", dossiers(1260, 1500, period="year"), "nam-2026-6.4"
    )
    assert pushed.status_code == 200, pushed.content
    figure = Figure.objects.get(pk=web.pk)
    link = evidence_add_link(
        actor=reporter, figure=figure, url="https://motcua.khanhhoa.gov.vn/thong-ke/2026"
    )
    first = evidence_add_file(actor=reporter, figure=figure, upload=pdf("Báo cáo TTHC 2026.pdf"))
    second = evidence_replace_file(
        actor=reporter, evidence=first, upload=pdf("Báo cáo TTHC 2026 (bản ký số).pdf")
    )
    evidence_remove(actor=reporter, evidence=link)

    submission = submission_submit(
        actor=head, period=period, assessed=assessed, override_reason="Đủ hồ sơ theo quy định"
    )
    submission_return(
        actor=org.admin,
        submission=submission,
        items=[(indicator, "Bổ sung văn bản ký số của Sở Y tế")],
        comment="Trả lại để bổ sung",
    )
    submission = submission_submit(
        actor=head, period=period, assessed=assessed, override_reason="Đã bổ sung văn bản"
    )
    submission_accept(actor=org.admin, submission=submission, comment="Hồ sơ đầy đủ")

    council_seat_set(
        actor=org.admin,
        cycle=cycle,
        user=org.appraiser,
        role=CouncilRole.CHAIR,
        groups=main_indicators(cycle),
    )
    item = Item.objects.get(period=period, assessed=assessed, indicator=indicator)
    item_correct(
        actor=org.appraiser,
        item=item,
        points=Decimal("20"),
        reason_code=ReasonCode.NOT_SUPPORTED,
        reason="Số hồ sơ trực tuyến chưa khớp với báo cáo của Sở Y tế",
    )
    return {
        "figure": figure,
        "reporter": reporter,
        "head": head,
        "service": issued.client.user,
        "link": link,
        "first": first,
        "second": second,
        "submission": submission,
        "item": item,
        "period": period,
    }


def test_every_save_of_the_figure_is_a_history_entry_with_who_and_why(life):
    rows = list(
        HistoricalFigure.objects.filter(id=life["figure"].pk).order_by("history_date", "history_id")
    )

    assert [(r.history_type, r.version) for r in rows] == [("+", 1), ("~", 2)]
    web, pushed = rows
    assert web.history_user == life["reporter"]
    assert web.history_change_reason == "Số liệu cả năm theo báo cáo của Văn phòng"
    assert web.values == {"so_ho_so_xu_ly_truc_tuyen": 1050, "tong_so_ho_so": 1500}
    assert pushed.history_user == life["service"]
    assert pushed.history_change_reason == f"API: {CLIENT_NAME}"[:100]
    assert pushed.values == {"so_ho_so_xu_ly_truc_tuyen": 1260, "tong_so_ho_so": 1500}
    # The score changed with it, and both are kept: 70 % of an 80 % target, then 84 %.
    assert (web.self_points, pushed.self_points) == (Decimal("26.25"), Decimal("30.00"))


def test_evidence_added_replaced_and_removed_is_all_kept_in_the_history(life):
    def steps(item: Evidence) -> list[tuple[str, int | None]]:
        rows = HistoricalEvidence.objects.filter(id=item.pk).order_by("history_date", "history_id")
        return [(r.history_type, r.replaced_by_id) for r in rows]

    assert steps(life["link"]) == [("+", None), ("-", None)]  # removed, yet still in the history
    assert steps(life["first"]) == [("+", None), ("~", life["second"].pk)]
    assert steps(life["second"]) == [("+", None)]
    removal = HistoricalEvidence.objects.get(id=life["link"].pk, history_type="-")
    assert removal.history_user == life["reporter"]
    assert removal.url == "https://motcua.khanhhoa.gov.vn/thong-ke/2026"
    # The replaced file is still stored and shown as the older version.
    assert Evidence.objects.get(pk=life["first"].pk).replaced_by == life["second"]


def test_every_workflow_step_is_recorded_with_who_from_to_and_why(life, org):
    events = list(life["submission"].events.order_by("at", "pk"))

    assert [(e.from_state, e.to_state, e.by) for e in events] == [
        (S.DRAFT, S.SUBMITTED, life["head"]),
        (S.SUBMITTED, S.RETURNED, org.admin),
        (S.RETURNED, S.SUBMITTED, life["head"]),
        (S.SUBMITTED, S.ACCEPTED, org.admin),
    ]
    assert "Đủ hồ sơ theo quy định" in events[0].comment
    assert events[1].comment == "Trả lại để bổ sung"
    assert [i.comment for i in events[1].items.all()] == ["Bổ sung văn bản ký số của Sở Y tế"]
    assert events[3].comment == "Hồ sơ đầy đủ"


def test_the_councils_correction_of_the_score_is_recorded_with_before_after_and_why(life, org):
    (event,) = life["item"].events.all()

    assert event.action == ItemAction.CORRECT and event.by == org.appraiser
    assert (event.points_before, event.points_after) == (None, Decimal("20.00"))
    assert event.reason_code == ReasonCode.NOT_SUPPORTED
    assert event.text == "Số hồ sơ trực tuyến chưa khớp với báo cáo của Sở Y tế"


def test_the_api_history_lists_the_web_and_the_api_change_in_order(life, api, cycle):
    response = api.get(f"/api/v1/cycles/{cycle.pk}/history", indicator="6.4")

    assert response.status_code == 200
    items = [i for i in response.json()["items"] if i["period"] == "year"]
    assert [i["action"] for i in items] == ["created", "changed"]
    assert [i["who"] for i in items] == ["Trần Thị Thu", CLIENT_NAME]
    assert items[1]["why"] == f"API: {CLIENT_NAME}"


# --- the history cannot be edited --------------------------------------------------


def test_no_historical_model_is_in_the_admin():
    registered = [m for m in admin.site._registry if m.__name__.startswith("Historical")]
    logs = {"SubmissionEvent", "ItemEvent", "OutcomeEvent", "HistoricalRecord"}
    assert registered == []
    assert [m.__name__ for m in admin.site._registry if m.__name__ in logs] == []


def _walk(patterns: list[Any], prefix: str = "", namespace: str = "") -> Any:
    for p in patterns:
        if isinstance(p, URLResolver):
            inner = (
                f"{namespace}:{p.namespace}"
                if namespace and p.namespace
                else (p.namespace or namespace)
            )
            yield from _walk(p.url_patterns, prefix + str(p.pattern), inner or "")
        elif isinstance(p, URLPattern) and p.name:
            yield prefix + str(p.pattern), f"{namespace}:{p.name}" if namespace else p.name


def history_urls() -> list[tuple[str, str]]:
    """(route, name) of every URL whose name or route speaks of history."""
    found = re.compile(r"history|lich-su|lich_su")
    return sorted({(r, n) for r, n in _walk(get_resolver().url_patterns) if found.search(r + n)})


def _admin_url(name: str, unit: Unit, cycle: Any) -> str | None:
    """A real address for each history URL: a unit (with two history rows)
    for the admin's pages, the cycle for the API's."""
    if name == "api:history_list":
        return reverse(name, kwargs={"cycle_id": cycle.pk})
    match = re.fullmatch(r"admin:([a-z]+)_(\w+?)_(simple_history|history)", name)
    assert match, f"{name}: say here how to fill its arguments"
    model = apps.get_model(match[1], match[2])
    if model is Unit:
        obj: Any = unit
    else:
        obj = model.objects.order_by("pk").first()
        if obj is None:  # nothing of that kind exists here: nothing to change either
            return None
    if match[3] == "history":
        return reverse(name, args=[obj.pk])
    oldest = obj.history.order_by("history_date", "history_id").first()
    return reverse(name, args=[obj.pk, oldest.history_id])


def snapshot() -> dict[str, Any]:
    """Every table's rows, and every historical row of the units, as stored."""
    counts = {m._meta.db_table: m.objects.count() for m in apps.get_models() if m._meta.managed}
    units = list(Unit.objects.order_by("pk").values())
    history = list(Unit.history.order_by("history_id").values())
    return {"counts": counts, "units": units, "history": history}


def test_history_pages_answer_a_change_by_changing_nothing(org, cycle, issued):
    unit = org.dept_home
    unit_update(
        actor=org.admin,
        unit=unit,
        name="Sở Nội vụ tỉnh Khánh Hòa (mới)",
        short_name=unit.short_name,
        kind=unit.kind,
        parent=unit.parent,
        valid_from=unit.valid_from,
        valid_to=unit.valid_to,
        version=unit.version,
    )
    urls = history_urls()
    assert any(n == "api:history_list" for _r, n in urls)
    assert any(n.endswith("_simple_history") for _r, n in urls)
    superuser = Client()
    superuser.force_login(org.superuser)
    before = snapshot()
    changed: list[str] = []
    for _route, name in urls:
        url = _admin_url(name, unit, cycle)
        if url is None:
            continue
        if name.startswith("admin:"):
            assert superuser.get(url).status_code == 200, url
        # A revert of the unit to its first version, as the admin's form would post it.
        form = {
            "code": unit.code,
            "name": "Sở Nội vụ tỉnh Khánh Hòa",
            "kind": unit.kind,
            "short_name": unit.short_name,
            "parent": unit.parent_id,
            "version": 1,
            "_save": "1",
        }
        for method in ("post", "put", "patch", "delete"):
            ahead = snapshot()
            response = getattr(superuser, method)(url, form if method == "post" else None)
            if snapshot() != ahead:
                changed.append(f"{method.upper()} {url} → {response.status_code}")
    assert changed == []
    assert snapshot() == before
    unit.refresh_from_db()
    assert unit.name == "Sở Nội vụ tỉnh Khánh Hòa (mới)" and unit.version == 2


def test_reverting_a_unit_from_the_admin_history_is_refused(org):
    """Regression: simple-history's revert copied version 1 back over version
    2 (name and version number alike), outside the services' checks."""
    unit = org.dept_home
    first = unit.history.order_by("history_date", "history_id").first()
    unit_update(
        actor=org.admin,
        unit=unit,
        name="Sở Nội vụ tỉnh Khánh Hòa (mới)",
        short_name=unit.short_name,
        kind=unit.kind,
        parent=unit.parent,
        valid_from=unit.valid_from,
        valid_to=unit.valid_to,
        version=unit.version,
    )
    superuser = Client()
    superuser.force_login(org.superuser)
    url = reverse("admin:orgs_unit_simple_history", args=[unit.pk, first.history_id])

    page = superuser.get(url)
    response = superuser.post(
        url,
        {
            "code": unit.code,
            "name": first.name,
            "kind": unit.kind,
            "short_name": unit.short_name,
            "_save": "1",
        },
    )

    assert page.status_code == 200
    assert response.status_code == 405
    unit.refresh_from_db()
    assert (unit.name, unit.version) == ("Sở Nội vụ tỉnh Khánh Hòa (mới)", 2)
    assert unit.history.count() == 2
