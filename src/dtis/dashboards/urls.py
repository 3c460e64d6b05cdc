"""URLs of the dashboards (bảng điều khiển) and the public results page."""

from django.urls import path

from dtis.dashboards.views import overview, public, ranking

app_name = "dashboards"

CYCLE = "bang-dieu-khien/<int:cycle_id>/"

urlpatterns = [
    # Leadership and the standing office (views/overview.py)
    path("bang-dieu-khien/", overview.index, name="index"),
    path(CYCLE, overview.overview, name="overview"),
    path(CYCLE + "chi-tieu/", overview.targets, name="targets"),
    path(CYCLE + "du-lieu/<slug:chart>.xlsx", overview.chart_xlsx, name="chart-xlsx"),
    # Rankings, heatmap and a unit's own dashboard (views/ranking.py)
    path(CYCLE + "xep-hang/", ranking.ranking, name="ranking"),
    path(CYCLE + "don-vi/<int:assessed_id>/", ranking.unit, name="unit"),
    path(CYCLE + "don-vi/<int:assessed_id>/du-lieu.xlsx", ranking.unit_xlsx, name="unit-xlsx"),
    # Published rankings without signing in, when the deployment allows it (views/public.py)
    path("cong-khai/", public.index, name="public-index"),
    path("cong-khai/<int:cycle_id>/", public.ranking, name="public-ranking"),
]
