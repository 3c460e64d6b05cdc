"""PLACEHOLDER: to be written (see the brief)."""

from django.http import Http404


def index(request, **kwargs):  # placeholder
    raise Http404


def ranking(request, **kwargs):  # placeholder
    raise Http404


def ranking_xlsx(request, **kwargs):  # placeholder
    raise Http404


def unit_result(request, **kwargs):  # placeholder
    raise Http404


def gaps(request, **kwargs):  # placeholder
    raise Http404


def emulation(request, **kwargs):  # placeholder
    raise Http404


def emulation_xlsx(request, **kwargs):  # placeholder
    raise Http404
