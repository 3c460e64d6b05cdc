"""Operations URLs, mounted at the site root: /healthz for monitors and load balancers."""

from django.urls import path

from dtis.ops.health import healthz

app_name = "ops"

urlpatterns = [
    path("healthz", healthz, name="healthz"),
]
