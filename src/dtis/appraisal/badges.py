"""Badge colours of a cycle's stage and of an item's state: one table, so that
the council's pages and the results pages colour them alike."""

from __future__ import annotations

from dtis.appraisal.models import ItemState, Stage

STAGE_BADGES: dict[str, str] = {
    Stage.APPRAISING: "warn",
    Stage.SIGNED_OFF: "info",
    Stage.PUBLISHED: "ok",
}
STATE_BADGES: dict[str, str] = {
    ItemState.PENDING: "muted-badge",
    ItemState.ACCEPTED: "ok",
    ItemState.CORRECTED: "danger",  # points lost: what the unit must notice
    ItemState.EXPLANATION: "warn",
    ItemState.ANSWERED: "info",
}


def stage_badge(stage: str | None) -> str:
    """The stage's class; "muted-badge" before any report reached appraisal."""
    return STAGE_BADGES.get(stage or "", "muted-badge")


def state_badge(state: str) -> str:
    return STATE_BADGES.get(state, "muted-badge")
