"""The item page of «Входящие»: what the editor reads before deciding.

Every field is read-only; the text is the article admin's mentions panel built for
the item read as the draft it would become (``build_found_panel``), so the
highlights are the very ones the draft will carry. The buttons (the change form's
template) post to the desk's own views.
"""

from __future__ import annotations

from django.contrib import admin
from django.urls import reverse
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString

from articles.admin.mentions_panel import build_found_panel, render_panel
from articles.models import EntitySuggestion

from ..linking import as_article
from ..models import InboxItem

ITEM_FIELDS = (
    "title",
    "source_link",
    "original",
    "published_at",
    "received_at",
    "state",
    "was_updated",
    "draft",
    "story_items",
)


class ItemPageMixin:
    """For the desk's ``ModelAdmin``: the item page's fields, panels and buttons."""

    change_form_template = "admin/inbox/inboxitem/change_form.html"

    class Media:
        css = {"all": ["articles/admin/mentions.css"]}

    def get_fieldsets(self, request, obj=None):
        return [
            (None, {"fields": ITEM_FIELDS}),
            ("Текст и упоминания", {"fields": ["text_panel"]}),
            ("Предложенные сущности", {"fields": ["suggested"]}),
        ]

    def get_readonly_fields(self, request, obj=None):
        return [*ITEM_FIELDS, "text_panel", "suggested"]

    def change_view(self, request, object_id, form_url="", extra_context=None):
        item = self.get_object(request, object_id)
        context = {
            "title": "Входящий материал",
            **(extra_context or {}),
            "show_save": False,
            "show_save_and_continue": False,
            "show_save_and_add_another": False,
            "desk": item and self._buttons(request, item),
        }
        return super().change_view(request, object_id, form_url, context)

    def _buttons(self, request, item: InboxItem) -> dict:
        changeable = self.has_change_permission(request, item)
        new = item.state == InboxItem.State.NEW
        discarded = item.state == InboxItem.State.DISCARDED
        return {
            "draft_url": reverse("admin:inbox_inboxitem_draft", args=[item.pk]),
            "discard_url": reverse("admin:inbox_inboxitem_discard", args=[item.pk]),
            "restore_url": reverse("admin:inbox_inboxitem_restore", args=[item.pk]),
            "can_draft": self.has_draft_permission(request, item) and not discarded,
            "has_draft": item.article_id is not None,
            "can_discard": changeable and new,
            "can_restore": changeable and discarded,
        }

    @admin.display(description="источник")
    def source_link(self, item: InboxItem) -> str:
        source = item.source
        url = reverse("admin:inbox_source_change", args=[source.pk])
        return format_html('<a href="{}">{}</a> ({})', url, source.name, source.address)

    @admin.display(description="оригинал")
    def original(self, item: InboxItem) -> str:
        if not item.url:
            return "—"
        return format_html(
            '<a href="{0}" rel="noopener noreferrer" target="_blank">{0}</a>', item.url
        )

    @admin.display(description="черновик статьи")
    def draft(self, item: InboxItem) -> str:
        if item.article_id is None:
            return "—"
        url = reverse("admin:articles_article_change", args=[item.article_id])
        return format_html('<a href="{}">{}</a>', url, item.article)

    @admin.display(description="другие материалы сюжета")
    def story_items(self, item: InboxItem) -> str:
        if not item.group_id:
            return "—"
        others = (
            InboxItem.objects.filter(group_id=item.group_id)
            .exclude(pk=item.pk)
            .select_related("source")
            .order_by("-received_at", "-pk")
        )
        rows = [
            (
                reverse("admin:inbox_inboxitem_change", args=[other.pk]),
                other.source.name,
                other,
                other.get_state_display(),
            )
            for other in others
        ]
        if not rows:
            return "—"
        return format_html(
            "<ul>{}</ul>",
            format_html_join("", '<li><a href="{}">{}: {}</a> ({})</li>', rows),
        )

    @admin.display(description="Текст")
    def text_panel(self, item: InboxItem) -> SafeString:
        article = as_article(item)
        if item.linked_hash == article.text_hash():
            return render_panel(build_found_panel(article, item.mentions or []))
        # Not linked yet, or changed since: the positions would not fit the text.
        note = format_html(
            '<p class="mentions-note">{}</p>',
            "Сущности в этом тексте ещё не найдены: связи ищет обработчик задач.",
        )
        return note + render_panel(build_found_panel(article, []))

    @admin.display(description="Названия, которых нет в каталоге")
    def suggested(self, item: InboxItem) -> str:
        rows = [(s.name, kind_label(s.kind), s.sentence) for s in item.suggestions.all()]
        if not rows:
            return "—"
        return format_html(
            "<ul>{}</ul>", format_html_join("", "<li><strong>{}</strong> ({}): «{}»</li>", rows)
        )


def kind_label(kind: str) -> str:
    """The suggester's kind in words («организация»), as the suggestions' admin says it."""
    try:
        return EntitySuggestion.Kind(kind).label
    except ValueError:
        return kind
