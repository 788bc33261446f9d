"""The article desk: list, edit form, linking on save, workflow actions, roles."""

from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.db import connection
from django.db.models import Count, IntegerField, OuterRef, Prefetch, Subquery
from django.db.models.functions import Coalesce
from django.utils.html import format_html

from companies.kinds import KINDS, kind_for_key
from portal.cache import bump_content_version

from ..access import can_edit, can_preview, can_publish, previewable_by
from ..images import delete_renditions, make_renditions
from ..linking import link_entities, remove_link
from ..models import (
    Article,
    ArticleLink,
    LinkOrigin,
    Tag,
    TaggedArticle,
)
from ..publishing import (
    change_slug,
    publish_now,
    tag_articles,
    unique_article_slug,
    unpublish,
)
from .changelist import ArticleChangeList, PlainActionCheckbox, RowsOfPagePaginator
from .filters import StateFilter, TagFilter, linked_entity_filter
from .forms import ArticleAdminForm, TagActionForm
from .history import (
    record_changes,
    record_status_changes,
    relinked_message,
    tag_added_message,
    with_changed_field,
)
from .inlines import LINK_INLINES, TagInline
from .mentions import MentionsPanelMixin
from .refusals import only_editable
from .search import search_articles
from .wording import plural

PUBLISH_ACTIONS = {"publish_selected", "unpublish_selected"}


def search_any_case(search, request, queryset, term):
    """The admin's search, also for Cyrillic on SQLite.

    SQLite's LIKE folds case for ASCII letters only, so «завод» would miss
    «Завод»; the usual capitalisations of the term are searched as well.
    """
    results, may_have_duplicates = search(request, queryset, term)
    if connection.vendor != "sqlite" or not term:
        return results, may_have_duplicates
    for variant in {term.lower(), term.capitalize(), term.upper()} - {term}:
        more, duplicates = search(request, queryset, variant)
        results = results | more
        may_have_duplicates |= duplicates
    if not results.ordered:  # combining drops the default ordering pagination needs
        results = results.order_by(*(queryset.model._meta.ordering or ["pk"]))
    return results, may_have_duplicates


def _link_count(through) -> Coalesce:
    counts = (
        through.objects.filter(article=OuterRef("pk"))
        .order_by()
        .values("article")
        .annotate(n=Count("*"))  # the (article, entity) index alone
        .values("n")
    )
    return Coalesce(Subquery(counts, output_field=IntegerField()), 0)


@admin.register(Article)
class ArticleAdmin(PlainActionCheckbox, MentionsPanelMixin, admin.ModelAdmin):
    # MentionsPanelMixin adds the mentions panel (a read-only field in a fieldset
    # after the text) and its reject and undo URLs.
    form = ArticleAdminForm
    action_form = TagActionForm
    list_display = [
        "title",
        "state_badge",
        "published_at",
        "link_counts",
        "tag_list",
        "public_link",
    ]
    list_filter = [
        StateFilter,
        "published_at",
        TagFilter,
        linked_entity_filter(kind_for_key("companies")),
        linked_entity_filter(kind_for_key("officials")),
        "title_derived",
    ]
    search_fields = ["title", "lead", "body"]
    date_hierarchy = "published_at"
    ordering = ["-published_at", "-id"]
    list_per_page = 100
    autocomplete_fields = ["author"]
    readonly_fields = ["source_key", "created_at", "updated_at", "public_link"]
    fieldsets = [
        (None, {"fields": ["title", "slug", "lead", "body", "edit_version", "edit_base"]}),
        ("Публикация", {"fields": ["status", "published_at", "author", "public_link"]}),
        (
            "Главное изображение",
            {"fields": ["image", "image_alt", "image_caption", "image_credit"]},
        ),
        # Whose publication the article is based on: the page names it «Источник: …».
        ("Источник", {"fields": ["source_name", "source_url"]}),
        (
            "Служебное",
            {"fields": ["source_key", "created_at", "updated_at"], "classes": ["collapse"]},
        ),
    ]
    inlines = [
        TagInline,
        *LINK_INLINES,
    ]
    actions = ["publish_selected", "unpublish_selected", "relink_selected", "add_tag"]

    # No count of every article on each list view: the filtered count is enough.
    show_full_result_count = False
    paginator = RowsOfPagePaginator

    def get_search_results(self, request, queryset, search_term):
        if not search_term.strip():
            return queryset, False
        return search_articles(request, queryset, search_term), False

    def get_changelist(self, request, **kwargs):
        return ArticleChangeList

    def with_list_columns(self, queryset):
        """What the list's columns show, for the rows of the page only."""
        return (
            queryset.annotate(
                **{f"n_{kind.key}": _link_count(kind.links) for kind in KINDS},
            )
            # The tags through their links: taggit's own prefetch builds a query per row.
            .prefetch_related(
                Prefetch("taggedarticle_set", TaggedArticle.objects.select_related("tag"))
            )
            .defer("body")
        )

    # Roles: the rules are ``articles.access``; these methods only ask them ------

    def can_publish(self, request) -> bool:
        return can_publish(request.user)

    has_publish_permission = can_publish

    def get_queryset(self, request):
        # The list's columns are ``with_list_columns``: the form needs none of them.
        queryset = super().get_queryset(request)
        # Authors: the published articles and their own; others' drafts and
        # scheduled articles are not there at all (not even as a missing row).
        return previewable_by(request.user, articles=queryset)

    def has_view_permission(self, request, obj=None):
        if not super().has_view_permission(request, obj):
            return False
        return obj is None or can_preview(request.user, obj)

    def has_change_permission(self, request, obj=None):
        if not super().has_change_permission(request, obj):
            return False
        return obj is None or can_edit(request.user, obj)

    def has_delete_permission(self, request, obj=None):
        if not super().has_delete_permission(request, obj):
            return False
        return obj is None or can_edit(request.user, obj)

    def get_action(self, action):
        # Every list action, Django's «delete selected» included, acts on rows
        # the user may change or on none (``only_editable``).
        found = super().get_action(action)
        if found is None:
            return None
        func, name, description = found
        return only_editable(func), name, description

    def get_readonly_fields(self, request, obj=None):
        fields = list(super().get_readonly_fields(request, obj))
        if not self.can_publish(request):
            fields += ["status", "author"]
        return fields

    def get_object(self, request, object_id, from_field=None):
        obj = super().get_object(request, object_id, from_field)
        if obj is not None and request.method == "POST":
            # Lock the row for the rest of the save (the admin wraps it in a
            # transaction), so the form's version check and the write cannot
            # interleave with another editor's save.
            obj = Article.objects.select_for_update().get(pk=obj.pk)
        return obj

    def changeform_view(self, request, object_id=None, form_url="", extra_context=None):
        if (
            request.method == "POST"
            and request.POST.get("status") == Article.Status.PUBLISHED
            and not self.can_publish(request)
        ):
            raise PermissionDenied("Публиковать статьи может только редактор.")
        return super().changeform_view(request, object_id, form_url, extra_context)

    def changelist_view(self, request, extra_context=None):
        if (
            request.method == "POST"
            and request.POST.get("action") in PUBLISH_ACTIONS
            and not self.can_publish(request)
        ):
            raise PermissionDenied("Публиковать статьи может только редактор.")
        return super().changelist_view(request, extra_context)

    # Saving ----------------------------------------------------------------

    def save_model(self, request, obj, form, change):
        if not obj.slug:
            obj.slug = unique_article_slug(obj.title, exclude_pk=obj.pk)
        if not change and not obj.author_id:
            obj.author = request.user
        if change:
            obj.version += 1
        super().save_model(request, obj, form, change)
        if change and "slug" in form.changed_data:
            change_slug(article=obj, old_slug=form.initial.get("slug", ""))
        if "image" in form.changed_data:
            # Renditions are made once, here, not on every page view.
            make_renditions(article=obj)
        if form.publication_note:
            self.message_user(request, form.publication_note, messages.INFO)

    def construct_change_message(self, request, form, formsets, add=False):
        message = super().construct_change_message(request, form, formsets, add)
        if form.publication_stamped and not add:
            # Dated on publishing, not by the editor's hand: the history still says so.
            message = with_changed_field(message, form.fields["published_at"].label)
        return message

    def delete_model(self, request, obj):
        delete_renditions(article=obj)
        super().delete_model(request, obj)

    def delete_queryset(self, request, queryset):
        for article in queryset:
            delete_renditions(article=article)
        super().delete_queryset(request, queryset)

    def save_formset(self, request, form, formset, change):
        if not issubclass(formset.model, ArticleLink):
            return super().save_formset(request, form, formset, change)
        links = formset.save(commit=False)
        # A link the editor deletes is remembered, so re-linking never restores it.
        for link in formset.deleted_objects:
            remove_link(article=link.article, entity=link.entity)
        for link in links:
            link.origin = LinkOrigin.EDITOR
            link.save()

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        # After the editor's own link changes, so their removals are respected.
        result = link_entities(article=form.instance)
        if result.added:
            names = ", ".join(str(entity) for entity in result.added)
            self.message_user(request, f"Найдены и связаны: {names}.", messages.INFO)

    # List columns ----------------------------------------------------------

    @admin.display(description="состояние", ordering="status")
    def state_badge(self, obj):
        return obj.state.label

    @admin.display(description="связи")
    def link_counts(self, obj):
        return format_html(
            '<span title="{}">{}</span>',
            " · ".join(str(kind.group_title).lower() for kind in KINDS),
            " · ".join(str(getattr(obj, f"n_{kind.key}")) for kind in KINDS),
        )

    @admin.display(description="теги")
    def tag_list(self, obj):
        return ", ".join(tagged.tag.name for tagged in obj.taggedarticle_set.all())

    @admin.display(description="на сайте")
    def public_link(self, obj):
        if not obj.pk:
            return "—"
        label = "открыть" if obj.is_public else "предпросмотр"
        return format_html('<a href="{}" target="_blank">{}</a>', obj.get_absolute_url(), label)

    # Actions ---------------------------------------------------------------

    @admin.action(description="Опубликовать сейчас", permissions=["publish"])
    def publish_selected(self, request, queryset):
        changes = publish_now(articles=queryset)
        record_status_changes(user=request.user, changes=changes)
        count = len(changes)
        self.message_user(request, f"Опубликовано: {count}.", messages.SUCCESS)

    @admin.action(description="Снять с публикации", permissions=["publish"])
    def unpublish_selected(self, request, queryset):
        changes = unpublish(articles=queryset)
        record_status_changes(user=request.user, changes=changes)
        count = len(changes)
        self.message_user(request, f"Снято с публикации: {count}.", messages.SUCCESS)

    @admin.action(description="Перепроверить связи с сущностями", permissions=["change"])
    def relink_selected(self, request, queryset):
        added = removed = 0
        changed = []
        for article in queryset:
            result = link_entities(article=article)
            added += len(result.added)
            removed += len(result.removed)
            if result.changed:
                changed.append(
                    (article, relinked_message(added=result.added, removed=result.removed))
                )
        record_changes(user=request.user, changes=changed)
        # The linker writes in bulk, which the page cache's signals do not see.
        bump_content_version()
        self.message_user(
            request, f"Связи обновлены: добавлено {added}, снято {removed}.", messages.SUCCESS
        )

    @admin.action(description="Добавить тег", permissions=["change"])
    def add_tag(self, request, queryset):
        name = " ".join(request.POST.get("tag", "").split())
        if not name:
            self.message_user(request, "Впишите тег в поле «Тег».", messages.WARNING)
            return
        tag = Tag.objects.for_name(name)
        tagged = tag_articles(tag=tag, articles=queryset)
        record_changes(
            user=request.user, changes=[(a, tag_added_message(tag.name)) for a in tagged]
        )
        count = len(tagged)
        to_articles = f"{count} {plural(count, 'статье', 'статьям', 'статьям')}"
        self.message_user(request, f"Тег «{tag.name}» добавлен к {to_articles}.", messages.SUCCESS)
