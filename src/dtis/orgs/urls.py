from django.urls import path

from dtis.orgs.views import accounts, second_factor, units

app_name = "orgs"

urlpatterns = [
    path("don-vi/", units.unit_list, name="unit-list"),
    path("don-vi/them/", units.unit_create_view, name="unit-create"),
    path("don-vi/nhap/", units.unit_import_view, name="unit-import"),
    path("don-vi/xuat/", units.unit_export_view, name="unit-export"),
    path("don-vi/<str:code>/", units.unit_detail, name="unit-detail"),
    path("don-vi/<str:code>/sua/", units.unit_edit_view, name="unit-edit"),
    path("tai-khoan/", accounts.user_list, name="user-list"),
    path("tai-khoan/nhat-ky-bao-mat/", accounts.security_log, name="security-log"),
    path("tai-khoan/them/", accounts.user_create_view, name="user-create"),
    path("tai-khoan/cap-phat/", accounts.issue_accounts_view, name="issue-accounts"),
    path("tai-khoan/<int:pk>/", accounts.user_detail, name="user-detail"),
    path("tai-khoan/<int:pk>/dat-lai-mat-khau/", accounts.user_reset_password, name="user-reset"),
    path(
        "tai-khoan/<int:pk>/dang-nhap-hai-buoc/xoa/",
        second_factor.user_otp_reset,
        name="user-otp-reset",
    ),
    path("tai-khoan/<int:pk>/trang-thai/", accounts.user_set_active, name="user-active"),
    path("tai-khoan/<int:pk>/vai-tro/", accounts.user_grant_role, name="user-grant"),
    path(
        "tai-khoan/<int:pk>/vai-tro/<int:grant_pk>/xoa/",
        accounts.user_revoke_role,
        name="user-revoke",
    ),
]
