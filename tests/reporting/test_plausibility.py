"""A part larger than its whole (12.150 documents signed of 11.240 issued)
is a slip the score would hide by capping at the maximum: the entry page
says so as it is typed and beside the saved figure, and the check before
submission lists it for the head."""

from __future__ import annotations

from django.test import Client

from dtis.reporting.evidence import precheck
from dtis.reporting.models import Cycle
from tests.factories import Org
from tests.reporting.test_entry import entry_url, home_of, indicator, q1, save

MEETINGS = {"so_cuoc_hop_tinh_da_tham_du": 255, "so_cuoc_hop_tinh_duoc_moi": 35}


def test_the_preview_warns_when_the_part_exceeds_the_whole(
    client: Client, org: Org, dept_cycle: Cycle
):
    client.force_login(org.reporter)
    response = client.post(
        entry_url(q1(dept_cycle), home_of(dept_cycle), "chi-so/1.2.1/tinh-diem/"),
        {"in_so_cuoc_hop_tinh_da_tham_du": "255", "in_so_cuoc_hop_tinh_duoc_moi": "35"},
    )
    text = response.content.decode()
    assert "lớn hơn" in text and "(255)" in text and "(35)" in text


def test_a_plausible_share_gets_no_warning(client: Client, org: Org, dept_cycle: Cycle):
    client.force_login(org.reporter)
    response = client.post(
        entry_url(q1(dept_cycle), home_of(dept_cycle), "chi-so/1.2.1/tinh-diem/"),
        {"in_so_cuoc_hop_tinh_da_tham_du": "30", "in_so_cuoc_hop_tinh_duoc_moi": "35"},
    )
    assert 'class="warning' not in response.content.decode()


def test_the_saved_figure_carries_the_warning_on_the_entry_page(
    client: Client, org: Org, dept_cycle: Cycle
):
    save(dept_cycle, "1.2.1", MEETINGS, org.reporter)
    client.force_login(org.reporter)
    page = client.get(entry_url(q1(dept_cycle), home_of(dept_cycle))).content.decode()
    card = page[page.index('id="ind-1.2.1"') : page.index('id="ind-1.2.2"')]
    assert 'class="warning small"' in card


def test_the_check_before_submission_lists_the_implausible_figure(org: Org, dept_cycle: Cycle):
    save(dept_cycle, "1.2.1", MEETINGS, org.reporter)
    labels = {i["name"]: i["label"] for i in indicator(dept_cycle, "1.2.1").inputs}
    findings = [f for f in precheck(q1(dept_cycle), home_of(dept_cycle)) if "lớn hơn" in f.message]
    assert [f.indicator_code for f in findings] == ["1.2.1"]
    assert labels["so_cuoc_hop_tinh_da_tham_du"] in findings[0].message
