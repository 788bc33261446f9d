"""«Источники» with their health; «Входящие», the editor's desk, is ``inbox.desk``.

Nothing here fetches: «Проверить сейчас» queues a poll job for the worker, so a
slow or hostile source never holds an editor's request.
"""

from __future__ import annotations

from django.contrib import admin, messages
from django.utils import timezone
from django.utils.html import format_html

from . import health, job_admin, jobs  # noqa: F401  (job_admin: django-q2's lists in Russian)
from .desk import admin as desk_admin  # noqa: F401  (registers «Входящие», the editor's desk)
from .models import Source

HEALTH_FIELDS = (
    "last_attempt_at",
    "last_success_at",
    "last_new_item_at",
    "items_received",
    "last_error",
    "last_skipped",
    "consecutive_failures",
    "next_poll_at",
    "etag",
    "last_modified",
    "claimed_until",
    "claimed_by",
)


@admin.register(Source)
class SourceAdmin(admin.ModelAdmin):
    list_display = (
        "name",
        "kind",
        "active",
        "state",
        "last_attempt_at",
        "last_success_at",
        "items_received",
        "error",
        "next_poll_at",
    )
    list_filter = ("active", "kind")
    search_fields = ("name", "address")
    fieldsets = (
        (None, {"fields": ("name", "kind", "address", "interval", "default_tags", "active")}),
        ("Состояние", {"fields": HEALTH_FIELDS}),
    )
    readonly_fields = HEALTH_FIELDS
    actions = ("poll_now",)

    @admin.display(description="состояние")
    def state(self, source: Source) -> str:
        if not source.active:
            return "не опрашивается"
        if message := health.warning(source, now=timezone.now()):
            return format_html('<strong class="errornote">⚠ {}</strong>', message)
        return "в порядке"

    @admin.display(description="последняя ошибка")
    def error(self, source: Source) -> str:
        return source.last_error[:200]

    @admin.action(description="Проверить сейчас")
    def poll_now(self, request, queryset):
        sources = list(queryset)
        for source in sources:
            jobs.enqueue_poll(source, force=True)
        self.message_user(
            request,
            f"Опрос поставлен в очередь: {len(sources)}. Итог появится в колонке «состояние» "
            "после работы обработчика задач.",
            messages.SUCCESS,
        )

    def changelist_view(self, request, extra_context=None):
        if request.method == "GET":
            for source, message in health.unwell(
                Source.objects.filter(active=True), now=timezone.now()
            ):
                self.message_user(request, f"{source.name}: {message}", messages.WARNING)
        return super().changelist_view(request, extra_context)
