"""The plan screens: the office drafts and edits, a leader approves, the lead
unit reports each task's progress; everyone else is refused, and bad input
leaves the data as it was."""

from __future__ import annotations

import datetime as dt
import importlib.util

import pytest
from django.core.cache import cache
from django.test import Client

from dtis.plans import services
from dtis.plans.draft import draft, save_draft
from dtis.plans.forms import version_of
from dtis.plans.models import Plan, PlanStatus, PlanTask, TaskStatus


def _client(user) -> Client:  # type: ignore[no-untyped-def]
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def plan(published, org):  # type: ignore[no-untyped-def]
    """The office's draft for Sở Nội vụ, its first task led by Sở Nội vụ itself."""
    made = save_draft(draft(published.home, target_rank=1), org.admin)
    made.tasks.filter(order=1).update(owner=org.dept_home)
    return made


@pytest.fixture
def approved(plan, org):  # type: ignore[no-untyped-def]
    return services.approve(plan, org.viewer)


def _first(plan: Plan) -> PlanTask:
    return plan.tasks.get(order=1)


def _edit_data(plan: Plan, **changes: str) -> dict[str, str]:
    """The edit form as the browser sends it, unchanged unless told."""
    data = {
        "version": version_of(plan),
        "title": plan.title,
        "number": plan.number,
        "place": plan.place,
        "issued_on": plan.issued_on.isoformat() if plan.issued_on else "",
        "purpose": plan.purpose,
        "requirements": plan.requirements,
        "targets_text": plan.targets_text,
        "organisation": plan.organisation,
        "recipients": plan.recipients,
        "signer_title": plan.signer_title,
        "signer_name": plan.signer_name,
    }
    tasks = list(plan.tasks.order_by("order", "pk"))
    data |= {
        "task-TOTAL_FORMS": str(len(tasks)),
        "task-INITIAL_FORMS": str(len(tasks)),
        "task-MIN_NUM_FORMS": "0",
        "task-MAX_NUM_FORMS": "1000",
    }
    for n, t in enumerate(tasks):
        data |= {
            f"task-{n}-id": str(t.pk),
            f"task-{n}-tasks": t.tasks,
            f"task-{n}-owner": str(t.owner_id or ""),
            f"task-{n}-coordinators": t.coordinators,
            f"task-{n}-evidence_expected": t.evidence_expected,
            f"task-{n}-deadline": t.deadline.isoformat() if t.deadline else "",
            f"task-{n}-effort": str(t.effort),
        }
    data |= changes
    return data


# --- list -----------------------------------------------------------------------------


def test_the_office_and_leadership_see_the_plan_in_the_list(plan, org):
    for user in (org.admin, org.viewer):
        response = _client(user).get("/ke-hoach/")
        assert response.status_code == 200
        assert plan.title in response.content.decode()


def test_another_provinces_office_sees_no_plan(plan, org):
    response = _client(org.other_admin).get("/ke-hoach/")
    assert plan.title not in response.content.decode()


def test_the_lead_units_reporter_sees_the_plan_leading_one_of_its_tasks(plan, org):
    response = _client(org.reporter).get("/ke-hoach/")
    assert plan.title in response.content.decode()


def test_the_list_costs_the_same_queries_with_more_plans(
    plan, published, org, django_assert_max_num_queries
):
    client = _client(org.admin)
    client.get("/ke-hoach/")
    save_draft(draft(published.health), org.admin)
    save_draft(draft(published.finance), org.admin)
    with django_assert_max_num_queries(12):
        assert client.get("/ke-hoach/").status_code == 200


def test_the_menu_offers_plans(org):
    response = _client(org.viewer).get("/")
    assert 'href="/ke-hoach/"' in response.content.decode()


# --- draft -------------------------------------------------------------------------------


def test_the_office_previews_a_draft_without_saving_it(published, org):
    response = _client(org.admin).post(
        "/ke-hoach/tao/", {"assessed": published.health.pk, "target_rank": "1", "preview": "1"}
    )
    assert response.status_code == 200
    preview = response.context["preview"]
    assert preview.items and preview.target_rank == 1
    assert preview.items[0].code in response.content.decode()
    assert not Plan.objects.exists()


def test_the_office_saves_a_draft_and_lands_on_the_plan(published, org):
    response = _client(org.admin).post(
        "/ke-hoach/tao/", {"assessed": published.health.pk, "target_rank": "2", "save": "1"}
    )
    plan = Plan.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/ke-hoach/{plan.pk}/"
    assert (plan.source, plan.status, plan.created_by) == (
        published.health,
        PlanStatus.DRAFT,
        org.admin,
    )
    assert plan.tasks.exists()


def test_a_target_that_is_not_a_number_is_refused(published, org):
    response = _client(org.admin).post(
        "/ke-hoach/tao/", {"assessed": published.health.pk, "target_total": "tám trăm", "save": "1"}
    )
    assert response.status_code == 400
    assert not Plan.objects.exists()


def test_a_target_above_the_maximum_is_refused_with_the_drafts_reason(published, org):
    response = _client(org.admin).post(
        "/ke-hoach/tao/", {"assessed": published.health.pk, "target_total": "99999", "save": "1"}
    )
    assert response.status_code == 400
    assert response.context["form"].non_field_errors()
    assert not Plan.objects.exists()


def test_leadership_and_units_may_not_draft(published, org):
    for user in (org.viewer, org.head, org.reporter):
        client = _client(user)
        assert client.get("/ke-hoach/tao/").status_code == 403
        data = {"assessed": published.health.pk, "save": "1"}
        assert client.post("/ke-hoach/tao/", data).status_code == 403
    assert not Plan.objects.exists()


def test_another_provinces_office_cannot_draft_from_these_results(published, org):
    client = _client(org.other_admin)
    assert published.health.unit.name not in client.get("/ke-hoach/tao/").content.decode()
    data = {"assessed": published.health.pk, "save": "1"}
    assert client.post("/ke-hoach/tao/", data).status_code == 400
    assert not Plan.objects.exists()


# --- plan page ---------------------------------------------------------------------------


def test_the_plan_page_shows_target_verdict_and_tasks_in_priority_order(plan, org):
    response = _client(org.admin).get(f"/ke-hoach/{plan.pk}/")
    html = response.content.decode()
    codes = list(plan.tasks.order_by("order").values_list("code", flat=True))
    positions = [html.index(f"<strong>{c}</strong>") for c in codes]
    assert positions == sorted(positions)
    assert "plan-verdict" in html
    assert f"/ke-hoach/{plan.pk}/sua/" in html  # the office edits a draft
    assert f"/ke-hoach/{plan.pk}/phe-duyet/" not in html  # but does not approve it


def test_the_plan_page_costs_a_fixed_number_of_queries(
    approved, org, django_assert_max_num_queries
):
    client = _client(org.reporter)
    client.get(f"/ke-hoach/{approved.pk}/")
    with django_assert_max_num_queries(12):
        assert client.get(f"/ke-hoach/{approved.pk}/").status_code == 200


def test_deadlines_read_day_month_year(plan, org):
    task = _first(plan)
    html = _client(org.admin).get(f"/ke-hoach/{plan.pk}/").content.decode()
    assert task.deadline.strftime("%d/%m/%Y") in html


def test_the_leader_sees_the_approve_button(plan, org):
    html = _client(org.viewer).get(f"/ke-hoach/{plan.pk}/").content.decode()
    assert f"/ke-hoach/{plan.pk}/phe-duyet/" in html
    assert f"/ke-hoach/{plan.pk}/sua/" not in html


def test_another_provinces_office_may_not_open_the_plan(plan, org):
    assert _client(org.other_admin).get(f"/ke-hoach/{plan.pk}/").status_code == 403


def test_an_overdue_task_carries_a_badge(approved, org):
    PlanTask.objects.filter(pk=_first(approved).pk).update(deadline=dt.date(2020, 1, 1))
    html = _client(org.admin).get(f"/ke-hoach/{approved.pk}/").content.decode()
    assert "badge danger" in html


# --- edit --------------------------------------------------------------------------------


def test_the_office_edits_the_wording_and_a_tasks_lead_unit(plan, org):
    task = _first(plan)
    data = _edit_data(
        plan,
        title="Kế hoạch nâng cao Chỉ số chuyển đổi số của Sở Nội vụ năm 2026",
        number="125/KH-SNV",
        **{"task-0-owner": str(org.dept_home_office.pk), "task-0-deadline": "2026-08-31"},
    )
    response = _client(org.admin).post(f"/ke-hoach/{plan.pk}/sua/", data)
    assert response.status_code == 302
    plan.refresh_from_db()
    task.refresh_from_db()
    assert plan.number == "125/KH-SNV" and plan.title.endswith("năm 2026")
    assert task.owner == org.dept_home_office and task.deadline == dt.date(2026, 8, 31)


def test_making_the_first_task_hard_shares_the_gap_again(plan, org):
    tasks = list(plan.tasks.order_by("order"))
    data = _edit_data(plan, **{"task-0-effort": "3", f"task-{len(tasks) - 1}-effort": "1"})
    response = _client(org.admin).post(f"/ke-hoach/{plan.pk}/sua/", data)
    assert response.status_code == 302
    after = list(plan.tasks.order_by("order"))
    assert [t.pk for t in after] != [t.pk for t in tasks]


def test_a_task_cannot_be_given_to_a_unit_of_another_province(plan, org):
    task = _first(plan)
    data = _edit_data(plan, number="125/KH-SNV", **{"task-0-owner": str(org.other_dept.pk)})
    response = _client(org.admin).post(f"/ke-hoach/{plan.pk}/sua/", data)
    assert response.status_code == 400
    plan.refresh_from_db()
    assert plan.number != "125/KH-SNV" and _first(plan).owner_id == task.owner_id


def test_an_edit_over_a_newer_change_is_refused(plan, org):
    data = _edit_data(plan, number="125/KH-SNV")
    data["version"] = "2000-01-01T00:00:00+00:00"
    response = _client(org.admin).post(f"/ke-hoach/{plan.pk}/sua/", data)
    assert response.status_code == 400
    plan.refresh_from_db()
    assert plan.number != "125/KH-SNV"


def test_only_the_office_edits(plan, org):
    for user in (org.viewer, org.head, org.other_admin):
        client = _client(user)
        assert client.get(f"/ke-hoach/{plan.pk}/sua/").status_code == 403
        data = _edit_data(plan, number="1/KH")
        assert client.post(f"/ke-hoach/{plan.pk}/sua/", data).status_code == 403
    plan.refresh_from_db()
    assert plan.number != "1/KH"


def test_an_approved_plan_is_no_longer_edited(approved, org):
    data = _edit_data(approved, number="1/KH")
    response = _client(org.admin).post(f"/ke-hoach/{approved.pk}/sua/", data)
    assert response.status_code == 302
    approved.refresh_from_db()
    assert approved.number != "1/KH"


# --- approve -----------------------------------------------------------------------------


def test_a_leader_approves_a_draft(plan, org):
    response = _client(org.viewer).post(f"/ke-hoach/{plan.pk}/phe-duyet/")
    assert response.status_code == 302
    plan.refresh_from_db()
    assert plan.status == PlanStatus.APPROVED and plan.approved_by == org.viewer


def test_the_office_and_units_may_not_approve(plan, org):
    for user in (org.admin, org.head, org.reporter, org.other_admin):
        assert _client(user).post(f"/ke-hoach/{plan.pk}/phe-duyet/").status_code == 403
    plan.refresh_from_db()
    assert plan.status == PlanStatus.DRAFT


def test_approving_twice_changes_nothing(approved, org):
    when = approved.approved_at
    response = _client(org.superuser).post(f"/ke-hoach/{approved.pk}/phe-duyet/")
    assert response.status_code == 302
    approved.refresh_from_db()
    assert approved.approved_by == org.viewer and approved.approved_at == when


def test_approval_is_a_post(plan, org):
    assert _client(org.viewer).get(f"/ke-hoach/{plan.pk}/phe-duyet/").status_code == 405


# --- task progress ------------------------------------------------------------------------


def _progress(client: Client, task: PlanTask, **data: str):  # type: ignore[no-untyped-def]
    return client.post(f"/ke-hoach/{task.plan_id}/nhiem-vu/{task.pk}/", data)


def test_the_lead_units_reporter_reports_progress(approved, org):
    task = _first(approved)
    response = _progress(
        _client(org.reporter),
        task,
        status=TaskStatus.IN_PROGRESS,
        progress="60",
        evidence="https://snv.khanhhoa.gov.vn/quyet-dinh-15",
        notes="Đã ban hành quy chế, chờ triển khai.",
    )
    assert response.status_code == 302
    task.refresh_from_db()
    assert (task.status, task.progress, task.updated_by) == (
        TaskStatus.IN_PROGRESS,
        60,
        org.reporter,
    )


def test_done_without_100_percent_is_refused_with_a_message(approved, org):
    task = _first(approved)
    response = _progress(_client(org.reporter), task, status=TaskStatus.DONE, progress="50")
    assert response.status_code == 400
    assert response.context["form"].errors
    task.refresh_from_db()
    assert task.status == TaskStatus.NOT_STARTED


def test_the_task_page_shows_its_last_changes(approved, org):
    task = _first(approved)
    _progress(_client(org.reporter), task, status=TaskStatus.IN_PROGRESS, progress="30")
    response = _client(org.admin).get(f"/ke-hoach/{approved.pk}/nhiem-vu/{task.pk}/")
    assert response.status_code == 200
    assert org.reporter.full_name in response.content.decode()


def test_other_units_and_leadership_do_not_update_the_task(approved, org):
    task = _first(approved)
    for user in (org.viewer, org.other_reporter, org.other_admin):
        response = _progress(_client(user), task, status=TaskStatus.IN_PROGRESS, progress="10")
        assert response.status_code == 403
    task.refresh_from_db()
    assert task.progress == 0


def test_a_draft_plans_task_is_not_updated(plan, org):
    task = _first(plan)
    response = _progress(_client(org.admin), task, status=TaskStatus.IN_PROGRESS, progress="10")
    assert response.status_code == 403
    task.refresh_from_db()
    assert task.progress == 0


# --- documents ---------------------------------------------------------------------------


def _documents() -> None:
    if importlib.util.find_spec("dtis.plans.documents") is None:
        pytest.skip("documents not written yet")


def test_the_plan_downloads_as_docx(plan, org):
    _documents()
    response = _client(org.viewer).get(f"/ke-hoach/{plan.pk}/tai-ve/ke-hoach.docx")
    assert response.status_code == 200
    assert response["Content-Type"].endswith("wordprocessingml.document")
    assert response.content[:2] == b"PK"


def test_the_appendix_downloads_as_xlsx(plan, org):
    _documents()
    response = _client(org.admin).get(f"/ke-hoach/{plan.pk}/tai-ve/phu-luc.xlsx")
    assert response.status_code == 200
    assert response.content[:2] == b"PK"


def test_documents_are_refused_outside_the_scope(plan, org):
    assert (
        _client(org.other_admin).get(f"/ke-hoach/{plan.pk}/tai-ve/ke-hoach.docx").status_code == 403
    )


# --- dashboard ---------------------------------------------------------------------------


def test_the_overview_lists_overdue_plan_tasks(approved, published, org):
    task = _first(approved)
    PlanTask.objects.filter(pk=task.pk).update(deadline=dt.date(2026, 1, 15))
    cache.clear()
    response = _client(org.viewer).get(f"/bang-dieu-khien/{published.cycle.pk}/")
    html = response.content.decode()
    assert "ov-overdue" in html and task.code in html and "15/01/2026" in html
