"""Every URL the site answers, read from the URL configuration and the OpenAPI
document, so that a page or endpoint added tomorrow is in the matrix too."""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from django.urls import URLPattern, URLResolver, get_resolver
from django.urls.resolvers import RoutePattern

PARAMETER = re.compile(r"<(?:(?P<converter>[^>:]+):)?(?P<name>[^>]+)>")


@dataclass(frozen=True)
class Route:
    """One URL pattern: `key` is its namespaced name, or its route when it has none."""

    key: str
    route: str  # the whole pattern, e.g. "bao-cao/<int:period_id>/<int:assessed_id>/"
    parameters: tuple[str, ...]
    callback: Any
    is_regex: bool  # a part is a regular expression: the table gives the concrete path

    def path(self, kwargs: dict[str, object]) -> str:
        """The concrete path, parameters filled in (route syntax only)."""
        missing = set(self.parameters) - set(kwargs)
        if missing:
            raise KeyError(f"{self.key}: no value for {sorted(missing)}")
        return "/" + PARAMETER.sub(lambda m: str(kwargs[m.group("name")]), self.route)


def _walk(patterns: list[Any], prefix: str, namespace: str, regex: bool) -> Iterator[Route]:
    for p in patterns:
        part = str(p.pattern)
        is_regex = regex or not isinstance(p.pattern, RoutePattern)
        if isinstance(p, URLResolver):
            ns = namespace
            if p.namespace:
                ns = f"{namespace}:{p.namespace}" if namespace else p.namespace
            yield from _walk(p.url_patterns, prefix + part, ns, is_regex)
        elif isinstance(p, URLPattern):
            route = prefix + part
            name = f"{namespace}:{p.name}" if (p.name and namespace) else (p.name or "")
            parameters = tuple(m.group("name") for m in PARAMETER.finditer(route))
            yield Route(name or route, route, parameters, p.callback, is_regex)


def web_routes() -> list[Route]:
    """Every pattern of the URL configuration except the API's own endpoints
    (those come from the OpenAPI document, with their methods)."""
    api = re.compile(r"^api/v1/")
    return [
        r
        for r in _walk(get_resolver().url_patterns, "", "", False)
        if not (api.match(r.route) and r.key.startswith("api:"))
    ]


@dataclass(frozen=True)
class Operation:
    """One API operation of the OpenAPI document, e.g. PUT /api/v1/cycles/{cycle_id}/figures."""

    method: str
    path: str
    parameters: tuple[str, ...]

    @property
    def key(self) -> str:
        return f"{self.method} {self.path}"

    def url(self, kwargs: dict[str, object]) -> str:
        return re.sub(r"\{(\w+)\}", lambda m: str(kwargs[m.group(1)]), self.path)


def api_operations(document: dict[str, Any]) -> list[Operation]:
    out = []
    for path, item in document["paths"].items():
        for method in item:
            if method.lower() in {"get", "put", "post", "patch", "delete"}:
                names = tuple(re.findall(r"\{(\w+)\}", path))
                out.append(Operation(method.upper(), path, names))
    return out
