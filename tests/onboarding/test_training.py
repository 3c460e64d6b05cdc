"""In training mode the tour shows too (trainees are who needs it most), and
what the trainee does with it stays in the sandbox."""

from __future__ import annotations

import pytest
from django.test import Client

from dtis.onboarding.models import TourSeen
from dtis.orgs.models import Role
from dtis.reporting.models import Cycle
from dtis.training import sandbox
from tests.factories import Org
from tests.reporting.conftest import dept_cycle, frameworks  # noqa: F401 (fixtures)

pytestmark = pytest.mark.django_db(databases=["default", "training"])


def test_a_trainee_sees_the_tour_even_after_seeing_it_for_real(org: Org, dept_cycle: Cycle):  # noqa: F811
    TourSeen.objects.create(user=org.reporter, role=Role.REPORTER)
    sandbox.create(org.admin, dept_cycle)  # copies people and roles, not who saw what
    client = Client()
    client.force_login(org.reporter)
    client.post("/tap-huan/", {"action": "enter", "person": org.reporter.pk})

    page = client.get("/").content.decode()
    assert 'data-testid="training-banner"' in page and 'id="tour-data"' in page

    assert client.post("/gioi-thieu/da-xem/").status_code == 204
    assert 'id="tour-data"' not in client.get("/").content.decode()
    assert TourSeen.objects.using("training").filter(role=Role.REPORTER).count() == 1
    assert TourSeen.objects.count() == 1  # the real record, untouched
