"""Who may appraise, sign off, publish and read results (dtis.orgs.policy)."""

from __future__ import annotations

from dtis.orgs import policy


def _main_ids(year_cycle):
    from dtis.appraisal.council import main_indicators

    return [m.pk for m in main_indicators(year_cycle.cycle)]


def test_the_chair_appraises_every_group_a_member_only_theirs(year_cycle):
    mains = _main_ids(year_cycle)
    assert all(policy.can_appraise(year_cycle.chair, year_cycle.cycle, m) for m in mains)
    assert [policy.can_appraise(year_cycle.member, year_cycle.cycle, m) for m in mains] == [
        True,
        True,
    ] + [False] * (len(mains) - 2)


def test_the_standing_office_and_leadership_do_not_appraise(year_cycle, org):
    mains = _main_ids(year_cycle)
    for person in (org.admin, org.viewer, org.reporter, org.head):
        assert not any(policy.can_appraise(person, year_cycle.cycle, m) for m in mains)


def test_only_the_chair_signs_off_and_the_office_may_publish(year_cycle, org):
    cycle = year_cycle.cycle
    assert policy.can_sign_off(year_cycle.chair, cycle)
    assert not policy.can_sign_off(year_cycle.member, cycle)
    assert not policy.can_sign_off(org.admin, cycle)
    assert policy.can_publish(org.admin, cycle) and policy.can_publish(year_cycle.chair, cycle)
    assert not policy.can_publish(org.head, cycle)


def test_a_unit_reads_its_own_result_only_once_published(year_cycle, org):
    home, finance = year_cycle.home, year_cycle.finance
    assert not policy.can_view_unit_result(org.head, home, published=False)
    assert policy.can_view_unit_result(org.head, home, published=True)
    assert not policy.can_view_unit_result(org.head, finance, published=True)


def test_the_office_council_and_leadership_read_every_result_any_time(year_cycle, org):
    for person in (org.admin, org.viewer, year_cycle.member):
        assert policy.can_view_all_results(person, year_cycle.cycle)
    for person in (org.head, org.reporter, org.other_admin):
        assert not policy.can_view_all_results(person, year_cycle.cycle)


def test_a_council_member_reads_every_report_of_the_cycle(year_cycle, org):
    from tests.factories import make_user

    outsider = make_user("ngo.thanh.son", "Ngô Thanh Sơn")  # no role on any unit
    assert not policy.can_view_report(outsider, year_cycle.home)
    from dtis.appraisal.council import council_seat_set

    council_seat_set(
        actor=org.admin, cycle=year_cycle.cycle, user=outsider, role="working", groups=[]
    )
    policy.forget_grants(outsider)
    assert policy.can_view_report(outsider, year_cycle.home)
