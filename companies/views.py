"""Entity pages: one list view and one detail view, set up per kind in urls.py."""

from django.views.generic import DetailView, ListView

from portal.pagination import PAGE_QUERY, CountedPaginationMixin, window_page
from portal.slugs import RetiredSlugRedirectMixin

from .charts import chart_bars
from .jsonld import entity_jsonld
from .kinds import EntityKind
from .queries import RECENT_ARTICLES, by_mentions, mentions_by_month, related_entities

TIMELINE_PAGE_SIZE = 20


class EntityDetailView(RetiredSlugRedirectMixin, DetailView):
    """An entity's facts, the published articles mentioning it, and its neighbours."""

    kind: EntityKind = None  # type: ignore[assignment]  (set per kind in urls.py)
    template_name = "companies/entity_detail.html"
    context_object_name = "entity"
    # The timeline's page.
    cache_query = PAGE_QUERY

    def get_queryset(self):
        return self.kind.for_page()

    def get_context_data(self, **kwargs):
        entity = self.object
        articles = entity.articles.published().for_listing()
        page = window_page(articles, self.request.GET.get("page"), per_page=TIMELINE_PAGE_SIZE)
        return super().get_context_data(
            page_obj=page,
            articles=page.object_list,
            related=related_entities(entity),
            related_window=RECENT_ARTICLES,
            bars=chart_bars(mentions_by_month(entity)),
            jsonld=entity_jsonld(entity, base_url=self.request.build_absolute_uri("/").rstrip("/")),
            feed_url_name=f"articles:{self.kind.url_name}_feed",
            **kwargs,
        )


class EntityListView(CountedPaginationMixin, ListView):
    """Every entity of one kind with the number of published articles mentioning it."""

    kind: EntityKind = None  # type: ignore[assignment]  (set per kind in urls.py)
    template_name = "companies/entity_list.html"
    context_object_name = "entities"
    paginate_by = 100

    def get_queryset(self):
        return by_mentions(self.kind)

    def get_context_data(self, **kwargs):
        return super().get_context_data(title=self.kind.title, **kwargs)
