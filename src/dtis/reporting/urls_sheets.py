"""URLs of the reporting app's sheets screens (included by dtis.reporting.urls)."""

from django.urls import path

from dtis.reporting.views import sheets

urlpatterns = [
    path(
        "bao-cao/<int:period_id>/<int:assessed_id>/excel/",
        sheets.sheet_download,
        name="sheet-download",
    ),
    path(
        "bao-cao/<int:period_id>/<int:assessed_id>/nhap-excel/",
        sheets.sheet_upload,
        name="sheet-upload",
    ),
]
