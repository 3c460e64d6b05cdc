"""URLs of the reporting app's chase screens (included by dtis.reporting.urls)."""

from django.urls import path  # noqa: F401

urlpatterns: list = []  # type: ignore[type-arg]
