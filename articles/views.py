import datetime as dt

from django.db.models import CharField, Count, Q, Value
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.views.generic import DetailView, ListView, TemplateView

from companies.models import Company, Official, VehicleModel
from portal.pagination import WindowPaginationMixin
from portal.slugs import RetiredSlugRedirectMixin

from .jsonld import news_article_jsonld
from .links import article_links
from .models import Article, Tag
from .related import related_articles
from .rendering import render_body

PAGE_SIZE = 20
BUSY_WINDOW = dt.timedelta(weeks=8)


class PublishedArticlesMixin:
    """Visitors see only published articles whose time has come."""

    def get_queryset(self):
        return Article.objects.published()


class HomeView(TemplateView):
    template_name = "articles/home.html"
    latest_count = 12

    def get_context_data(self, **kwargs):
        articles = list(Article.objects.published().for_listing()[: self.latest_count + 1])
        lead_story, latest = (articles[0], articles[1:]) if articles else (None, [])
        window_end = lead_story.published_at if lead_story else timezone.now()
        since = window_end - BUSY_WINDOW
        return super().get_context_data(
            lead_story=lead_story,
            latest=latest,
            busiest=busiest_entities(since=since),
            popular_tags=popular_tags(since=since),
            **kwargs,
        )


BUSY_KINDS = {"companies": Company, "vehicle_models": VehicleModel, "officials": Official}


def busiest_entities(*, since: dt.datetime, limit: int = 5) -> dict[str, list]:
    """Companies, models and officials most mentioned since ``since``, in one query."""
    recent = Q(
        articles__status=Article.Status.PUBLISHED,
        articles__published_at__gte=since,
        articles__published_at__lte=timezone.now(),
    )
    parts = [
        model.objects.annotate(
            mentions=Count("articles", filter=recent),
            # A constant column says which kind each row of the UNION is.
            entity_kind=Value(kind, output_field=CharField()),
        )
        .filter(mentions__gt=0)
        .values_list("entity_kind", "name", "slug", "mentions")
        .order_by()
        for kind, model in BUSY_KINDS.items()
    ]
    rows = parts[0].union(*parts[1:], all=True).order_by("-mentions", "name")
    grouped: dict[str, list] = {kind: [] for kind in BUSY_KINDS}
    for kind, name, slug, mentions in rows:
        if len(grouped[kind]) < limit:
            grouped[kind].append((BUSY_KINDS[kind](name=name, slug=slug), mentions))
    return grouped


def popular_tags(*, since: dt.datetime, limit: int = 12) -> list[Tag]:
    recent = Q(
        tagged_articles__content_object__status=Article.Status.PUBLISHED,
        tagged_articles__content_object__published_at__gte=since,
        tagged_articles__content_object__published_at__lte=timezone.now(),
    )
    return list(
        Tag.objects.annotate(uses=Count("tagged_articles", filter=recent))
        .filter(uses__gt=0)
        .order_by("-uses", "name")[:limit]
    )


class ArchiveView(PublishedArticlesMixin, WindowPaginationMixin, ListView):
    template_name = "articles/archive.html"
    context_object_name = "articles"
    paginate_by = PAGE_SIZE

    def get_queryset(self):
        return super().get_queryset().for_listing()


class ArticleDetailView(RetiredSlugRedirectMixin, DetailView):
    template_name = "articles/article_detail.html"
    context_object_name = "article"

    def get_queryset(self):
        # Staff may open drafts and scheduled articles; the page says so.
        return Article.objects.all() if self.request.user.is_staff else Article.objects.published()

    def get_context_data(self, **kwargs):
        article = self.object
        links = article_links(article)
        base_url = self.request.build_absolute_uri("/").rstrip("/")
        return super().get_context_data(
            links=links,
            entity_groups=[
                (title, entities)
                for title, entities in [
                    (_("Компании"), links.companies),
                    (_("Модели"), links.vehicle_models),
                    (_("Персоны"), links.officials),
                    (_("Страны"), links.countries),
                ]
                if entities
            ],
            body=render_body(article, links),
            related=related_articles(article),
            jsonld=news_article_jsonld(article, base_url=base_url, links=links),
            **kwargs,
        )


class TagView(ArchiveView):
    template_name = "articles/tag.html"

    def get_queryset(self):
        self.tag = get_object_or_404(Tag, slug=self.kwargs["slug"])
        return super().get_queryset().filter(tags=self.tag)

    def get_context_data(self, **kwargs):
        return super().get_context_data(tag=self.tag, **kwargs)
