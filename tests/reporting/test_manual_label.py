"""An indicator the appraisal council scores itself still asks the unit for
a proposal; its input is labelled as the unit's own, not as the council's
(a head asked why the department typed "the council's score")."""

from __future__ import annotations

from django.test import Client

from dtis.reporting.models import Cycle
from tests.factories import Org
from tests.reporting.test_entry import entry_url, home_of, indicator, q1


def test_the_councils_indicator_asks_for_the_units_own_points(
    client: Client, org: Org, dept_cycle: Cycle
):
    manual = indicator(dept_cycle, "3.2")
    assert manual.rule["kind"] == "manual"
    client.force_login(org.reporter)
    page = client.get(entry_url(q1(dept_cycle), home_of(dept_cycle))).content.decode()
    card = page[page.index('id="ind-3.2"') :]
    card = card[: card.index("</article>")]
    assert "Điểm đơn vị tự chấm (Hội đồng thẩm định chấm điểm chính thức)" in card
    assert "Điểm do Hội đồng thẩm định chấm" not in card
