"""URLs of the reporting app's cycles screens (included by dtis.reporting.urls)."""

from django.urls import path

from dtis.reporting.views import cycles

urlpatterns = [
    path("dot-danh-gia/", cycles.cycle_list, name="cycle-list"),
    path("dot-danh-gia/tao-moi/", cycles.cycle_create_view, name="cycle-create"),
    path("dot-danh-gia/<int:pk>/", cycles.cycle_detail, name="cycle-detail"),
    path(
        "dot-danh-gia/<int:pk>/ky/<int:period_id>/trang-thai/",
        cycles.period_state_view,
        name="period-state",
    ),
    path(
        "dot-danh-gia/<int:pk>/ky/<int:period_id>/thoi-han/",
        cycles.period_deadlines_view,
        name="period-deadlines",
    ),
    path("dot-danh-gia/<int:pk>/mo-lai/", cycles.period_reopen_view, name="period-reopen"),
    path(
        "dot-danh-gia/<int:pk>/so-lieu-gui-bo/",
        cycles.ministry_export_view,
        name="ministry-export",
    ),
]
