"""Many people and systems writing at the same moment, on PostgreSQL.

Deadline day: Sở Y tế's reporters save the same figures in several browser
tabs while the one-stop system pushes them through the API. Each writer runs
in its own thread with its own database connection; a barrier releases them
together so that the writes really overlap. Whatever the interleaving:

- no lost update: every acknowledged write is the final value or is in the
  figure's history, in order, and the versions rise one by one with no gap;
- no duplicate: one figure row per period, unit and indicator; one change
  per idempotency key;
- every conflict is reported: a writer holding an old version gets
  StaleFigure (409 on the API), never a silent overwrite, and
  acknowledged + conflicts == attempts.

SQLite lets one writer in at a time, so the threaded tests run on PostgreSQL
only; the race they found (two writers creating the same new figure) is also
replayed deterministically at the end, on every database.
"""

from __future__ import annotations

import json
import random
import threading
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import pytest
from django.db import connections
from django.test import Client

from dtis.api.models import IdempotencyRecord
from dtis.reporting.demo import figures_for
from dtis.reporting.figures import StaleFigure, figure_save
from dtis.reporting.models import AssessedUnit, Assignment, Figure, Period
from tests.api.conftest import ONLINE_DOSSIERS, dossiers
from tests.robustness.conftest import needs_postgresql


def concurrent(test: Any) -> Any:
    """Threads with their own connections: the data must be committed, on PostgreSQL."""
    return needs_postgresql(pytest.mark.django_db(transaction=True)(test))


WRITERS = 8
HistoricalFigure = Figure.history.model


@dataclass
class Outcome:
    acknowledged: list[Any]
    conflicts: list[Any]
    errors: list[BaseException]

    @property
    def attempts(self) -> int:
        return len(self.acknowledged) + len(self.conflicts) + len(self.errors)


def run_together(n: int, work: Callable[[int], tuple[str, Any]]) -> Outcome:
    """Run `work(i)` in n threads released at once by a barrier. `work` answers
    ("ok", x) or ("conflict", x); anything it raises is collected as an error."""
    barrier = threading.Barrier(n)
    results: list[tuple[str, Any] | None] = [None] * n
    failures: list[BaseException] = []

    def runner(i: int) -> None:
        try:
            barrier.wait(timeout=30)
            results[i] = work(i)
        except BaseException as exc:
            failures.append(exc)
        finally:
            connections.close_all()  # this thread's own connection

    threads = [threading.Thread(target=runner, args=(i,)) for i in range(n)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert not any(t.is_alive() for t in threads), "a writer hung (deadlock?)"
    outcome = Outcome([], [], failures)
    for result in results:
        if result is not None:
            kind, value = result
            (outcome.acknowledged if kind == "ok" else outcome.conflicts).append(value)
    return outcome


def where(cycle: Any, unit_code: str = "KHH-SYT") -> tuple[Period, AssessedUnit]:
    period = Period.objects.select_related("cycle").get(cycle=cycle, kind="q1")
    assessed = AssessedUnit.objects.select_related("unit", "cycle").get(
        cycle=cycle, unit__code=unit_code
    )
    return period, assessed


def online_dossiers(assessed: AssessedUnit) -> Any:
    return Assignment.objects.get(assessed=assessed, indicator__code=ONLINE_DOSSIERS).indicator


def values(online: int) -> dict[str, int]:
    return {"so_ho_so_xu_ly_truc_tuyen": online, "tong_so_ho_so": 1500}


def history_of(period: Period, assessed: AssessedUnit, indicator: Any) -> list[Any]:
    return list(
        HistoricalFigure.objects.filter(
            period=period, assessed=assessed, indicator=indicator
        ).order_by("history_date", "history_id")
    )


# --- the web's service: figure_save with the version the form was opened with ---------


@concurrent
def test_writers_holding_the_same_version_get_one_save_and_the_rest_conflicts(org, cycle):
    period, assessed = where(cycle)
    indicator = online_dossiers(assessed)
    figure_save(
        actor=org.admin, period=period, assessed=assessed, indicator=indicator, values=values(900)
    )

    def save(i: int) -> tuple[str, Any]:
        try:
            saved = figure_save(
                actor=None,
                period=period,
                assessed=assessed,
                indicator=indicator,
                values=values(1000 + i),
                version=1,
            )
        except StaleFigure as stale:
            return "conflict", stale.current.version
        return "ok", (i, saved.version)

    outcome = run_together(WRITERS, save)

    assert outcome.errors == []
    assert outcome.attempts == WRITERS
    assert len(outcome.acknowledged) == 1 and len(outcome.conflicts) == WRITERS - 1
    ((winner, version),) = outcome.acknowledged
    assert version == 2 and set(outcome.conflicts) == {2}
    figure = Figure.objects.get(period=period, assessed=assessed, indicator=indicator)
    assert figure.values["so_ho_so_xu_ly_truc_tuyen"] == 1000 + winner
    assert [h.version for h in history_of(period, assessed, indicator)] == [1, 2]


@concurrent
def test_writers_who_reload_after_a_conflict_all_land_in_order_with_no_gap(org, cycle):
    period, assessed = where(cycle)
    indicator = online_dossiers(assessed)
    figure_save(
        actor=org.admin, period=period, assessed=assessed, indicator=indicator, values=values(900)
    )
    conflicts: list[int] = []
    attempts: list[int] = []
    lock = threading.Lock()

    def save_until_stored(i: int) -> tuple[str, Any]:
        version = 1  # what every tab showed when the writers opened it
        while True:
            with lock:
                attempts.append(i)
            try:
                saved = figure_save(
                    actor=None,
                    period=period,
                    assessed=assessed,
                    indicator=indicator,
                    values=values(1000 + i),
                    version=version,
                )
            except StaleFigure as stale:
                with lock:
                    conflicts.append(i)
                version = stale.current.version  # the person reloads and saves again
                continue
            return "ok", (saved.version, saved.values)

    outcome = run_together(WRITERS, save_until_stored)

    assert outcome.errors == []
    assert len(outcome.acknowledged) == WRITERS
    acknowledged = sorted(outcome.acknowledged, key=lambda a: a[0])
    assert [v for v, _values in acknowledged] == list(range(2, WRITERS + 2))  # no gap, no twin
    history = history_of(period, assessed, indicator)
    assert [h.version for h in history] == list(range(1, WRITERS + 2))
    for (version, stored), row in zip(acknowledged, history[1:], strict=True):
        assert row.version == version and row.values == stored
    final = Figure.objects.get(period=period, assessed=assessed, indicator=indicator)
    assert (final.version, final.values) == acknowledged[-1]
    # Each writer got exactly one acknowledgement; every other attempt was a reported conflict.
    assert len(attempts) == WRITERS + len(conflicts)
    assert len(conflicts) >= WRITERS - 1  # all held version 1: only one could win the first round


@concurrent
def test_writers_creating_the_same_new_figure_get_one_row_and_the_rest_conflicts(org, cycle):
    """Blank forms (version 0) saved at once: no row to lock yet, so the unique
    constraint decides; the losers must hear of it, not get a server error."""
    period, assessed = where(cycle)
    indicator = online_dossiers(assessed)

    def save(i: int) -> tuple[str, Any]:
        try:
            saved = figure_save(
                actor=None,
                period=period,
                assessed=assessed,
                indicator=indicator,
                values=values(1000 + i),
                version=0,
            )
        except StaleFigure as stale:
            return "conflict", stale.current.version
        return "ok", (i, saved.version)

    outcome = run_together(WRITERS, save)

    assert outcome.errors == []
    assert len(outcome.acknowledged) == 1 and len(outcome.conflicts) == WRITERS - 1
    ((winner, _version),) = outcome.acknowledged
    figure = Figure.objects.get(period=period, assessed=assessed, indicator=indicator)
    assert (figure.version, figure.values["so_ho_so_xu_ly_truc_tuyen"]) == (1, 1000 + winner)
    assert len(history_of(period, assessed, indicator)) == 1


@concurrent
def test_unversioned_writers_creating_one_figure_are_all_stored_one_after_another(org, cycle):
    """Without a version (a system that owns the figure) each save is applied in
    turn: one row, versions 1…N, each acknowledged value in the history."""
    period, assessed = where(cycle)
    indicator = online_dossiers(assessed)

    def save(i: int) -> tuple[str, Any]:
        saved = figure_save(
            actor=None,
            period=period,
            assessed=assessed,
            indicator=indicator,
            values=values(1000 + i),
        )
        return "ok", (saved.version, saved.values)

    outcome = run_together(WRITERS, save)

    assert outcome.errors == []
    assert sorted(v for v, _values in outcome.acknowledged) == list(range(1, WRITERS + 1))
    assert Figure.objects.filter(period=period, assessed=assessed, indicator=indicator).count() == 1
    history = history_of(period, assessed, indicator)
    assert [(h.version, h.values) for h in history] == sorted(
        outcome.acknowledged, key=lambda a: a[0]
    )


@concurrent
def test_writers_on_different_figures_never_block_each_other_into_a_conflict(org, cycle):
    period, assessed = where(cycle)
    assignments = list(
        Assignment.objects.filter(assessed=assessed)
        .select_related("indicator")
        .order_by("indicator__order")[:WRITERS]
    )
    assert len(assignments) == WRITERS
    rounds = 3

    def save(i: int) -> tuple[str, Any]:
        indicator = assignments[i].indicator
        rng = random.Random(f"KHH-SYT-{indicator.code}")
        version = 0
        for _round in range(rounds):
            saved = figure_save(
                actor=None,
                period=period,
                assessed=assessed,
                indicator=indicator,
                values=figures_for(indicator, rng),
                version=version,
            )
            version = saved.version
        return "ok", (indicator.pk, version)

    outcome = run_together(WRITERS, save)

    assert outcome.errors == [] and outcome.conflicts == []
    assert sorted(v for _pk, v in outcome.acknowledged) == [rounds] * WRITERS
    figures = Figure.objects.filter(period=period, assessed=assessed)
    assert figures.count() == WRITERS
    assert HistoricalFigure.objects.filter(period=period, assessed=assessed).count() == (
        WRITERS * rounds
    )


# --- the API: PUT /api/v1/cycles/{id}/figures, one test client per thread -------------


def put(token: str, cycle: Any, body: dict[str, Any], key: str) -> Any:
    return Client().put(
        f"/api/v1/cycles/{cycle.pk}/figures",
        json.dumps(body),
        content_type="application/json",
        headers={"Authorization": f"Bearer {token}", "Idempotency-Key": key},
    )


def answer(response: Any) -> tuple[str, Any]:
    if response.status_code == 200:
        return "ok", response
    if response.status_code == 409:
        return "conflict", response
    raise AssertionError(f"{response.status_code}: {response.content!r}")


@concurrent
def test_one_idempotency_key_replayed_at_once_makes_one_change(org, cycle, issued):
    key = f"tthc-2026-q1-syt-6.4-{uuid.uuid4()}"

    outcome = run_together(
        WRITERS, lambda i: answer(put(issued.token, cycle, dossiers(1050, 1500), key))
    )

    assert outcome.errors == [] and outcome.conflicts == []
    bodies = [r.json() for r in outcome.acknowledged]
    assert all(b == bodies[0] for b in bodies) and bodies[0]["version"] == 1
    replayed = [r for r in outcome.acknowledged if r.headers.get("Idempotent-Replayed")]
    assert len(replayed) == WRITERS - 1
    assert Figure.objects.count() == 1 and HistoricalFigure.objects.count() == 1
    assert IdempotencyRecord.objects.filter(key=key).count() == 1


@concurrent
def test_pushes_holding_an_old_version_are_refused_with_409(org, cycle, issued):
    first = put(issued.token, cycle, dossiers(900, 1500), "night-1")
    assert first.status_code == 200 and first.json()["version"] == 1

    outcome = run_together(
        WRITERS,
        lambda i: answer(put(issued.token, cycle, dossiers(1000 + i, 1500, version=1), f"day-{i}")),
    )

    assert outcome.errors == []
    assert outcome.attempts == WRITERS
    assert len(outcome.acknowledged) == 1 and len(outcome.conflicts) == WRITERS - 1
    stored = outcome.acknowledged[0].json()
    assert stored["version"] == 2
    figure = Figure.objects.get()
    assert figure.values == stored["inputs"]
    assert HistoricalFigure.objects.count() == 2
    # A refused push kept no key: it may be corrected and sent again with it.
    assert IdempotencyRecord.objects.count() == 2
    for refused in outcome.conflicts:
        assert "version" in refused.json()["detail"] or "phiên bản" in refused.json()["detail"]


@concurrent
def test_pushes_and_web_saves_of_one_new_figure_at_once_give_one_row(org, cycle, issued):
    period, assessed = where(cycle)
    indicator = online_dossiers(assessed)

    def write(i: int) -> tuple[str, Any]:
        if i % 2:
            return answer(put(issued.token, cycle, dossiers(1000 + i, 1500), f"push-{i}"))
        try:
            figure_save(
                actor=None,
                period=period,
                assessed=assessed,
                indicator=indicator,
                values=values(1000 + i),
                version=0,
            )
        except StaleFigure:
            return "conflict", i
        return "ok", i

    outcome = run_together(WRITERS, write)

    assert outcome.errors == []
    assert outcome.attempts == WRITERS
    pushes = [a for a in outcome.acknowledged if not isinstance(a, int)]
    web_saves = [a for a in outcome.acknowledged if isinstance(a, int)]
    # Unversioned pushes all land, one after another; of the blank web forms at
    # most one can (the others find a figure they never saw: a conflict).
    assert len(pushes) == WRITERS // 2 and len(web_saves) <= 1
    assert len(web_saves) + len(outcome.conflicts) == WRITERS // 2
    rows = Figure.objects.filter(period=period, assessed=assessed, indicator=indicator)
    assert rows.count() == 1
    history = history_of(period, assessed, indicator)
    assert [h.version for h in history] == list(range(1, len(outcome.acknowledged) + 1))
    assert rows.get().version == len(outcome.acknowledged)


# --- the same race made deterministic, on every database ------------------------------


@pytest.fixture
def someone_creates_it_first(cycle, monkeypatch):  # type: ignore[no-untyped-def]
    """Another writer inserted the figure just after figure_save looked for it
    (and found no row to lock): what PostgreSQL lets two writers do."""
    period, assessed = where(cycle)
    Figure.objects.create(
        period=period, assessed=assessed, indicator=online_dossiers(assessed), values=values(777)
    )
    lookup = Figure.objects.select_for_update
    calls: list[int] = []

    def first_look_misses(*args: Any, **kwargs: Any) -> Any:
        calls.append(1)
        found = lookup(*args, **kwargs)
        return found.none() if len(calls) == 1 else found

    monkeypatch.setattr(Figure.objects, "select_for_update", first_look_misses)


@pytest.mark.django_db
def test_a_blank_form_losing_the_race_to_create_a_figure_is_a_conflict(
    org, cycle, someone_creates_it_first
):
    period, assessed = where(cycle)
    indicator = online_dossiers(assessed)

    with pytest.raises(StaleFigure) as stale:
        figure_save(
            actor=org.reporter,
            period=period,
            assessed=assessed,
            indicator=indicator,
            values=values(1050),
            version=0,
        )

    assert stale.value.current.values == values(777)
    figure = Figure.objects.get(period=period, assessed=assessed, indicator=indicator)
    assert figure.values == values(777)


@pytest.mark.django_db
def test_an_unversioned_save_losing_the_race_is_applied_on_top(
    org, cycle, someone_creates_it_first
):
    period, assessed = where(cycle)
    indicator = online_dossiers(assessed)

    saved = figure_save(
        actor=None, period=period, assessed=assessed, indicator=indicator, values=values(1050)
    )

    figure = Figure.objects.get(period=period, assessed=assessed, indicator=indicator)
    assert (figure.pk, figure.version, figure.values) == (saved.pk, 2, values(1050))
