"""The HTTP API, version 1 (contract: the paths below and /api/openapi.json).

Endpoints only translate between HTTP and the services: reading through
`dtis.api.reads`, writing through `dtis.api.writes`, errors through
`dtis.api.errors`. Every answer other than 200 is declared per endpoint so
that the OpenAPI document tells clients (and schemathesis) the whole truth.
"""

import datetime as dt
from typing import Any

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext as _
from ninja import Field, Header, NinjaAPI, Query, Router, Schema
from ninja.pagination import PageNumberPagination, paginate
from ninja.renderers import JSONRenderer
from ninja.responses import Status

from dtis.api import errors, reads
from dtis.api.auth import ClientRateThrottle, ClientToken
from dtis.api.errors import ApiError
from dtis.api.models import ApiClient
from dtis.api.schemas import (
    NO_NUL,
    CycleOut,
    Error,
    FieldErrors,
    FigureIn,
    FigureOut,
    FrameworkDetail,
    FrameworkSummary,
    HistoryItem,
    PeriodOut,
    ResultRow,
)
from dtis.api.writes import figure_push
from dtis.frameworks.services import find, framework_tree
from dtis.reporting.models import Cycle

DESCRIPTION = """
Integration API of DTIS: sector systems (the one-stop system, the LGSP, the
operations centre) read the frameworks and cycles and push their figures.

Authenticate with `Authorization: Bearer <token>`; an administrator issues
tokens at /api/quan-tri/. Writes need an `Idempotency-Key` header. See
docs/api.md for examples.
"""


class Utf8Renderer(JSONRenderer):
    """Vietnamese text as UTF-8, readable in a log or a terminal, not \\u escapes."""

    json_dumps_params = {"ensure_ascii": False}


api = NinjaAPI(
    title="DTIS API",
    version="1",
    description=DESCRIPTION,
    urls_namespace="api",
    auth=ClientToken(),
    throttle=[ClientRateThrottle()],
    renderer=Utf8Renderer(),
)
errors.install(api)
v1 = Router()

# Answers every authenticated endpoint may give besides its own (422: a path or
# query parameter of the wrong type, e.g. a cycle number that is not a number).
COMMON: dict[int, Any] = {401: Error, 422: FieldErrors, 429: Error}


def _client(request: HttpRequest) -> ApiClient:
    return request.auth  # type: ignore[attr-defined, no-any-return]


def _cycle(cycle_id: int) -> Cycle:
    cycle = Cycle.objects.select_related("framework", "scope").filter(pk=cycle_id).first()
    if cycle is None:
        raise ApiError(404, _("No assessment cycle has the number %(id)s.") % {"id": cycle_id})
    return cycle


# --- frameworks --------------------------------------------------------------------


@v1.get("/frameworks", response={200: list[FrameworkSummary], **COMMON}, tags=["frameworks"])
def framework_list(request: HttpRequest) -> Any:
    """Every framework version: code, name, level, status, points, indicator counts."""
    return reads.frameworks_summary()


@v1.get(
    "/frameworks/{code}",
    response={200: FrameworkDetail, 404: Error, **COMMON},
    tags=["frameworks"],
    exclude_unset=True,  # an indicator's absent texts stay absent, as in the command
)
def framework_detail(request: HttpRequest, code: str) -> Any:
    """The tree of main and component indicators with rules, inputs and maximum
    points. `code` is the newest version's code, or `code@version`."""
    fw = find(code)
    if fw is None:
        raise ApiError(404, _("No framework has the code “%(code)s”.") % {"code": code})
    return framework_tree(fw)


# --- cycles ------------------------------------------------------------------------


@v1.get("/cycles", response={200: list[CycleOut], **COMMON}, tags=["cycles"])
def cycle_list(request: HttpRequest) -> Any:
    """Assessment cycles, newest year first, with their periods."""
    return reads.cycles()


@v1.get(
    "/cycles/{cycle_id}/periods",
    response={200: list[PeriodOut], 404: Error, **COMMON},
    tags=["cycles"],
)
def period_list(request: HttpRequest, cycle_id: int) -> Any:
    """The cycle's reporting periods with dates, deadlines and whether they are open."""
    return reads.periods(_cycle(cycle_id))


@v1.put(
    "/cycles/{cycle_id}/figures",
    response={
        200: FigureOut,
        403: Error,
        404: Error,
        409: Error,
        **COMMON,
    },
    tags=["figures"],
)
def figure_put(
    request: HttpRequest,
    response: HttpResponse,
    cycle_id: int,
    payload: FigureIn,
    idempotency_key: str = Header(
        ...,
        alias="Idempotency-Key",
        min_length=1,
        max_length=200,
        pattern=NO_NUL,
        description="Any unique string per figure version, e.g. a UUID. A retry with "
        "the same key and body gets the first answer again and changes nothing.",
    ),
) -> Any:
    """Store one figure (period, unit, indicator, inputs, optional note and
    evidence links) as the unit's reporter would on the web; returns it with
    its self-score and how it was computed. Nothing is stored on any error."""
    answer = figure_push(
        client=_client(request), cycle_id=cycle_id, payload=payload, key=idempotency_key
    )
    if answer.replayed:
        response["Idempotent-Replayed"] = "true"
    return Status(answer.status, answer.body)


# --- results and history -------------------------------------------------------------


@v1.get(
    "/cycles/{cycle_id}/results",
    response={200: list[ResultRow], 404: Error, 409: Error, **COMMON},
    tags=["results"],
)
def result_list(request: HttpRequest, cycle_id: int) -> Any:
    """Published results, best first (the fields of `dtis results show --json`).
    409 while the results are not published."""
    rows = reads.published_results(_cycle(cycle_id))
    if rows is None:
        raise ApiError(409, _("The results of this cycle are not published yet."))
    return rows


class HistoryFilters(Schema):
    unit: str = Field("", max_length=40, pattern=NO_NUL)
    indicator: str = Field("", max_length=20, pattern=NO_NUL)
    since: dt.datetime | None = None
    until: dt.datetime | None = None


class HistoryPagination(PageNumberPagination):
    """Page numbers over the history, each page turned into change records."""

    class Input(Schema):
        page: int = Field(1, ge=1, le=1_000_000)
        page_size: int | None = Field(None, ge=1, description="Rows per page, at most 200.")

    def paginate_queryset(
        self, queryset: Any, pagination: Any, request: HttpRequest, **params: Any
    ) -> Any:
        page = super().paginate_queryset(queryset, pagination, request, **params)
        page[self.items_attribute] = reads.history_page(page[self.items_attribute])
        return page


@v1.get(
    "/cycles/{cycle_id}/history",
    response={200: list[HistoryItem], 404: Error, **COMMON},
    tags=["history"],
)
@paginate(
    HistoryPagination, page_size=settings.API_PAGE_SIZE, max_page_size=settings.API_MAX_PAGE_SIZE
)
def history_list(request: HttpRequest, cycle_id: int, filters: Query[HistoryFilters]) -> Any:
    """Changes to the cycle's figures (who, when, what, before, after, why), oldest
    first, for the client's units and indicators. `since` is inclusive, `until`
    exclusive: to follow the history, ask again from the last `at` seen."""
    return reads.history_rows(
        _client(request),
        _cycle(cycle_id),
        unit=filters.unit,
        indicator=filters.indicator,
        since=filters.since,
        until=filters.until,
    )


api.add_router("/v1", v1)
