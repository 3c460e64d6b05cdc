from django.urls import path

from dtis.frameworks.views import frameworks, published

app_name = "frameworks"

urlpatterns = [
    path("bo-chi-so/", frameworks.framework_list, name="list"),
    path("bo-chi-so/nhap/", frameworks.framework_import_view, name="import"),
    path("bo-chi-so/so-sanh/", frameworks.framework_compare, name="compare"),
    path("bo-chi-so/<slug:code>/v<int:version>/", frameworks.framework_detail, name="detail"),
    path(
        "bo-chi-so/<slug:code>/v<int:version>/xuat/<str:fmt>/",
        frameworks.framework_export,
        name="export",
    ),
    path(
        "bo-chi-so/<slug:code>/v<int:version>/phien-ban-moi/",
        frameworks.framework_new_version_view,
        name="new-version",
    ),
    path(
        "bo-chi-so/<slug:code>/v<int:version>/trang-thai/",
        frameworks.framework_status_view,
        name="status",
    ),
    path(
        "bo-chi-so/<slug:code>/v<int:version>/xep-loai/",
        frameworks.framework_bands_view,
        name="bands",
    ),
    path(
        "bo-chi-so/<slug:code>/v<int:version>/chi-so/<str:indicator>/",
        frameworks.indicator_edit,
        name="indicator-edit",
    ),
    path("ket-qua-cong-bo/", published.published_list, name="published-list"),
    path(
        "ket-qua-cong-bo/<slug:code>/v<int:version>/<int:year>/",
        published.published_detail,
        name="published-detail",
    ),
    path("ket-qua-cong-bo/nhap/", published.published_import_view, name="published-import"),
]
