"""«Входящие»: the editor's desk in the admin.

The list (``listing``: new first, newest first, a story as one row; ``filters``)
and the item page: the text with the entities the linker found highlighted by the
article admin's own mentions panel (``build_found_panel``), the source, the story's
other items, the suggester's names, and the buttons «Сделать черновик»,
«Отклонить», «Вернуть во входящие», which post to views of their own. Nothing on
the page is edited in place; the draft is where the editor writes.
"""

from __future__ import annotations

from django.contrib import admin, messages
from django.contrib.admin.utils import quote, unquote
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponseRedirect
from django.urls import path, reverse
from django.utils.html import format_html
from django.views.decorators.http import require_POST

from ..models import InboxItem
from .discarding import discard, restore, with_their_stories
from .drafts import DraftRefused, draft_item
from .filters import ENTITY_FILTERS, GroupFilter, StateFilter, TagFilter
from .item_page import ItemPageMixin
from .listing import DESK_ORDER, DeskChangeList, with_desk_rank

DRAFT_PERMISSION = "inbox.draft_inboxitem"


@admin.register(InboxItem)
class InboxItemAdmin(ItemPageMixin, admin.ModelAdmin):
    list_display = ("headline", "source", "state", "was_updated", "story", "received_at")
    list_display_links = ("headline",)
    list_filter = (StateFilter, "source", *ENTITY_FILTERS, TagFilter, GroupFilter)
    list_select_related = ("source",)
    search_fields = ("title", "lead", "body", "source__name")
    list_per_page = 50
    actions = ("make_draft_action", "discard_action", "restore_action")

    def get_queryset(self, request):
        # Not Django's own, which orders by ``get_ordering`` before the rank exists.
        queryset = with_desk_rank(self.model._default_manager.get_queryset())
        return queryset.order_by(*DESK_ORDER)

    def get_ordering(self, request):
        return DESK_ORDER

    def get_changelist(self, request, **kwargs):
        return DeskChangeList

    def changelist_view(self, request, extra_context=None):
        # The desk's name, not Django's «Выберите входящий материал для изменения».
        return super().changelist_view(request, {"title": "Входящие", **(extra_context or {})})

    def has_add_permission(self, request):
        return False  # items come from sources

    def has_draft_permission(self, request, obj=None) -> bool:
        user = request.user
        return user.has_perm(DRAFT_PERMISSION) and user.has_perm("articles.add_article")

    @admin.display(description="заголовок", ordering="title")
    def headline(self, item: InboxItem) -> str:
        return str(item)

    @admin.display(description="сюжет")
    def story(self, item: InboxItem) -> str:
        others = getattr(item, "other_sources", 0)
        if not item.group_id or not others:
            return "—"
        url = reverse("admin:inbox_inboxitem_changelist") + f"?group={item.group_id}"
        return format_html('<a href="{}">ещё из {} {}</a>', url, others, sources_word(others))

    @admin.action(description="Сделать черновик (один материал)", permissions=["draft"])
    def make_draft_action(self, request, queryset):
        items = list(queryset.values_list("pk", flat=True)[:2])
        if len(items) != 1:
            self.message_user(
                request, "Выберите один материал: черновик делается из одного.", messages.ERROR
            )
            return None
        return self._draft_and_go(request, items[0])

    @admin.action(description="Отклонить выбранные", permissions=["change"])
    def discard_action(self, request, queryset):
        chosen = InboxItem.objects.filter(pk__in=queryset.values("pk"))
        if not request.GET.get(GroupFilter.parameter_name, "").isdigit():
            chosen = with_their_stories(chosen)  # a story's row stands for the story
        selected = chosen.count()  # before: the list hides what is discarded
        self._say_discarded(request, discard(chosen), selected=selected)

    @admin.action(description="Вернуть во входящие", permissions=["change"])
    def restore_action(self, request, queryset):
        self.message_user(request, f"Возвращено во входящие: {restore(queryset)}.")

    def get_urls(self):
        view = self.admin_site.admin_view
        return [
            path(
                "<path:object_id>/draft/",
                view(require_POST(self.draft_view)),
                name="inbox_inboxitem_draft",
            ),
            path(
                "<path:object_id>/discard/",
                view(require_POST(self.discard_view)),
                name="inbox_inboxitem_discard",
            ),
            path(
                "<path:object_id>/restore/",
                view(require_POST(self.restore_view)),
                name="inbox_inboxitem_restore",
            ),
            *super().get_urls(),
        ]

    def draft_view(self, request, object_id):
        item = self._item_or_404(request, object_id)
        if not self.has_draft_permission(request, item):
            raise PermissionDenied
        return self._draft_and_go(request, item.pk)

    def discard_view(self, request, object_id):
        item = self._item_for_change(request, object_id)
        self._say_discarded(request, discard(InboxItem.objects.filter(pk=item.pk)), selected=1)
        return HttpResponseRedirect(reverse("admin:inbox_inboxitem_changelist"))

    def restore_view(self, request, object_id):
        item = self._item_for_change(request, object_id)
        if restore(InboxItem.objects.filter(pk=item.pk)):
            self.message_user(request, "Материал возвращён во входящие.")
        return HttpResponseRedirect(self.item_url(item))

    def _draft_and_go(self, request, item_id: int):
        try:
            drafted = draft_item(item_id=item_id, user=request.user)
        except DraftRefused as refused:
            self.message_user(request, str(refused), messages.ERROR)
            return HttpResponseRedirect(self.item_url_by_pk(item_id))
        if drafted.created:
            self.message_user(
                request, "Черновик создан. Перепишите его и опубликуйте, когда он готов."
            )
        else:
            self.message_user(
                request, "Черновик из этого материала уже есть: открыт он.", messages.WARNING
            )
        return HttpResponseRedirect(
            reverse("admin:articles_article_change", args=[drafted.article.pk])
        )

    def _say_discarded(self, request, discarded: int, *, selected: int) -> None:
        self.message_user(request, f"Отклонено: {discarded}.")
        if skipped := selected - discarded:
            self.message_user(
                request,
                f"Не отклонено: {skipped} (уже отклонены или взяты в работу: у них есть черновик).",
                messages.WARNING,
            )

    def _item_or_404(self, request, object_id) -> InboxItem:
        item = self.get_object(request, unquote(object_id))
        if item is None:
            raise Http404("Нет такого материала.")
        return item

    def _item_for_change(self, request, object_id) -> InboxItem:
        item = self._item_or_404(request, object_id)
        if not self.has_change_permission(request, item):
            raise PermissionDenied
        return item

    def item_url(self, item: InboxItem) -> str:
        return self.item_url_by_pk(item.pk)

    def item_url_by_pk(self, pk: int) -> str:
        return reverse("admin:inbox_inboxitem_change", args=[quote(pk)])


def sources_word(n: int) -> str:
    """«источника» or «источников», as Russian counts them after «из N»."""
    return "источника" if n % 10 == 1 and n % 100 != 11 else "источников"
