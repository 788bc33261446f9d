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

When the query names catalog entities (``namings``), each window also takes the
newest articles linked to them, through the link tables' entity index: a union
of branches beside the text matches (``linked_branches``), so a rare entity's
articles are found by its links and a common one's stop at the window's limit.
For ``ts_rank``, the words naming an entity join the vector of an article linked
to it, weighted as its headline.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from django.contrib.postgres.search import (
    SearchQuery,
    SearchRank,
    SearchVector,
    SearchVectorField,
)
from django.db.models import Case, Func, Q, QuerySet, Value, When
from django.db.models.expressions import Expression
from django.db.models.functions import Cast

from portal.lifetimes import TimedValue
from portal.routers import read_connection

from ..models import Article
from .namings import Naming, linked_branches, match_condition, term_groups
from .plans import unprepared
from .terms import Term

# The newest N published articles to look in first, then everything.
SEARCH_WINDOWS = (1_500, 6_000, 24_000)
WINDOW_STARTS_SECONDS = 300


def postgres_matches(*, terms: Sequence[Term], namings: Sequence[Naming] = ()) -> QuerySet[Article]:
    """Published articles containing every term, or linked to an entity the
    terms name instead (``namings``)."""
    return _searchable().filter(match_condition(term_groups(terms, namings), in_text=_in_text))


def postgres_candidates(
    *,
    terms: Sequence[Term],
    limit: int,
    namings: Sequence[Naming] = (),
    starts: Sequence[dt.datetime] | None = None,
) -> list[tuple[int, float]]:
    """The newest ``limit`` published articles ``postgres_matches`` finds, as
    (id, rank), best first (newest first among equals).

    They are looked for in the newest window first (from the first of
    ``starts``, by default ``window_starts``), then in the next older one, and so
    on to the oldest article. Each window starts where the last one ended, so no
    article is looked at twice."""
    if starts is None:
        starts = window_starts.get()
    # Planned for these words every time, never as a generic plan (``plans``).
    with unprepared(read_connection()):
        found = _newest_in_windows(terms, namings, limit, starts)
    found.sort(key=lambda row: (row[1], row[2], row[0]), reverse=True)
    return [(pk, rank) for pk, rank, _published_at in found]


def _newest_in_windows(
    terms: Sequence[Term], namings: Sequence[Naming], limit: int, starts: Sequence[dt.datetime]
) -> list[tuple[int, float, dt.datetime]]:
    branches = _branches(terms, namings)
    rank = SearchRank(_ranked_vector(terms, namings), _tsquery(terms))
    found: list[tuple[int, float, dt.datetime]] = []
    until = None
    for since in [*starts, None]:
        wanted = limit - len(found)
        newest = [_window(branch, since, until).values("pk")[:wanted] for branch in branches]
        # Ranked outside the subquery: ts_rank reads the whole vector, so only
        # for the articles kept, not for every match in the window.
        kept = Article.objects.filter(pk__in=newest[0].union(*newest[1:]) if namings else newest[0])
        found += (
            kept.annotate(rank=rank)
            .order_by("-published_at", "-id")
            .values_list("pk", "rank", "published_at")[:wanted]
        )
        if len(found) == limit:
            break
        until = since
    return found


def _searchable() -> QuerySet[Article]:
    return Article.objects.published().alias(search_vector=SearchVectorColumn())


def _branches(terms: Sequence[Term], namings: Sequence[Naming]) -> list[QuerySet[Article]]:
    """The text matches, then the articles whose links stand for some of the
    words (``linked_branches``): together, every match. Apart, each branch can
    use its own index (the vector's GIN index, the link tables' entity index)."""
    searchable = _searchable()
    linked = linked_branches(term_groups(terms, namings), in_text=_in_text) if namings else []
    return [searchable.filter(search_vector=_tsquery(terms)), *map(searchable.filter, linked)]


def _window(
    matches: QuerySet[Article], since: dt.datetime | None, until: dt.datetime | None
) -> QuerySet[Article]:
    if until is not None:
        matches = matches.filter(published_at__lt=until)
    if since is not None:
        matches = matches.filter(published_at__gte=since)
    return matches.order_by("-published_at", "-id")


def _ranked_vector(terms: Sequence[Term], namings: Sequence[Naming]) -> Expression:
    """The article's vector, with the words of each naming whose entities it is
    linked to added as headline words."""
    if not namings:
        return SearchVectorColumn()
    empty = Cast(Value(""), SearchVectorField())
    named = [
        Case(
            When(
                naming.is_linked(),
                then=SearchVector(
                    Value(" ".join(t.word for t in terms if t.word in naming.words)),
                    config="russian",
                    weight="A",
                ),
            ),
            default=empty,
        )
        for naming in namings
    ]
    return Func(
        SearchVectorColumn(),
        *named,
        arg_joiner=" || ",
        template="(%(expressions)s)",
        output_field=SearchVectorField(),
    )


def _in_text(terms: Sequence[Term]) -> Q:
    return Q(search_vector=_tsquery(terms))


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
