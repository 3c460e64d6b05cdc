"""The permission policy, role by role and place by place.

Each row reads: a person holding ROLE on the unit named in the fixture may do
exactly the listed actions at each place. Everything not listed is refused.
"""

from __future__ import annotations

import pytest

from dtis.orgs import policy
from dtis.orgs.policy import Action as A
from tests.factories import Org

PLACES = ["own_unit", "office_under_own", "sibling_department", "province", "other_province"]

# role -> place -> allowed actions
EXPECTED: dict[str, dict[str, set[A]]] = {
    # Standing office, granted on the province: the whole province, nothing else.
    "admin": {
        place: {
            A.VIEW_UNIT,
            A.MANAGE_UNITS,
            A.MANAGE_ACCOUNTS,
            A.MANAGE_FRAMEWORKS,
            A.RUN_CYCLE,
            A.VIEW_RESULTS,
        }
        for place in ["own_unit", "office_under_own", "sibling_department", "province"]
    }
    | {"other_province": set()},
    # Reporter of Sở Nội vụ: that unit only, not even its offices.
    "reporter": {
        "own_unit": {A.VIEW_UNIT, A.ENTER_FIGURES},
        "office_under_own": set(),
        "sibling_department": set(),
        "province": set(),
        "other_province": set(),
    },
    # Head of Sở Nội vụ: the department and its offices.
    "head": {
        "own_unit": {A.VIEW_UNIT, A.SUBMIT_REPORT, A.VIEW_RESULTS},
        "office_under_own": {A.VIEW_UNIT, A.SUBMIT_REPORT, A.VIEW_RESULTS},
        "sibling_department": set(),
        "province": set(),
        "other_province": set(),
    },
    # Council member, granted on the province.
    "appraiser": {
        place: {A.VIEW_UNIT, A.APPRAISE, A.VIEW_RESULTS}
        for place in ["own_unit", "office_under_own", "sibling_department", "province"]
    }
    | {"other_province": set()},
    # Leadership, granted on the province.
    "viewer": {
        place: {A.VIEW_UNIT, A.VIEW_RESULTS}
        for place in ["own_unit", "office_under_own", "sibling_department", "province"]
    }
    | {"other_province": set()},
}


def _place(org: Org, name: str):  # type: ignore[no-untyped-def]
    return {
        "own_unit": org.dept_home,
        "office_under_own": org.dept_home_office,
        "sibling_department": org.dept_finance,
        "province": org.province,
        "other_province": org.other_dept,
    }[name]


@pytest.mark.parametrize("role", list(EXPECTED))
@pytest.mark.parametrize("place", PLACES)
def test_each_role_may_do_exactly_its_actions_at_each_place(org: Org, role: str, place: str):
    user = org.users_by_role()[role]
    unit = _place(org, place)
    allowed = {action for action in A if policy.can(user, action, unit)}
    assert allowed == EXPECTED[role][place]


def test_every_action_is_covered_by_the_expectations():
    mentioned = set().union(*(acts for places in EXPECTED.values() for acts in places.values()))
    assert mentioned == set(A)


def test_a_reporter_of_one_unit_cannot_touch_another(org: Org):
    assert policy.can(org.reporter, A.ENTER_FIGURES, org.dept_home)
    assert not policy.can(org.reporter, A.ENTER_FIGURES, org.dept_finance)
    assert not policy.can(org.reporter, A.VIEW_UNIT, org.dept_finance)
    assert not policy.can(org.other_reporter, A.ENTER_FIGURES, org.dept_home)


def test_a_superuser_may_do_everything_everywhere(org: Org):
    for unit in (org.province, org.other_dept, org.dept_home_office):
        assert all(policy.can(org.superuser, action, unit) for action in A)


def test_a_locked_account_may_do_nothing(org: Org):
    org.admin.is_active = False
    org.admin.save()
    assert not any(policy.can(org.admin, action, org.dept_home) for action in A)


def test_nobody_signed_in_may_do_nothing(org: Org):
    from django.contrib.auth.models import AnonymousUser

    assert not policy.can(AnonymousUser(), A.VIEW_UNIT, org.province)  # type: ignore[arg-type]


def test_units_where_lists_the_same_units_as_can(org: Org):
    from dtis.orgs.models import Unit

    for user in [*org.users_by_role().values(), org.other_admin]:
        for action in A:
            listed = set(policy.units_where(user, action).values_list("code", flat=True))
            expected = {u.code for u in Unit.objects.all() if policy.can(user, action, u)}
            assert listed == expected, (user.username, action)


def test_an_admin_manages_only_people_whose_roles_are_all_in_scope(org: Org):
    assert policy.can_manage_user(org.admin, org.reporter)
    assert not policy.can_manage_user(org.admin, org.other_reporter)
    assert not policy.can_manage_user(org.other_admin, org.reporter)
    assert not policy.can_manage_user(org.admin, org.superuser)
    assert not policy.can_manage_user(org.reporter, org.head)


def test_a_person_with_a_role_in_two_provinces_is_managed_by_neither_admin_alone(org: Org):
    from dtis.orgs.accounts import role_grant
    from dtis.orgs.models import Role

    role_grant(actor=None, user=org.reporter, role=Role.VIEWER, unit=org.other_province)
    assert not policy.can_manage_user(org.admin, org.reporter)
    assert not policy.can_manage_user(org.other_admin, org.reporter)
    assert policy.can_manage_user(org.superuser, org.reporter)


def test_grants_are_read_once_per_request(org: Org, django_assert_num_queries):  # type: ignore[no-untyped-def]
    with django_assert_num_queries(1):
        for action in A:
            for unit in (org.dept_home, org.dept_finance, org.other_dept):
                policy.can(org.head, action, unit)


def test_national_frameworks_are_maintained_by_system_administrators_only(org: Org):
    assert policy.can_manage_framework(org.superuser, None)
    assert not policy.can_manage_framework(org.admin, None)


def test_a_provinces_framework_is_maintained_by_its_standing_office(org: Org):
    assert policy.can_manage_framework(org.admin, org.province)
    assert not policy.can_manage_framework(org.other_admin, org.province)
    assert not policy.can_manage_framework(org.reporter, org.dept_home)
