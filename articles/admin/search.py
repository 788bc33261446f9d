"""The article list's search: the portal's own Russian search, ranked as on the site.

«заводы» finds «завода» and «заводом» in headlines, leads and bodies, as the
public search does, instead of the admin's usual ``LIKE`` over three columns
(seconds at 100,000 articles, and blind to word forms). On PostgreSQL the
articles' stored vector and its GIN index match and ``ts_rank`` ranks; on SQLite
the public search's prefilter and its ranking in Python (``articles.search``).

The list's filters, its date drill-down and the user's access rules narrow the
articles first; of those, the newest ``RANKED_MATCHES`` that contain every word
are ranked, best first, as the site ranks its newest matches (ranking every one
of tens of thousands of matches would take seconds). The list says when there
were more. Words that carry no meaning (prepositions, pronouns) find nothing.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.postgres.search import SearchRank
from django.db import connection
from django.db.models import Case, FloatField, QuerySet, Value, When
from django.db.models.expressions import Expression

from ..models import Article
from ..search import SearchVectorColumn, clean_query, query_terms
from ..search.postgres import _tsquery as tsquery
from ..search.sqlite import FIELD_WEIGHTS, sqlite_ranked
from .wording import plural

RANKED_MATCHES = 500
RANK = "search_rank"
# Where the rank's expression waits for ``ArticleChangeList`` (see there).
RANK_ON_REQUEST = "article_search_rank"
# Best first; among equals, newest first (the list's own order).
RANKED_ORDER = [f"-{RANK}", "-published_at", "-id"]


def search_articles(request, articles: QuerySet[Article], query: str) -> QuerySet[Article]:
    """The newest ``RANKED_MATCHES`` of ``articles`` matching ``query``, annotated
    with their rank (``RANK``); none for a query without a meaningful word."""
    terms = query_terms(clean_query(query)[0])
    if not terms:
        matched, rank, capped = articles.none(), Value(0.0, output_field=FloatField()), False
    elif connection.vendor == "postgresql":
        matched, rank, capped = _postgres(articles, terms)
    else:
        matched, rank, capped = _sqlite(articles, terms)
    setattr(request, RANK_ON_REQUEST, rank)
    if capped:
        messages.info(
            request,
            f"Совпадений больше {RANKED_MATCHES}: показаны {RANKED_MATCHES} самых новых "
            f"{plural(RANKED_MATCHES, 'статья', 'статьи', 'статей')}, лучшие сверху. "
            "Уточните запрос или сузьте список фильтрами.",
        )
    return matched.annotate(**{RANK: rank})


def _postgres(articles: QuerySet[Article], terms) -> tuple[QuerySet[Article], Expression, bool]:
    query = tsquery(terms)
    newest = (
        articles.alias(search_vector=SearchVectorColumn())
        .filter(search_vector=query)
        .order_by("-published_at", "-id")
        .values("pk")[: RANKED_MATCHES + 1]  # one more: were there more?
    )
    ids = [row["pk"] for row in newest]
    capped = len(ids) > RANKED_MATCHES
    matched = articles.filter(pk__in=ids[:RANKED_MATCHES])
    return matched, SearchRank(SearchVectorColumn(), query), capped


def _sqlite(articles: QuerySet[Article], terms) -> tuple[QuerySet[Article], Expression, bool]:
    fields = [field for field, _weight in FIELD_WEIGHTS]
    ranked, capped = sqlite_ranked(
        terms=terms, limit=RANKED_MATCHES, fields=fields, articles=articles
    )
    rank = Case(
        *(When(pk=article.pk, then=Value(score)) for article, score in ranked),
        default=Value(0.0),
        output_field=FloatField(),
    )
    return articles.filter(pk__in=[a.pk for a, _ in ranked]), rank, capped
