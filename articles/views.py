import datetime as dt

from django.db import connection
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.views.generic import DetailView, ListView, TemplateView

from companies.models import Company, Official, VehicleModel
from portal.pagination import WindowPaginationMixin
from portal.routers import read_connection
from portal.slugs import RetiredSlugRedirectMixin

from .jsonld import news_article_jsonld
from .links import article_links
from .models import Article, Tag, TaggedArticle
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


def _in_window(column: str) -> str:
    """SQL: ``column`` is the id of a published article of the window.

    The window's ids come from the (status, published_at, id) index alone. On
    PostgreSQL they go in as an array, so the links are probed by article through
    their (article_id, entity_id) index: with a plain join the planner reads every
    link of the table to hash-join a few thousand articles.
    """
    window = (
        f"SELECT a.id FROM {Article._meta.db_table} a WHERE a.status = %(published)s "
        "AND a.published_at >= %(since)s AND a.published_at <= %(now)s"
    )
    if connection.vendor == "postgresql":
        return f"{column} = ANY(ARRAY({window}))"
    return f"{column} IN ({window})"


def _window_params(since: dt.datetime, limit: int) -> dict:
    return {
        "published": Article.Status.PUBLISHED,
        "since": connection.ops.adapt_datetimefield_value(since),
        "now": connection.ops.adapt_datetimefield_value(timezone.now()),
        "limit": limit,
    }


def _busiest_sql() -> str:
    """Per kind, the entities with the most links to articles of the window.

    Only the link rows of the window's articles are read, and each kind keeps its
    own top ``limit`` (inside a subquery, so SQLite accepts the LIMIT in a UNION).
    """
    branches = []
    for kind, model in BUSY_KINDS.items():
        links = Article._meta.get_field(kind).remote_field.through._meta.db_table
        branches.append(
            f"SELECT * FROM (SELECT '{kind}' AS kind, e.name, e.slug, COUNT(*) AS mentions "
            f"FROM {links} l JOIN {model._meta.db_table} e ON e.id = l.entity_id "
            f"WHERE {_in_window('l.article_id')} "
            f"GROUP BY e.id, e.name, e.slug ORDER BY mentions DESC, e.name LIMIT %(limit)s) {kind}"
        )
    return " UNION ALL ".join(branches)


def busiest_entities(*, since: dt.datetime, limit: int = 5) -> dict[str, list]:
    """Companies, models and officials most mentioned since ``since``, in one query."""
    with read_connection().cursor() as cursor:
        cursor.execute(_busiest_sql(), _window_params(since, limit))
        rows = cursor.fetchall()
    grouped: dict[str, list] = {kind: [] for kind in BUSY_KINDS}
    for kind, name, slug, mentions in sorted(rows, key=lambda row: (-row[3], row[1])):
        grouped[kind].append((BUSY_KINDS[kind](name=name, slug=slug), mentions))
    return grouped


def popular_tags(*, since: dt.datetime, limit: int = 12) -> list[Tag]:
    """The tags most used since ``since``, counting only the window's links (one query)."""
    links = TaggedArticle._meta.db_table
    sql = (
        f"SELECT t.id, t.name, t.slug, COUNT(*) AS uses FROM {links} l "
        f"JOIN {Tag._meta.db_table} t ON t.id = l.tag_id "
        f"WHERE {_in_window('l.content_object_id')} "
        "GROUP BY t.id, t.name, t.slug ORDER BY uses DESC, t.name LIMIT %(limit)s"
    )
    with read_connection().cursor() as cursor:
        cursor.execute(sql, _window_params(since, limit))
        rows = cursor.fetchall()
    tags = []
    for pk, name, slug, uses in rows:
        tag = Tag(id=pk, name=name, slug=slug)
        tag.uses = uses
        tags.append(tag)
    return tags


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
