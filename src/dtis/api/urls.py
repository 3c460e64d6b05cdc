"""/api/: the HTTP API (v1, OpenAPI, docs) and the pages to manage its clients."""

from django.urls import path, re_path

from dtis.api import views
from dtis.api.endpoints import api

urlpatterns = [
    path("quan-tri/", views.client_list, name="api-client-list"),
    path("quan-tri/tao/", views.client_create_view, name="api-client-create"),
    path("quan-tri/<int:pk>/thu-hoi/", views.client_revoke_view, name="api-client-revoke"),
    path("", api.urls),
    # Anything else under v1/ (a malformed path) still answers in JSON.
    re_path(r"^v1/", views.api_not_found),
]
