"""All reporting URLs, namespace "reporting"; each area keeps its own module."""

from django.urls import include, path

app_name = "reporting"

urlpatterns = [
    path("", include("dtis.reporting.urls_cycles")),
    path("", include("dtis.reporting.urls_assignments")),
    path("", include("dtis.reporting.urls_entry")),
    path("", include("dtis.reporting.urls_evidence")),
    path("", include("dtis.reporting.urls_chase")),
    path("", include("dtis.reporting.urls_sheets")),
]
