"""The editorial workflow: slugs, publishing and unpublishing, tagging in bulk.

An article is dated at the moment it goes out, by whatever route it goes out:
the status field of the form (``stamp_publication``), the list's «publish now»
(``publish_now``), or a schedule (a published article with a future date comes
out at that date, which is then its publication time). Only a date the editor
entered on purpose stays: one changed in the same save, or one in the future.
"""

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass

from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone

from portal.slugs import make_slug, retire_slug

from .models import Article, Tag, TaggedArticle


@dataclass(frozen=True)
class StatusChange:
    """An article whose status a workflow step changed, and what it was before."""

    article: Article
    old_status: str
    old_published_at: dt.datetime


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


def stamp_publication(
    *,
    article: Article,
    previous_status: str | None,
    date_entered: bool,
    now: dt.datetime | None = None,
) -> bool:
    """Date ``article`` at the moment it goes out; returns whether its date was set.

    ``article`` carries the status and date about to be saved, ``previous_status``
    the stored one (None for a new article). Going from draft to published, the
    article is dated ``now`` (a draft written two days ago is today's news),
    unless ``date_entered`` (the editor changed the date in this save) or the
    date lies in the future (a schedule: it comes out then, dated then).
    """
    now = now or timezone.now()
    going_out = (
        article.status == Article.Status.PUBLISHED and previous_status != Article.Status.PUBLISHED
    )
    if not going_out or date_entered or article.published_at > now:
        return False
    article.published_at = now
    return True


def _locked(articles: Iterable[Article]):
    """The articles' rows, locked until the transaction ends: a form saving one of
    them at the same time waits, then finds the version changed."""
    if isinstance(articles, QuerySet):
        pks = list(articles.values_list("pk", flat=True))  # no prefetching for ids
    else:
        pks = [article.pk for article in articles]
    return Article.objects.select_for_update().filter(pk__in=pks).defer("body").order_by("pk")


@transaction.atomic
def publish_now(*, articles: Iterable[Article]) -> list[StatusChange]:
    """Publish at once, dated now: drafts and articles scheduled for later come out.

    Articles already out are left as they are, their date included.
    """
    now = timezone.now()
    changes = []
    for article in _locked(articles):
        if article.is_public:
            continue
        changes.append(StatusChange(article, article.status, article.published_at))
        article.status = Article.Status.PUBLISHED
        article.published_at = now
        article.version += 1
        article.save(update_fields=["status", "published_at", "version", "updated_at"])
    return changes


@transaction.atomic
def unpublish(*, articles: Iterable[Article]) -> list[StatusChange]:
    """Back to draft: the article disappears from the site, its URL answers 404.

    Drafts are left as they are.
    """
    changes = []
    for article in _locked(articles):
        if article.status == Article.Status.DRAFT:
            continue
        changes.append(StatusChange(article, article.status, article.published_at))
        article.status = Article.Status.DRAFT
        article.version += 1
        article.save(update_fields=["status", "version", "updated_at"])
    return changes


def tag_articles(*, tag: Tag, articles: Iterable[Article]) -> list[Article]:
    """Add ``tag`` to ``articles``; returns those that did not have it yet."""
    articles = list(articles)
    had_it = set(
        TaggedArticle.objects.filter(tag=tag, content_object__in=articles).values_list(
            "content_object_id", flat=True
        )
    )
    tagged = [article for article in articles if article.pk not in had_it]
    for article in tagged:
        article.tags.add(tag)
    return tagged


def change_slug(*, article: Article, old_slug: str) -> None:
    """Keep a published article's previous URL working after its slug changed."""
    if article.status == Article.Status.PUBLISHED:
        retire_slug(obj=article, old_slug=old_slug)
