"""Loading seed documents into articles: all or nothing, in batches.

Files are read once, in one pass inside one transaction: each is parsed, and
the valid ones are written a batch at a time, each batch in a fixed number of
queries (articles, entity links, tags), so a load of ten thousand files takes
about as many queries as a load of a few hundred. One invalid file (without
``skip_invalid``) stops the writing, the rest are still checked so that every
error is reported, and the transaction takes back what was written. An
article an editor changed since it was loaded is left alone unless forced.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from django.conf import settings
from django.db import reset_queries, transaction
from django.utils import timezone

from articles.figures import figures_batch, note_articles
from articles.linking import (
    POSITION_FIELDS,
    ArticleText,
    LinkResult,
    Matcher,
    build_matcher,
    find_mentions,
    sync_links,
)
from articles.linking.topics import CATEGORY_TAGS, article_topics, tag_articles
from articles.models import Article, Tag
from companies.models import VehicleModel
from portal.cache import bump_content_version

from .catalog import DEFAULT_CATALOG, load_catalog
from .documents import MAX_BYTES, ParsedDocument
from .errors import LoadError, SeedError
from .files import collect_files, read_document
from .memory import release_freed_memory
from .planner_statistics import StatisticsDuringLoad, refresh_after_bulk_write
from .report import LoadedArticle, LoadReport, Outcome
from .slugs import LoadSlugs

# Files written per batch: large enough that queries are few, small enough
# that a batch's texts and objects take little memory.
BATCH_SIZE = 500
# What the loader writes on an existing article (``updated_at`` set by hand:
# ``bulk_update`` does not apply ``auto_now``).
UPDATED_FIELDS = [
    "title",
    "title_derived",
    "lead",
    "body",
    "status",
    "published_at",
    "source_hash",
    "loaded_hash",
    *POSITION_FIELDS,
    "updated_at",
]
EDITED_REASON = "edited by an editor since it was loaded; --force overwrites the edits"


def load_documents(
    *,
    paths: list[Path],
    catalog: Path | None = DEFAULT_CATALOG,
    dry_run: bool = False,
    force: bool = False,
    skip_invalid: bool = False,
    encoding: str = "utf-8",
    max_bytes: int = MAX_BYTES,
    keep_articles: bool = True,
    listener: Callable[[Outcome, LoadedArticle], None] | None = None,
) -> LoadReport:
    """Read, check and write the files in batches inside one transaction.

    Each file is read and parsed once; only one batch of documents is held at
    a time, so memory stays flat however many files there are. An invalid
    file (unless ``skip_invalid``) ends the writing: the remaining files are
    only checked, ``LoadError`` lists every error, and the transaction takes
    back everything written before it, the catalog included. ``keep_articles``
    and ``listener``: see ``LoadReport``.
    """
    report = LoadReport(dry_run=dry_run, keep_articles=keep_articles, listener=listener)
    with transaction.atomic(), figures_batch():
        if catalog is not None:
            report.catalog_created, report.catalog_kept = load_catalog(catalog)
        batches = _Batches(matcher=build_matcher(), force=force, report=report)
        batch: list[ParsedDocument] = []
        for path, target in collect_files(paths):
            try:
                document = read_document(
                    path, target=target, encoding=encoding, max_bytes=max_bytes
                )
            except SeedError as exc:
                report.invalid.append(exc)
                continue
            if report.invalid and not skip_invalid:
                continue  # the load is refused: the rest is only validated
            batch.append(document)
            if len(batch) == BATCH_SIZE:
                batches.write(batch)
                batch = []
                release_freed_memory()  # what the batch freed: see ``memory``
        if report.invalid and not skip_invalid:
            # Raised inside the transaction: whatever was written goes back.
            raise LoadError(report.invalid)
        batches.write(batch)
        if dry_run:
            transaction.set_rollback(True)
    if not dry_run and (report.written or report.catalog_created):
        # Pages cached before the load would not show it: bulk writes send no signals.
        bump_content_version()
        refresh_after_bulk_write(report.written)
    return report


# An article to write and the document it is written from.
_Pair = tuple[Article, ParsedDocument]


@dataclass
class _Batches:
    """Writes batches of checked files: articles, links and tags, a few queries each."""

    matcher: Matcher
    force: bool
    report: LoadReport
    tags: dict[str, Tag] = field(default_factory=dict)
    slugs: LoadSlugs = field(default_factory=LoadSlugs)
    statistics: StatisticsDuringLoad = field(default_factory=StatisticsDuringLoad)

    def write(self, batch: list[ParsedDocument]) -> None:
        if not batch:
            return
        created, updated = self._sort(batch)
        for (article, _document), slug in zip(
            created, self.slugs.for_titles([d.title for _a, d in created]), strict=True
        ):
            article.slug = slug
        found, topics = self._prepare(created + updated)
        Article.objects.bulk_create([article for article, _d in created])
        now = timezone.now()
        for article, _document in updated:
            article.updated_at = now
        # ``bulk_update`` sends no signals: the figures of the days the articles
        # leave and of those they move to are counted again.
        note_articles(article_ids=[article.pk for article, _d in updated])
        Article.objects.bulk_update([article for article, _d in updated], UPDATED_FIELDS)
        note_articles(article_ids=[article.pk for article, _d in updated])

        for group, new in ((created, True), (updated, False)):
            if not group:
                continue
            links = sync_links(
                found={a.pk: found[id(a)] for a, _d in group}, matcher=self.matcher, new=new
            )
            tag_articles(
                names={a.pk: topics[id(a)] | self._categories(links[a.pk]) for a, _d in group},
                new=new,
                known=self.tags,
            )
        for outcome, pairs in (("created", created), ("updated", updated)):
            for article, _document in pairs:
                self.report.add(outcome, _summary_of(article))
        # The next batch's lookups planned for the table as it is now.
        self.statistics.wrote(len(created) + len(updated))
        if settings.DEBUG:
            # Django keeps the SQL of every query then, texts included.
            reset_queries()

    def _sort(self, batch: list[ParsedDocument]) -> tuple[list[_Pair], list[_Pair]]:
        """The batch's new articles and those to update; the unchanged and the
        edited ones go straight into the report."""
        rows = list(
            Article.objects.filter(source_key__in=[c.source_key for c in batch]).values_list(
                "source_key", "pk", "source_hash", "title", "slug", "title_derived"
            )
        )
        current = {key: (pk, hash_, title, slug) for key, pk, hash_, title, slug, _ in rows}
        unflagged = {key for key, *_, derived in rows if not derived}
        self._mark_derived_titles(
            [
                c
                for c in batch
                if c.title_derived
                and c.source_key in unflagged
                and current[c.source_key][1] == c.content_hash
            ]
        )
        changed = Article.objects.in_bulk(
            [
                current[c.source_key][0]
                for c in batch
                if c.source_key in current and current[c.source_key][1] != c.content_hash
            ]
        )
        created: list[_Pair] = []
        updated: list[_Pair] = []
        for checked in batch:
            if checked.source_key not in current:
                created.append((Article(source_key=checked.source_key), checked))
                continue
            pk, source_hash, title, slug = current[checked.source_key]
            if source_hash == checked.content_hash:
                self.report.add("unchanged", LoadedArticle(pk, checked.source_key, title, slug))
            elif changed[pk].edited_since_load and not self.force:
                summary = LoadedArticle(pk, checked.source_key, title, slug)
                self.report.add("skipped", summary, EDITED_REASON)
            else:
                updated.append((changed[pk], checked))
        return created, updated

    def _mark_derived_titles(self, unchanged: list[ParsedDocument]) -> None:
        """Flag the derived headlines of unchanged articles loaded before the flag existed.

        Only where the article is as the loader left it: one an editor changed
        keeps its flag (cleared if they wrote a headline of their own).
        """
        if not unchanged:
            return
        candidates = Article.objects.filter(source_key__in=[c.source_key for c in unchanged])
        loaded_as_is = [a.pk for a in candidates if not a.edited_since_load]
        Article.objects.filter(pk__in=loaded_as_is).update(title_derived=True)

    def _prepare(self, pairs: list[_Pair]) -> tuple[dict[int, set], dict[int, set[str]]]:
        """Fill each article from its document; the entities and topics found in
        each, by ``id()`` of the article (new ones have no primary key yet)."""
        found, topics = {}, {}
        for article, document in pairs:
            _fill(article, document)
            text = ArticleText(article)
            mentions = find_mentions(article=article, matcher=self.matcher, text=text)
            mentions.store(article)
            found[id(article)] = mentions.found
            topics[id(article)] = article_topics(article, text=text)
        return found, topics

    def _categories(self, links: LinkResult) -> set[str]:
        """Category tags of the vehicle models linked to an article."""
        models = [pk for model, pk in links.linked if model is VehicleModel]
        known = self.matcher.entities
        missing = [pk for pk in models if (VehicleModel, pk) not in known]
        categories = [known[(VehicleModel, pk)].category for pk in models if pk not in missing]
        if missing:
            categories += VehicleModel.objects.filter(pk__in=missing).values_list(
                "category", flat=True
            )
        return {CATEGORY_TAGS[category] for category in categories if category}


def _fill(article: Article, document: ParsedDocument) -> None:
    article.title = document.title
    article.title_derived = document.title_derived
    article.lead = document.lead
    article.body = document.body
    article.status = Article.Status.PUBLISHED
    article.published_at = document.published_at
    article.source_hash = document.content_hash
    article.loaded_hash = article.editorial_hash()


def _summary_of(article: Article) -> LoadedArticle:
    return LoadedArticle(article.pk, article.source_key, article.title, article.slug)
