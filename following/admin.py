"""Readers, their subscriptions and every message sent to them, as editors see them.

Everything here is read-only: the records are written by the reader's own pages and
by sending. Lists name a reader by ``log_name``, never by the address; the address
is on the reader's own page only, which needs ``following.view_reader``; nothing
here searches by address (it would travel in the URL). A message that failed can
be sent again («Отправить снова», permission ``following.resend_delivery``).
"""

from __future__ import annotations

from django.contrib import admin, messages
from django.utils.html import format_html

from articles.admin.russian import RussianAdmin

from . import jobs
from .models import Delivery, Reader, Subscription


# RussianAdmin by hand: the articles app gives it to the admins registered before its
# own, and the inbox's admin imports it before this module registers anything.
class ReadOnlyAdmin(RussianAdmin, admin.ModelAdmin):
    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Delivery)
class DeliveryAdmin(ReadOnlyAdmin):
    list_display = (
        "kind",
        "period_shown",
        "reader_name",
        "state",
        "attempts",
        "next_attempt_at",
        "answer",
        "created_at",
        "sent_at",
    )
    list_filter = ("status", "kind")
    list_select_related = ("reader",)
    ordering = ("-created_at", "-pk")
    fields = (
        "reader",
        "kind",
        "period",
        "article_ids",
        "status",
        "attempts",
        "first_attempt_at",
        "last_attempt_at",
        "next_attempt_at",
        "last_response",
        "created_at",
        "sent_at",
    )
    actions = ("resend",)

    class Media:
        css = {"all": ("following/delivery-admin.css",)}

    @admin.display(description="период", ordering="period")
    def period_shown(self, delivery: Delivery) -> str:
        """The period as an editor reads it; a confirmation's key is its request time,
        which the «создано» column already shows."""
        if delivery.kind == Delivery.Kind.CONFIRM:
            return "—"
        if delivery.kind == Delivery.Kind.INSTANT:
            return f"материал № {delivery.period.removeprefix('a')}"
        return delivery.period

    @admin.display(description="читатель", ordering="reader")
    def reader_name(self, delivery: Delivery) -> str:
        return delivery.reader.log_name

    @admin.display(description="состояние", ordering="status")
    def state(self, delivery: Delivery) -> str:
        return format_html(
            '<span class="delivery-state delivery-state--{}">{}</span>',
            delivery.status,
            delivery.get_status_display(),
        )

    @admin.display(description="ответ сервера")
    def answer(self, delivery: Delivery) -> str:
        return delivery.last_response[:200]

    def has_resend_permission(self, request) -> bool:
        return request.user.has_perm("following.resend_delivery")

    @admin.action(description="Отправить снова", permissions=["resend"])
    def resend(self, request, queryset):
        """Failed messages back in the queue, their attempts counted anew."""
        chosen = queryset.count()
        again = queryset.filter(status=Delivery.Status.FAILED).update(
            status=Delivery.Status.QUEUED,
            attempts=0,
            next_attempt_at=None,
            first_attempt_at=None,
            claimed_until=None,
        )
        if again:
            jobs.enqueue_send()
            self.message_user(request, f"Снова в очереди на отправку: {again}.", messages.SUCCESS)
        if chosen > again:
            self.message_user(
                request,
                f"Не отправлены снова (только недоставленные можно): {chosen - again}.",
                messages.WARNING,
            )


class SubscriptionInline(admin.TabularInline):
    model = Subscription
    fields = ("target_kind", "target_id", "frequency", "created_at", "confirmed_at")
    readonly_fields = fields
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(Reader)
class ReaderAdmin(ReadOnlyAdmin):
    list_display = ("__str__", "created_at", "confirmed_at", "digest_hour", "time_zone")
    list_filter = (("confirmed_at", admin.EmptyFieldListFilter),)
    ordering = ("-created_at", "-pk")
    fields = ("email", "created_at", "confirmed_at", "time_zone", "digest_hour", "digest_weekday")
    inlines = (SubscriptionInline,)

    # An address can be removed for good (a reader who wrote in), by those allowed to.
    has_delete_permission = admin.ModelAdmin.has_delete_permission


@admin.register(Subscription)
class SubscriptionAdmin(ReadOnlyAdmin):
    list_display = (
        "reader_name",
        "target_kind",
        "target_id",
        "frequency",
        "created_at",
        "confirmed_at",
    )
    list_filter = ("target_kind", "frequency", ("confirmed_at", admin.EmptyFieldListFilter))
    list_select_related = ("reader",)
    ordering = ("-created_at", "-pk")
    fields = ("reader", "target_kind", "target_id", "frequency", "created_at", "confirmed_at")

    @admin.display(description="читатель", ordering="reader")
    def reader_name(self, subscription: Subscription) -> str:
        return subscription.reader.log_name
