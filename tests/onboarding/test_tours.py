"""The tours as data: which role's tour a person sees, and the shape of each."""

from __future__ import annotations

import pytest

from dtis.onboarding.tours import (
    HELP_TARGET,
    PRECEDENCE,
    TOURS,
    main_role,
    other_roles,
    steps_for,
    tour_payload,
)
from dtis.orgs.models import Role


def test_it_covers_every_role_with_three_steps():
    assert set(TOURS) == set(Role) == set(PRECEDENCE)
    assert all(len(steps) == 3 for steps in TOURS.values())


@pytest.mark.parametrize(
    ("held", "main"),
    [
        (["reporter"], Role.REPORTER),
        (["viewer", "reporter"], Role.REPORTER),
        (["reporter", "head"], Role.HEAD),
        (["head", "appraiser", "viewer"], Role.APPRAISER),
        (["viewer", "admin", "appraiser"], Role.ADMIN),
        (["viewer"], Role.VIEWER),
    ],
)
def test_it_picks_the_main_role(held, main):  # type: ignore[no-untyped-def]
    assert main_role(held) == main


def test_a_person_without_a_role_has_no_tour_but_a_system_administrator_has_the_offices():
    assert main_role([]) is None
    assert main_role([], superuser=True) == Role.ADMIN
    assert main_role(["viewer"], superuser=True) == Role.VIEWER


def test_the_other_roles_come_in_order_without_the_main_one():
    assert other_roles(["viewer", "reporter", "head"], Role.HEAD) == [Role.REPORTER, Role.VIEWER]


@pytest.mark.parametrize("role", list(Role))
def test_each_tour_is_welcome_three_steps_and_help(role):  # type: ignore[no-untyped-def]
    steps = steps_for(role)
    assert len(steps) == 5
    welcome, *middle, last = steps
    assert welcome.target is None  # centred
    assert str(welcome.title) == "Chào mừng" or str(welcome.title) == "Welcome"
    assert str(role.label) in str(welcome.text)
    assert middle == list(TOURS[role])
    assert all(step.target and step.title and step.text for step in middle)
    assert last.target == HELP_TARGET and last.selector == '[data-tour="help"]'


def test_the_last_step_names_the_other_roles():
    payload = tour_payload(
        Role.HEAD, [Role.REPORTER], present=lambda t: True, seen_url="/x/", csrf_token="t"
    )
    assert str(Role.REPORTER.label) in payload["steps"][-1]["text"]
    alone = tour_payload(Role.HEAD, [], present=lambda t: True, seen_url="/x/", csrf_token="t")
    assert str(Role.REPORTER.label) not in alone["steps"][-1]["text"]


def test_a_step_whose_element_is_missing_is_centred():
    payload = tour_payload(
        Role.APPRAISER,
        [],
        present=lambda target: target != "nav-appraisal",
        seen_url="/x/",
        csrf_token="t",
    )
    elements = [step["element"] for step in payload["steps"]]
    assert elements == [
        None,
        None,
        '[data-tour="nav-frameworks"]',
        '[data-tour="nav-results"]',
        '[data-tour="help"]',
    ]
    assert set(payload["labels"]) == {"next", "prev", "done", "skip", "progress"}
