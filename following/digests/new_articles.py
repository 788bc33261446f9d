"""The published articles of a window, per followed entity or tag.

Read once per window for every target at once (a handful of queries: the
articles, then each kind's link table and the tags), so a build over 100,000
readers asks the database about articles once per distinct window, not once
per reader.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field

from articles.models import Article, TaggedArticle
from companies.kinds import KINDS

from ..models import TargetKind

# (TargetKind value, entity or tag id): what a subscription follows.
Target = tuple[str, int]


@dataclass
class NewArticles:
    """Articles of one window: when each came out, and which of them each target has."""

    published_at: dict[int, dt.datetime] = field(default_factory=dict)
    by_target: dict[Target, frozenset[int]] = field(default_factory=dict)

    def for_targets(self, targets) -> list[int]:
        """The articles of any of ``targets``, each once, newest first."""
        found: set[int] = set()
        for target in targets:
            found |= self.by_target.get(target, frozenset())
        return sorted(found, key=lambda pk: (self.published_at[pk], pk), reverse=True)


def published_between(*, start: dt.datetime, end: dt.datetime, alerts: bool = False):
    """Published articles (``ArticleQuerySet.published``) with ``published_at`` in the
    window: [start, end) for digests (midnight to midnight), (start, end] for alerts
    (after the watermark, up to the round's time)."""
    if alerts:
        return Article.objects.published().filter(published_at__gt=start, published_at__lte=end)
    return Article.objects.published().filter(published_at__gte=start, published_at__lt=end)


def new_articles(articles) -> NewArticles:
    """``articles`` (a QuerySet of articles) grouped by every entity and tag they carry."""
    published_at = dict(articles.order_by().values_list("id", "published_at"))
    if not published_at:
        return NewArticles()
    ids = articles.order_by().values("id")
    by_target: dict[Target, set[int]] = defaultdict(set)
    for kind in KINDS:
        links = kind.links.objects.filter(article__in=ids).values_list("entity_id", "article_id")
        for entity_id, article_id in links:
            by_target[(kind.key, entity_id)].add(article_id)
    tagged = TaggedArticle.objects.filter(content_object__in=ids)
    for tag_id, article_id in tagged.values_list("tag_id", "content_object_id"):
        by_target[(TargetKind.TAGS.value, tag_id)].add(article_id)
    return NewArticles(
        published_at=published_at,
        by_target={target: frozenset(found) for target, found in by_target.items()},
    )


class WindowCache:
    """``NewArticles`` per window, for one build: readers in one time zone share theirs."""

    def __init__(self) -> None:
        self._windows: dict[tuple[dt.datetime, dt.datetime], NewArticles] = {}

    def get(self, *, start: dt.datetime, end: dt.datetime) -> NewArticles:
        key = (start, end)
        if key not in self._windows:
            self._windows[key] = new_articles(published_between(start=start, end=end))
        return self._windows[key]
