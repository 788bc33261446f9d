"""Admin for suggested entities: accept one into the catalog, or reject it.

Suggestions are made by ``manage.py suggest_entities`` (natasha runs there,
never in a web worker); editors only decide here. The accept page, which also
offers a name the catalog has already as an alias, is ``accepting``.
"""

from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.db.models import Count
from django.http import Http404, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.urls import path, reverse
from django.utils.html import format_html, format_html_join
from django.views.decorators.http import require_POST

from ..access import previewable_by
from ..models import EntitySuggestion, SuggestionOccurrence
from ..suggestions import reject_suggestions
from .accepting import accept_page
from .wording import plural


@admin.register(EntitySuggestion)
class EntitySuggestionAdmin(admin.ModelAdmin):
    list_display = ["name", "kind", "status", "mentions", "article_count", "decide"]
    list_filter = ["status", "kind"]
    search_fields = ["name"]
    actions = ["reject_selected"]
    fields = ["name", "kind", "status", "mentions", "accepted_entity", "occurrence_list"]
    readonly_fields = fields

    def get_queryset(self, request):
        # Counted in the list's one query, not once per row.
        return (
            super()
            .get_queryset(request)
            .annotate(article_count=Count("occurrences__article", distinct=True))
        )

    def has_add_permission(self, request):
        return False  # suggestions come from ``manage.py suggest_entities``

    def has_delete_permission(self, request, obj=None):
        # A deleted suggestion comes back with the next scan, and a deleted
        # rejection forgets the decision: editors reject instead.
        return False

    @admin.display(description="статей", ordering="article_count")
    def article_count(self, obj):
        return obj.article_count

    @admin.display(description="")
    def decide(self, obj):
        if obj.status == EntitySuggestion.Status.ACCEPTED:
            return ""
        url = reverse("admin:articles_entitysuggestion_accept", args=[obj.pk])
        return format_html('<a href="{}">Принять…</a>', url)

    @admin.display(description="сущность в каталоге")
    def accepted_entity(self, obj):
        entity = obj.entity
        if entity is None:
            return "—"
        opts = entity._meta
        url = reverse(f"admin:{opts.app_label}_{opts.model_name}_change", args=[entity.pk])
        return format_html('{}: <a href="{}">{}</a>', opts.verbose_name, url, entity)

    def get_object(self, request, object_id, from_field=None):
        obj = super().get_object(request, object_id, from_field)
        if obj is not None:
            # The articles «где найдено» may name to this user (``articles.access``).
            obj.readable_articles = previewable_by(request.user)
        return obj

    @admin.display(description="где найдено")
    def occurrence_list(self, obj):
        readable = getattr(obj, "readable_articles", None)
        if readable is None:
            return "—"
        occurrences = (
            SuggestionOccurrence.objects.filter(suggestion=obj, article__in=readable)
            .select_related("article")
            .only("sentence", "article__title", "article__published_at")
            .order_by("-article__published_at", "article_id", "pk")
        )
        items = format_html_join(
            "",
            '<li><a href="{}">{}</a>: «{}»</li>',
            (
                (
                    reverse("admin:articles_article_change", args=[o.article_id]),
                    o.article.title,
                    o.sentence,
                )
                for o in occurrences
            ),
        )
        return format_html("<ul>{}</ul>", items) if items else "—"

    @admin.action(description="Отклонить выбранные", permissions=["change"])
    def reject_selected(self, request, queryset):
        count = reject_suggestions(suggestions=queryset)
        never_again = plural(
            count, "Оно больше не появится", "Они больше не появятся", "Они больше не появятся"
        )
        messages.success(request, f"Отклонено предложений: {count}. {never_again}.")

    # --- Decision views -------------------------------------------------------

    def get_urls(self):
        view = self.admin_site.admin_view
        return [
            path(
                "<int:object_id>/accept/",
                view(self.accept_view),
                name="articles_entitysuggestion_accept",
            ),
            path(
                "<int:object_id>/reject/",
                view(require_POST(self.reject_view)),
                name="articles_entitysuggestion_reject",
            ),
            *super().get_urls(),
        ]

    def change_view(self, request, object_id, form_url="", extra_context=None):
        # Everything is read-only: decisions go through the accept and reject buttons.
        extra_context = {
            "title": "Предложенная сущность",
            **(extra_context or {}),
            "show_save": False,
            "show_save_and_continue": False,
            "show_save_and_add_another": False,
        }
        return super().change_view(request, object_id, form_url, extra_context)

    def reject_view(self, request, object_id):
        suggestion = get_object_or_404(EntitySuggestion, pk=object_id)
        if not self.has_change_permission(request, suggestion):
            raise PermissionDenied
        if reject_suggestions(suggestions=EntitySuggestion.objects.filter(pk=suggestion.pk)):
            messages.success(request, f"«{suggestion}» отклонено и больше не будет предложено.")
        else:
            messages.warning(request, f"«{suggestion}» уже принято в каталог.")
        return HttpResponseRedirect(reverse("admin:articles_entitysuggestion_changelist"))

    def accept_view(self, request, object_id):
        suggestion = self.get_object(request, str(object_id))
        if suggestion is None:
            raise Http404("Нет такого предложения.")
        if not self.has_change_permission(request, suggestion):
            raise PermissionDenied
        return accept_page(self, request, suggestion)
