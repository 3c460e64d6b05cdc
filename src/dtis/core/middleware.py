"""Request middleware of the whole site."""

from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse


def deployment_language_first(
    get_response: Callable[[HttpRequest], HttpResponse],
) -> Callable[[HttpRequest], HttpResponse]:
    """The interface speaks the deployment's language (DTIS_LANGUAGE, Vietnamese
    by default) until the person presses the other one, which sets the language
    cookie. The browser's own language list is ignored: many government PCs run
    an English Windows whose browsers ask for English first."""

    def middleware(request: HttpRequest) -> HttpResponse:
        request.META.pop("HTTP_ACCEPT_LANGUAGE", None)
        return get_response(request)

    return middleware
