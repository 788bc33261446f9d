"""The editorial workflow: slugs, publishing and unpublishing."""

from collections.abc import Iterable

from django.db import transaction
from django.utils import timezone

from portal.slugs import make_slug, retire_slug

from .models import Article


def unique_article_slug(title: str, *, exclude_pk: int | None = None) -> str:
    """A transliterated slug for ``title`` that no other article uses."""
    base = make_slug(title)[:90] or "article"
    taken = set(
        Article.objects.filter(slug__startswith=base)
        .exclude(pk=exclude_pk)
        .values_list("slug", flat=True)
    )
    slug, n = base, 2
    while slug in taken:
        slug, n = f"{base}-{n}", n + 1
    return slug


@transaction.atomic
def publish_now(*, articles: Iterable[Article]) -> int:
    """Publish at once; an article scheduled for later comes out now."""
    now = timezone.now()
    count = 0
    for article in articles:
        article.status = Article.Status.PUBLISHED
        if article.published_at > now:
            article.published_at = now
        article.version += 1
        article.save(update_fields=["status", "published_at", "version", "updated_at"])
        count += 1
    return count


@transaction.atomic
def unpublish(*, articles: Iterable[Article]) -> int:
    """Back to draft: the article disappears from the site, its URL answers 404."""
    count = 0
    for article in articles:
        article.status = Article.Status.DRAFT
        article.version += 1
        article.save(update_fields=["status", "version", "updated_at"])
        count += 1
    return count


def change_slug(*, article: Article, old_slug: str) -> None:
    """Keep a published article's previous URL working after its slug changed."""
    if article.status == Article.Status.PUBLISHED:
        retire_slug(obj=article, old_slug=old_slug)
