"""The council's decisions on items, and the unit's answers to explanation requests.

Each step checks the person (only council members assigned the item's group
appraise it; only the unit's people answer), moves the item with a
conditional update (two members clicking at once cannot both win), keeps an
`ItemEvent`, and rescores the unit in the same transaction. Nothing changes
once the chair has signed the cycle off, until it is reopened.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from decimal import Decimal
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from dtis.appraisal.items import outcome_of
from dtis.appraisal.materialise import recompute
from dtis.appraisal.models import (
    ExplanationRequest,
    Item,
    ItemAction,
    ItemEvent,
    ItemState,
    ReasonCode,
    Stage,
)
from dtis.appraisal.notify import notify, people_of
from dtis.orgs import policy
from dtis.orgs.models import Role, User
from dtis.reporting.models import Assignment, Evidence
from dtis.scoring.numbers import round_points

S = ItemState
# An open request must be answered, or its due date passed, before the council decides.
DECIDABLE = (S.PENDING, S.ACCEPTED, S.CORRECTED, S.ANSWERED, S.EXPLANATION)
MAX_TEXT = 4000


def load_item(pk: int) -> Item:
    return Item.objects.select_related(
        "period", "period__cycle", "period__cycle__scope", "assessed", "assessed__unit",
        "assessed__cycle", "indicator", "main", "figure",
    ).get(pk=pk)  # fmt: skip


def _require_council(actor: User, item: Item) -> None:
    cycle = item.period.cycle
    if not policy.can_appraise(actor, cycle, item.main_id):
        raise PermissionDenied
    if outcome_of(cycle).stage != Stage.APPRAISING:
        raise ValidationError(
            _("The chair has signed off these results; reopen them to change a score.")
        )


def _move(
    item: Item, actor: User | None, action: str, to: str, *, text: str = "", **fields: Any
) -> ItemEvent:
    before_state, before_points = item.state, item.appraised_points
    updated = Item.objects.filter(pk=item.pk, version=item.version).update(
        state=to, version=item.version + 1, **fields
    )
    if updated != 1:
        raise ValidationError(_("Someone else changed this item just now. Reload the page."))
    item.state, item.version = to, item.version + 1
    for name, value in fields.items():
        setattr(item, name, value)
    return ItemEvent.objects.create(
        item=item,
        by=actor,
        action=action,
        from_state=before_state,
        to_state=to,
        points_before=before_points,
        points_after=item.appraised_points,
        reason_code=fields.get("reason_code", ""),
        text=text,
    )


def _decision_allowed(item: Item, today: dt.date) -> None:
    if item.state == S.EXPLANATION:
        request = item.requests.filter(answered_at__isnull=True).order_by("-pk").first()
        if request is not None and request.due >= today:
            raise ValidationError(
                _("The unit has until %(due)s to explain; decide after its answer or then.")
                % {"due": request.due.strftime("%d/%m/%Y")}
            )


def _decided(actor: User | None) -> dict[str, Any]:
    return {"decided_by": actor, "decided_at": timezone.now()}


@transaction.atomic
def item_accept(*, actor: User, item: Item, today: dt.date | None = None) -> Item:
    """The self score stands (appraised points, if any, are cleared)."""
    _require_council(actor, item)
    _decision_allowed(item, today or timezone.localdate())
    if item.state == S.ACCEPTED:
        return item
    _move(
        item, actor, ItemAction.ACCEPT, S.ACCEPTED,
        appraised_points=None, reason_code="", reason="", **_decided(actor),
    )  # fmt: skip
    recompute(item.period.cycle, [item.assessed])
    return item


@transaction.atomic
def item_correct(
    *,
    actor: User,
    item: Item,
    points: Decimal,
    reason_code: str,
    reason: str,
    today: dt.date | None = None,
) -> Item:
    """The council's score, with a reason code and a reason the unit will read."""
    _require_council(actor, item)
    _decision_allowed(item, today or timezone.localdate())
    errors = {}
    maximum = item.indicator.max_points
    if points is None or not (0 <= points <= maximum):
        errors["points"] = _("Enter points between 0 and %(max)s.") % {
            "max": f"{maximum:.2f}".replace(".", ",")
        }
    if reason_code not in ReasonCode.values:
        errors["reason_code"] = _("Choose why the score changes.")
    reason = (reason or "").strip()
    if not reason:
        errors["reason"] = _("Write the reason: the unit reads it with its result.")
    elif len(reason) > MAX_TEXT:
        errors["reason"] = _("Keep the reason under %(n)s characters.") % {"n": MAX_TEXT}
    if errors:
        raise ValidationError(errors)
    _move(
        item, actor, ItemAction.CORRECT, S.CORRECTED, text=reason,
        appraised_points=round_points(points), reason_code=reason_code, reason=reason,
        **_decided(actor),
    )  # fmt: skip
    recompute(item.period.cycle, [item.assessed])
    return item


@transaction.atomic
def item_request_explanation(
    *, actor: User, item: Item, question: str, due: dt.date | None, today: dt.date | None = None
) -> ExplanationRequest:
    """Giải trình bổ sung: the unit is notified and answers by the due date."""
    _require_council(actor, item)
    today = today or timezone.localdate()
    errors = {}
    question = (question or "").strip()
    if not question:
        errors["question"] = _("Write what the unit must explain or supply.")
    elif len(question) > MAX_TEXT:
        errors["question"] = _("Keep the question under %(n)s characters.") % {"n": MAX_TEXT}
    if due is None or due <= today:
        errors["due"] = _("The answer must be due after today.")
    if item.state == S.EXPLANATION:
        errors["question"] = _("An explanation is already awaited on this item.")
    if errors:
        raise ValidationError(errors)
    assert due is not None
    request = ExplanationRequest.objects.create(
        item=item, question=question, due=due, requested_by=actor
    )
    _move(
        item, actor, ItemAction.REQUEST, S.EXPLANATION, text=question,
        decided_by=None, decided_at=None,
    )  # fmt: skip
    recompute(item.period.cycle, [item.assessed])
    assignment = _assignment(item)
    units = [item.assessed.unit] + ([assignment.owner] if assignment else [])
    notify(
        people_of(units, [Role.REPORTER, Role.HEAD]),
        _("Explanation requested on indicator %(code)s of %(unit)s, answer by %(due)s.")
        % {
            "code": item.indicator.code,
            "unit": item.assessed.unit.display_name,
            "due": due.strftime("%d/%m/%Y"),
        },
        reverse("appraisal:explanation", args=[request.pk]),
        subject=_("Explanation requested"),
    )
    return request


def _assignment(item: Item) -> Assignment | None:
    assignment = (
        Assignment.objects.filter(assessed_id=item.assessed_id, indicator_id=item.indicator_id)
        .select_related("owner")
        .prefetch_related("coordinators")
        .first()
    )
    if assignment is not None:
        assignment.assessed = item.assessed
    return assignment


def can_answer(user: User, item: Item) -> bool:
    assignment = _assignment(item)
    if assignment is None:
        return policy.can_submit_report(user, item.assessed)
    return policy.can_answer_explanation(user, assignment)


@transaction.atomic
def explanation_answer(
    *,
    actor: User,
    request: ExplanationRequest,
    answer: str,
    files: Iterable[Any] = (),
    documents: Iterable[dict[str, Any]] = (),
) -> ExplanationRequest:
    """The unit's answer: text, and new files or cited documents, which join the
    item's evidence. All or nothing: a bad file stores nothing."""
    from dtis.reporting.evidence import store_document, store_file

    item = request.item
    if not can_answer(actor, item):
        raise PermissionDenied
    if outcome_of(item.period.cycle).stage != Stage.APPRAISING:
        raise ValidationError(_("The results are signed off; the request is closed."))
    if not request.is_open:
        raise ValidationError(_("This request has already been answered."))
    if item.state != S.EXPLANATION or item.requests.filter(pk__gt=request.pk).exists():
        raise ValidationError(
            _("The council has decided on this indicator since; the request is closed.")
        )
    answer = (answer or "").strip()
    if not answer:
        raise ValidationError({"answer": _("Write your explanation.")})
    if len(answer) > MAX_TEXT:
        raise ValidationError(
            {"answer": _("Keep the explanation under %(n)s characters.") % {"n": MAX_TEXT}}
        )
    figure = item.figure or _figure_for(item, actor)
    added: list[Evidence] = []
    # Files reach the disk before the transaction commits: whatever fails
    # (a bad second file, a concurrent answer), the ones stored go again.
    try:
        for upload in files:
            added.append(store_file(actor=actor, figure=figure, upload=upload))
        for doc in documents:
            added.append(store_document(actor=actor, figure=figure, **doc))
        updated = ExplanationRequest.objects.filter(pk=request.pk, answered_at__isnull=True).update(
            answer=answer, answered_by=actor, answered_at=timezone.now()
        )
        if updated != 1:
            raise ValidationError(_("This request has already been answered."))
        request.refresh_from_db()
        request.evidence.add(*added)
        _move(item, actor, ItemAction.ANSWER, S.ANSWERED, text=answer)
    except Exception:
        for evidence in added:
            if evidence.file:
                evidence.file.storage.delete(evidence.file.name)
        raise
    if request.requested_by is not None:
        notify(
            [request.requested_by],
            _("%(unit)s answered the explanation request on indicator %(code)s.")
            % {"unit": item.assessed.unit.display_name, "code": item.indicator.code},
            reverse("appraisal:unit", args=[item.period.cycle_id, item.assessed_id])
            + f"#item-{item.pk}",
            subject=_("Explanation answered"),
        )
    return request


def _figure_for(item: Item, actor: User) -> Any:
    """A unit that entered nothing for the indicator answers on an empty figure."""
    from dtis.reporting.models import Figure

    figure, _created = Figure.objects.get_or_create(
        period=item.period,
        assessed=item.assessed,
        indicator=item.indicator,
        defaults={"updated_by": actor},
    )
    Item.objects.filter(pk=item.pk).update(figure=figure)
    item.figure = figure
    return figure


@transaction.atomic
def bulk_accept(*, actor: User, assessed: Any, today: dt.date | None = None) -> int:
    """Accept every untouched item of the unit in the actor's groups."""
    cycle = assessed.cycle
    if outcome_of(cycle).stage != Stage.APPRAISING:
        raise ValidationError(
            _("The chair has signed off these results; reopen them to change a score.")
        )
    pending = list(Item.objects.filter(assessed=assessed, state=S.PENDING).select_related("period"))
    mine = [it for it in pending if policy.can_appraise(actor, cycle, it.main_id)]
    if not mine:
        return 0
    now = timezone.now()
    Item.objects.filter(pk__in=[it.pk for it in mine], state=S.PENDING).update(
        state=S.ACCEPTED, decided_by=actor, decided_at=now
    )
    ItemEvent.objects.bulk_create(
        ItemEvent(
            item=it, by=actor, action=ItemAction.ACCEPT, from_state=S.PENDING, to_state=S.ACCEPTED
        )
        for it in mine
    )
    recompute(cycle, [assessed])
    return len(mine)
