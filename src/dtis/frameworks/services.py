"""Services over frameworks: load and store, convert for the scoring core,
versions, status changes, edits of drafts, comparison and crosswalk."""

from __future__ import annotations

import datetime as dt
import difflib
import json
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.db.models import QuerySet

from dtis.core.text import fold
from dtis.frameworks.models import (
    FRAMEWORK_CODE_PATTERN,
    Crosswalk,
    Framework,
    Indicator,
    Level,
    Status,
)
from dtis.orgs.models import Unit, User
from dtis.scoring import serialize
from dtis.scoring import tree as core
from dtis.scoring.messages import Message, gettext_noop
from dtis.scoring.rules import RuleError, parse_rule

CENTS = Decimal("0.01")
TEXT_KEYS = ("guidance", "evidence", "tasks", "lead_unit")


class FrameworkLocked(Exception):
    """The framework is in force or retired: change a new version instead."""


# --- reading ----------------------------------------------------------------


def indicators_of(fw: Framework) -> list[Indicator]:
    return list(fw.indicators.order_by("order"))


def framework_dict(fw: Framework, indicators: Iterable[Indicator] | None = None) -> dict[str, Any]:
    """The whole framework in the data-file layout (YAML/JSON), metadata included."""
    rows = list(indicators if indicators is not None else indicators_of(fw))
    children: dict[int | None, list[Indicator]] = {}
    for ind in rows:
        children.setdefault(ind.parent_id, []).append(ind)

    def node(ind: Indicator) -> dict[str, Any]:
        out: dict[str, Any] = {"code": ind.code, "name": ind.name, "max_points": ind.max_points}
        if ind.rule:
            out["rule"] = ind.rule
        if ind.inputs:
            out["inputs"] = ind.inputs
        for key in TEXT_KEYS:
            if getattr(ind, key):
                out[key] = getattr(ind, key)
        if ind.coordinating_units:
            out["coordinating_units"] = ind.coordinating_units
        if ind.auto_measurable:
            out["auto_measurable"] = True
        kids = children.get(ind.pk, [])
        if kids:
            out["children"] = [node(k) for k in kids]
        return out

    return {
        "code": fw.code,
        "name": fw.name,
        "level": fw.level,
        "version": fw.version,
        "status": fw.status,
        "legal_basis": {
            "number": fw.legal_number,
            "date": fw.legal_date.isoformat() if fw.legal_date else None,
            "issuer": fw.legal_issuer,
        },
        "year_from": fw.year_from,
        "year_to": fw.year_to,
        "bands": fw.bands,
        "pillars": fw.pillars,
        "indicators": [node(i) for i in children.get(None, [])],
    }


def to_core(fw: Framework, indicators: Iterable[Indicator] | None = None) -> core.Framework:
    """The framework as the scoring core sees it (one query)."""
    return serialize.from_dict(framework_dict(fw, indicators))


def summary(fw: Framework, indicators: Iterable[Indicator] | None = None) -> dict[str, Any]:
    """`dtis frameworks list --json` and the API's list (given the prefetched
    indicators, no query of its own)."""
    tree = to_core(fw, indicators)
    return {
        "code": fw.code,
        "name": fw.name,
        "level": fw.level,
        "version": fw.version,
        "status": fw.status,
        "max_points": tree.max_points,
        "main_indicators": len(tree.scored_main),
        "scored_indicators": len(tree.scored_leaves),
        "legal_basis": fw.legal_number,
        "year_from": fw.year_from,
        "year_to": fw.year_to,
    }


def indicator_tree(node: dict[str, Any]) -> dict[str, Any]:
    """One indicator and those below it in the contract shape of `dtis
    frameworks show --json` and the API: code, name, max_points, rule,
    inputs, children, then the rest of its fields."""
    return {
        "code": node["code"],
        "name": node["name"],
        "max_points": node["max_points"],
        "rule": node.get("rule"),
        "inputs": node.get("inputs", []),
        "children": [indicator_tree(c) for c in node.get("children", [])],
    } | {k: v for k, v in node.items() if k not in {"children", "rule", "inputs"}}


def framework_tree(fw: Framework) -> dict[str, Any]:
    """The whole framework as a tree (`dtis frameworks show CODE --json`, the API)."""
    data = framework_dict(fw)
    return data | {"indicators": [indicator_tree(n) for n in data["indicators"]]}


def find(code: str) -> Framework | None:
    """`vn-province-2025` (the newest version) or `vn-province-2025@2`."""
    base, _sep, version = code.partition("@")
    frameworks = Framework.objects.filter(code=base)
    if version:
        return frameworks.filter(version=int(version)).first() if version.isdigit() else None
    return frameworks.order_by("-version").first()


# --- storing ------------------------------------------------------------------


def _problem(template: str, **params: object) -> core.Problem:
    """A framework-level problem, rendered in the reader's language when shown."""
    return core.Problem("", Message(template, **params))


def _meta_problems(data: Mapping[str, Any]) -> list[core.Problem]:
    problems = []
    if not re.match(FRAMEWORK_CODE_PATTERN, str(data.get("code") or "")):
        problems.append(_problem(gettext_noop("framework code must use a-z, 0-9 and '-'")))
    if not str(data.get("name") or "").strip():
        problems.append(_problem(gettext_noop("framework name is missing")))
    if data.get("level") not in Level.values:
        problems.append(
            _problem(gettext_noop("level must be one of: %(v)s"), v=", ".join(Level.values))
        )
    if data.get("status", Status.DRAFT) not in Status.values:
        problems.append(_problem(gettext_noop("unknown status %(s)s"), s=data.get("status")))
    for key in ("version", "year_from", "year_to"):
        value = data.get(key)
        if value not in (None, "") and not str(value).isdigit():
            problems.append(_problem(gettext_noop("%(k)s must be a whole number"), k=key))
    basis = data.get("legal_basis") or {}
    if basis.get("date"):
        try:
            dt.date.fromisoformat(str(basis["date"]))
        except ValueError:
            problems.append(_problem(gettext_noop("decision date must be yyyy-mm-dd")))
    return problems


def check_dict(data: Mapping[str, Any]) -> list[core.Problem]:
    """Every problem of a framework file, metadata and tree alike."""
    problems: list[core.Problem] = []
    try:
        problems.extend(_meta_problems(data))
        serialize.from_dict(data)
    except serialize.FrameworkError as exc:
        problems.extend(exc.problems)
    except (TypeError, KeyError, AttributeError, IndexError, ValueError) as exc:
        # Valid JSON/YAML that is not shaped like a framework: a number where
        # the list of bands belongs, an input without a name…
        problems.append(
            _problem(
                gettext_noop(
                    "the file is not laid out like a framework (%(reason)s); "
                    "export a framework to see the layout"
                ),
                reason=f"{type(exc).__name__}: {exc}"[:200],
            )
        )
    return problems


def _comparable(data: Mapping[str, Any]) -> Any:
    """Normalise a framework dict so that equal content compares equal."""
    return json.loads(json.dumps(data, default=str, sort_keys=True))


@dataclass
class ImportOutcome:
    framework: Framework
    action: str  # "created", "replaced", "unchanged"


@transaction.atomic
def framework_import(
    data: Mapping[str, Any], *, actor: User | None, owner: Unit | None = None
) -> ImportOutcome:
    """Store a framework file. All or nothing; raises FrameworkError with every problem.

    The same code and version again: a draft is replaced, identical content
    in force is left alone, different content in force is refused.
    """
    problems = check_dict(data)
    if problems:
        raise serialize.FrameworkError(problems)
    version = int(data.get("version") or 1)
    existing = Framework.objects.filter(code=data["code"], version=version).first()
    if existing is not None:
        same = _comparable(framework_dict(existing)) == _comparable(_normalised(data, version))
        if same:
            return ImportOutcome(existing, "unchanged")
        if not existing.is_editable:
            raise serialize.FrameworkError(
                [
                    _problem(
                        gettext_noop(
                            "version %(v)s of %(code)s is in force or retired and cannot "
                            "be changed; import it with a new version number"
                        ),
                        v=version,
                        code=data["code"],
                    )
                ]
            )
        existing.indicators.all().delete()
        fw = existing
        action = "replaced"
    else:
        fw = Framework(code=data["code"], version=version)
        action = "created"
    _apply_meta(fw, data, owner)
    fw._history_user = actor  # type: ignore[attr-defined]
    fw.save()
    _create_indicators(fw, data.get("indicators") or [])
    return ImportOutcome(fw, action)


def _normalised(data: Mapping[str, Any], version: int) -> dict[str, Any]:
    """What framework_dict would return after importing `data`."""
    basis = data.get("legal_basis") or {}

    def node(d: Mapping[str, Any]) -> dict[str, Any]:
        out: dict[str, Any] = {
            "code": str(d["code"]),
            "name": str(d["name"]).strip(),
            "max_points": Decimal(str(d.get("max_points") or 0)).quantize(CENTS),
        }
        for key in ("rule", "inputs"):
            if d.get(key):
                out[key] = d[key]
        for key in TEXT_KEYS:
            if d.get(key):
                out[key] = str(d[key])
        if d.get("coordinating_units"):
            out["coordinating_units"] = list(d["coordinating_units"])
        if d.get("auto_measurable"):
            out["auto_measurable"] = True
        if d.get("children"):
            out["children"] = [node(c) for c in d["children"]]
        return out

    return {
        "code": data["code"],
        "name": str(data["name"]).strip(),
        "level": data["level"],
        "version": version,
        "status": data.get("status") or Status.DRAFT,
        "legal_basis": {
            "number": basis.get("number") or "",
            "date": str(basis["date"]) if basis.get("date") else None,
            "issuer": basis.get("issuer") or "",
        },
        "year_from": data.get("year_from"),
        "year_to": data.get("year_to"),
        "bands": data.get("bands") or [],
        "pillars": data.get("pillars") or [],
        "indicators": [node(i) for i in data.get("indicators") or []],
    }


def _apply_meta(fw: Framework, data: Mapping[str, Any], owner: Unit | None) -> None:
    basis = data.get("legal_basis") or {}
    fw.name = str(data["name"]).strip()
    fw.level = data["level"]
    fw.status = data.get("status") or Status.DRAFT
    fw.legal_number = basis.get("number") or ""
    fw.legal_date = dt.date.fromisoformat(str(basis["date"])) if basis.get("date") else None
    fw.legal_issuer = basis.get("issuer") or ""
    fw.year_from = data.get("year_from") or None
    fw.year_to = data.get("year_to") or None
    fw.bands = _jsonable(data.get("bands") or [])
    fw.pillars = _jsonable(data.get("pillars") or [])
    if owner is not None:
        fw.owner = owner


def _jsonable(value: Any) -> Any:
    """Decimals become strings in JSON fields (exact, and JSON has no decimal)."""
    return json.loads(json.dumps(value, default=str))


def _create_indicators(fw: Framework, roots: Iterable[Mapping[str, Any]]) -> None:
    level: list[tuple[Mapping[str, Any], Indicator | None]] = [(d, None) for d in roots]
    while level:
        batch = []
        for data, parent in level:
            batch.append(
                (
                    data,
                    Indicator(
                        framework=fw,
                        parent=parent,
                        code=str(data["code"]),
                        name=str(data["name"]).strip(),
                        order=_order_of(str(data["code"])),
                        max_points=Decimal(str(data.get("max_points") or 0)),
                        rule=_jsonable(data.get("rule")) if data.get("rule") else None,
                        inputs=_jsonable(data.get("inputs") or []),
                        guidance=str(data.get("guidance") or ""),
                        evidence=str(data.get("evidence") or ""),
                        tasks=str(data.get("tasks") or ""),
                        lead_unit=str(data.get("lead_unit") or ""),
                        coordinating_units=list(data.get("coordinating_units") or []),
                        auto_measurable=bool(data.get("auto_measurable")),
                    ),
                )
            )
        Indicator.objects.bulk_create([ind for _, ind in batch])
        level = [(child, ind) for data, ind in batch for child in data.get("children") or []]


def _order_of(code: str) -> int:
    """Tree order from the code itself: 1 < 1.1 < 1.2 < 1.2.1 < 1.10 < 2."""
    parts = [int(p) for p in code.split(".")][:4]
    parts += [0] * (4 - len(parts))
    return parts[0] * 1_000_000 + parts[1] * 10_000 + parts[2] * 100 + parts[3]


# --- versions and status ---------------------------------------------------------


@transaction.atomic
def framework_new_version(fw: Framework, *, actor: User | None) -> Framework:
    """A draft copy with the next free version number, linked to its source."""
    data = framework_dict(fw)
    data["version"] = (
        Framework.objects.filter(code=fw.code)
        .order_by("-version")
        .values_list("version", flat=True)[0]
        + 1
    )
    data["status"] = Status.DRAFT
    outcome = framework_import(data, actor=actor, owner=fw.owner)
    outcome.framework.based_on = fw
    outcome.framework.save(update_fields=["based_on"])
    crosswalk_suggest(fw, outcome.framework)
    return outcome.framework


@transaction.atomic
def framework_set_status(fw: Framework, status: str, *, actor: User | None) -> Framework:
    if status not in Status.values:
        raise ValueError(status)
    if status == Status.ACTIVE:
        problems = check_dict(framework_dict(fw))
        if problems:
            raise serialize.FrameworkError(problems)
    if fw.status == Status.RETIRED and status == Status.DRAFT:
        raise FrameworkLocked
    if fw.status == Status.ACTIVE and status == Status.DRAFT:
        raise FrameworkLocked
    fw.status = status
    fw._history_user = actor  # type: ignore[attr-defined]
    fw.save()
    return fw


@transaction.atomic
def indicator_update(
    ind: Indicator,
    *,
    actor: User | None,
    name: str,
    max_points: Decimal,
    rule: dict[str, Any] | None,
    inputs: list[dict[str, Any]],
    guidance: str = "",
    evidence: str = "",
    tasks: str = "",
    lead_unit: str = "",
    coordinating_units: list[str] | None = None,
    auto_measurable: bool = False,
) -> Indicator:
    """Edit one indicator of a draft; parents' maxima follow their children."""
    if not ind.framework.is_editable:
        raise FrameworkLocked
    if ind.children.exists():
        rule, inputs = None, []
        max_points = ind.max_points  # a parent's maximum is the sum of its children
    if rule is not None:
        parse_rule(rule)  # RuleError with the reason
    candidate = core.Indicator(
        ind.code,
        name,
        max_points,
        parse_rule(rule) if rule else None,
        tuple(
            core.InputSpec(
                i["name"],
                i.get("label", i["name"]),
                i.get("type", "number"),
                i.get("unit", ""),
                tuple((c["value"], c["label"]) for c in i.get("choices", [])),
            )
            for i in inputs
        ),
    )
    problems = [] if ind.children.exists() else core.check_leaf(candidate)
    if problems:
        raise RuleError("; ".join(p.message for p in problems))
    delta = max_points - ind.max_points
    ind.name, ind.max_points, ind.rule, ind.inputs = name.strip(), max_points, rule, inputs
    ind.guidance, ind.evidence, ind.tasks, ind.lead_unit = guidance, evidence, tasks, lead_unit
    ind.coordinating_units = coordinating_units or []
    ind.auto_measurable = auto_measurable
    ind._history_user = actor  # type: ignore[attr-defined]
    ind.save()
    parent = ind.parent
    while delta and parent is not None:
        parent.max_points += delta
        parent._history_user = actor  # type: ignore[attr-defined]
        parent.save(update_fields=["max_points"])
        parent = parent.parent
    return ind


# --- comparison and crosswalk ------------------------------------------------------


@dataclass
class Change:
    old: Indicator | None
    new: Indicator | None
    kinds: list[str] = field(default_factory=list)  # added, removed, renamed, reweighted, rule


@dataclass
class Comparison:
    old: Framework
    new: Framework
    changes: list[Change]

    def count(self, kind: str) -> int:
        return sum(1 for c in self.changes if kind in c.kinds)


def compare(old: Framework, new: Framework) -> Comparison:
    """Indicators added, removed, renamed, re-weighted or re-ruled, matched by
    the crosswalk where one exists, else by code."""
    old_inds, new_inds = indicators_of(old), indicators_of(new)
    by_code = {i.code: i for i in new_inds}
    walk = dict(
        Crosswalk.objects.filter(source__framework=old, target__framework=new).values_list(
            "source_id", "target_id"
        )
    )
    new_by_pk = {i.pk: i for i in new_inds}
    matched: set[int] = set()
    changes = []
    for ind in old_inds:
        partner = new_by_pk.get(walk[ind.pk]) if ind.pk in walk else by_code.get(ind.code)
        if partner is None or partner.pk in matched:
            changes.append(Change(ind, None, ["removed"]))
            continue
        matched.add(partner.pk)
        kinds = []
        if partner.name.strip() != ind.name.strip():
            kinds.append("renamed")
        if partner.max_points != ind.max_points:
            kinds.append("reweighted")
        if (partner.rule or {}) != (ind.rule or {}):
            kinds.append("rule")
        if partner.code != ind.code:
            kinds.append("recoded")
        changes.append(Change(ind, partner, kinds))
    changes += [Change(None, i, ["added"]) for i in new_inds if i.pk not in matched]
    return Comparison(old, new, changes)


def crosswalk_suggest(old: Framework, new: Framework) -> int:
    """Map each indicator of `old` to the most similar one of `new` (same code
    first, then the closest name) where no mapping exists yet."""
    new_inds = indicators_of(new)
    existing = set(
        Crosswalk.objects.filter(source__framework=old).values_list("source_id", flat=True)
    )
    created = []
    for ind in indicators_of(old):
        if ind.pk in existing:
            continue
        target = _closest(ind, new_inds)
        if target is not None:
            created.append(Crosswalk(source=ind, target=target))
    Crosswalk.objects.bulk_create(created)
    return len(created)


def _closest(ind: Indicator, candidates: list[Indicator]) -> Indicator | None:
    same_code = next((c for c in candidates if c.code == ind.code), None)
    if same_code is not None and _similarity(ind.name, same_code.name) >= 0.5:
        return same_code
    scored = [(c, _similarity(ind.name, c.name)) for c in candidates if c.depth == ind.depth]
    best = max(scored, key=lambda pair: pair[1], default=None)
    return best[0] if best and best[1] >= 0.6 else same_code


def _similarity(a: str, b: str) -> float:
    return difflib.SequenceMatcher(None, fold(a), fold(b)).ratio()


@transaction.atomic
def crosswalk_set(source: Indicator, target: Indicator | None, note: str = "") -> Crosswalk:
    entry, _created = Crosswalk.objects.update_or_create(
        source=source, defaults={"target": target, "note": note}
    )
    return entry


def frameworks_visible() -> QuerySet[Framework]:
    return Framework.objects.select_related("owner").order_by("code", "-version")
