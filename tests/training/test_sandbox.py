"""The training sandbox: the office copies a cycle (or the demo) into a
database of its own; a trainee who starts training works there on every page,
marked as such, and nothing they do reaches the real cycle."""

from __future__ import annotations

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.test import Client

from dtis.reporting.figures import figure_save
from dtis.reporting.models import Cycle, Evidence, Figure
from dtis.training import sandbox
from dtis.training.middleware import SESSION_KEY
from dtis.training.models import Sandbox
from tests.factories import Org

pytestmark = pytest.mark.django_db(databases=["default", "training"])

TRAINING = "/tap-huan/"
DOCUMENT = {"co_van_ban_chi_dao_do_thu_truong_ky": True}


def _q1(cycle: Cycle):  # type: ignore[no-untyped-def]
    return cycle.periods.get(kind="q1")


def _home(cycle: Cycle):  # type: ignore[no-untyped-def]
    return cycle.assessed.get(unit__code="KHH-SNV")


def _entry(cycle: Cycle) -> str:
    return f"/bao-cao/{_q1(cycle).pk}/{_home(cycle).pk}/"


def _real_figure(cycle: Cycle, org: Org) -> Figure:
    return figure_save(
        actor=org.reporter, period=_q1(cycle), assessed=_home(cycle),
        indicator=cycle.framework.indicators.get(code="1.3"), values=DOCUMENT,
    )  # fmt: skip


def _training(client: Client, who) -> Client:  # type: ignore[no-untyped-def]
    client.force_login(who)
    client.post(TRAINING, {"action": "enter", "person": who.pk})
    return client


# --- making it ------------------------------------------------------------------------


def test_a_copy_holds_the_cycle_its_units_people_and_figures(org: Org, dept_cycle: Cycle):
    _real_figure(dept_cycle, org)
    made = sandbox.create(org.admin, dept_cycle)
    assert made.cycle_name == dept_cycle.name
    copied = Figure.objects.using("training")
    assert copied.count() == Figure.objects.count() == 1
    assert Cycle.objects.using("training").get().pk == dept_cycle.pk
    assert (
        _q1(dept_cycle).pk
        == Cycle.objects.using("training").get().periods.get(kind="q1").pk  # same ids
    )


def test_a_copy_leaves_other_cycles_and_evidence_files_out(org: Org, dept_cycle: Cycle):
    from dtis.reporting.cycles import cycle_create

    other = cycle_create(
        actor=org.admin, framework=dept_cycle.framework, year=2027, name="Năm 2027",
        scope=org.province, assessed=[(org.dept_home, "Sở, ban, ngành")],
    )  # fmt: skip
    figure = _real_figure(dept_cycle, org)
    Evidence.objects.create(figure=figure, doc_summary="Quyết định số 12/QĐ-SNV", kind="link",
                            url="https://snv.khanhhoa.gov.vn/qd-12")  # fmt: skip
    sandbox.create(org.admin, dept_cycle)
    assert not Cycle.objects.using("training").filter(pk=other.pk).exists()
    assert Evidence.objects.using("training").count() == 0


def test_making_it_again_replaces_what_trainees_did(org: Org, dept_cycle: Cycle):
    sandbox.create(org.admin, dept_cycle)
    with sandbox.inside():
        _real_figure(dept_cycle, org)
    assert Figure.objects.using("training").count() == 1
    sandbox.create(org.admin, dept_cycle)
    assert Figure.objects.using("training").count() == 0
    assert Sandbox.objects.count() == 1


def test_only_the_office_makes_or_removes_it(org: Org, dept_cycle: Cycle, client: Client):
    client.force_login(org.reporter)
    response = client.post(TRAINING, {"action": "create", "source": dept_cycle.pk})
    assert response.status_code == 403
    assert sandbox.current() is None


def test_the_office_of_another_province_cannot_copy_this_cycle(
    org: Org, dept_cycle: Cycle, client: Client
):
    client.force_login(org.other_admin)
    response = client.post(TRAINING, {"action": "create", "source": dept_cycle.pk})
    assert response.status_code == 403


def test_the_office_makes_it_from_the_page(org: Org, dept_cycle: Cycle, client: Client):
    client.force_login(org.admin)
    response = client.post(TRAINING, {"action": "create", "source": dept_cycle.pk}, follow=True)
    assert "Bản tập huấn đã sẵn sàng" in response.content.decode()
    assert sandbox.current() is not None


def test_with_a_worker_the_page_does_not_wait_for_the_sandbox(
    org: Org, dept_cycle: Cycle, client: Client, monkeypatch: pytest.MonkeyPatch
):
    """With DTIS_REDIS_URL the task is queued: the page says so and returns."""
    from dtis.ops import tasks

    queued = []

    class Pending:
        def ready(self) -> bool:
            return False

    def delay(*args):  # type: ignore[no-untyped-def]
        queued.append(args)
        return Pending()

    monkeypatch.setattr(tasks.build_training_sandbox, "delay", delay)
    client.force_login(org.admin)
    response = client.post(TRAINING, {"action": "create", "source": dept_cycle.pk}, follow=True)
    assert queued == [(org.admin.pk, dept_cycle.pk)]
    assert "đang được chuẩn bị" in response.content.decode()
    assert sandbox.current() is None


# --- practising in it -----------------------------------------------------------------


def test_every_page_in_training_is_marked(org: Org, dept_cycle: Cycle):
    sandbox.create(org.admin, dept_cycle)
    client = _training(Client(), org.reporter)
    for url in ("/", "/bao-cao/", _entry(dept_cycle)):
        page = client.get(url).content.decode()
        assert 'data-testid="training-banner"' in page, url
        assert "TẬP HUẤN" in page


def test_a_trainees_figure_stays_in_the_sandbox(org: Org, dept_cycle: Cycle):
    sandbox.create(org.admin, dept_cycle)
    client = _training(Client(), org.reporter)
    response = client.post(
        _entry(dept_cycle) + "chi-so/1.3/luu/", {"in_co_van_ban_chi_dao_do_thu_truong_ky": "yes"}
    )
    assert response.status_code in (200, 302)
    assert Figure.objects.using("training").count() == 1
    assert Figure.objects.count() == 0  # the real cycle has no figure


def test_leaving_training_shows_the_real_data_again(org: Org, dept_cycle: Cycle):
    sandbox.create(org.admin, dept_cycle)
    client = _training(Client(), org.reporter)
    client.post(TRAINING, {"action": "leave"})
    assert SESSION_KEY not in client.session
    assert 'data-testid="training-banner"' not in client.get("/").content.decode()


def test_in_a_copy_a_trainee_acts_only_as_themselves(org: Org, dept_cycle: Cycle):
    sandbox.create(org.admin, dept_cycle)
    client = Client()
    client.force_login(org.reporter)
    client.post(TRAINING, {"action": "enter", "person": org.admin.pk})
    assert SESSION_KEY not in client.session


def test_removing_the_sandbox_brings_trainees_back_to_the_real_data(org: Org, dept_cycle: Cycle):
    sandbox.create(org.admin, dept_cycle)
    client = _training(Client(), org.reporter)
    sandbox.delete()
    assert 'data-testid="training-banner"' not in client.get("/").content.decode()
    assert SESSION_KEY not in client.session


def test_signing_out_in_training_ends_the_real_session(org: Org, dept_cycle: Cycle):
    from django.contrib.sessions.models import Session

    sandbox.create(org.admin, dept_cycle)
    client = _training(Client(), org.reporter)
    key = client.session.session_key
    client.post("/dang-xuat/")
    assert not Session.objects.filter(session_key=key).exists()


def test_the_dashboards_cache_keeps_sandbox_and_real_pages_apart(org: Org, dept_cycle: Cycle):
    from dtis.dashboards.pagecache import key_for

    real = key_for("overview", [1])
    with sandbox.inside():
        practice = key_for("overview", [1])
    assert real != practice


# --- the command ----------------------------------------------------------------------


def test_the_command_makes_shows_and_removes_it(org: Org, dept_cycle: Cycle, capsys):
    call_command("training", "create", "--cycle", str(dept_cycle.pk))
    call_command("training", "status")
    assert "bản sao đợt" in capsys.readouterr().out
    call_command("training", "delete")
    assert sandbox.current() is None


def test_the_command_names_a_cycle_that_does_not_exist(org: Org):
    with pytest.raises(CommandError, match="Không có đợt đánh giá số 999"):
        call_command("training", "create", "--cycle", "999")
    assert sandbox.current() is None


def test_a_sandbox_older_than_an_upgrade_is_not_entered_and_the_page_says_so(
    org: Org, dept_cycle: Cycle
):
    sandbox.create(org.admin, dept_cycle)
    client = _training(Client(), org.reporter)
    Sandbox.objects.update(schema="made-before-the-upgrade")
    assert 'data-testid="training-banner"' not in client.get("/").content.decode()
    assert SESSION_KEY not in client.session
    page = client.get(TRAINING).content.decode()
    assert "trước khi hệ thống được nâng cấp" in page
    client.post(TRAINING, {"action": "enter", "person": org.reporter.pk})
    assert SESSION_KEY not in client.session
