from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from dtis.orgs.models import AccountIssuance, RoleGrant, Unit, User


@admin.register(Unit)
class UnitAdmin(SimpleHistoryAdmin):
    list_display = ["code", "name", "kind", "parent", "valid_from", "valid_to"]
    list_filter = ["kind"]
    search_fields = ["code", "search_text"]
    readonly_fields = ["path", "tree_key", "version"]


@admin.register(User)
class UserAdmin(SimpleHistoryAdmin):
    list_display = ["username", "full_name", "email", "is_active", "must_change_password"]
    search_fields = ["search_text"]
    exclude = ["password"]


@admin.register(RoleGrant)
class RoleGrantAdmin(SimpleHistoryAdmin):
    list_display = ["user", "role", "unit", "granted_at"]
    list_filter = ["role"]


@admin.register(AccountIssuance)
class AccountIssuanceAdmin(admin.ModelAdmin):
    list_display = ["issued_at", "scope", "roles", "created_count", "skipped_count"]
