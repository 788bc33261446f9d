"""The article list's filters: state, tag, and the companies and officials linked.

Each lists its choices and narrows the list through indexes, whatever the size
of the archive (see each filter for what Django's own would have read).
"""

from django.contrib import admin
from django.db.models import Count, Exists, OuterRef

from companies.kinds import EntityKind

from ..access import can_publish, previewable_by
from ..models import Article, Tag


class StateFilter(admin.SimpleListFilter):
    title = "состояние"
    parameter_name = "state"

    def lookups(self, request, model_admin):
        return Article.State.choices

    def queryset(self, request, queryset):
        if self.value() in Article.State.values:
            return queryset.in_state(self.value())
        return queryset


class TagFilter(admin.SimpleListFilter):
    title = "тег"
    parameter_name = "tag"
    # The tags offered are those of the newest articles: counting every tag's
    # uses over the whole archive read every tag row on each list view.
    recent_articles = 1000

    def lookups(self, request, model_admin):
        # The most used tags lately; any other tag is one click away on its tag page.
        newest = model_admin.get_queryset(request).order_by("-published_at", "-id")
        recent = newest.values("pk")[: self.recent_articles]
        tags = (
            Tag.objects.filter(tagged_articles__content_object__in=recent)
            .annotate(uses=Count("tagged_articles"))
            .order_by("-uses", "name")
        )
        return [(tag.slug, tag.name) for tag in tags[:30]]

    def queryset(self, request, queryset):
        if self.value():
            return queryset.filter(tags__slug=self.value())
        return queryset


class LinkedEntityFilter(admin.SimpleListFilter):
    """The articles linked to one entity of ``kind``; offered: the entities
    linked to some article the user may see.

    Django's own filter over the many-to-many field read every article's links
    to list the entities, and made the list drop duplicate rows with a DISTINCT
    over every column (seconds at 100,000 articles), though a link is unique per
    article and entity. Here each entity is asked whether it has a link, and the
    list keeps the articles among the entity's links: both through the link
    table's indexes.
    """

    kind: EntityKind

    def lookups(self, request, model_admin):
        links = self.kind.links.objects.filter(entity=OuterRef("pk"))
        if not can_publish(request.user):
            links = links.filter(article__in=previewable_by(request.user))
        entities = self.kind.model.objects.filter(Exists(links)).order_by("name")
        return [(str(entity.pk), str(entity)) for entity in entities]

    def queryset(self, request, queryset):
        if not self.value():
            return queryset
        if not self.value().isdigit():
            return queryset.none()
        linked = self.kind.links.objects.filter(entity=int(self.value())).values("article")
        return queryset.filter(pk__in=linked)


def linked_entity_filter(kind: EntityKind) -> type[LinkedEntityFilter]:
    # The parameter is Django's own for the field, so earlier addresses still work.
    return type(
        f"{kind.model.__name__}Filter",
        (LinkedEntityFilter,),
        {
            "kind": kind,
            "title": Article._meta.get_field(kind.key).verbose_name,
            "parameter_name": f"{kind.key}__id__exact",
        },
    )
