"""Who may do what, and where. Every view and command asks here.

A role is granted on a unit. Roles in `INHERITED_ROLES` also apply to every
unit below it (the standing office administers all units of the province; a
department head oversees the department's offices); a reporter reports for
exactly the unit named in the grant.

The table `ALLOWED_ROLES` is the whole policy: adding an action means adding
one line here and one row in tests/orgs/test_policy.py.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from django.apps import apps
from django.db.models import Q, QuerySet

from dtis.orgs.models import Role, RoleGrant, Unit, User


class Action(StrEnum):
    VIEW_UNIT = "unit.view"
    MANAGE_UNITS = "unit.manage"
    MANAGE_ACCOUNTS = "accounts.manage"
    MANAGE_FRAMEWORKS = "frameworks.manage"
    RUN_CYCLE = "cycle.run"
    ENTER_FIGURES = "figures.enter"
    SUBMIT_REPORT = "report.submit"
    APPRAISE = "appraisal.score"
    VIEW_RESULTS = "results.view"


ALLOWED_ROLES: dict[Action, frozenset[Role]] = {
    Action.VIEW_UNIT: frozenset(Role),
    Action.MANAGE_UNITS: frozenset({Role.ADMIN}),
    Action.MANAGE_ACCOUNTS: frozenset({Role.ADMIN}),
    Action.MANAGE_FRAMEWORKS: frozenset({Role.ADMIN}),
    Action.RUN_CYCLE: frozenset({Role.ADMIN}),
    Action.ENTER_FIGURES: frozenset({Role.REPORTER}),
    Action.SUBMIT_REPORT: frozenset({Role.HEAD}),
    Action.APPRAISE: frozenset({Role.APPRAISER}),
    Action.VIEW_RESULTS: frozenset({Role.ADMIN, Role.HEAD, Role.APPRAISER, Role.VIEWER}),
}

INHERITED_ROLES = frozenset({Role.ADMIN, Role.HEAD, Role.APPRAISER, Role.VIEWER})


@dataclass(frozen=True)
class Grant:
    role: Role
    unit_id: int
    unit_path: str

    def covers(self, unit: Unit) -> bool:
        if unit.pk == self.unit_id:
            return True
        return self.role in INHERITED_ROLES and unit.path.startswith(self.unit_path)


def grant_rows(user: User) -> list[RoleGrant]:
    """The user's RoleGrant rows with their units, in the order the home page
    lists them; loaded once per request and cached on the user (the second-
    factor check, the policy and the home page all start from them)."""
    cached: list[RoleGrant] | None = getattr(user, "_dtis_grant_rows", None)
    if cached is None:
        cached = list(
            RoleGrant.objects.filter(user=user)
            .select_related("unit", "unit__parent")
            .order_by("unit__sort_key", "role")
        )
        user._dtis_grant_rows = cached  # type: ignore[attr-defined]
    return cached


def grants_of(user: User) -> list[Grant]:
    """The user's grants, from `grant_rows`."""
    cached: list[Grant] | None = getattr(user, "_dtis_grants", None)
    if cached is None:
        cached = [Grant(Role(g.role), g.unit_id, g.unit.path) for g in grant_rows(user)]
        user._dtis_grants = cached  # type: ignore[attr-defined]
    return cached


def forget_grants(user: User) -> None:
    user.__dict__.pop("_dtis_grants", None)
    user.__dict__.pop("_dtis_grant_rows", None)
    user.__dict__.pop("_dtis_seats", None)


def _is_everywhere(user: User) -> bool:
    return bool(user.is_active and user.is_superuser)


def can(user: User | None, action: Action, unit: Unit) -> bool:
    if user is None or not user.is_authenticated or not user.is_active:
        return False
    if _is_everywhere(user):
        return True
    allowed = ALLOWED_ROLES[action]
    return any(g.role in allowed and g.covers(unit) for g in grants_of(user))


def roles_on(user: User, unit: Unit) -> set[Role]:
    """Every role the user effectively holds on this unit."""
    return {g.role for g in grants_of(user) if g.covers(unit)}


def units_where(user: User, action: Action) -> QuerySet[Unit]:
    """All units on which the user may perform the action (one query)."""
    if not user.is_authenticated or not user.is_active:
        return Unit.objects.none()
    if _is_everywhere(user):
        return Unit.objects.all()
    allowed = ALLOWED_ROLES[action]
    condition = Q(pk__in=[])
    for g in grants_of(user):
        if g.role not in allowed:
            continue
        if g.role in INHERITED_ROLES:
            condition |= Q(path__startswith=g.unit_path)
        else:
            condition |= Q(pk=g.unit_id)
    return Unit.objects.filter(condition)


def holds_role_for(user: User, action: Action) -> bool:
    """Whether the person may perform the action on some unit (no query)."""
    if not user.is_authenticated or not user.is_active:
        return False
    allowed = ALLOWED_ROLES[action]
    return _is_everywhere(user) or any(g.role in allowed for g in grants_of(user))


def scope_roots(user: User, action: Action) -> QuerySet[Unit]:
    """The units named in the user's grants for this action (the top of each scope)."""
    if _is_everywhere(user):
        return Unit.objects.filter(parent__isnull=True)
    allowed = ALLOWED_ROLES[action]
    ids = [g.unit_id for g in grants_of(user) if g.role in allowed]
    return Unit.objects.filter(pk__in=ids)


def can_manage_framework(user: User, owner: Unit | None) -> bool:
    """National frameworks (no owner) are maintained by system administrators;
    a province's own framework by the standing office that owns it."""
    if _is_everywhere(user):
        return True
    return owner is not None and can(user, Action.MANAGE_FRAMEWORKS, owner)


def can_manage_user(actor: User, target: User) -> bool:
    """An administrator manages a person when every role that person holds is
    inside the administrator's scope. A person with no role left belongs to
    nobody's scope, so only a superuser can manage them."""
    if _is_everywhere(actor):
        return True
    if target.is_superuser:
        return False
    admin_grants = [g for g in grants_of(actor) if g.role in ALLOWED_ROLES[Action.MANAGE_ACCOUNTS]]
    if not admin_grants:
        return False
    target_units = list(Unit.objects.filter(grants__user=target).only("pk", "path").distinct())
    return bool(target_units) and all(any(g.covers(u) for g in admin_grants) for u in target_units)


# --- reporting -------------------------------------------------------------
# Typed loosely (Any) to keep this module free of imports from the apps that
# depend on it; the arguments are dtis.reporting models.


def can_run_cycle(user: User, cycle: Any) -> bool:
    """The standing office of the cycle's scope: periods, returns, acceptance, chasing."""
    return can(user, Action.RUN_CYCLE, cycle.scope)


def can_view_report(user: User, assessed: Any, assignment: Any | None = None) -> bool:
    """Anyone with a role on the assessed unit, its office, or the unit that
    owns or coordinates the indicator (for that indicator)."""
    if can(user, Action.VIEW_UNIT, assessed.unit) or can_run_cycle(user, assessed.cycle):
        return True
    if council_seat(user, assessed.cycle) is not None:  # the council reads every report
        return True
    if assignment is None:
        return False
    units = [assignment.owner, *assignment.coordinators.all()]
    return any(can(user, Action.VIEW_UNIT, u) for u in units)


def can_enter_figure(user: User, assignment: Any) -> bool:
    """The reporter of the lead unit, or of the assessed unit itself."""
    return can(user, Action.ENTER_FIGURES, assignment.owner) or can(
        user, Action.ENTER_FIGURES, assignment.assessed.unit
    )


def can_contribute(user: User, assignment: Any) -> bool:
    """A reporter of one of the indicator's coordinating units."""
    return any(can(user, Action.ENTER_FIGURES, u) for u in assignment.coordinators.all())


def can_submit_report(user: User, assessed: Any) -> bool:
    return can(user, Action.SUBMIT_REPORT, assessed.unit)


# --- appraisal ---------------------------------------------------------------
# A cycle's council (`cycle.council`, dtis.appraisal.CouncilMember) is per
# cycle, not a role on a unit: a member appraises the items of the indicator
# groups the office assigned, the chair signs off.


def council_seats(user: User) -> dict[int, Any]:
    """The person's council seats by cycle id, with their groups, loaded once
    per request (the menu asks whether there is any; pages ask for one cycle)."""
    if not user.is_authenticated:
        return {}
    seats: dict[int, Any] | None = user.__dict__.get("_dtis_seats")
    if seats is None:
        member = apps.get_model("appraisal", "CouncilMember")
        rows = member.objects.filter(user=user).prefetch_related("groups").order_by("pk")
        seats = {seat.cycle_id: seat for seat in rows}
        user.__dict__["_dtis_seats"] = seats
    return seats


def council_seat(user: User, cycle: Any) -> Any | None:
    """The person's seat on the cycle's council with its groups."""
    return council_seats(user).get(cycle.pk)


def can_appraise(user: User, cycle: Any, main_indicator_id: int) -> bool:
    """Only council members assigned the item's group (or a system administrator)."""
    if _is_everywhere(user):
        return True
    seat = council_seat(user, cycle)
    return seat is not None and any(g.pk == main_indicator_id for g in seat.groups.all())


def can_sign_off(user: User, cycle: Any) -> bool:
    if _is_everywhere(user):
        return True
    seat = council_seat(user, cycle)
    return seat is not None and seat.role == "chair"


def can_publish(user: User, cycle: Any) -> bool:
    """The chair, or the standing office once the chair has signed off."""
    return can_sign_off(user, cycle) or can_run_cycle(user, cycle)


def can_view_all_results(user: User, cycle: Any) -> bool:
    """The office, the council, and leadership or appraisers over the scope
    see every unit's result, published or not."""
    return (
        can_run_cycle(user, cycle)
        or can(user, Action.VIEW_RESULTS, cycle.scope)
        or council_seat(user, cycle) is not None  # the only one that may cost a query
    )


def can_view_unit_result(user: User, assessed: Any, published: bool) -> bool:
    """A unit sees its own detailed result once it is published, never before."""
    if can_view_all_results(user, assessed.cycle):
        return True
    return published and can(user, Action.VIEW_UNIT, assessed.unit)


def can_view_ranking(user: User, cycle: Any, published: bool, own_units: Any) -> bool:
    """After publication, the people of every assessed unit see the peer ranking.
    `own_units`: the units of the cycle the person belongs to (see results views)."""
    return can_view_all_results(user, cycle) or (published and bool(own_units))


def can_view_unit_dashboard(user: User, assessed: Any) -> bool:
    """A unit's dashboard: the people of the unit (its open work always, its
    result once published: `can_view_unit_result`) and whoever sees every result."""
    return can_view_all_results(user, assessed.cycle) or can(user, Action.VIEW_UNIT, assessed.unit)


def can_answer_explanation(user: User, assignment: Any) -> bool:
    """Whoever may enter the indicator's figure, or the unit head, answers."""
    return can_enter_figure(user, assignment) or can_submit_report(user, assignment.assessed)


# --- improvement plans (dtis.plans) -------------------------------------------
# A plan starts from one assessed unit's published result (`plan.source`). The
# standing office of the source cycle drafts and edits it; leadership over the
# cycle's scope approves it; once approved, each task is updated by the people
# of its lead unit (or by the office).

PLAN_APPROVERS = frozenset({Role.VIEWER})  # leadership (lãnh đạo) over the scope
TASK_UPDATERS = frozenset({Action.ENTER_FIGURES, Action.SUBMIT_REPORT})


def can_draft_plan(user: User, cycle: Any) -> bool:
    """The office that ran the cycle writes next year's plan from its results."""
    return can_run_cycle(user, cycle)


def can_view_plan(user: User, plan: Any) -> bool:
    """Whoever sees every result of the source cycle, the assessed unit's
    people, and the people of a unit leading one of the plan's tasks."""
    source = plan.source
    if can_view_all_results(user, source.cycle) or can(user, Action.VIEW_UNIT, source.unit):
        return True
    seen = units_where(user, Action.VIEW_UNIT)
    return bool(plan.tasks.filter(owner__in=seen).exists())


def plans_visible_to(user: User) -> QuerySet[Any]:
    """The plans `can_view_plan` lets the person open, as one query."""
    plan = apps.get_model("plans", "Plan")
    if not user.is_authenticated or not user.is_active:
        return plan.objects.none()  # type: ignore[no-any-return]
    if _is_everywhere(user):
        return plan.objects.all()  # type: ignore[no-any-return]
    results = units_where(user, Action.VIEW_RESULTS) | units_where(user, Action.RUN_CYCLE)
    seen = units_where(user, Action.VIEW_UNIT)
    task = apps.get_model("plans", "PlanTask")
    return plan.objects.filter(  # type: ignore[no-any-return]
        Q(source__cycle__scope__in=results)
        | Q(source__cycle__council__user=user)
        | Q(source__unit__in=seen)
        | Q(pk__in=task.objects.filter(owner__in=seen).values("plan_id"))
    ).distinct()


def can_edit_plan(user: User, plan: Any) -> bool:
    """The office edits a plan while it is a draft; once approved, its wording
    is what the leader signed and only its tasks' progress moves."""
    return not plan.approved and can_run_cycle(user, plan.source.cycle)


def can_approve_plan(user: User, plan: Any) -> bool:
    """Leadership over the source cycle's scope (or a system administrator)
    approves a draft; the office that wrote it does not approve its own work."""
    if plan.approved or user is None or not user.is_authenticated or not user.is_active:
        return False
    if _is_everywhere(user):
        return True
    return bool(PLAN_APPROVERS & roles_on(user, plan.source.cycle.scope))


def can_update_task(user: User, task: Any) -> bool:
    """After approval: the lead unit's reporters and head, and the office."""
    plan = task.plan
    if not plan.approved:
        return False
    if can_run_cycle(user, plan.source.cycle):
        return True
    owner = task.owner
    return owner is not None and any(can(user, action, owner) for action in TASK_UPDATERS)


def sees_plans(user: User) -> bool:
    """Whether the menu shows "Plans": anyone with a role somewhere (no query);
    the list itself shows only what `plans_visible_to` allows."""
    return _is_everywhere(user) or bool(grants_of(user))


# --- API clients (dtis.api) -----------------------------------------------------
# A machine client (another system of the province) writes figures for some
# units. The standing office issues its token like it issues accounts: only
# for units inside its own scope.


def can_manage_api_clients(user: User) -> bool:
    """Whether the person sees the API clients page at all (no query)."""
    return holds_role_for(user, Action.MANAGE_ACCOUNTS)


def api_client_units(user: User) -> QuerySet[Unit]:
    """The units an administrator may let a client write for."""
    return units_where(user, Action.MANAGE_ACCOUNTS)


def can_manage_api_client(user: User, units: Any) -> bool:
    """An administrator manages a client when every unit it writes for is in
    the administrator's scope (a client of no unit: system administrators only)."""
    if _is_everywhere(user):
        return True
    allowed = ALLOWED_ROLES[Action.MANAGE_ACCOUNTS]
    admin_grants = [g for g in grants_of(user) if g.role in allowed]
    units = list(units)
    return bool(admin_grants and units) and all(
        any(g.covers(u) for g in admin_grants) for u in units
    )
