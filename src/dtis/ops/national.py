"""A synthetic nation for benchmarks and load tests (`dtis generate-national`).

Vietnam after the 2025 reorganisation has 34 provinces, about 3,300 communes
and about 700 provincial departments. To know how DTIS behaves at that size,
`generate` builds a country like it in an empty database: the units, and for
each of the last `years` years and each province three cycles (the
province's own DTI on vn-province-2025, its departments' and its communes'
on hy-department-2023), each with four quarters of figures for every scored
indicator of every assessed unit — millions of figure rows at full size —
accepted submissions, and published results.

Everything comes from one `random.Random(seed)` walked in a fixed order, so
the same seed gives the same rows (ids aside). Rows are written with
`bulk_create` in large batches (figures, the bulk of them, with one
prepared INSERT) inside one transaction: the full country takes minutes,
not the hours that saving rows one by one through the services would. For
the same reason the figures' history is not written (nobody edited them)
and the published results are drawn, not computed from the figures: pages
that read results see realistic numbers, and `dtis results recompute`
computes real ones when a benchmark needs them.

Generated units' codes start with `GEN-` under the nation `GEN`: that is how
`real_data_present` tells a generated country from a real one, which this
module refuses to mix with (unless forced), since thousands of invented
units and accounts must never appear in a province's lists.
"""

from __future__ import annotations

import datetime as dt
import json
import random
import time
from dataclasses import asdict, dataclass
from decimal import Decimal
from typing import Any

from django.db import connection, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

ROOT_CODE = "GEN"
PREFIX = "GEN-"
PROVINCIAL_FRAMEWORK = "vn-province-2025"
LOCAL_FRAMEWORK = "hy-department-2023"
BATCH = 5000
QUARTERS = (("q1", 1, 3), ("q2", 4, 6), ("q3", 7, 9), ("q4", 10, 12))

_SYLLABLES = (
    "An", "Bình", "Cẩm", "Đông", "Đức", "Giang", "Hà", "Hải", "Hòa", "Hưng", "Khánh",
    "Lạc", "Long", "Minh", "Mỹ", "Nam", "Ninh", "Phú", "Phước", "Quảng", "Sơn", "Tân",
    "Thanh", "Thái", "Thạnh", "Thuận", "Tiến", "Trà", "Trung", "Vĩnh", "Xuân", "Yên",
)  # fmt: skip
_DEPARTMENTS = (
    "Văn phòng Ủy ban nhân dân tỉnh", "Sở Nội vụ", "Sở Tư pháp", "Sở Tài chính",
    "Sở Công Thương", "Sở Nông nghiệp và Môi trường", "Sở Xây dựng",
    "Sở Khoa học và Công nghệ", "Sở Giáo dục và Đào tạo", "Sở Y tế",
    "Sở Văn hóa, Thể thao và Du lịch", "Sở Dân tộc và Tôn giáo", "Sở Ngoại vụ",
    "Thanh tra tỉnh", "Ban Quản lý các khu công nghiệp", "Đài Phát thanh và Truyền hình",
    "Trường Cao đẳng", "Ban Quản lý dự án đầu tư xây dựng", "Bảo hiểm xã hội tỉnh",
    "Cục Thuế tỉnh", "Kho bạc Nhà nước khu vực",
)  # fmt: skip


class NationalError(Exception):
    """The arguments or the database do not allow generating a nation."""


@dataclass(frozen=True)
class NationSize:
    """What to generate. `scale` multiplies the provinces, communes and
    departments (at least one province; communes and departments keep about
    the same number per province), never the years."""

    provinces: int = 34
    communes: int = 3300
    departments: int = 700
    years: int = 5
    scale: float = 1.0
    last_year: int = 2025

    def check(self) -> None:
        if not 0 < self.scale <= 10:
            raise NationalError(_("The scale must be above 0 and at most 10."))
        if not 1 <= self.provinces <= 999:
            raise NationalError(_("The number of provinces must be between 1 and 999."))
        if not 0 <= self.communes <= 100_000 or not 0 <= self.departments <= 100_000:
            raise NationalError(
                _("The numbers of communes and departments must be between 0 and 100,000.")
            )
        if not 1 <= self.years <= 20:
            raise NationalError(_("The number of years must be between 1 and 20."))

    def counts(self) -> tuple[int, int, int]:
        """(provinces, communes, departments) after scaling."""
        provinces = max(1, round(self.provinces * self.scale))
        return provinces, round(self.communes * self.scale), round(self.departments * self.scale)


def real_data_present() -> bool:
    """Whether the database holds units or cycles that this module did not make."""
    from dtis.orgs.models import Unit
    from dtis.reporting.models import Cycle

    generated = Q(code=ROOT_CODE) | Q(code__startswith=PREFIX)
    return (
        Unit.objects.exclude(generated).exists()
        or Cycle.objects.exclude(scope__code__startswith=PREFIX)
        .exclude(scope__code=ROOT_CODE)
        .exists()
    )


def generate(size: NationSize, *, seed: int = 2026, force: bool = False) -> dict[str, Any]:
    """Build the nation; returns what was made (counts and seconds)."""
    from dtis.frameworks.services import find
    from dtis.orgs.models import Unit

    size.check()
    if Unit.objects.filter(code=ROOT_CODE).exists():
        raise NationalError(
            _("This database already holds a generated nation: use a new, empty database.")
        )
    if not force and real_data_present():
        raise NationalError(
            _(
                "This database holds real units or cycles: a generated nation would mix "
                "thousands of invented units and figures with them. Use an empty database, "
                "or --force if you are sure."
            )
        )
    if find(PROVINCIAL_FRAMEWORK) is None or find(LOCAL_FRAMEWORK) is None:
        from django.core.management import call_command

        call_command("load-frameworks", verbosity=0)
    started = time.perf_counter()
    rng = random.Random(seed)
    made = _Counts()
    # One transaction: a run stopped half-way leaves nothing behind, so it can
    # simply be started again.
    with transaction.atomic():
        provinces, children = _units(size, rng, made)
        frameworks = _frameworks()
        first_year = size.last_year - size.years + 1
        for year in range(first_year, size.last_year + 1):
            for province in provinces:
                _province_year(province, children[province.pk], year, frameworks, rng, made)
    return {"seed": seed, **asdict(size), **asdict(made)} | {
        "seconds": round(time.perf_counter() - started, 1)
    }


@dataclass
class _Counts:
    provinces: int = 0
    departments: int = 0
    communes: int = 0
    cycles: int = 0
    periods: int = 0
    assessed_units: int = 0
    figures: int = 0
    submissions: int = 0
    unit_results: int = 0
    indicator_results: int = 0


def _name(rng: random.Random) -> str:
    return f"{rng.choice(_SYLLABLES)} {rng.choice(_SYLLABLES)}"


def _spread(total: int, parts: int, index: int) -> int:
    """The index-th of `parts` near-equal shares of `total`."""
    return total // parts + (1 if index < total % parts else 0)


def _units(size: NationSize, rng: random.Random, made: _Counts) -> tuple[list[Any], dict]:
    from dtis.orgs.models import Unit, UnitKind
    from dtis.orgs.units import rebuild_tree

    n_provinces, n_communes, n_departments = size.counts()
    nation = Unit(code=ROOT_CODE, name="Việt Nam (dữ liệu sinh tự động)", kind=UnitKind.NATION)
    nation.save()
    provinces = []
    for p in range(1, n_provinces + 1):
        province = Unit(
            code=f"{PREFIX}T{p:02d}",
            name=f"Ủy ban nhân dân tỉnh {_name(rng)} {p}",
            short_name=f"Tỉnh {p:02d}",
            kind=UnitKind.PROVINCE,
            parent=nation,
        )
        province.refresh_derived_fields()
        provinces.append(province)
    Unit.objects.bulk_create(provinces)
    made.provinces = len(provinces)
    below: list[Any] = []
    children: dict[int, dict[str, list[Any]]] = {}
    for index, province in enumerate(provinces):
        departments = [
            Unit(
                code=f"{province.code}-S{d:03d}",
                name=_DEPARTMENTS[d % len(_DEPARTMENTS)]
                + (f" {d // len(_DEPARTMENTS) + 1}" if d >= len(_DEPARTMENTS) else ""),
                kind=UnitKind.DEPARTMENT,
                parent=province,
            )
            for d in range(_spread(n_departments, n_provinces, index))
        ]
        communes = [
            Unit(
                code=f"{province.code}-X{c:04d}",
                name=f"{rng.choice(('Xã', 'Xã', 'Xã', 'Phường'))} {_name(rng)} {c + 1}",
                kind=UnitKind.COMMUNE,
                parent=province,
            )
            for c in range(_spread(n_communes, n_provinces, index))
        ]
        for unit in departments + communes:
            unit.refresh_derived_fields()
        below += departments + communes
        children[province.pk] = {"department": departments, "commune": communes}
        made.departments += len(departments)
        made.communes += len(communes)
    Unit.objects.bulk_create(below, batch_size=BATCH)
    rebuild_tree()
    return provinces, children


@dataclass
class _Framework:
    model: Any
    leaves: list[Any]  # (model indicator, core indicator) of every scored leaf
    indicators: list[Any]  # every indicator, for the results


def _frameworks() -> dict[str, _Framework]:
    from dtis.frameworks.services import find, to_core

    out = {}
    for code in (PROVINCIAL_FRAMEWORK, LOCAL_FRAMEWORK):
        fw = find(code)
        assert fw is not None
        indicators = list(fw.indicators.order_by("order", "pk"))
        by_code = {i.code: i for i in indicators}
        leaves = [(by_code[leaf.code], leaf) for leaf in to_core(fw, indicators).scored_leaves]
        out[code] = _Framework(fw, leaves, indicators)
    return out


def plausible_inputs(leaf: Any, rng: random.Random) -> dict[str, Any]:
    """Inputs for one scored indicator of the pure core: yes mostly, a choice
    at random, counts up to 1,000 with a denominator never below its numerator."""
    values: dict[str, Any] = {}
    for spec in leaf.inputs:
        if spec.type == "boolean":
            values[spec.name] = rng.random() < 0.8
        elif spec.type == "choice":
            values[spec.name] = rng.choice(spec.choices)[0]
        else:
            values[spec.name] = rng.randint(0, 1000)
    if leaf.rule.to_dict()["kind"] in ("ratio", "ratio_target"):
        params = leaf.rule.params()
        values[params["denominator"]] = values[params["numerator"]] + rng.randint(1, 500)
    return values


def _province_year(
    province: Any,
    children: dict[str, list[Any]],
    year: int,
    frameworks: dict[str, _Framework],
    rng: random.Random,
    made: _Counts,
) -> None:
    from dtis.appraisal.models import CycleOutcome, Stage
    from dtis.reporting.models import (
        AssessedUnit,
        Assignment,
        Cycle,
        Period,
        Submission,
    )

    now = timezone.now()
    for label, fw_code, units, group in (
        ("Chỉ số DTI cấp tỉnh", PROVINCIAL_FRAMEWORK, [province], "Tỉnh, thành phố"),
        ("Chỉ số DTI các sở, ngành", LOCAL_FRAMEWORK, children["department"], "Sở, ban, ngành"),
        ("Chỉ số DTI các xã, phường", LOCAL_FRAMEWORK, children["commune"], "Xã, phường"),
    ):
        if not units:
            continue
        fw = frameworks[fw_code]
        cycle = Cycle.objects.create(
            name=f"{label} năm {year} – {province.short_name}",
            framework=fw.model,
            year=year,
            scope=province,
        )
        periods = Period.objects.bulk_create(
            Period(
                cycle=cycle,
                kind=kind,
                start=dt.date(year, first, 1),
                end=_month_end(year, last),
                unit_deadline=_month_end(year, last) - dt.timedelta(days=5),
                office_deadline=_month_end(year, last),
                state="closed",
            )
            for kind, first, last in QUARTERS
        )
        assessed = AssessedUnit.objects.bulk_create(
            AssessedUnit(cycle=cycle, unit=u, peer_group=group) for u in units
        )
        Assignment.objects.bulk_create(
            (
                Assignment(cycle=cycle, assessed=a, indicator=model, owner_id=a.unit_id)
                for a in assessed
                for model, _leaf in fw.leaves
            ),
            batch_size=BATCH,
        )
        stamp = connection.ops.adapt_datetimefield_value(now)
        figures = []
        for period in periods:
            for a in assessed:
                figures += [
                    (period.pk, a.pk, model.pk, json.dumps(plausible_inputs(leaf, rng)), stamp)
                    for model, leaf in fw.leaves
                ]
            if len(figures) >= BATCH * 4:
                made.figures += _insert_figures(figures)
                figures = []
        made.figures += _insert_figures(figures)
        submissions = Submission.objects.bulk_create(
            (
                Submission(period=p, assessed=a, state="accepted", submitted_at=now)
                for p in periods
                for a in assessed
            ),
            batch_size=BATCH,
        )
        CycleOutcome.objects.create(cycle=cycle, stage=Stage.PUBLISHED, published_at=now)
        _results(cycle, assessed, fw, rng, made)
        made.cycles += 1
        made.periods += len(periods)
        made.assessed_units += len(assessed)
        made.submissions += len(submissions)


def _insert_figures(rows: list[tuple[Any, ...]]) -> int:
    """Figure rows written with one prepared INSERT: the bulk of a nation's
    rows, where `bulk_create`'s per-field preparation would cost most of
    the time. Columns not given take the model's defaults (no note, not
    scored yet, version 1, entered by nobody)."""
    from dtis.reporting.models import Figure

    q = connection.ops.quote_name
    sql = (
        f"INSERT INTO {q(Figure._meta.db_table)} ({q('period_id')}, {q('assessed_id')}, "
        f"{q('indicator_id')}, {q('values')}, {q('updated_at')}, {q('not_applicable')}, "
        f"{q('note')}, {q('explanation')}, {q('version')}) "
        "VALUES (%s, %s, %s, %s, %s, %s, '', '', 1)"
    )
    with connection.cursor() as cursor:
        for start in range(0, len(rows), BATCH):
            cursor.executemany(sql, [(*row, False) for row in rows[start : start + BATCH]])
    return len(rows)


def open_deadline_cycles(*, deadline: dt.date | None = None) -> list[Any]:
    """Deadline day: for every generated province, this year's cycles of its
    departments and of its communes, made by the real service (periods,
    assignments), with the last quarter open and due `deadline` (tomorrow by
    default). Returns the open periods."""
    from dtis.frameworks.services import find
    from dtis.orgs.models import Unit, UnitKind
    from dtis.reporting.cycles import cycle_create
    from dtis.reporting.models import PeriodState

    today = timezone.localdate()
    deadline = deadline or today + dt.timedelta(days=1)
    local = find(LOCAL_FRAMEWORK)
    assert local is not None
    periods = []
    for province in Unit.objects.filter(kind=UnitKind.PROVINCE, code__startswith=PREFIX):
        below = list(Unit.objects.filter(parent=province).order_by("code"))
        for kind, label, group in (
            (UnitKind.DEPARTMENT, "các sở, ngành", "Sở, ban, ngành"),
            (UnitKind.COMMUNE, "các xã, phường", "Xã, phường"),
        ):
            units = [u for u in below if u.kind == kind]
            if not units:
                continue
            cycle = cycle_create(
                actor=None,
                framework=local,
                year=today.year,
                name=f"Chỉ số DTI {label} năm {today.year} – {province.short_name}",
                scope=province,
                assessed=[(u, group) for u in units],
            )
            period = max(cycle.periods.all(), key=lambda p: p.end)
            period.state = PeriodState.OPEN
            period.start = min(period.start, today)
            period.unit_deadline = deadline
            period.office_deadline = deadline + dt.timedelta(days=5)
            period.end = max(period.end, period.office_deadline)
            period.save()
            periods.append(period)
    return periods


def _month_end(year: int, month: int) -> dt.date:
    return (dt.date(year + month // 12, month % 12 + 1, 1)) - dt.timedelta(days=1)


def _results(
    cycle: Any, assessed: list[Any], fw: _Framework, rng: random.Random, made: _Counts
) -> None:
    """Published results drawn at random (see the module's docstring), ranked."""
    from dtis.appraisal.models import IndicatorResult, UnitResult

    results = []
    for a in assessed:
        index = Decimal(rng.randint(4500, 9500)) / 10000
        results.append(
            UnitResult(
                assessed=a,
                cycle=cycle,
                max_points=1000,
                self_points=index * 1000 + 12,
                appraised_points=index * 1000,
                final_points=index * 1000,
                self_index=index,
                index=index,
                band="Tốt",
                items=len(fw.leaves),
                decided=len(fw.leaves),
                reported=True,
            )
        )
    for position, r in enumerate(sorted(results, key=lambda r: (-r.index, r.assessed.unit.code))):
        r.rank = position + 1
    UnitResult.objects.bulk_create(results, batch_size=BATCH)
    rows = []
    for r in results:
        for ind in fw.indicators:
            share = Decimal(rng.randint(40, 100)) / 100
            points = (ind.max_points * share).quantize(Decimal("0.01"))
            rows.append(
                IndicatorResult(
                    result=r,
                    indicator=ind,
                    code=ind.code,
                    is_main=ind.parent_id is None,
                    applicable=True,
                    self_points=points,
                    appraised_points=points,
                    final_points=points,
                    max_points=ind.max_points,
                )
            )
    IndicatorResult.objects.bulk_create(rows, batch_size=BATCH)
    made.unit_results += len(results)
    made.indicator_results += len(rows)
