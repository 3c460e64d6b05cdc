from typing import Any

from django.contrib import admin
from django.http import HttpRequest, HttpResponse, HttpResponseNotAllowed
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice
from simple_history.admin import SimpleHistoryAdmin

from dtis.orgs.models import AccountIssuance, RoleGrant, Unit, User


class ReadOnlyHistoryAdmin(SimpleHistoryAdmin):
    """The history is shown, never written back. simple-history's "revert"
    (a POST to an old version's page) would copy the old row over the live
    one, version number included, past the services and their checks, so an
    edit form opened before the change would pass its version check again."""

    def history_form_view(
        self, request: HttpRequest, object_id: str, version_id: str, extra_context: Any = None
    ) -> HttpResponse:
        if request.method not in ("GET", "HEAD"):
            return HttpResponseNotAllowed(["GET", "HEAD"])
        return super().history_form_view(request, object_id, version_id, extra_context)

    def revert_disabled(self, request: HttpRequest, obj: Any = None) -> bool:
        return True  # no "Revert" button on a page that cannot revert


@admin.register(Unit)
class UnitAdmin(ReadOnlyHistoryAdmin):
    list_display = ["code", "name", "kind", "parent", "valid_from", "valid_to"]
    list_filter = ["kind"]
    search_fields = ["code", "search_text"]
    readonly_fields = ["path", "tree_key", "version"]


@admin.register(User)
class UserAdmin(ReadOnlyHistoryAdmin):
    list_display = ["username", "full_name", "email", "is_active", "must_change_password"]
    search_fields = ["search_text"]
    exclude = ["password"]


@admin.register(RoleGrant)
class RoleGrantAdmin(ReadOnlyHistoryAdmin):
    list_display = ["user", "role", "unit", "granted_at"]
    list_filter = ["role"]


@admin.register(AccountIssuance)
class AccountIssuanceAdmin(admin.ModelAdmin):
    list_display = ["issued_at", "scope", "roles", "created_count", "skipped_count"]


# django-otp's admin pages would show each device's secret key (and make a
# QR code of it) to any system administrator. A lost phone is handled on the
# account's page instead (`second_factor.reset`), which logs who did it.
for _device in (TOTPDevice, StaticDevice):
    if admin.site.is_registered(_device):
        admin.site.unregister(_device)
