"""Error answers in the deployment's language, one shape for all of them.

`{"detail": "..."}`, and for a bad request body also `errors`: messages per
field. Pydantic's own messages are English; the usual ones are said again
here in words the translators can reach.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from functools import partial
from typing import Any

from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.utils.translation import gettext as _
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, HttpError, Throttled, ValidationError

# Where ninja puts a value: not part of the field name the client knows.
_SOURCES = {"body", "query", "path", "header", "cookie", "payload", "filters"}


class ApiError(Exception):
    """An answer other than 200, raised from anywhere under an endpoint."""

    def __init__(self, status: int, detail: str, errors: Mapping[str, list[str]] | None = None):
        super().__init__(detail)
        self.status = status
        self.detail = detail
        self.errors = dict(errors) if errors is not None else None


def field_errors(detail: str, errors: Mapping[str, Iterable[str]]) -> ApiError:
    return ApiError(422, detail, {k: list(v) for k, v in errors.items()})


def from_django(exc: DjangoValidationError, prefix: str = "") -> dict[str, list[str]]:
    """A Django ValidationError as messages per field (`prefix` + field name)."""
    if hasattr(exc, "error_dict"):
        items = exc.message_dict.items()
        return {f"{prefix}{name}": [str(m) for m in msgs] for name, msgs in items}
    return {prefix.rstrip(".") or "body": [str(m) for m in exc.messages]}


def _field_name(loc: Iterable[Any]) -> str:
    parts = [str(p) for p in loc]
    while parts and parts[0] in _SOURCES:
        parts.pop(0)
    return ".".join(parts) or "body"


def _message(error: Mapping[str, Any]) -> str:
    kind = error.get("type", "")
    ctx = error.get("ctx") or {}
    if kind == "missing":
        return _("This field is required.")
    if kind in {"string_type", "string_sub_type"}:
        return _("Must be text.")
    if kind in {"int_type", "int_parsing", "int_from_float"}:
        return _("Must be a whole number.")
    if kind in {"bool_type", "bool_parsing"}:
        return _("Must be true or false.")
    if kind in {"dict_type", "model_type", "model_attributes_type"}:
        return _("Must be a JSON object.")
    if kind in {"list_type", "tuple_type"}:
        return _("Must be a list.")
    if kind in {"datetime_type", "datetime_parsing", "datetime_from_date_parsing"}:
        return _("Must be a date and time such as 2026-03-31T17:00:00+07:00.")
    if kind == "string_too_short":
        return _("Must not be empty.")
    if kind == "string_too_long":
        return _("Too long: at most %(n)s characters.") % {"n": ctx.get("max_length", "?")}
    if kind == "too_long":
        return _("Too many: at most %(n)s.") % {"n": ctx.get("max_length", "?")}
    if kind in {"greater_than_equal", "greater_than"}:
        return _("Must be at least %(n)s.") % {"n": ctx.get("ge", ctx.get("gt", "?"))}
    if kind in {"less_than_equal", "less_than"}:
        return _("Must be at most %(n)s.") % {"n": ctx.get("le", ctx.get("lt", "?"))}
    if kind == "string_pattern_mismatch":
        return _("Must not contain control characters.")
    if kind == "json_invalid":
        return _("The request body is not valid JSON.")
    return _("Invalid value (%(reason)s).") % {"reason": error.get("msg", kind)}


def _validation_error(request: HttpRequest, exc: ValidationError, api: NinjaAPI) -> HttpResponse:
    errors: dict[str, list[str]] = {}
    for error in exc.errors:
        errors.setdefault(_field_name(error.get("loc", ())), []).append(_message(error))
    return api.create_response(
        request, {"detail": _("The request has errors: nothing was stored."), "errors": errors},
        status=422,
    )  # fmt: skip


def _api_error(request: HttpRequest, exc: ApiError, api: NinjaAPI) -> HttpResponse:
    if exc.status == 403:  # a push outside the token's scope, in the security log like a page
        from dtis.orgs.models import SecurityEventKind
        from dtis.orgs.security_log import record

        client = getattr(request, "auth", None)
        record(SecurityEventKind.PERMISSION_DENIED, request, getattr(client, "user", None))
    body: dict[str, Any] = {"detail": exc.detail}
    if exc.errors is not None:
        body["errors"] = exc.errors
    return api.create_response(request, body, status=exc.status)


def _unauthorised(request: HttpRequest, exc: Exception, api: NinjaAPI) -> HttpResponse:
    response = api.create_response(
        request,
        {"detail": _("Give a valid API token in the header “Authorization: Bearer <token>”.")},
        status=401,
    )
    response["WWW-Authenticate"] = "Bearer"
    return response


def _throttled(request: HttpRequest, exc: Exception, api: NinjaAPI) -> HttpResponse:
    return api.create_response(
        request, {"detail": _("Too many requests with this token: try again later.")}, status=429
    )


def _http_error(request: HttpRequest, exc: HttpError, api: NinjaAPI) -> HttpResponse:
    if exc.status_code == 400:  # ninja could not parse the body: one answer for any bad body
        return api.create_response(
            request,
            {
                "detail": _("The request has errors: nothing was stored."),
                "errors": {"body": [_("The request body is not valid JSON.")]},
            },
            status=422,
        )
    return api.create_response(request, {"detail": str(exc)}, status=exc.status_code)


def _not_found(request: HttpRequest, exc: Exception, api: NinjaAPI) -> HttpResponse:
    return api.create_response(request, {"detail": _("Not found.")}, status=404)


def install(api: NinjaAPI) -> None:
    handlers: list[tuple[type[Exception], Any]] = [
        (ValidationError, _validation_error),
        (ApiError, _api_error),
        (AuthenticationError, _unauthorised),
        (Throttled, _throttled),
        (HttpError, _http_error),
        (Http404, _not_found),
    ]
    for exc_class, handler in handlers:
        api.add_exception_handler(exc_class, partial(handler, api=api))
