"""Scan articles for names the catalog lacks and store them as suggestions.

NER runs first, outside any transaction, so the database is not held while
natasha works; the writes then happen in one transaction. Re-running is
idempotent: a scanned article's occurrences of new suggestions are replaced,
and each touched suggestion's ``mentions`` is recounted from its occurrences.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from django.db import transaction
from django.db.models import Count, OuterRef, Subquery
from django.db.models.functions import Coalesce
from django.utils import timezone

from ..models import Article, EntitySuggestion, SuggestionOccurrence
from .candidates import Candidate, find_candidates, one_per_sentence
from .known import KnownNames, build_known_names, fold
from .variants import bare_forms, first_spellings

if TYPE_CHECKING:
    from django.db.models import QuerySet

Status = EntitySuggestion.Status
# Rows per IN (…) list: well under SQLite's limit on query parameters.
CHUNK = 500


@dataclass
class ScanReport:
    articles: int = 0
    suggestions: int = 0  # distinct suggestions found in the scanned articles
    created: int = 0
    removed: int = 0  # new suggestions no article supports any more
    dry_run: bool = False
    # (name, kind, mentions) of every suggestion found, for ``-v 2``.
    found: list[tuple[str, str, int]] = field(default_factory=list)

    def summary(self) -> str:
        text = (
            f"{self.articles} articles scanned, {self.suggestions} suggestions ({self.created} new)"
        )
        if self.removed:
            text += f", {self.removed} stale removed"
        if self.dry_run:
            text += " (dry run: nothing written)"
        return text


def articles_to_scan(*, since: dt.date | None = None) -> QuerySet[Article]:
    """Every article, drafts included (editors add entities before publishing);
    with ``since``, those dated that day or later in the site's time zone."""
    articles = Article.objects.only("id", "title", "lead", "body").order_by("pk")
    if since is not None:
        start = timezone.make_aware(dt.datetime.combine(since, dt.time.min))
        articles = articles.filter(published_at__gte=start)
    return articles


def article_text(article: Article) -> str:
    """Headline, lead and body blocks as paragraphs (subheadings without «## »)."""
    return "\n\n".join(part for part in article.mention_texts() if part.strip())


def scan_articles(*, since: dt.date | None = None, dry_run: bool = False) -> ScanReport:
    """Find unknown names in articles and store them as suggestions."""
    known = build_known_names()
    found: dict[int, list[Candidate]] = {}
    for article in articles_to_scan(since=since).iterator(chunk_size=200):
        candidates = find_candidates(article_text(article), known=known)
        found[article.pk] = one_per_sentence(candidates)
    report = ScanReport(articles=len(found), dry_run=dry_run)
    with transaction.atomic():
        _store(found=found, known=known, report=report)
        if dry_run:
            transaction.set_rollback(True)
    return report


def _store(*, found: dict[int, list[Candidate]], known: KnownNames, report: ScanReport) -> None:
    article_ids = sorted(_still_there(found.keys()))
    # Read under the transaction: an editor may have decided on a name during NER.
    existing, decided = _suggestions_so_far()
    touched = _drop_new_occurrences(article_ids)
    found = _one_spelling(
        {article_id: found[article_id] for article_id in article_ids}, existing, known
    )
    seen = _add_occurrences(
        found,
        existing=existing,
        decided=decided,
        report=report,
    )
    report.suggestions = len(seen)
    report.removed += _recount(touched | seen)
    for chunk in _chunks(sorted(seen), CHUNK):
        report.found += EntitySuggestion.objects.filter(pk__in=chunk).values_list(
            "name", "kind", "mentions"
        )
    report.found.sort(key=lambda row: (-row[2], row[0]))


def _one_spelling(
    found: dict[int, list[Candidate]],
    existing: dict[tuple[str, str], EntitySuggestion],
    known: KnownNames,
) -> dict[int, list[Candidate]]:
    """Every article's candidates under one spelling per name across the scan:
    a case form under its bare form found elsewhere («Жол Моторса» → «Жол
    Моторс»), a name that names its country otherwise under its first spelling,
    an existing suggestion's spelling first of all."""
    names = [(s.name, kind) for (_folded, kind), s in existing.items()]
    names += [(c.name, c.kind) for candidates in found.values() for c in candidates]
    bare = bare_forms(names)
    spelt = first_spellings([bare[key] for key in names], known.country_skeleton)

    def respelt(candidate: Candidate) -> Candidate:
        name, kind = bare[(candidate.name, candidate.kind)]
        return Candidate(spelt[(name, kind)], kind, candidate.sentence)

    return {
        article_id: one_per_sentence(respelt(c) for c in candidates)
        for article_id, candidates in found.items()
    }


def _suggestions_so_far() -> tuple[dict[tuple[str, str], EntitySuggestion], set[str]]:
    """New suggestions by (folded name, kind), and the folded names editors decided on."""
    existing: dict[tuple[str, str], EntitySuggestion] = {}
    decided: set[str] = set()
    for suggestion in EntitySuggestion.objects.only("id", "name", "kind", "status").iterator():
        if suggestion.status == Status.NEW:
            existing[(fold(suggestion.name), suggestion.kind)] = suggestion
        else:
            decided.add(fold(suggestion.name))
    return existing, decided


def _drop_new_occurrences(article_ids: list[int]) -> set[int]:
    """Delete the articles' occurrences of new suggestions; the ids of those suggestions.

    Accepted and rejected suggestions keep their occurrences as a record.
    """
    touched: set[int] = set()
    for chunk in _chunks(article_ids, CHUNK):
        old = SuggestionOccurrence.objects.filter(
            article_id__in=chunk, suggestion__status=Status.NEW
        )
        touched |= set(old.values_list("suggestion_id", flat=True))
        old.delete()
    return touched


def _add_occurrences(
    found: dict[int, list[Candidate]],
    *,
    existing: dict[tuple[str, str], EntitySuggestion],
    decided: set[str],
    report: ScanReport,
) -> set[int]:
    """Store each candidate as an occurrence of its suggestion, created if new;
    the ids of the suggestions found."""
    occurrences = []
    seen: set[int] = set()
    for article_id, candidates in found.items():
        for candidate in candidates:
            if fold(candidate.name) in decided:
                continue
            key = (fold(candidate.name), candidate.kind)
            if (suggestion := existing.get(key)) is None:
                suggestion = EntitySuggestion.objects.create(
                    name=candidate.name, kind=candidate.kind
                )
                existing[key] = suggestion
                report.created += 1
            seen.add(suggestion.pk)
            occurrences.append(
                SuggestionOccurrence(
                    suggestion=suggestion, article_id=article_id, sentence=candidate.sentence
                )
            )
    SuggestionOccurrence.objects.bulk_create(occurrences, batch_size=CHUNK)
    return seen


def _recount(suggestion_ids: set[int]) -> int:
    """Recount the suggestions' mentions; delete the new ones left with none (how many)."""
    count = (
        SuggestionOccurrence.objects.filter(suggestion=OuterRef("pk"))
        .order_by()
        .values("suggestion")
        .annotate(n=Count("pk"))
        .values("n")
    )
    removed = 0
    for chunk in _chunks(sorted(suggestion_ids), CHUNK):
        EntitySuggestion.objects.filter(pk__in=chunk).update(mentions=Coalesce(Subquery(count), 0))
        # A new suggestion no article supports any more (the text changed, or the
        # catalog learnt the name) is noise: drop it.
        stale = EntitySuggestion.objects.filter(pk__in=chunk, status=Status.NEW, mentions=0)
        removed += stale.delete()[1].get(EntitySuggestion._meta.label, 0)
    return removed


def _still_there(ids: Iterable[int]) -> set[int]:
    """The scanned articles that still exist (one may be deleted while NER runs)."""
    result: set[int] = set()
    for chunk in _chunks(sorted(ids), CHUNK):
        result |= set(Article.objects.filter(pk__in=chunk).values_list("pk", flat=True))
    return result


def _chunks(items: list[int], size: int) -> Iterator[list[int]]:
    for i in range(0, len(items), size):
        yield items[i : i + size]
