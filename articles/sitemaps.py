"""The articles in the sitemaps: the sections of articles and of tags (the home
page and the archive go in the core's pages section, see ``ArticlesConfig.ready``),
and the Google News sitemap of fresh news at ``/news-sitemap.xml``."""

import datetime as dt
from dataclasses import dataclass

from django.conf import settings
from django.contrib.sitemaps import Sitemap
from django.contrib.sitemaps.views import x_robots_tag
from django.db.models import Max
from django.template.response import TemplateResponse
from django.urls import path
from django.utils import timezone
from django.views.decorators.http import require_safe

from portal.paths import slug_url
from portal.xml import xml_text

from .access import public_tags
from .models import Article

# Google News takes only articles published in the last two days, at most 1000 a file.
NEWS_WINDOW = dt.timedelta(days=2)
NEWS_LIMIT = 1000


class ArticleSitemap(Sitemap):
    """Tens of thousands of rows: plain tuples and a date, no model instance per row.

    The date (in the site's time zone) is what the template prints anyway, and
    formats without a time-zone conversion per row; the URL is put together by
    ``slug_url`` rather than reversed.
    """

    # Pages of 2,000: each renders quickly, and 100k articles make 50 pages.
    limit = 2000

    def items(self):
        return Article.objects.published().values_list("slug", "published_at", "updated_at")

    def location(self, item):
        return slug_url("articles:detail", item[0])

    def lastmod(self, item):
        # Article.last_modified: the later of the last save and the publication.
        return timezone.localdate(max(item[1], item[2]))

    def get_latest_lastmod(self):
        # The sitemap index asks for this; Django's default walks every item.
        latest = Article.objects.published().aggregate(
            saved=Max("updated_at"), published=Max("published_at")
        )
        dates = [value for value in latest.values() if value]
        return timezone.localdate(max(dates)) if dates else None


class TagSitemap(Sitemap):
    def items(self):
        # The tags that have pages: a published article carries them.
        return public_tags().only("slug").order_by("slug")


@dataclass(frozen=True)
class NewsEntry:
    location: str
    title: str
    publication_date: str  # W3C date and time with its offset


@require_safe
@x_robots_tag
def news_sitemap(request):
    """The Google News sitemap: published articles of the last two days."""
    since = timezone.now() - NEWS_WINDOW
    articles = (
        Article.objects.published()
        .filter(published_at__gte=since)
        .only("slug", "title", "published_at")[:NEWS_LIMIT]
    )
    entries = [
        NewsEntry(
            location=request.build_absolute_uri(article.get_absolute_url()),
            # The template escapes markup; characters XML cannot hold at all go.
            title=xml_text(article.title),
            publication_date=timezone.localtime(article.published_at).isoformat(timespec="seconds"),
        )
        for article in articles
    ]
    return TemplateResponse(
        request,
        "sitemaps/news.xml",
        {"entries": entries, "publication_name": settings.SITE_NAME},
        content_type="application/xml",
    )


# Included by portal.urls at the site's root, outside the "articles" namespace:
# robots.txt names it "news-sitemap", as crawlers expect it next to /sitemap.xml.
urlpatterns = [
    path("news-sitemap.xml", news_sitemap, name="news-sitemap"),
]
