"""An API client of Khánh Hòa's one-stop system writing for Sở Y tế.

- `cycle`: Hưng Yên's department framework run in 2026 for Sở Y tế and Sở Nội
  vụ of Khánh Hòa; every indicator is owned by the department itself; the
  first quarter is open with its deadline ten days ahead.
- `issued`: a token of "Hệ thống thông tin giải quyết TTHC tỉnh Khánh Hòa"
  for Sở Y tế, issued by the standing office (Trần Minh Quân).
- `api`: a test client sending that token.
"""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass
from typing import Any

import pytest
from django.core.management import call_command
from django.test import Client
from django.utils import timezone

from dtis.api.clients import IssuedClient, client_create
from dtis.frameworks.services import find
from dtis.orgs.models import Unit, UnitKind
from dtis.reporting.cycles import cycle_create
from dtis.reporting.models import Cycle, PeriodState
from tests.factories import Org, make_unit

CLIENT_NAME = "Hệ thống thông tin giải quyết TTHC tỉnh Khánh Hòa"
ONLINE_DOSSIERS = "6.4"  # Tỷ lệ hồ sơ xử lý trực tuyến: ratio with an 80 % target, 30 points


@pytest.fixture
def health(org: Org) -> Unit:
    return make_unit(
        "KHH-SYT", "Sở Y tế tỉnh Khánh Hòa", UnitKind.DEPARTMENT, org.province, short_name="Sở Y tế"
    )


@pytest.fixture
def cycle(org: Org, health: Unit) -> Cycle:
    call_command("load-frameworks", verbosity=0)
    cycle = cycle_create(
        actor=org.admin,
        framework=find("hy-department-2023"),  # type: ignore[arg-type]
        year=2026,
        name="Đánh giá chuyển đổi số các sở, ban, ngành năm 2026",
        scope=org.province,
        assessed=[(health, "Sở, ban, ngành"), (org.dept_home, "Sở, ban, ngành")],
    )
    period = cycle.periods.get(kind="q1")
    period.state = PeriodState.OPEN
    period.unit_deadline = timezone.localdate() + dt.timedelta(days=10)
    period.office_deadline = period.unit_deadline + dt.timedelta(days=5)
    period.save()
    return cycle


@pytest.fixture
def issued(org: Org, health: Unit) -> IssuedClient:
    return client_create(actor=org.admin, name=CLIENT_NAME, units=[health])


@dataclass
class ApiCaller:
    """The Django test client with a bearer token, speaking JSON."""

    token: str
    client: Client

    def _headers(self, key: str | None) -> dict[str, str]:
        headers = {"Authorization": f"Bearer {self.token}"}
        if key is not None:
            headers["Idempotency-Key"] = key
        return headers

    def get(self, path: str, **params: Any) -> Any:
        return self.client.get(path, params, headers=self._headers(None))

    def put(self, path: str, body: Any, key: str | None) -> Any:
        return self.client.put(
            path, json.dumps(body), content_type="application/json", headers=self._headers(key)
        )


@pytest.fixture
def api(issued: IssuedClient) -> ApiCaller:
    return ApiCaller(issued.token, Client())


def dossiers(online: int, total: int, **extra: Any) -> dict[str, Any]:
    """A push of Sở Y tế's online dossiers for the first quarter."""
    return {
        "period": "q1",
        "unit": "KHH-SYT",
        "indicator": ONLINE_DOSSIERS,
        "inputs": {"so_ho_so_xu_ly_truc_tuyen": online, "tong_so_ho_so": total},
    } | extra


@pytest.fixture
def wsgi_calls(monkeypatch):  # type: ignore[no-untyped-def]
    """Let requests through the real WSGI application (schemathesis) share the
    test's transaction: after each request Django closes a connection that is
    inside a transaction, which on PostgreSQL ends the test's. (Its test client
    disconnects that signal handler during a request for the same reason.)"""
    from django.db.backends.base.base import BaseDatabaseWrapper

    monkeypatch.setattr(BaseDatabaseWrapper, "close_if_unusable_or_obsolete", lambda self: None)
