from django.urls import path

from dtis.onboarding import views

app_name = "onboarding"

urlpatterns = [
    path("gioi-thieu/da-xem/", views.seen, name="seen"),
    path("gioi-thieu/xem-lai/", views.replay, name="replay"),
]
