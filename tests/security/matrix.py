"""Walks every route for one role and classifies each answer.

A cell is one (role, URL, column) request: GET, or POST with an empty body
when the view answers GET with 405 (a form-only action), or the method the
OpenAPI document names. Each request runs inside a savepoint rolled back
after it, with the client's cookies put back, so that no cell sees another
cell's writes (a publication, a revoked token, a logout).
"""

from __future__ import annotations

import json
import uuid
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

from django.db import transaction
from django.test import Client

from tests.security.routes import Operation, Route
from tests.security.tables import ADMIN_PREFIX, API, GROUPS, SIDES, WEB, Entry, admin_entry
from tests.security.world import World

ALLOWED, REFUSED, SAME, NOT_APPLICABLE, ERROR = "A", "R", "=", "n/a", "500"
# A fourth column for URLs naming two objects or more: the first from the own
# column, the rest from another province's (e.g. Khánh Hòa's cycle with Đà
# Nẵng's council seat). Nobody, not even a system administrator, gets such a
# URL to work: an object must be looked up inside the one before it.
MIX = "mix"
# A fifth column for pages that answer GET: the own column's URL posted to with
# an empty form, expected like the own column unless the table says otherwise
# (`Entry.post`). Refused where a view checks the reader but not the writer.
POST = "post"
LOGIN_PATHS = ("/dang-nhap/", "/" + ADMIN_PREFIX + "login/")


@dataclass
class Cell:
    role: str
    key: str
    column: str  # own, dept, prov, mix or post
    url: str = ""
    method: str = ""
    status: int = 0
    outcome: str = ""  # ALLOWED, REFUSED, SAME, NOT_APPLICABLE, ERROR
    expected: str = ""
    detail: str = ""

    @property
    def ok(self) -> bool:
        if self.outcome in (SAME, NOT_APPLICABLE):
            return True
        return self.outcome == self.expected

    def describe(self) -> str:
        want = {"A": "allowed", "R": "refused"}.get(self.expected, self.expected)
        got = {"A": "allowed", "R": "refused"}.get(self.outcome, self.outcome)
        extra = f" ({self.detail})" if self.detail else ""
        return (
            f"{self.role:<9} {self.column:<4} {self.method} {self.url} → {self.status}: "
            f"expected {want}, got {got}{extra}  [{self.key}]"
        )


def entry_for(route: Route) -> Entry | None:
    if route.route.startswith(ADMIN_PREFIX):
        return admin_entry(route.key, route.route)
    return WEB.get(route.key)


def classify(response: Any) -> str:
    """Allowed: a page, a file, a redirect elsewhere than sign-in, or a form or
    state error (400, 409, 422: the request got past the permission check), or
    503 (a page saying a tool it needs, like LibreOffice, is not installed).
    Refused: 401, 403, 404, or a redirect to a sign-in page."""
    status = response.status_code
    if status == 503:
        return ALLOWED  # said on purpose, after the check: a tool it needs is missing
    if status >= 500:
        return ERROR
    if status == 405:
        return NOT_APPLICABLE
    if status in (401, 403, 404):
        return REFUSED
    if 300 <= status < 400:
        target = urlsplit(response.get("Location", "")).path
        return REFUSED if target.startswith(LOGIN_PATHS) else ALLOWED
    return ALLOWED


def _exception(response: Any) -> str:
    info = getattr(response, "exc_info", None)
    if info and info[1] is not None:
        return f"{type(info[1]).__name__}: {info[1]}"[:300]
    return ""


class Walker:
    """Sends every request of one role (a signed-in client, an anonymous one, or a token)."""

    def __init__(self, world: World, role: str, user: Any, token: str = "") -> None:
        self.world, self.role, self.user, self.token = world, role, user, token
        self.client = Client(raise_request_exception=False)
        if user is not None:
            self.client.force_login(user)

    def _send(self, method: str, url: str, body: dict[str, Any] | None) -> Any:
        headers = {}
        if self.token:
            headers["Authorization"] = f"Bearer {self.token}"
        if method in ("PUT", "PATCH"):
            headers["Idempotency-Key"] = str(uuid.uuid4())
        cookies = self.client.cookies
        self.client.cookies = type(cookies)(cookies)  # a copy: a logout must not stick
        try:
            with transaction.atomic():
                if method == "GET":
                    response = self.client.get(url, headers=headers)
                elif method == "POST":
                    response = self.client.post(url, body or {}, headers=headers)
                else:
                    response = self.client.generic(
                        method,
                        url,
                        json.dumps(body or {}),
                        content_type="application/json",
                        headers=headers,
                    )
                transaction.set_rollback(True)
        finally:
            self.client.cookies = cookies
        return response

    def _cells(
        self, key: str, entry: Entry, build: Any, methods: tuple[str, ...], mixed: Any = None
    ) -> list[Cell]:
        """One cell per column; `mixed` builds the MIX column's URL (or is None)."""
        expected = GROUPS[entry.group][self.role]
        columns = [(name, expected[n], name) for n, name in enumerate(SIDES)]
        if mixed is not None:
            columns.append((MIX, REFUSED, "prov"))
        out: list[Cell] = []
        seen: set[tuple[str, str]] = set()
        for column, want, side_name in columns:
            side = self.world.sides[side_name]
            cell = Cell(self.role, key, column, expected=want)
            out.append(cell)
            try:
                url = mixed() if column == MIX else build(side)
            except Exception as exc:  # the table cannot fill this URL: a defect of the table
                cell.outcome, cell.detail = ERROR, f"cannot build the URL: {exc!r}"
                continue
            body = entry.body(side) if entry.body else None
            signature = (url, json.dumps(body, sort_keys=True, default=str))
            if signature in seen:  # the same request as an earlier column
                cell.outcome, cell.url = SAME, url
                continue
            seen.add(signature)
            for method in methods:
                response = self._send(method, url, body)
                cell.url, cell.method, cell.status = url, method, response.status_code
                cell.outcome = classify(response)
                if entry.signs_out and cell.outcome == REFUSED and response.status_code == 302:
                    cell.outcome = ALLOWED
                if cell.outcome != NOT_APPLICABLE:
                    break
            if cell.outcome == ERROR:
                cell.detail = _exception(response)
        own = out[0]
        if methods == ("GET", "POST") and own.method == "GET":
            out.append(self._post_probe(key, entry, own.url))
        return out

    def _post_probe(self, key: str, entry: Entry, url: str) -> Cell:
        """The own column's page posted to with an empty form: a view that checks
        who may see a page must also check who may change through it."""
        want = GROUPS[entry.post or entry.group][self.role][0]
        cell = Cell(self.role, key, POST, url=url, method="POST", expected=want)
        response = self._send("POST", url, None)
        cell.status, cell.outcome = response.status_code, classify(response)
        if entry.signs_out and cell.outcome == REFUSED and response.status_code == 302:
            cell.outcome = ALLOWED
        if cell.outcome == ERROR:
            cell.detail = _exception(response)
        return cell

    def web(self, routes: list[Route]) -> list[Cell]:
        cells = []
        for route in routes:
            entry = entry_for(route)
            assert entry is not None, route.key  # test_every_url_is_in_the_matrix says which

            def build(side: Any, route: Route = route, entry: Entry = entry) -> str:
                if entry.path is not None:
                    url = entry.path(side, self.world)
                elif route.is_regex:
                    raise ValueError("a route with a regular expression needs `path`")
                else:
                    url = route.path(entry.kwargs(side, self.world, self.user))
                query = entry.query(side) if entry.query else ""
                return f"{url}?{query}" if query else url

            mixed = None
            if len(route.parameters) >= 2 and entry.path is None:

                def mixed(route: Route = route, entry: Entry = entry) -> str:
                    """The first object from the own column, the others from another province's."""
                    own = entry.kwargs(self.world.sides["own"], self.world, self.user)
                    other = entry.kwargs(self.world.sides["prov"], self.world, self.user)
                    first = route.parameters[0]
                    return route.path(other | {first: own[first]})

            cells += self._cells(route.key, entry, build, ("GET", "POST"), mixed)
        return cells

    def api(self, operations: list[Operation]) -> list[Cell]:
        cells = []
        for op in operations:
            entry = API[op.key]

            def build(side: Any, op: Operation = op, entry: Entry = entry) -> str:
                return op.url(entry.kwargs(side, self.world, self.user))

            cells += self._cells(op.key, entry, build, (op.method,))
        return cells
