"""`dtis generate-national`: a synthetic nation, the same for the same seed,
never mixed into a database with real units unless forced."""

from __future__ import annotations

import io
import json

import pytest
from django.core.management import CommandError, call_command
from django.db import transaction
from django.utils import translation

from dtis.appraisal.models import UnitResult
from dtis.orgs.models import Unit
from dtis.reporting.models import Cycle, Figure, Submission

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _english():  # type: ignore[no-untyped-def]
    # Messages are matched by their English msgids, whatever their translation.
    with translation.override("en"):
        yield


TINY = ["--provinces", "2", "--communes", "3", "--departments", "2", "--years", "1"]


def _generate(*args: str) -> dict:
    out = io.StringIO()
    call_command("generate-national", *args, "--json", stdout=out)
    return json.loads(out.getvalue())


def _snapshot() -> dict[str, list]:
    """The generated rows by their natural keys (ids and times differ between runs)."""
    return {
        "units": sorted(
            Unit.objects.values_list("code", "name", "kind", "parent__code").order_by()
        ),
        "figures": sorted(
            (
                f.assessed.unit.code,
                f.period.cycle.name,
                f.period.kind,
                f.indicator.code,
                json.dumps(f.values, sort_keys=True),
            )
            for f in Figure.objects.select_related("assessed__unit", "period__cycle", "indicator")
        ),
        "results": sorted(
            UnitResult.objects.values_list("assessed__unit__code", "cycle__name", "index", "rank")
        ),
    }


def test_a_tiny_nation_has_what_was_asked_for() -> None:
    made = _generate(*TINY, "--seed", "7")

    assert Unit.objects.filter(kind="province").count() == made["provinces"] == 2
    assert Unit.objects.filter(kind="department").count() == made["departments"] == 2
    assert Unit.objects.filter(kind="commune").count() == made["communes"] == 3
    # Each province: its own cycle and one for its departments and its communes.
    assert Cycle.objects.count() == made["cycles"] == 6
    # Four quarters × every scored indicator: 47 for a province, 42 for the others.
    assert Figure.objects.count() == made["figures"] == 4 * (2 * 47 + 2 * 42 + 3 * 42)
    assert Submission.objects.filter(state="accepted").count() == made["submissions"]
    assert Unit.objects.get(code="GEN-T01-X0000").path.startswith(
        Unit.objects.get(code="GEN-T01").path
    )


def test_the_generated_figures_are_inputs_the_scoring_reads() -> None:
    from dtis.appraisal.materialise import recompute

    _generate(*TINY)
    own = Cycle.objects.get(scope__code="GEN-T01", framework__code="vn-province-2025")

    assert all(isinstance(v, dict) and v for v in Figure.objects.values_list("values", flat=True))
    (result,) = recompute(own)
    assert result.self_points > 100  # plausible figures score well above nothing


def test_the_same_seed_gives_the_same_rows() -> None:
    with transaction.atomic():
        _generate(*TINY, "--seed", "11")
        first = _snapshot()
        transaction.set_rollback(True)
    _generate(*TINY, "--seed", "11")

    assert _snapshot() == first
    assert len(first["figures"]) == 4 * (2 * 47 + 2 * 42 + 3 * 42)


def test_another_seed_gives_other_figures() -> None:
    with transaction.atomic():
        _generate(*TINY, "--seed", "11")
        first = _snapshot()
        transaction.set_rollback(True)
    _generate(*TINY, "--seed", "12")

    assert _snapshot()["figures"] != first["figures"]


def test_scale_shrinks_the_country_but_keeps_the_years() -> None:
    made = _generate("--scale", "0.01", "--communes", "300", "--departments", "100", "--years", "2")

    assert (made["provinces"], made["departments"], made["communes"]) == (1, 1, 3)
    assert set(Cycle.objects.values_list("year", flat=True)) == {2024, 2025}


def test_a_database_with_real_units_is_refused(org) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(CommandError, match="real units or cycles"):
        call_command("generate-national", *TINY, stdout=io.StringIO())

    assert not Unit.objects.filter(code__startswith="GEN").exists()


def test_force_generates_beside_real_units(org) -> None:  # type: ignore[no-untyped-def]
    made = _generate(*TINY, "--force")

    assert made["provinces"] == 2
    assert Unit.objects.filter(code=org.province.code).exists()


def test_a_second_nation_in_the_same_database_is_refused() -> None:
    _generate(*TINY)

    with pytest.raises(CommandError, match="already holds a generated nation"):
        call_command("generate-national", *TINY, stdout=io.StringIO())


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--scale", "0"], "scale must be above 0"),
        (["--scale", "-1"], "scale must be above 0"),
        (["--provinces", "0"], "provinces must be between 1 and 999"),
        (["--communes", "-5"], "communes and departments must be between"),
        (["--years", "0"], "years must be between 1 and 20"),
    ],
)
def test_bad_arguments_are_refused_with_a_clear_message(args: list[str], message: str) -> None:
    with pytest.raises(CommandError, match=message):
        call_command("generate-national", *args, stdout=io.StringIO())

    assert not Unit.objects.exists()


def test_the_summary_is_printed_for_people() -> None:
    out = io.StringIO()
    call_command("generate-national", *TINY, stdout=out)

    assert "2 provinces, 2 departments, 3 communes; 6 cycles" in out.getvalue()
