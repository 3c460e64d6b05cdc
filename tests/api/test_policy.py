"""Who manages API clients (dtis.orgs.policy): administrators, for units in their scope."""

from __future__ import annotations

import pytest

from dtis.orgs import policy


@pytest.mark.parametrize(
    ("who", "allowed"),
    [("admin", True), ("superuser", True), ("other_admin", True), ("reporter", False),
     ("head", False), ("appraiser", False), ("viewer", False)],
)  # fmt: skip
def test_only_administrators_manage_api_clients(org, who, allowed):
    assert policy.can_manage_api_clients(getattr(org, who)) is allowed


def test_an_administrator_manages_a_client_only_when_all_its_units_are_in_scope(org, health):
    assert policy.can_manage_api_client(org.admin, [health, org.dept_home_office])
    assert not policy.can_manage_api_client(org.admin, [health, org.other_dept])
    assert not policy.can_manage_api_client(org.other_admin, [health])
    assert not policy.can_manage_api_client(org.admin, [])
    assert policy.can_manage_api_client(org.superuser, [org.other_dept])


def test_the_units_an_administrator_may_choose_are_those_of_the_scope(org, health):
    codes = set(policy.api_client_units(org.admin).values_list("code", flat=True))

    assert {"KHH", "KHH-SYT", "KHH-SNV-VP"} <= codes
    assert codes.isdisjoint({"VN", "DNA", "DNA-SNV"})
