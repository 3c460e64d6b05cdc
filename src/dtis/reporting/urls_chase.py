"""URLs of the reporting app's chase screens (included by dtis.reporting.urls)."""

from django.urls import path

from dtis.reporting.views import chase

urlpatterns = [
    path("dot-danh-gia/<int:cycle_id>/don-doc/", chase.chase, name="chase"),
    path("dot-danh-gia/<int:cycle_id>/don-doc/excel/", chase.chase_export, name="chase-export"),
    path("dot-danh-gia/<int:cycle_id>/don-doc/gui-nhac-viec/", chase.chase_send, name="chase-send"),
    path("thong-bao/", chase.notifications, name="notifications"),
    path("thong-bao/da-doc/", chase.notifications_read, name="notifications-read"),
    path("thong-bao/<int:pk>/", chase.notification_open, name="notification-open"),
]
