"""Writing the synthetic articles, their links and tags, in bulk.

Links are written directly, with the body positions the generator knows
because it put each name there itself; running the real linker on 100,000
articles would take most of the time budget. ``generate`` re-checks a sample
of articles with the linker and reports any difference (``relink`` would then
fix the links).
"""

from __future__ import annotations

import datetime as dt
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field

from django.conf import settings
from django.db import models, reset_queries, transaction
from slugify import slugify

from articles.linking import Matcher, build_matcher, find_mentions, insert_rows
from articles.linking.topics import CATEGORY_TAGS
from articles.models import Article, LinkOrigin, Tag, TaggedArticle
from companies.kinds import KINDS

from .generator import Generator, SyntheticArticle
from .vocabulary import PREFIX, TAG, TOPIC_SENTENCES

# One article in this many is linked again by the real linker and compared.
CHECK_EVERY = 250
# The transliteration ``make_slug`` ends up with (python-slugify's fallback).
BACKEND = "text-unidecode"


@dataclass
class GenerateReport:
    created: int = 0
    seconds: float = 0.0
    checked: int = 0
    mismatched: list[str] = field(default_factory=list)

    @property
    def rate(self) -> float:
        return self.created / self.seconds if self.seconds else 0.0


def next_index() -> int:
    last = (
        Article.objects.filter(source_key__startswith=PREFIX)
        .order_by("-source_key")
        .values_list("source_key", flat=True)
        .first()
    )
    return int(last.removeprefix(PREFIX)) + 1 if last else 1


def generate(
    *,
    count: int,
    seed: int = 1,
    years: int = 4,
    until: dt.date | None = None,
    batch_size: int = 2000,
    progress: Callable[[int, float], None] | None = None,
) -> GenerateReport:
    """Write ``count`` synthetic articles with their links and tags, a batch per transaction."""
    started = time.perf_counter()
    matcher = build_matcher()
    generator = Generator(matcher=matcher, seed=seed, years=years, until=until)
    report = GenerateReport()
    first = next_index()
    tags = {name: Tag.objects.get_or_create(name=name)[0] for name in _all_tag_names()}
    link_tables = {kind.model._meta.label_lower: kind.links for kind in KINDS}
    for start in range(first, first + count, batch_size):
        articles = [
            generator.article(n) for n in range(start, min(start + batch_size, first + count))
        ]
        with transaction.atomic():
            _write(articles, tags, link_tables)
        report.created += len(articles)
        _after_batch(articles, matcher, report)
        if progress:
            progress(report.created, time.perf_counter() - started)
    report.seconds = time.perf_counter() - started
    return report


def _after_batch(
    articles: list[SyntheticArticle], matcher: Matcher, report: GenerateReport
) -> None:
    if settings.DEBUG:
        # Django keeps the SQL of every query then, and a batch's INSERT holds
        # all its texts: a long run would hold them all.
        reset_queries()
    for synthetic in articles:
        if synthetic.index % CHECK_EVERY == 0:
            report.checked += 1
            if not _agrees_with_linker(synthetic, matcher):
                report.mismatched.append(synthetic.source_key)


def _all_tag_names() -> list[str]:
    return [TAG, *TOPIC_SENTENCES, *CATEGORY_TAGS.values()]


def _write(
    articles: list[SyntheticArticle],
    tags: dict[str, Tag],
    link_tables: dict[str, type[models.Model]],
) -> None:
    """One batch: the articles, then their link and tag rows; ``link_tables``
    is the link table of each entity kind by model label."""
    slugs = _slugs(articles)
    objects = [
        Article(
            title=a.title,
            slug=slug,
            lead=a.lead,
            body=a.body,
            published_at=a.published_at,
            status=a.status,
            source_key=a.source_key,
            mentions=a.mentions,
        )
        for a, slug in zip(articles, slugs, strict=True)
    ]
    for article in objects:
        article.mentions_hash = article.text_hash()
    Article.objects.bulk_create(objects)
    # Link and tag rows go in with plain INSERTs: three integers and a word each,
    # and building a model instance per row was most of the writing time.
    links: dict[type, list[tuple]] = {}
    for synthetic, article in zip(articles, objects, strict=True):
        for label, pk in sorted(synthetic.found):
            row = (article.pk, pk, LinkOrigin.LINKER.value)
            links.setdefault(link_tables[label], []).append(row)
    for through, rows in links.items():
        insert_rows(through, ["article", "entity", "origin"], rows)
    tag_rows = [
        (article.pk, tags[name].pk)
        for synthetic, article in zip(articles, objects, strict=True)
        for name in sorted(synthetic.tags)
    ]
    insert_rows(TaggedArticle, ["content_object", "tag"], tag_rows)


def _slugs(articles: list[SyntheticArticle]) -> list[str]:
    # The number keeps them unique among themselves; a real article could still
    # have taken one, so those few get another suffix.
    slugs = [f"{_transliterate(a.title)[:80].rstrip('-') or 'article'}-{a.index}" for a in articles]
    taken = set(Article.objects.filter(slug__in=slugs).values_list("slug", flat=True))
    return [f"{slug}-s" if slug in taken else slug for slug in slugs]


def _transliterate(title: str) -> str:
    """``make_slug`` with the transliteration named: python-slugify's default tries
    to import ``unidecode`` (not installed) on every call before it falls back to
    ``text_unidecode``, which cost more than the rest of an article's writing."""
    return slugify(title, max_length=80, word_boundary=True, save_order=True, backend=BACKEND)


def _agrees_with_linker(synthetic: SyntheticArticle, matcher: Matcher) -> bool:
    article = Article(title=synthetic.title, lead=synthetic.lead, body=synthetic.body)
    mentions = find_mentions(article=article, matcher=matcher)
    found = {(model._meta.label_lower, pk) for model, pk in mentions.found}
    return mentions.positions == synthetic.mentions and found == synthetic.found


def documents(*, count: int, seed: int = 1, years: int = 4) -> Iterator[SyntheticArticle]:
    """Synthetic articles without writing them (for seed files in benchmarks)."""
    generator = Generator(matcher=build_matcher(), seed=seed, years=years)
    for index in range(1, count + 1):
        yield generator.article(index)
