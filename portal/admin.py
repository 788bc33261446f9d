"""django-axes' sign-in records in the admin, in Russian.

axes' own admins show English where its translation has none: the columns «User
Agent» and «Status» («4 Attempt Remaining»), the filter «Locked Out», the action
«Clean up expired attempts». These are the same admins with those parts in Russian;
their titles and messages are worded like every other admin's (``speak_russian`` in
``articles/admin/russian.py``). axes registers its admins before this module runs
(it is installed before the core).
"""

from axes import admin as axes_admin
from axes.conf import settings as axes_settings
from axes.models import AccessAttempt, AccessFailureLog, AccessLog
from django.contrib import admin


class SignInColumns:
    """Request details under Russian names: a column's header and a field's label
    come from these methods' descriptions instead of axes' English field names."""

    @admin.display(description="браузер", ordering="user_agent")
    def browser(self, obj):
        return obj.user_agent

    @admin.display(description="IP-адрес", ordering="ip_address")
    def address(self, obj):
        return obj.ip_address

    @admin.display(description="заголовок Accept")
    def accepts(self, obj):
        return obj.http_accept


RENAMED = {"user_agent": "browser", "ip_address": "address", "http_accept": "accepts"}


def renamed(names):
    return [RENAMED.get(name, name) for name in names]


def renamed_fieldsets(fieldsets):
    return [(title, {**opts, "fields": renamed(opts["fields"])}) for title, opts in fieldsets]


class LockedOutFilter(axes_admin.IsLockedOutFilter):
    title = "заблокирован"


class AccessAttemptAdmin(SignInColumns, axes_admin.AccessAttemptAdmin):
    list_display = renamed(axes_admin.AccessAttemptAdmin.list_display)
    list_filter = [
        LockedOutFilter if item is axes_admin.IsLockedOutFilter else item
        for item in axes_admin.AccessAttemptAdmin.list_filter
    ]
    fieldsets = renamed_fieldsets(axes_admin.AccessAttemptAdmin.fieldsets)
    readonly_fields = renamed(axes_admin.AccessAttemptAdmin.readonly_fields)

    @admin.action(description="Удалить устаревшие попытки")
    def cleanup_expired_attempts(self, request, queryset):
        count = self.handler.clean_expired_user_attempts(request=request)
        self.message_user(request, f"Удалено устаревших попыток: {count}.")

    @admin.display(description="срок")
    def expiration(self, obj):
        return obj.expiration.expires_at if hasattr(obj, "expiration") else "не задан"

    @admin.display(description="состояние")
    def status(self, obj):
        left = axes_settings.AXES_FAILURE_LIMIT - obj.failures_since_start
        return f"осталось попыток: {left}" if left > 0 else "вход заблокирован"


class AccessLogAdmin(SignInColumns, axes_admin.AccessLogAdmin):
    list_display = renamed(axes_admin.AccessLogAdmin.list_display)
    fieldsets = renamed_fieldsets(axes_admin.AccessLogAdmin.fieldsets)
    readonly_fields = renamed(axes_admin.AccessLogAdmin.readonly_fields)


class AccessFailureLogAdmin(SignInColumns, axes_admin.AccessFailureLogAdmin):
    list_display = renamed(axes_admin.AccessFailureLogAdmin.list_display)
    fieldsets = renamed_fieldsets(axes_admin.AccessFailureLogAdmin.fieldsets)
    readonly_fields = renamed(axes_admin.AccessFailureLogAdmin.readonly_fields)


for model, model_admin in [
    (AccessAttempt, AccessAttemptAdmin),
    (AccessLog, AccessLogAdmin),
    (AccessFailureLog, AccessFailureLogAdmin),
]:
    if admin.site.is_registered(model):  # AXES_ENABLE_ADMIN may have kept them out
        admin.site.unregister(model)
        admin.site.register(model, model_admin)
