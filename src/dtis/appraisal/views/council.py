"""PLACEHOLDER: to be written (see the brief)."""

from django.http import Http404


def cycle_list(request, **kwargs):  # placeholder
    raise Http404


def queue(request, **kwargs):  # placeholder
    raise Http404


def council_page(request, **kwargs):  # placeholder
    raise Http404


def council_remove(request, **kwargs):  # placeholder
    raise Http404


def unit_items(request, **kwargs):  # placeholder
    raise Http404


def unit_bulk_accept(request, **kwargs):  # placeholder
    raise Http404


def item_accept_view(request, **kwargs):  # placeholder
    raise Http404


def item_correct_view(request, **kwargs):  # placeholder
    raise Http404


def item_request_view(request, **kwargs):  # placeholder
    raise Http404


def sign_off_view(request, **kwargs):  # placeholder
    raise Http404


def reopen_view(request, **kwargs):  # placeholder
    raise Http404


def publish_view(request, **kwargs):  # placeholder
    raise Http404
