"""Plan URLs, namespace "plans" (Vietnamese paths like the rest of the site)."""

from django.urls import path

from dtis.plans import report_views, views

app_name = "plans"

urlpatterns = [
    path("ke-hoach/", views.plan_list, name="list"),
    path("ke-hoach/tao/", views.plan_create, name="create"),
    path("ke-hoach/<int:pk>/", views.plan_detail, name="detail"),
    path("ke-hoach/<int:pk>/sua/", views.plan_edit, name="edit"),
    path("ke-hoach/<int:pk>/phe-duyet/", views.plan_approve, name="approve"),
    path("ke-hoach/<int:pk>/nhiem-vu/<int:task_id>/", views.task_detail, name="task"),
    path("ke-hoach/<int:pk>/tai-ve/ke-hoach.docx", views.plan_docx, name="docx"),
    path("ke-hoach/<int:pk>/tai-ve/phu-luc.xlsx", views.plan_xlsx, name="xlsx"),
    # The period report of a cycle (`dtis report export`, in the browser).
    path(
        "bao-cao-ky/<int:period_id>/bao-cao.docx",
        report_views.period_report_docx,
        name="report-docx",
    ),
    path(
        "bao-cao-ky/<int:period_id>/bao-cao.xlsx",
        report_views.period_report_xlsx,
        name="report-xlsx",
    ),
]
