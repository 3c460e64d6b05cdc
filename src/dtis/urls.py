from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path
from django.views.i18n import set_language

from dtis.orgs.views import second_factor
from dtis.orgs.views.auth import LoginView, PasswordChangeView
from dtis.orgs.views.home import home

urlpatterns = [
    path("", home, name="home"),
    path("dang-nhap/", LoginView.as_view(), name="login"),
    path("dang-xuat/", auth_views.LogoutView.as_view(), name="logout"),
    path("doi-mat-khau/", PasswordChangeView.as_view(), name="password_change"),
    path("ma-xac-thuc/", second_factor.otp_verify, name="otp_verify"),
    path("dang-nhap-hai-buoc/", second_factor.otp_setup, name="otp_setup"),
    path("ngon-ngu/", set_language, name="set_language"),
    path("", include("dtis.orgs.urls")),
    path("", include("dtis.frameworks.urls")),
    path("", include("dtis.reporting.urls")),
    path("", include("dtis.appraisal.urls")),
    path("", include("dtis.dashboards.urls")),
    path("", include("dtis.plans.urls")),
    path("api/", include("dtis.api.urls")),
    path("", include("dtis.ops.urls")),
    path("", include("dtis.guide.urls")),
    path("", include("dtis.training.urls")),
    path("", include("dtis.onboarding.urls")),
    path("quan-tri-he-thong/", admin.site.urls),
]

handler403 = "dtis.core.views.permission_denied"
handler404 = "dtis.core.views.not_found"
