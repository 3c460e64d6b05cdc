"""URLs of the reporting app's evidence screens (included by dtis.reporting.urls)."""

from django.urls import path

from dtis.reporting.views import evidence

urlpatterns = [
    path(
        "so-lieu/<int:figure_pk>/tai-lieu-kiem-chung/them/",
        evidence.evidence_add,
        name="evidence-add",
    ),
    path(
        "tai-lieu-kiem-chung/<int:pk>/thay-the/",
        evidence.evidence_replace,
        name="evidence-replace",
    ),
    path(
        "tai-lieu-kiem-chung/<int:pk>/go-bo/",
        evidence.evidence_remove_view,
        name="evidence-remove",
    ),
    path(
        "tai-lieu-kiem-chung/<int:pk>/tai-ve/",
        evidence.evidence_download,
        name="evidence-download",
    ),
    path("tai-lieu-kiem-chung/<int:pk>/xem/", evidence.evidence_preview, name="evidence-preview"),
]
