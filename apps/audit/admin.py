from django.contrib import admin

from .models import AccessEvent


@admin.register(AccessEvent)
class AccessEventAdmin(admin.ModelAdmin):
    list_display = ["viewed_at", "viewer", "owner", "record_kind", "record_id", "reason"]
    list_filter = ["record_kind"]
    search_fields = ["viewer__email", "owner__email"]
    date_hierarchy = "viewed_at"

    # The log is append-only, even for superusers.
    def has_add_permission(self, request: object) -> bool:
        return False

    def has_change_permission(self, request: object, obj: object = None) -> bool:
        return False

    def has_delete_permission(self, request: object, obj: object = None) -> bool:
        return False
