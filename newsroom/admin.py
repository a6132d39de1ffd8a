"""Accounts are deactivated, never deleted."""

from django.contrib import admin
from django.contrib.auth import get_user_model
from django.contrib.auth.admin import UserAdmin

admin.site.unregister(get_user_model())


@admin.register(get_user_model())
class NewsroomUserAdmin(UserAdmin):
    """Accounts are deactivated, never deleted, so every saved version keeps its author."""

    actions = ["deactivate"]
    list_display = ["username", "first_name", "last_name", "email", "is_staff", "is_active"]

    def has_delete_permission(self, request, obj=None):
        return False

    @admin.action(description="Désactiver les comptes sélectionnés", permissions=["change"])
    def deactivate(self, request, queryset):
        count = queryset.exclude(pk=request.user.pk).update(is_active=False)
        self.message_user(request, f"{count} compte(s) désactivé(s).")
