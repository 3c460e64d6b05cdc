"""PLACEHOLDER: to be written (see the brief)."""

from django.http import Http404


def my_requests(request, **kwargs):  # placeholder
    raise Http404


def answer(request, **kwargs):  # placeholder
    raise Http404
