"""Pushing one figure: the same service as the web form, behind an idempotency key.

Order of checks, each leaving the database as it was:
  unknown period, unit or indicator in the body → 422 naming the field;
  the figure outside the client's units or indicators → 403;
  the report cannot change now (closed period, past deadline, submitted) → 409;
  inputs or links the figure's rules refuse → 422 naming each one.
Then the figure is stored as `dtis.reporting.figures.figure_save` stores it
(validation, score, history with the client's service account and "API:
<client name>" as the reason) and the links are added as link evidence, all
in one transaction together with the stored answer for the key. A push
reads each row once: the checks above load what the write needs (the report's
state, the figure, locked) and hand it to `figures.figure_write`.

The same key with the same request gives the stored answer again (header
`Idempotent-Replayed: true`) and changes nothing; the same key with another
request is refused (422). Only successful writes keep their key: a refused
request stored nothing, so it may be corrected and sent again with its key.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from dtis.api.errors import ApiError, field_errors, from_django
from dtis.api.models import ApiClient, IdempotencyRecord
from dtis.api.schemas import FigureIn
from dtis.frameworks.models import Indicator
from dtis.reporting.entry import block_reason, person_name
from dtis.reporting.evidence import evidence_add_link
from dtis.reporting.figures import (
    StaleFigure,
    can_edit,
    clean_values,
    figure_lock,
    figure_write,
    report_state,
)
from dtis.reporting.models import (
    AssessedUnit,
    Assignment,
    Cycle,
    EvidenceKind,
    Figure,
    Period,
)


@dataclass(frozen=True)
class Answer:
    status: int
    body: dict[str, Any]
    replayed: bool = False


def request_hash(cycle_id: int, payload: FigureIn) -> str:
    canonical = json.dumps(
        {"cycle": cycle_id, **payload.model_dump(mode="json")},
        sort_keys=True,
        ensure_ascii=False,
        separators=(",", ":"),
    )
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()


def figure_push(*, client: ApiClient, cycle_id: int, payload: FigureIn, key: str) -> Answer:
    """Store one figure for the client, once per idempotency key."""
    digest = request_hash(cycle_id, payload)
    earlier = _replay(client, key, digest)
    if earlier is not None:
        return earlier
    try:
        with transaction.atomic():
            body = _store(client, cycle_id, payload)
            IdempotencyRecord.objects.create(
                client=client, key=key, request_hash=digest, status=200, response=body
            )
    except IntegrityError as exc:
        # The same key arrived twice at once and the other request won: its
        # answer stands, this one's write was rolled back with the error.
        earlier = _replay(client, key, digest)
        if earlier is None:  # another key created the same figure at the same moment
            raise ApiError(
                409, _("The figure was written by another request just now: send it again.")
            ) from exc
        return earlier
    return Answer(200, body)


def _replay(client: ApiClient, key: str, digest: str) -> Answer | None:
    record = IdempotencyRecord.objects.filter(client=client, key=key).first()
    if record is None:
        return None
    if record.request_hash != digest:
        raise ApiError(
            422,
            _(
                "This Idempotency-Key was already used for a different request. "
                "Use a new key for a new figure; nothing was stored."
            ),
            {"Idempotency-Key": [_("already used for a different request")]},
        )
    return Answer(record.status, record.response, replayed=True)


def _store(client: ApiClient, cycle_id: int, payload: FigureIn) -> dict[str, Any]:
    cycle, period, assessed, indicator, assignment = _locate(cycle_id, payload)
    if not (client.covers(assessed.unit) or client.covers(assignment.owner)):
        raise ApiError(
            403,
            _("This token may not write figures for %(unit)s.") % {"unit": assessed.unit.name},
        )
    if not client.allows_indicator(indicator.code):
        raise ApiError(
            403,
            _("This token may not write indicator %(code)s.") % {"code": indicator.code},
        )
    _require_open(period, assessed)
    _check_inputs(indicator, payload.inputs)
    actor = client.user
    current = figure_lock(period, assessed, indicator)
    try:
        cleaned = clean_values(indicator, dict(payload.inputs))
        figure = _unchanged(current, cleaned, payload)
        if figure is not None:
            if figure.updated_by_id == actor.pk:
                figure.updated_by = actor  # named in the answer: no need to read it again
        else:
            figure = figure_write(
                figure=current,
                actor=actor,
                period=period,
                assessed=assessed,
                indicator=indicator,
                cleaned=cleaned,
                note=payload.note,
                not_applicable=payload.not_applicable,
                version=payload.version,
                reason=f"API: {client.name}",
            )
    except StaleFigure as stale:
        current = stale.current
        raise ApiError(
            409,
            _(
                "The figure changed since version %(version)s: %(who)s saved version "
                "%(current)s. Read it again; nothing was stored."
            )
            % {
                "version": payload.version,
                "who": person_name(current.updated_by),
                "current": current.version,
            },
        ) from stale
    except ValidationError as exc:
        if hasattr(exc, "error_dict"):
            raise field_errors(
                _("The inputs have errors: nothing was stored."), from_django(exc, "inputs.")
            ) from exc
        raise ApiError(409, " ".join(exc.messages)) from exc  # closed in the meantime
    # A figure this push created has no evidence yet (version 2 or more: another
    # request created it at the same moment and this one wrote on top).
    fresh = current is None and figure.version == 1
    links = _add_links(client, figure, payload.evidence_links, fresh=fresh)
    return figure_body(cycle, period, assessed, indicator, figure, links)


def _unchanged(figure: Figure | None, cleaned: dict[str, Any], payload: FigureIn) -> Figure | None:
    """The stored figure when the push repeats it exactly: a system that sends
    its figures every night leaves no history entry for an unchanged one."""
    if figure is None or (payload.version is not None and payload.version != figure.version):
        return None
    same = (
        cleaned == figure.values
        and payload.note.strip() == figure.note
        and payload.not_applicable == figure.not_applicable
    )
    return figure if same else None


def _locate(
    cycle_id: int, payload: FigureIn
) -> tuple[Cycle, Period, AssessedUnit, Indicator, Assignment]:
    """The cycle, and the body's period, unit and indicator in it: 404 for an
    unknown cycle, 422 naming each unknown field. Two queries when all are known."""
    kind = payload.period.strip().lower()
    period = (
        Period.objects.select_related("cycle__framework")
        .filter(cycle_id=cycle_id, kind=kind)
        .first()
    )
    assignment = (
        Assignment.objects.select_related("indicator", "owner", "assessed__unit")
        .filter(
            assessed__cycle_id=cycle_id,
            assessed__unit__code=payload.unit.strip().upper(),
            indicator__code=payload.indicator.strip(),
        )
        .first()
        if period is not None
        else None
    )
    if period is not None and assignment is not None:
        cycle = period.cycle
        assessed = assignment.assessed
        assessed.cycle = cycle
        return cycle, period, assessed, assignment.indicator, assignment
    # Something is unknown: find out what, field by field.
    cycle = Cycle.objects.select_related("framework").filter(pk=cycle_id).first()
    if cycle is None:
        raise ApiError(404, _("No assessment cycle has the number %(id)s.") % {"id": cycle_id})
    errors: dict[str, list[str]] = {}
    period = Period.objects.filter(cycle=cycle, kind=kind).first()
    if period is None:
        known = ", ".join(cycle.periods.values_list("kind", flat=True))
        errors["period"] = [
            _("This cycle has no period “%(code)s” (it has: %(known)s).")
            % {"code": payload.period, "known": known or "—"}
        ]
    assessed = (
        AssessedUnit.objects.select_related("unit")
        .filter(cycle=cycle, unit__code=payload.unit.strip().upper())
        .first()
    )
    if assessed is None:
        errors["unit"] = [
            _("Unit “%(code)s” is not assessed in this cycle.") % {"code": payload.unit}
        ]
    assignment = None
    if assessed is not None:
        assignment = (
            Assignment.objects.select_related("indicator", "owner")
            .filter(assessed=assessed, indicator__code=payload.indicator.strip())
            .first()
        )
        if assignment is None:
            errors["indicator"] = [
                _("Indicator “%(code)s” is not among this unit's assigned indicators.")
                % {"code": payload.indicator}
            ]
    if errors:
        raise field_errors(_("The request has errors: nothing was stored."), errors)
    assert period is not None and assessed is not None and assignment is not None
    period.cycle = cycle
    assessed.cycle = cycle
    return cycle, period, assessed, assignment.indicator, assignment


def _require_open(period: Period, assessed: AssessedUnit) -> None:
    today = timezone.localdate()
    submission, reopenings = report_state(period, assessed, today)
    if not can_edit(submission, period, assessed, today, reopenings):
        raise ApiError(409, block_reason(submission, period, assessed, today, reopenings))


def _check_inputs(indicator: Indicator, inputs: dict[str, Any]) -> None:
    """The web form has a box per input; here a misspelt name would be lost silently."""
    names = [spec["name"] for spec in indicator.inputs]
    unknown = [name for name in inputs if name not in names]
    if unknown:
        message = _("Unknown input; indicator %(code)s takes: %(names)s.") % {
            "code": indicator.code,
            "names": ", ".join(names) or "—",
        }
        raise field_errors(
            _("The inputs have errors: nothing was stored."),
            {f"inputs.{name}": [message] for name in unknown},
        )


def _add_links(
    client: ApiClient, figure: Figure, urls: list[str], *, fresh: bool = False
) -> list[str]:
    """Each link once among the figure's current link evidence; 422 naming a bad one.

    The figure's current links, in order (`fresh`: the figure was created by
    this request, so it has none yet).
    """
    links = [] if fresh else current_links(figure)
    if not urls:
        return links
    have = set(links)
    errors: dict[str, list[str]] = {}
    for i, url in enumerate(urls):
        url = url.strip()
        if url in have:
            continue
        try:
            evidence_add_link(actor=client.user, figure=figure, url=url)
        except ValidationError as exc:
            errors[f"evidence_links.{i}"] = [str(m) for m in exc.messages]
            continue
        have.add(url)
    if errors:
        raise field_errors(_("Some evidence links are not valid: nothing was stored."), errors)
    return current_links(figure)


def current_links(figure: Figure) -> list[str]:
    return list(
        figure.evidence.filter(kind=EvidenceKind.LINK, replaced_by__isnull=True)
        .order_by("added_at", "pk")
        .values_list("url", flat=True)
    )


def figure_body(
    cycle: Cycle,
    period: Period,
    assessed: AssessedUnit,
    indicator: Indicator,
    figure: Figure,
    links: list[str],
) -> dict[str, Any]:
    """The stored figure as the API returns it (JSON-ready, kept for replays)."""
    return {
        "cycle": cycle.pk,
        "period": period.kind,
        "unit": assessed.unit.code,
        "indicator": indicator.code,
        "inputs": figure.values,
        "note": figure.note,
        "not_applicable": figure.not_applicable,
        "self_points": float(figure.self_points) if figure.self_points is not None else None,
        "max_points": float(indicator.max_points),
        "explanation": figure.explanation,
        "version": figure.version,
        "updated_at": figure.updated_at.isoformat(),
        "updated_by": person_name(figure.updated_by),
        "evidence_links": links,
    }
