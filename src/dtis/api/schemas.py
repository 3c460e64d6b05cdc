"""The API's request and response shapes (they make the OpenAPI document).

Numbers of points are JSON numbers with at most 2 decimals and index values
with at most 4, as `dtis results show --json` prints them.
"""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any

from ninja import Field, Schema
from pydantic import StringConstraints

# PostgreSQL text cannot hold the NUL character: refused as a bad value (422)
# instead of failing in the database.
NO_NUL = r"^[^\x00]*$"
Link = Annotated[str, StringConstraints(max_length=500, pattern=NO_NUL)]


class Error(Schema):
    detail: str = Field(..., description="What went wrong, in the deployment's language.")


class FieldErrors(Schema):
    detail: str
    errors: dict[str, list[str]] = Field(
        ...,
        description='Messages per field: "period", "inputs.tong_so_ho_so", "evidence_links.0"…',
    )


# --- frameworks ------------------------------------------------------------------


class FrameworkSummary(Schema):
    code: str
    name: str
    level: str
    version: int
    status: str
    max_points: float
    main_indicators: int
    scored_indicators: int
    legal_basis: str
    year_from: int | None
    year_to: int | None


class IndicatorNode(Schema):
    code: str
    name: str
    max_points: float
    rule: dict[str, Any] | None = None
    inputs: list[dict[str, Any]] = []
    guidance: str | None = None
    evidence: str | None = None
    tasks: str | None = None
    lead_unit: str | None = None
    coordinating_units: list[str] | None = None
    auto_measurable: bool | None = None
    children: list[IndicatorNode] = []


class LegalBasis(Schema):
    number: str
    date: str | None
    issuer: str


class FrameworkDetail(Schema):
    code: str
    name: str
    level: str
    version: int
    status: str
    legal_basis: LegalBasis
    year_from: int | None
    year_to: int | None
    bands: list[dict[str, Any]]
    pillars: list[dict[str, Any]]
    indicators: list[IndicatorNode]


# --- cycles ----------------------------------------------------------------------


class PeriodBrief(Schema):
    kind: str
    state: str
    unit_deadline: dt.date


class CycleOut(Schema):
    id: int
    name: str
    framework: str
    framework_version: int
    year: int
    scope: str = Field(..., description="Code of the unit whose standing office runs the cycle.")
    assessed_units: int
    periods: list[PeriodBrief]


class PeriodOut(Schema):
    code: str = Field(..., description='"q1", "q2", "h1", "q3", "q4" or "year".')
    name: str
    start: dt.date
    end: dt.date
    unit_deadline: dt.date
    office_deadline: dt.date
    state: str = Field(..., description='"planned", "open" or "closed".')
    open: bool = Field(..., description="Open for entries today (state open, deadline not past).")


# --- figures ---------------------------------------------------------------------

InputValue = str | int | float | bool | None


class FigureIn(Schema):
    period: str = Field(..., min_length=1, max_length=10, pattern=NO_NUL, examples=["q1"])
    unit: str = Field(..., min_length=1, max_length=40, pattern=NO_NUL, examples=["KHH-SYT"])
    indicator: str = Field(..., min_length=1, max_length=20, pattern=NO_NUL, examples=["6.4"])
    inputs: dict[str, InputValue] = Field(
        ...,
        description="Values by input name, as on the web form; numbers may be typed "
        "the Vietnamese way (1.250 or 12,5). An empty value clears the input.",
        examples=[{"so_ho_so_xu_ly_truc_tuyen": 1180, "tong_so_ho_so": 1400}],
    )
    note: str = Field("", max_length=5000, pattern=NO_NUL)
    not_applicable: bool = False
    evidence_links: list[Link] = Field(
        [],
        max_length=20,
        description="Web pages that prove the figure; each is added once to the "
        "figure's evidence as a link.",
    )
    version: int | None = Field(
        None,
        ge=1,
        description="The version the client last read: when given and the figure "
        "changed since, nothing is stored and the answer is 409.",
    )


class FigureOut(Schema):
    cycle: int
    period: str
    unit: str
    indicator: str
    inputs: dict[str, Any]
    note: str
    not_applicable: bool
    self_points: float | None
    max_points: float
    explanation: str
    version: int
    updated_at: dt.datetime
    updated_by: str
    evidence_links: list[str]


# --- results and history -----------------------------------------------------------


class MainResult(Schema):
    points: float | None
    index: float | None


class ResultRow(Schema):
    unit: str
    peer_group: str
    self_total: float
    appraised_total: float
    final_total: float
    index: float | None
    rank: int | None
    band: str | None
    main: dict[str, MainResult]


class FigureState(Schema):
    inputs: dict[str, Any]
    note: str
    not_applicable: bool
    self_points: float | None


class ChangeOut(Schema):
    field: str
    before: str
    after: str


class HistoryItem(Schema):
    id: int = Field(..., description="The history entry's number (grows with time).")
    at: dt.datetime
    who: str
    action: str = Field(..., description='"created", "changed" or "deleted".')
    why: str
    unit: str
    indicator: str
    period: str
    before: FigureState | None
    after: FigureState
    changes: list[ChangeOut]
