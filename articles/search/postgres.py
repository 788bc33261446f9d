"""Search on PostgreSQL: matching and ranking by full-text search.

Articles are matched and ranked with the ``russian`` configuration over
``articles_article.search_vector``, a weighted tsvector the database computes
on every write (migration 0003) and a GIN index serves. The model does not
declare that column, so it is reached through ``SearchVectorColumn``.

The newest matches are looked for among the newest ``SEARCH_WINDOWS`` articles
first: the planner combines the GIN index with the date index there, and the
heap is read only for matches inside the window. A rarer query goes on to the
next, older window (each starts where the last ended), and finally searches the
rest through the GIN index alone.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from django.contrib.postgres.search import SearchQuery, SearchRank, SearchVectorField
from django.db.models import QuerySet
from django.db.models.expressions import Expression

from portal.lifetimes import TimedValue
from portal.routers import read_connection

from ..models import Article
from .terms import Term

# The newest N published articles to look in first, then everything.
SEARCH_WINDOWS = (1_500, 6_000, 24_000)
WINDOW_STARTS_SECONDS = 300


def postgres_matches(*, terms: Sequence[Term]) -> QuerySet[Article]:
    """Published articles containing every term."""
    return (
        Article.objects.published()
        .alias(search_vector=SearchVectorColumn())
        .filter(search_vector=_tsquery(terms))
    )


def postgres_candidates(
    *, terms: Sequence[Term], limit: int, starts: Sequence[dt.datetime] | None = None
) -> list[tuple[int, float]]:
    """The newest ``limit`` published articles containing every term, as
    (id, rank), best first (newest first among equals).

    They are looked for in the newest window first (from the first of
    ``starts``, by default ``window_starts``), then in the next older one, and so
    on to the oldest article. Each window starts where the last one ended, so no
    article is looked at twice."""
    if starts is None:
        starts = window_starts.get()
    matches = postgres_matches(terms=terms).order_by("-published_at", "-id")
    found: list[tuple[int, float, object]] = []
    until = None
    for since in [*starts, None]:
        window = matches if until is None else matches.filter(published_at__lt=until)
        if since is not None:
            window = window.filter(published_at__gte=since)
        # Ranked outside the subquery: ts_rank reads the whole vector, so only
        # for the articles kept, not for every match in the window.
        found += (
            Article.objects.filter(pk__in=window.values("pk")[: limit - len(found)])
            .annotate(rank=SearchRank(SearchVectorColumn(), _tsquery(terms)))
            .order_by()
            .values_list("pk", "rank", "published_at")
        )
        if len(found) == limit:
            break
        until = since
    found.sort(key=lambda row: (row[1], row[2], row[0]), reverse=True)
    return [(pk, rank) for pk, rank, _published_at in found]


def find_window_starts(sizes: Sequence[int] = SEARCH_WINDOWS) -> list[dt.datetime]:
    """When the newest ``sizes`` published articles start, from the narrowest;
    windows larger than the archive are left out. One query: the ORM's own
    subqueries, selected side by side (the ORM has no SELECT without a table)."""
    published = Article.objects.published().order_by("-published_at", "-id")
    selects, params = [], []
    for size in sizes:
        sql, sql_params = published.values("published_at")[size - 1 : size].query.sql_with_params()
        selects.append(f"({sql})")
        params.extend(sql_params)
    with read_connection().cursor() as cursor:
        cursor.execute(f"SELECT {', '.join(selects)}", params)
        return [start for start in cursor.fetchone() if start is not None]


# Any start gives the same results (a window is only used when it holds ``limit``
# matches, and then those are the newest anywhere), so a start a few minutes old
# does no harm: each process keeps them that long.
window_starts = TimedValue(find_window_starts, seconds=WINDOW_STARTS_SECONDS)


class SearchVectorColumn(Expression):
    """``search_vector`` of the query's own articles table, whatever its alias
    (``U0`` inside a subquery): the model does not declare the column."""

    output_field = SearchVectorField()

    def as_sql(self, compiler, connection):
        alias = compiler.quote_name_unless_alias(compiler.query.get_initial_alias())
        return f"{alias}.{connection.ops.quote_name('search_vector')}", []


def _tsquery(terms: Sequence[Term]) -> SearchQuery:
    # plainto_tsquery: every word must occur, and the syntax of the input is never
    # interpreted, as on SQLite. Our own words: the same ones SQLite would look for.
    return SearchQuery(" ".join(t.word for t in terms), config="russian")
