"""One search: the query cleaned, the articles ranked by the database's backend,
one page of them highlighted, and the catalog entities the query names.

Both databases rank the newest ``MAX_CANDIDATES`` matching articles, so a
common word costs no more than a rare one: at 100k articles «завод» occurs in
most of them, and ranking every match would take seconds. The page says when
there were more matches than that.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from urllib.parse import urlencode

from django.core.paginator import Page, Paginator
from django.db import connection
from django.utils.safestring import SafeString

from portal.pagination import counted_page, requested_page

from ..models import Article
from .entities import CatalogMatch, EntityMatch, match_catalog
from .highlighting import highlight, snippet
from .postgres import postgres_candidates
from .sqlite import sqlite_ranked
from .terms import Term, clean_query, query_terms

PAGE_SIZE = 20
# Only the newest matches are ranked: this bounds the work per query.
MAX_CANDIDATES = 300
# What the page needs; the rest (body mentions, hashes) can be large.
RESULT_FIELDS = ("title", "slug", "lead", "body", "published_at")


@dataclass(frozen=True)
class SearchResult:
    article: Article
    rank: float
    headline: SafeString  # the title, matches in <mark>
    snippet: SafeString  # the best passage of lead or body, matches in <mark>


@dataclass(frozen=True)
class SearchOutcome:
    query: str  # cleaned and possibly shortened: what was searched for
    truncated: bool
    terms: tuple[Term, ...]
    entities: list[EntityMatch]
    page: Page  # object_list holds SearchResult
    capped: bool  # more articles matched than MAX_CANDIDATES: the newest were ranked

    def page_url(self, number: int) -> str:
        # The first page's address has no page number: one address per page.
        return "?" + urlencode({"q": self.query, **({"page": number} if number > 1 else {})})

    @property
    def canonical_query(self) -> str:
        """What the page's canonical address adds to the path: the query and the
        page number (none on the first page); nothing without a query."""
        return self.page_url(self.page.number) if self.query else ""

    @property
    def previous_page_url(self) -> str:
        return self.page_url(self.page.previous_page_number()) if self.page.has_previous() else ""

    @property
    def next_page_url(self) -> str:
        return self.page_url(self.page.next_page_number()) if self.page.has_next() else ""


def search_articles(*, query: str, page: str | int | None = None) -> SearchOutcome:
    """Published articles and catalog entities matching ``query``, one page of them.

    Any query is accepted: junk yields no results, never an error. A ``page``
    that is no page of the results raises Http404 (``portal.pagination``). The
    number of database queries does not depend on the number of results.
    """
    number = requested_page(page)  # before any work: garbage is 404 at once
    query, truncated = clean_query(query)
    terms = query_terms(query)
    catalog = match_catalog(query=query, terms=terms) if terms else CatalogMatch([], ())
    # Articles linked to the entities the query names count as containing the words.
    namings = catalog.namings
    # (article, rank) pairs, best first; the paginator counts them with len().
    ranked: Sequence[tuple[Article, float]]
    if not terms:
        ranked, capped = [], False
    elif connection.vendor == "postgresql":
        candidates = postgres_candidates(terms=terms, namings=namings, limit=MAX_CANDIDATES)
        ranked, capped = RankedPage(candidates), len(candidates) == MAX_CANDIDATES
    else:
        ranked, capped = sqlite_ranked(
            terms=terms, namings=namings, limit=MAX_CANDIDATES, fields=RESULT_FIELDS
        )
    # A page past the last is 404, as on every list; the first always exists.
    result_page = counted_page(Paginator(ranked, PAGE_SIZE), number)
    result_page.object_list = [
        SearchResult(article, rank, highlight(article.title, terms), snippet(article, terms))
        for article, rank in result_page.object_list
    ]
    return SearchOutcome(query, truncated, terms, catalog.entities, result_page, capped)


class RankedPage(Sequence):
    """Articles by id in a given order, each with its rank; a slice costs one query."""

    def __init__(self, ranked: Sequence[tuple[int, float]]):
        self.ranked = ranked

    def __len__(self) -> int:
        return len(self.ranked)

    def __getitem__(self, index):
        if not isinstance(index, slice):
            return self[index : index + 1][0]
        rows = self.ranked[index]
        articles = Article.objects.only(*RESULT_FIELDS).in_bulk([pk for pk, _rank in rows])
        return [(articles[pk], rank) for pk, rank in rows if pk in articles]
