"""URLs of the reporting app's assignments screens (included by dtis.reporting.urls)."""

from django.urls import path

from dtis.reporting.views import assignments

urlpatterns = [
    path("dot-danh-gia/<int:pk>/phan-cong/", assignments.assignment_list, name="assignment-list"),
    path(
        "dot-danh-gia/<int:pk>/phan-cong/<int:assignment_id>/sua/",
        assignments.assignment_edit,
        name="assignment-edit",
    ),
    path(
        "dot-danh-gia/<int:pk>/phan-cong/nhap/",
        assignments.assignment_import_view,
        name="assignment-import",
    ),
    path(
        "dot-danh-gia/<int:pk>/phan-cong/sao-chep/",
        assignments.assignment_copy_view,
        name="assignment-copy",
    ),
    path(
        "dot-danh-gia/<int:pk>/phan-cong/xuat/",
        assignments.assignment_export_view,
        name="assignment-export",
    ),
]
