from django.urls import path

from dtis.training import views

app_name = "training"

urlpatterns = [
    path("tap-huan/", views.home, name="home"),
]
