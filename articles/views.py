"""The public article pages: home, archive, article, tag. Their data comes from
``ArticleQuerySet`` methods and ``articles.queries``."""

from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.cache import patch_cache_control
from django.views.generic import DetailView, ListView, TemplateView

from companies.kinds import KINDS
from portal.pagination import WindowPaginationMixin
from portal.slugs import RetiredSlugRedirectMixin

from .access import previewable_by, public_tags
from .jsonld import news_article_jsonld
from .models import Article
from .queries import DayWindow, article_links, busiest_entities, popular_tags, related_articles
from .rendering import render_text

PAGE_SIZE = 20
# The home page's busiest entities and tags: the eight weeks of days ending
# with the lead story's day.
BUSY_DAYS = 56


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
        window = DayWindow.ending(
            lead_story.published_at if lead_story else timezone.now(), days=BUSY_DAYS
        )
        return super().get_context_data(
            lead_story=lead_story,
            latest=latest,
            busiest=busiest_entities(window=window),
            home_kinds=[kind for kind in KINDS if kind.on_home_page],
            popular_tags=popular_tags(window=window),
            **kwargs,
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
        # Publishers may open any draft or scheduled article, authors their own
        # (``articles.access``); the page says it is a preview.
        return previewable_by(self.request.user)

    def render_to_response(self, context, **response_kwargs):
        response = super().render_to_response(context, **response_kwargs)
        if not self.object.is_public:
            # A preview is for this person only: no shared cache, no proxy, no
            # browser history keeps it, whatever the page cache decides.
            patch_cache_control(response, private=True, no_store=True)
        return response

    def get_context_data(self, **kwargs):
        article = self.object
        links = article_links(article)
        base_url = self.request.build_absolute_uri("/").rstrip("/")
        text = render_text(article, links)
        return super().get_context_data(
            links=links,
            entity_groups=[(kind.group_title, entities) for kind, entities in links.groups()],
            lead=text.lead,
            body=text.body,
            related=related_articles(article),
            jsonld=news_article_jsonld(article, base_url=base_url, links=links),
            **kwargs,
        )


class TagView(ArchiveView):
    template_name = "articles/tag.html"

    def get_queryset(self):
        # Only a tag a published article carries has a page (``public_tags``).
        self.tag = get_object_or_404(public_tags(), slug=self.kwargs["slug"])
        return super().get_queryset().filter(tags=self.tag)

    def get_context_data(self, **kwargs):
        return super().get_context_data(tag=self.tag, **kwargs)
