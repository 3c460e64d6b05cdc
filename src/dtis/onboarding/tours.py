"""The tours, as plain data: for each role, the three things that role does in
DTIS, each pointing at an element of the home page (by its `data-tour`
attribute) or centred on the screen.

A tour is: a welcome step, the role's three steps, and a last step pointing at
the help menu, where it can be replayed. tests/onboarding checks that every
target exists on the home page of a person of that role, so a menu that moves
or disappears fails a test instead of leaving a step pointing at nothing.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext, pgettext_lazy

from dtis.orgs.models import Role

# Whose tour a person with several roles sees: the first role here they hold.
PRECEDENCE = (Role.ADMIN, Role.APPRAISER, Role.HEAD, Role.REPORTER, Role.VIEWER)

HELP_TARGET = "help"


@dataclass(frozen=True)
class Step:
    title: str | Promise
    text: str | Promise
    target: str | None = None  # the `data-tour` value of the element; None: centred

    @property
    def selector(self) -> str | None:
        return f'[data-tour="{self.target}"]' if self.target else None


TOURS: dict[Role, tuple[Step, Step, Step]] = {
    Role.REPORTER: (
        Step(
            _("Enter figures and evidence"),
            _(
                "My reports lists every report your unit owes. Open one, enter the "
                "figure of each indicator and attach its evidence before the deadline. "
                "You do not submit it: when all is entered, tell the unit head, who "
                "reviews and submits."
            ),
            "nav-reports",
        ),
        Step(
            _("Deadlines and corrections"),
            _(
                "Reminders before a deadline, reports returned for correction and the "
                "council's questions arrive in Notifications. Answer them from there."
            ),
            "notifications",
        ),
        Step(
            _("What each indicator asks for"),
            _(
                "Frameworks explains every indicator: how it is scored and which "
                "documents count as evidence."
            ),
            "nav-frameworks",
        ),
    ),
    Role.HEAD: (
        Step(
            _("Review and submit"),
            _(
                "In My reports, check what your unit's reporters entered, then submit "
                "the unit's report before the deadline."
            ),
            "nav-reports",
        ),
        Step(
            _("Answer the council"),
            _(
                "When the appraisal council asks your unit to explain a figure, the "
                "request arrives in Notifications: answer it with your reporters."
            ),
            "notifications",
        ),
        Step(
            _("Follow your unit's progress"),
            _("The dashboard shows what your unit has entered and submitted, and its scores."),
            "nav-dashboards",
        ),
    ),
    Role.ADMIN: (
        Step(
            _("Run the assessment cycles"),
            _(
                "Open a cycle for a framework and a year, set its periods and deadlines, "
                "and follow which units have submitted."
            ),
            "nav-cycles",
        ),
        Step(
            _("Units and accounts"),
            _(
                "Issue accounts to the people of each unit and grant each the role they "
                "need: both are in the Administration menu."
            ),
            "nav-admin",
        ),
        Step(
            _("Appraisal and publication"),
            _(
                "Hand the submitted reports to the appraisal council, follow its work, "
                "then aggregate and publish the results."
            ),
            "nav-appraisal",
        ),
    ),
    Role.APPRAISER: (
        Step(
            _("Your appraisal queue"),
            _(
                "Appraisal lists the units whose reports reached the council, with the "
                "indicator groups assigned to you."
            ),
            "nav-appraisal",
        ),
        Step(
            _("Check figures against evidence"),
            _(
                "Frameworks gives each indicator's scoring rule. Compare every figure "
                "with its evidence, set the appraised score or ask the unit to explain."
            ),
            "nav-frameworks",
        ),
        Step(
            _("Results"),
            _("Once the council signs off, the results and rankings appear in Results."),
            "nav-results",
        ),
    ),
    Role.VIEWER: (
        Step(
            _("The dashboard"),
            _("Every unit's progress at a glance: who has submitted, who is late, the scores."),
            "nav-dashboards",
        ),
        Step(
            _("Results and rankings"),
            _("The published results, rankings and each unit's classification."),
            "nav-results",
        ),
        Step(
            _("Improvement plans"),
            _("The plans drafted from the gaps, which leadership approves, and their progress."),
            "nav-plans",
        ),
    ),
}

WELCOME_TITLE = _("Welcome")
WELCOME_TEXT = _(
    "You work in DTIS as %(role)s. This short tour shows the three things you do here."
)
HELP_TITLE = _("Help")
HELP_TEXT = _("See this introduction again in the Help menu, next to the user guide and training.")

LABELS = {
    "next": pgettext_lazy("tour button", "Next"),
    "prev": pgettext_lazy("tour button", "Back"),
    "done": pgettext_lazy("tour button", "Done"),
    "skip": pgettext_lazy("tour button", "Skip"),
    # driver.js fills in the numbers
    "progress": _("{{current}} of {{total}}"),
}


def main_role(roles: Iterable[str], *, superuser: bool = False) -> Role | None:
    """The role whose tour a person sees. A system administrator without a
    role on any unit sees the standing office's; a person without any role,
    none (the home page tells them whom to ask)."""
    held = set(roles)
    for role in PRECEDENCE:
        if role in held:
            return role
    return Role.ADMIN if superuser else None


def other_roles(roles: Iterable[str], main: Role) -> list[Role]:
    held = set(roles)
    return [role for role in PRECEDENCE if role in held and role != main]


def steps_for(role: Role) -> list[Step]:
    """The whole tour of a role: welcome, the role's three steps, help (in the
    active language: call it while answering the request)."""
    welcome = Step(WELCOME_TITLE, str(WELCOME_TEXT) % {"role": role.label})
    return [welcome, *TOURS[role], Step(HELP_TITLE, HELP_TEXT, HELP_TARGET)]


def tour_payload(
    role: Role,
    others: list[Role],
    *,
    present: Callable[[str], bool],
    seen_url: str,
    csrf_token: str,
) -> dict[str, Any]:
    """What the page hands to app.js (as JSON). A step whose element the page
    does not show (an appraiser not yet seated on a council has no Appraisal
    menu) is centred instead."""
    steps = []
    for step in steps_for(role):
        text = str(step.text)
        if step.target == HELP_TARGET and others:
            names = ", ".join(str(r.label) for r in others)
            text += " " + ngettext(
                "You also hold the role of %(roles)s: its pages are in the same menu.",
                "You also hold the roles of %(roles)s: their pages are in the same menu.",
                len(others),
            ) % {"roles": names}
        visible = step.target is not None and present(step.target)
        steps.append(
            {
                "element": step.selector if visible else None,
                "title": str(step.title),
                "text": text,
            }
        )
    return {
        "role": str(role),
        "steps": steps,
        "labels": {key: str(label) for key, label in LABELS.items()},
        "seenUrl": seen_url,
        "csrf": csrf_token,
    }
