"""What a message shows of each article and of each followed target, loaded per batch.

Rendering many messages reads the same few hundred articles again and again:
``Summaries`` loads each article once (a fixed number of queries for any number
of them) and keeps it for the batch's lifetime, so rendering a digest costs no
query of its own.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field

from articles.models import Article, Tag, TaggedArticle
from companies.kinds import KINDS, kind_for_key
from portal.paths import slug_url

from ..models import TargetKind
from .new_articles import Target

# A cache kept longer than one batch (``digest_message.recent``) starts afresh past this.
MAX_ARTICLES = 5000
# Targets in the order messages list them: the catalog's kinds as pages do, then tags.
TARGET_ORDER = {kind: n for n, kind in enumerate([*(k.key for k in KINDS), TargetKind.TAGS])}


@dataclass(frozen=True)
class ArticleSummary:
    id: int
    title: str
    path: str
    published_at: dt.datetime
    lead: str
    # Every entity and tag of the article, in ``TARGET_ORDER`` then by name.
    targets: tuple[Target, ...]
    # The names of the entities it mentions (tags aside), in the same order.
    entity_names: tuple[str, ...]


@dataclass
class Summaries:
    """Articles and target names loaded once for a batch of messages."""

    articles: dict[int, ArticleSummary] = field(default_factory=dict)
    names: dict[Target, str] = field(default_factory=dict)
    # An article as messages show it, made once per article, time zone and layout:
    # (article id, zone, alert?) -> (text, html). Every reader's copy is the same.
    blocks: dict[tuple[int, str, bool], tuple[str, str]] = field(default_factory=dict)

    def load(self, *, article_ids, targets) -> None:
        """Load what is not loaded yet of ``article_ids`` and the names of ``targets``."""
        if len(self.articles) > MAX_ARTICLES:
            self.articles, self.names, self.blocks = {}, {}, {}
        missing = sorted(set(article_ids) - self.articles.keys())
        if missing:
            self._load_articles(missing)
        self._load_names({t for t in targets if t not in self.names})

    def _load_articles(self, ids: list[int]) -> None:
        found: dict[int, list[tuple[Target, str]]] = defaultdict(list)
        for kind in KINDS:
            links = kind.links.objects.filter(article_id__in=ids)
            for article_id, entity_id, name in links.values_list(
                "article_id", "entity_id", "entity__name"
            ):
                found[article_id].append(((kind.key, entity_id), name))
        tagged = TaggedArticle.objects.filter(content_object_id__in=ids)
        for article_id, tag_id, name in tagged.values_list(
            "content_object_id", "tag_id", "tag__name"
        ):
            found[article_id].append(((TargetKind.TAGS.value, tag_id), name))
        rows = (
            Article.objects.published()
            .filter(pk__in=ids)
            .values_list("id", "title", "slug", "published_at", "lead")
        )
        for pk, title, slug, published_at, lead in rows:
            mentions = sorted(found[pk], key=lambda m: (TARGET_ORDER[m[0][0]], m[1].casefold()))
            self.names.update(mentions)
            self.articles[pk] = ArticleSummary(
                id=pk,
                title=title,
                path=slug_url("articles:detail", slug),
                published_at=published_at,
                lead=lead,
                targets=tuple(target for target, _ in mentions),
                entity_names=tuple(n for t, n in mentions if t[0] != TargetKind.TAGS),
            )

    def _load_names(self, targets: set[Target]) -> None:
        by_kind: dict[str, list[int]] = defaultdict(list)
        for kind, pk in targets:
            by_kind[kind].append(pk)
        for kind, pks in by_kind.items():
            model = Tag if kind == TargetKind.TAGS else kind_for_key(kind).model
            rows = model.objects.filter(pk__in=pks).values_list("pk", "name")
            self.names.update(((kind, pk), name) for pk, name in rows)
