"""schema.org NewsArticle JSON-LD for article pages.

Pure functions of an article and its links (``articles.queries.ArticleLinks``,
by default read from an article fetched with ``Article.objects.with_entities()``):
they add no queries.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.conf import settings
from django.utils import timezone

from companies.jsonld import SCHEMA_ORG, entity_reference
from companies.kinds import KINDS

from .images import structured_data_images
from .models import Article
from .queries import ArticleLinks


def iso_datetime(value: dt.datetime) -> str:
    """RFC 3339 in the site's time zone, so dates read like the page shows them."""
    return timezone.localtime(value).isoformat(timespec="seconds")


def article_url(article: Article, *, base_url: str) -> str:
    return f"{base_url}{article.get_absolute_url()}"


def site_organization(*, base_url: str) -> dict[str, Any]:
    # Articles carry no bylines, so the site itself is author and publisher.
    return {"@type": "Organization", "name": settings.SITE_NAME, "url": f"{base_url}/"}


def news_article_jsonld(
    article: Article, *, base_url: str, links: ArticleLinks | None = None
) -> dict[str, Any]:
    links = links or ArticleLinks.prefetched(article)
    url = article_url(article, base_url=base_url)
    site = site_organization(base_url=base_url)
    data: dict[str, Any] = {
        "@context": SCHEMA_ORG,
        "@type": "NewsArticle",
        "headline": article.title,
        "description": article.lead,
        "datePublished": iso_datetime(article.published_at),
        "dateModified": iso_datetime(article.last_modified),
        "inLanguage": "ru",
        "url": url,
        "mainEntityOfPage": {"@type": "WebPage", "@id": url},
        "author": site,
        "publisher": site,
        # Google asks for 16:9, 4:3 and 1:1 versions; the site's image when there is none.
        "image": structured_data_images(article, base_url=base_url),
    }
    based_on = source_work(article)
    if based_on:
        data["isBasedOn"] = based_on
    tags = sorted(tag.name for tag in links.tags)
    if tags:
        data["keywords"] = tags
    # What the news is about: the companies and the vehicles. People and
    # countries take part in it, so they are mentioned, not its subject.
    about = [e for kind in KINDS if kind.story_subject for e in links.of(kind)]
    mentions = [*about, *(e for kind in KINDS if not kind.story_subject for e in links.of(kind))]
    if about:
        data["about"] = [entity_reference(e, base_url=base_url) for e in about]
    if mentions:
        data["mentions"] = [entity_reference(e, base_url=base_url) for e in mentions]
    return data


def source_work(article: Article) -> dict[str, Any] | None:
    """The publication the article is based on, as schema.org's ``isBasedOn`` takes it:
    a CreativeWork at the source's address, published by the source. ``isBasedOn``
    expects a work (or a bare URL); the source's name is whoever published it, not
    the work's own name, which the article does not keep."""
    if not article.source_name:
        return None
    work: dict[str, Any] = {"@type": "CreativeWork"}
    if article.source_url:
        work["url"] = article.source_url
    work["publisher"] = {"@type": "Organization", "name": article.source_name}
    return work
