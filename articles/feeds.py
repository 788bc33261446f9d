"""RSS 2.0 feeds: all news, and the news of one tag or one catalog entity."""

import copy

from django.conf import settings
from django.contrib.syndication.views import Feed
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.feedgenerator import Enclosure, Rss201rev2Feed
from django.utils.html import escape
from django.utils.translation import gettext_lazy as _

from companies.kinds import EntityKind
from portal.xml import xml_text

from .access import public_tags
from .images import absolute_url, lead_image
from .models import Article, ArticleQuerySet

FEED_LENGTH = 20


def html_text(value: str) -> str:
    """Plain text for a feed field that readers render as HTML (Django #6533)."""
    return escape(xml_text(value))


def feed_items(articles: ArticleQuerySet) -> ArticleQuerySet:
    # Tags are prefetched so the number of queries does not grow with the items.
    return articles.published().for_listing().prefetch_related("tags")[:FEED_LENGTH]


class LatestArticlesFeed(Feed):
    """The newest published articles of the whole site."""

    feed_type = Rss201rev2Feed
    # The link is the address itself; the slug is not to change after publication.
    item_guid_is_permalink = True

    description = _(
        "Последние новости промышленности Центральной Азии: заводы, компании, "
        "модели техники, решения властей."
    )

    base_url = ""

    def get_feed(self, obj, request):
        # Enclosure URLs must be absolute, and item methods see no request. One
        # Feed instance serves every request, so the address goes on a copy.
        feed = copy.copy(self)
        feed.base_url = request.build_absolute_uri("/").rstrip("/")
        return super(LatestArticlesFeed, feed).get_feed(obj, request)

    def title(self):
        return html_text(_("Все новости — %(site)s") % {"site": settings.SITE_NAME})

    def link(self):
        return reverse("articles:home")

    def items(self):
        return feed_items(Article.objects.all())

    def item_title(self, item):
        # Feed readers render titles as HTML, hence the extra escaping (Django #6533).
        return html_text(item.title)

    def item_description(self, item):
        # The lead is plain text, but readers render the description as HTML.
        return html_text(item.lead)

    def item_pubdate(self, item):
        return item.published_at

    def item_updateddate(self, item):
        return item.last_modified

    def item_categories(self, item):
        # Categories are plain text to readers: XML's own escaping is enough.
        return sorted(xml_text(tag.name) for tag in item.tags.all())

    def item_enclosures(self, item):
        # RSS allows one enclosure per item: the lead image at feed-reader size,
        # its length recorded when it was made, so no storage call per item.
        image = lead_image(item)
        if image is None:
            return []
        rendition = image.feed
        url = absolute_url(rendition.url, base_url=self.base_url)
        return [Enclosure(url, str(rendition.size), rendition.mime_type)]


class TagFeed(LatestArticlesFeed):
    def get_object(self, request, slug):
        # The feed exists while its tag page does: a published article carries the tag.
        return get_object_or_404(public_tags(), slug=slug)

    # Channel titles and descriptions are rendered as HTML by the same readers.
    def title(self, obj):
        return html_text(
            _("Тег «%(tag)s» — %(site)s") % {"tag": obj.name, "site": settings.SITE_NAME}
        )

    def description(self, obj):
        return html_text(_("Новости с тегом «%(tag)s».") % {"tag": obj.name})

    def link(self, obj):
        return obj.get_absolute_url()

    def items(self, obj):
        return feed_items(Article.objects.filter(tags=obj))


class EntityFeed(LatestArticlesFeed):
    """The newest published articles that mention one catalog entity (``kind``)."""

    def __init__(self, kind: EntityKind):
        super().__init__()
        self.kind = kind

    def get_object(self, request, slug):
        return get_object_or_404(self.kind.model, slug=slug)

    def title(self, obj):
        return html_text(_("%(name)s — %(site)s") % {"name": obj.name, "site": settings.SITE_NAME})

    def description(self, obj):
        return html_text(_("Новости, в которых упоминается %(name)s.") % {"name": obj.name})

    def link(self, obj):
        return obj.get_absolute_url()

    def items(self, obj):
        return feed_items(obj.articles.all())
