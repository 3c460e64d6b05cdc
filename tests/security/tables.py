"""The authorization matrix as data: how to fill every URL's parameters, and
who is expected to get in.

`WEB` has one entry per URL pattern (by its namespaced name, or its route when
it has none) and `API` one per OpenAPI operation. A pattern or operation
missing here fails `test_every_url_is_in_the_matrix`: add it with the group
that says who may open it (the groups follow DOMAIN.md §2 and
src/dtis/orgs/policy.py), and a builder for its parameters from a `Side`.

Expectations are written per role as three letters for the columns own /
dept / prov (see tests/security/world.py): A = let in, R = refused. Roles not
named in a group are refused everywhere. Two more columns need no letters
(matrix.py): "mix" (a URL naming objects of two places) is refused for
everybody; "post" (an empty form posted to a page) follows the own column,
or the group named in `Entry.post` where writing is narrower than reading.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.apps import apps

from dtis.frameworks.services import find
from dtis.guide import content as guide_content
from tests.security.world import FRAMEWORK, Side, World

ROLES = (
    "anonymous",
    "reporter",
    "head",
    "member",
    "appraiser",
    "viewer",
    "admin",
    "superuser",
    "token",
)
SIDES = ("own", "dept", "prov")
ALL = "AAA"


def allow(**cells: str) -> dict[str, str]:
    """Who gets in; every role not named is refused in every column."""
    unknown = set(cells) - set(ROLES)
    assert not unknown, unknown
    return {role: cells.get(role, "RRR") for role in ROLES}


# --- who may: one group per rule of the policy ----------------------------------------

GROUPS: dict[str, dict[str, str]] = {
    # Sign-in, language, health, API documentation, published results when the
    # deployment makes them public: everybody.
    "public": allow(**dict.fromkeys(ROLES, ALL)),
    # Pages every signed-in person has (home, lists filtered to what they may see).
    "signed-in": allow(**dict.fromkeys(ROLES[1:8], ALL)),
    # Pages of the standing office with no object (create a unit, issue accounts…).
    "office-any": allow(admin=ALL, superuser=ALL),
    # The office over the units of its province: units, accounts, cycles it runs,
    # API tokens, plans it drafts, frameworks its province owns.
    "office": allow(admin="AAR", superuser=ALL),
    # A role on the unit (reporter and head: exactly their department; the
    # office, council and leadership: every unit of the province).
    "unit": allow(
        reporter="ARR",
        head="ARR",
        member="AAR",
        appraiser="AAR",
        viewer="AAR",
        admin="AAR",
        superuser=ALL,
    ),
    # A cycle where one holds a role on an assessed unit (the dept column is the same cycle).
    "cycle": allow(
        reporter="AAR",
        head="AAR",
        member="AAR",
        appraiser="AAR",
        viewer="AAR",
        admin="AAR",
        superuser=ALL,
    ),
    # Entering figures and evidence: the reporter of the unit only.
    "enter": allow(reporter="ARR", superuser=ALL),
    # Contributing to an indicator one's unit coordinates (own: Sở Nội vụ
    # coordinates one of Sở Y tế's indicators; dept: Sở Tài chính another).
    "contribute": allow(reporter="ARR", superuser=ALL),
    # Telling the head the report is ready: the unit's own reporter, nobody else
    # (the head, the office and a system administrator have nobody to tell).
    "tell-head": allow(reporter="ARR"),
    # Submitting: the head of the unit.
    "submit": allow(head="ARR", superuser=ALL),
    # Answering an explanation request: the unit's reporter or head.
    "answer": allow(reporter="ARR", head="ARR", superuser=ALL),
    # The council's workspace: the council of the cycle and the office running it.
    "council": allow(member="AAR", appraiser="AAR", admin="AAR", superuser=ALL),
    # Deciding an item: council members assigned its group (the chair has all; the
    # member has groups 1 and 2, and the items of the matrix are in group 1).
    "appraise": allow(member="AAR", appraiser="AAR", superuser=ALL),
    # Signing off: the chair (not a member).
    "chair": allow(appraiser="AAR", superuser=ALL),
    # Reopening or publishing: the chair, or the office.
    "chair-or-office": allow(appraiser="AAR", admin="AAR", superuser=ALL),
    # Every unit's result, published or not: the office, the council and leadership.
    "all-results": allow(member="AAR", appraiser="AAR", viewer="AAR", admin="AAR", superuser=ALL),
    # A published ranking: also the people of every assessed unit.
    "ranking": allow(
        reporter="AAR",
        head="AAR",
        member="AAR",
        appraiser="AAR",
        viewer="AAR",
        admin="AAR",
        superuser=ALL,
    ),
    # Approving a plan: leadership over the cycle's scope.
    "approve": allow(viewer="AAR", superuser=ALL),
    # One's own notification (the other columns are other people's): nobody else's.
    "own-notification": allow(
        reporter="ARR",
        head="ARR",
        member="ARR",
        appraiser="ARR",
        viewer="ARR",
        admin="ARR",
        superuser="ARR",
    ),
    # The Django admin site: system administrators only.
    "django-admin": allow(superuser=ALL),
    # Answers 404 to everybody by design (a catch-all, a missing object, a shortcut
    # to a page the model does not have).
    "nobody": allow(),
    # The API: machine tokens only (a browser session is not a token). Reference
    # data, published results and the (filtered) history are read by every
    # token; figures are written only for the token's own units.
    "api-read": allow(token=ALL),
    "api-write": allow(token="ARR"),
}


# --- how to fill each URL's parameters -----------------------------------------------

Kwargs = Callable[[Side, World, Any], dict[str, Any]]


def _none(s: Side, w: World, me: Any) -> dict[str, Any]:
    return {}


@dataclass(frozen=True)
class Entry:
    group: str
    kwargs: Kwargs = _none
    query: Callable[[Side], str] | None = None
    body: Callable[[Side], dict[str, Any]] | None = None  # API writes
    path: Callable[[Side, World], str] | None = None  # routes with a regular expression
    note: str = ""
    signs_out: bool = False  # its answer is a redirect to the sign-in page
    post: str | None = None  # who may POST to a page everyone in `group` may GET


def _cycle(s: Side, w: World, me: Any) -> dict[str, Any]:
    return {"pk": s.cycle.pk}


def _cycle_id(s: Side, w: World, me: Any) -> dict[str, Any]:
    return {"cycle_id": s.cycle.pk}


def _report(s: Side, w: World, me: Any) -> dict[str, Any]:
    return {"period_id": s.period.pk, "assessed_id": s.assessed.pk}


def _indicator(s: Side, w: World, me: Any) -> dict[str, Any]:
    return _report(s, w, me) | {"code": s.assignment.indicator.code}


def _framework(s: Side, w: World, me: Any) -> dict[str, Any]:
    return {"code": s.framework.code, "version": s.framework.version}


def _published(s: Side, w: World, me: Any) -> dict[str, Any]:
    return {"cycle_id": s.published.pk}


def _published_unit(s: Side, w: World, me: Any) -> dict[str, Any]:
    return {"cycle_id": s.published.pk, "assessed_id": s.published_assessed.pk}


def _plan(s: Side, w: World, me: Any) -> dict[str, Any]:
    return {"pk": s.plan.pk}


def _account(s: Side, w: World, me: Any) -> dict[str, Any]:
    return {"pk": s.account.pk}


def _notification(s: Side, w: World, me: Any) -> dict[str, Any]:
    person = s.notification_of or me
    return {"pk": w.notifications[person.pk]} if person is not None else {"pk": 0}


def _first_indicator(s: Side, w: World, me: Any) -> dict[str, Any]:
    first = s.framework.indicators.order_by("order").values_list("code", flat=True)[0]
    return _framework(s, w, me) | {"indicator": first}


def _guide_chapter(s: Side, w: World, me: Any) -> dict[str, Any]:
    """A chapter other than 01 (01 is `guide:start`, public)."""
    return {"slug": next(c.slug for c in guide_content.chapters() if c.number != 1)}


WEB: dict[str, Entry] = {
    "home": Entry("signed-in"),
    "login": Entry("public"),
    "logout": Entry("public", signs_out=True, note="the session is restored after the cell"),
    "password_change": Entry("signed-in"),
    "otp_verify": Entry("signed-in", note="the code page: sends a verified session on"),
    "otp_setup": Entry("signed-in"),
    "set_language": Entry("public"),
    "ops:healthz": Entry("public"),
    # units and accounts
    "orgs:unit-list": Entry("signed-in"),
    "orgs:unit-create": Entry("office-any"),
    "orgs:unit-import": Entry("office-any"),
    "orgs:unit-export": Entry("signed-in", note="the units of one's own scope"),
    "orgs:unit-detail": Entry("unit", lambda s, w, me: {"code": s.unit.code}),
    "orgs:unit-edit": Entry("office", lambda s, w, me: {"code": s.unit.code}),
    "orgs:user-list": Entry("office-any"),
    "orgs:security-log": Entry("django-admin", note="the security log: system administrators"),
    "orgs:user-create": Entry("office-any"),
    "orgs:issue-accounts": Entry("office-any"),
    "orgs:user-detail": Entry("office", _account),
    "orgs:user-reset": Entry("office", _account),
    "orgs:user-active": Entry("office", _account),
    "orgs:user-otp-reset": Entry("office", _account),
    "orgs:user-grant": Entry("office", _account),
    "orgs:user-revoke": Entry(
        "office", lambda s, w, me: {"pk": s.account.pk, "grant_pk": s.grant.pk}
    ),
    # frameworks (national reference data read by all; a province edits its own)
    "frameworks:list": Entry("signed-in"),
    "frameworks:import": Entry("office-any"),
    "frameworks:compare": Entry(
        "signed-in",
        query=lambda s: f"a={find(FRAMEWORK).pk}&b={s.framework.pk}",  # type: ignore[union-attr]
        post="office",  # mapping the versions: whoever manages the newer one
    ),
    "frameworks:detail": Entry("signed-in", _framework),
    "frameworks:export": Entry(
        "signed-in", lambda s, w, me: _framework(s, w, me) | {"fmt": "json"}
    ),
    "frameworks:new-version": Entry("office", _framework),
    "frameworks:status": Entry("office", _framework),
    "frameworks:bands": Entry("office", _framework),
    "frameworks:indicator-edit": Entry("office", _first_indicator),
    "frameworks:published-list": Entry("signed-in"),
    "frameworks:published-detail": Entry(
        "signed-in",
        lambda s, w, me: dict(zip(("code", "version", "year"), w.published_framework, strict=True)),
    ),
    "frameworks:published-import": Entry("office-any"),
    # cycles, periods, assignments
    "reporting:cycle-list": Entry("signed-in"),
    "reporting:cycle-create": Entry("office-any"),
    "reporting:cycle-detail": Entry("cycle", _cycle),
    "reporting:period-state": Entry(
        "office", lambda s, w, me: _cycle(s, w, me) | {"period_id": s.period.pk}
    ),
    "reporting:period-deadlines": Entry(
        "office", lambda s, w, me: _cycle(s, w, me) | {"period_id": s.period.pk}
    ),
    "reporting:period-reopen": Entry("office", _cycle),
    "reporting:ministry-export": Entry("office", _cycle),
    "reporting:assignment-list": Entry("cycle", _cycle),
    "reporting:assignment-edit": Entry(
        "office", lambda s, w, me: _cycle(s, w, me) | {"assignment_id": s.assignment.pk}
    ),
    "reporting:assignment-import": Entry("office", _cycle),
    "reporting:assignment-copy": Entry("office", _cycle),
    "reporting:assignment-export": Entry("unit", _cycle, query=lambda s: f"unit={s.assessed.pk}"),
    # data entry, submission, the office's review
    "reporting:my-reports": Entry("signed-in"),
    "reporting:entry": Entry("unit", _report),
    "reporting:entry-copy-all": Entry("enter", _report),
    "reporting:entry-changes": Entry("unit", _report),
    "reporting:entry-submit": Entry("submit", _report),
    "reporting:entry-tell-head": Entry("tell-head", _report),
    "reporting:entry-ask-fix": Entry("submit", _report),
    "reporting:figure-save": Entry("enter", _indicator),
    "reporting:entry-preview": Entry("enter", _indicator),
    "reporting:figure-copy": Entry("enter", _indicator),
    "reporting:contribution-save": Entry(
        "contribute",
        lambda s, w, me: dict(
            zip(("period_id", "assessed_id", "code"), s.contribution, strict=True)
        ),
    ),
    "reporting:review": Entry("office", _report),
    "reporting:review-return": Entry("office", _report),
    "reporting:review-accept": Entry("office", _report),
    "reporting:sheet-download": Entry("unit", _report),
    "reporting:sheet-upload": Entry(
        "unit", _report, post="enter", note="GET shows the form to whoever sees the report"
    ),
    # evidence
    "reporting:evidence-add": Entry("enter", lambda s, w, me: {"figure_pk": s.figure.pk}),
    "reporting:evidence-replace": Entry("enter", lambda s, w, me: {"pk": s.evidence.pk}),
    "reporting:evidence-remove": Entry("enter", lambda s, w, me: {"pk": s.evidence.pk}),
    "reporting:evidence-download": Entry("unit", lambda s, w, me: {"pk": s.evidence.pk}),
    "reporting:evidence-preview": Entry("unit", lambda s, w, me: {"pk": s.evidence.pk}),
    # chasing and notifications
    "reporting:chase": Entry("office", _cycle_id),
    "reporting:chase-export": Entry("office", _cycle_id),
    "reporting:chase-send": Entry("office", _cycle_id),
    "reporting:notifications": Entry("signed-in"),
    "reporting:notifications-read": Entry("signed-in"),
    "reporting:notification-open": Entry("own-notification", _notification),
    # appraisal
    "appraisal:cycles": Entry("signed-in"),
    "appraisal:queue": Entry("council", _cycle_id),
    "appraisal:council": Entry(
        "council", _cycle_id, post="office"
    ),  # members read, the office seats
    "appraisal:council-remove": Entry(
        "office", lambda s, w, me: _cycle_id(s, w, me) | {"seat_id": s.seat.pk}
    ),
    "appraisal:unit": Entry(
        "council", lambda s, w, me: _cycle_id(s, w, me) | {"assessed_id": s.assessed.pk}
    ),
    "appraisal:bulk-accept": Entry(
        "council",
        lambda s, w, me: _cycle_id(s, w, me) | {"assessed_id": s.assessed.pk},
        note="the office may press it: it accepts only the items of the presser's groups (none)",
    ),
    "appraisal:item-accept": Entry("appraise", lambda s, w, me: {"item_id": s.item.pk}),
    "appraisal:item-correct": Entry("appraise", lambda s, w, me: {"item_id": s.item.pk}),
    "appraisal:item-request": Entry("appraise", lambda s, w, me: {"item_id": s.item.pk}),
    "appraisal:sign-off": Entry("chair", _cycle_id),
    "appraisal:reopen": Entry("chair-or-office", _cycle_id),
    "appraisal:publish": Entry("chair-or-office", _cycle_id),
    "appraisal:explanations": Entry("signed-in"),
    "appraisal:explanation": Entry("answer", lambda s, w, me: {"request_id": s.explanation.pk}),
    # results (on the published 2024 cycles)
    "appraisal:results": Entry("signed-in"),
    "appraisal:ranking": Entry("ranking", _published),
    "appraisal:ranking-xlsx": Entry("ranking", _published),
    "appraisal:unit-result": Entry("unit", _published_unit),
    "appraisal:gaps": Entry("ranking", _published, note="a unit sees its own rows once published"),
    "appraisal:emulation": Entry("all-results", _published),
    "appraisal:emulation-xlsx": Entry("all-results", _published),
    # dashboards
    "dashboards:index": Entry("signed-in"),
    "dashboards:overview": Entry("all-results", _published),
    "dashboards:targets": Entry("office", _published),
    "dashboards:chart-xlsx": Entry(
        "all-results", lambda s, w, me: _published(s, w, me) | {"chart": "chi-so-chinh"}
    ),
    "dashboards:ranking": Entry("ranking", _published),
    "dashboards:unit": Entry("unit", _published_unit),
    "dashboards:unit-xlsx": Entry("unit", _published_unit),
    "dashboards:public-index": Entry("public", note="DTIS_PUBLIC_RESULTS on for the matrix"),
    "dashboards:public-ranking": Entry("public", _published),
    # improvement plans (the office's drafts from the 2024 results)
    "plans:list": Entry("signed-in"),
    "plans:create": Entry("office-any"),
    "plans:detail": Entry("unit", _plan),
    "plans:edit": Entry("office", _plan),
    "plans:approve": Entry("approve", _plan),
    "plans:task": Entry(
        "unit",
        lambda s, w, me: {"pk": s.plan.pk, "task_id": s.task.pk},
        post="nobody",  # the plans are drafts: a task's progress moves once a plan is approved
    ),
    "plans:docx": Entry("unit", _plan),
    "plans:xlsx": Entry("unit", _plan),
    "plans:report-docx": Entry("all-results", lambda s, w, me: {"period_id": s.period.pk}),
    "plans:report-xlsx": Entry("all-results", lambda s, w, me: {"period_id": s.period.pk}),
    # API tokens and documentation
    "api-client-list": Entry("office-any"),
    "api-client-create": Entry("office-any"),
    "api-client-revoke": Entry("office", lambda s, w, me: {"pk": s.client_id}),
    "api:openapi-json": Entry("public"),
    "api:openapi-view": Entry("public"),
    "api:api-root": Entry("nobody", note="django-ninja's root: 404 for everybody"),
    "api/^v1/": Entry("nobody", path=lambda s, w: "/api/v1/khong-co-duong-dan-nay"),
    # the user guide (files, not data: the same for every column)
    "guide:index": Entry("signed-in"),
    "guide:start": Entry("public", note="chapter 01: the sign-in page links to it"),
    "guide:chapter": Entry("signed-in", _guide_chapter),
    "guide:search": Entry("signed-in", query=lambda s: "q=minh+chung"),
    "guide:docx": Entry("signed-in"),
    "guide:pdf": Entry("signed-in", note="made by LibreOffice; 503 without it"),
    # the training sandbox: anyone starts practising; making it is checked per action
    "training:home": Entry("signed-in", note="making or removing it: the office (tests/training)"),
    # the first-login tour: each person marks or replays only their own
    "onboarding:seen": Entry("signed-in", note="POST only; 204"),
    "onboarding:replay": Entry("signed-in", note="forgets one's own tour, back to the home page"),
}


# --- the Django admin site: one rule for all its patterns ----------------------------

ADMIN_PREFIX = "quan-tri-he-thong/"
ADMIN_PUBLIC = {"admin:login"}
# Answer 404 even to a system administrator: the catch-all, the "view on site"
# shortcut (no model here has a page of its own), the autocomplete without its
# parameters (403).
ADMIN_NOBODY = {"admin:view_on_site", "admin:autocomplete", ADMIN_PREFIX + "(?P<url>.*)$"}


def _admin_model(route: str) -> Any:
    app_label, model_name = route[len(ADMIN_PREFIX) :].split("/")[:2]
    return apps.get_model(app_label, model_name)


def _admin_object(route: str) -> Any:
    return _admin_model(route).objects.order_by("pk").first()


def admin_entry(key: str, route: str) -> Entry:
    """The admin's patterns, filled from the first object of their model."""
    if key in ADMIN_PUBLIC:
        return Entry("public")
    if key == "admin:logout":
        return Entry("public", signs_out=True)
    if key in ADMIN_NOBODY:
        return Entry(
            "nobody",
            lambda s, w, me: {"content_type_id": 1, "object_id": 1},
            path=(lambda s, w: "/" + ADMIN_PREFIX + "khong-co-trang-nay/")
            if "(?P" in key
            else None,
        )
    if key.endswith("_simple_history"):

        def history(s: Side, w: World) -> str:
            obj = _admin_object(route)
            record = obj.history.order_by("history_id").first()
            base = route.split("^")[0]
            return f"/{base}{obj.pk}/history/{record.history_id}/"

        return Entry("django-admin", path=history)
    if key == "admin:app_list":
        return Entry("django-admin", path=lambda s, w: "/" + ADMIN_PREFIX + "orgs/")

    def object_id(s: Side, w: World, me: Any) -> dict[str, Any]:
        obj = _admin_object(route)
        return {"object_id": obj.pk if obj is not None else 1}

    return Entry("django-admin", object_id if "<path:object_id>" in route else _none)


# --- the API, by OpenAPI operation -----------------------------------------------------


def _figure_body(s: Side) -> dict[str, Any]:
    """One figure as the token's system would push it for the side's unit."""
    inputs = {spec["name"]: 1 for spec in s.assignment.indicator.inputs}
    return {
        "period": s.period.kind,
        "unit": s.unit.code,
        "indicator": s.assignment.indicator.code,
        "inputs": inputs,
    }


API: dict[str, Entry] = {
    "GET /api/v1/frameworks": Entry("api-read"),
    "GET /api/v1/frameworks/{code}": Entry("api-read", lambda s, w, me: {"code": s.framework.code}),
    "GET /api/v1/cycles": Entry("api-read"),
    "GET /api/v1/cycles/{cycle_id}/periods": Entry("api-read", _cycle_id),
    "PUT /api/v1/cycles/{cycle_id}/figures": Entry("api-write", _cycle_id, body=_figure_body),
    "GET /api/v1/cycles/{cycle_id}/results": Entry("api-read", _published),
    "GET /api/v1/cycles/{cycle_id}/history": Entry(
        "api-read", _cycle_id, note="every token reads; the rows are limited to its units"
    ),
}
