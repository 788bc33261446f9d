"""The articles whose text meets a footprint, on either database.

PostgreSQL reads the article's stored search vector through its GIN index
(``articles.search.postgres``): each substring of a footprint becomes a prefix
query term, which the ``russian`` configuration stems as it stemmed the text
(«Моторс» for «Моторсом», «Росси» for «Россией»), so the lookup costs
milliseconds where ``LIKE`` would read every article's text (seconds at tens
of thousands of articles). A group whose every word is a stop word of that
configuration would be an empty query, which matches nothing: such a group is
looked for with ``LIKE`` instead.

SQLite has no index over words: it looks for the substrings with ``LIKE``,
which ignores case for Latin letters only, so Cyrillic ones come in each
case; ``_`` stands for «е» or «ё», which the linker reads as one letter.
"""

from __future__ import annotations

from django.contrib.postgres.search import SearchQuery, SearchVectorExact
from django.db import connection
from django.db.models import F, Lookup, Q

from ..search.postgres import SearchVectorColumn
from .footprints import Footprint, Group, Needles

TEXT_FIELDS = ("title", "lead", "body")
YO = "еёЕЁ"


def text_filter(footprint: Footprint) -> Q:
    """The articles whose headline, lead or body meets one of the footprint's
    groups. An empty footprint selects nothing."""
    condition = Q(pk__in=[])
    if connection.vendor == "postgresql":
        searchable = _searchable_groups(footprint)
        if searchable:
            query = " | ".join(f"({_tsquery(group)})" for group in searchable)
            condition |= Q(SearchVectorExact(SearchVectorColumn(), _raw_query(query)))
        footprint = footprint - frozenset(searchable)
    for group in footprint:
        condition |= Q(*(_contains_any(needles) for needles in group))
    return condition


# --- PostgreSQL ------------------------------------------------------------------


def _raw_query(text: str) -> SearchQuery:
    return SearchQuery(text, search_type="raw", config="russian")


def _tsquery(group: Group) -> str:
    words = []
    for needles in sorted(group, key=sorted):
        # An abbreviation («КР») comes as written only: a word of its own, not
        # the start of every word («крупный»).
        whole = not any(char.islower() for needle in needles for char in needle)
        suffix = "" if whole else ":*"
        terms = sorted({_quote(needle.lower()) + suffix for needle in needles})
        words.append("(" + " | ".join(terms) + ")")
    return " & ".join(words)


def _quote(lexeme: str) -> str:
    return "'" + lexeme.replace("\\", "\\\\").replace("'", "''") + "'"


def _searchable_groups(footprint: Footprint) -> list[Group]:
    """The groups whose query keeps a word once stop words are dropped, in one query."""
    groups = sorted(footprint, key=lambda group: sorted(map(sorted, group)))
    if not groups:
        return []
    columns = ", ".join(["numnode(to_tsquery('russian', %s))"] * len(groups))
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {columns}", [_tsquery(group) for group in groups])
        nodes = cursor.fetchone()
    return [group for group, count in zip(groups, nodes, strict=True) if count]


# --- SQLite (and PostgreSQL's stop words) ------------------------------------------


class Like(Lookup):
    """``lhs LIKE rhs`` with the pattern as given, ``\\`` escaping."""

    lookup_name = "catalog_like"

    def as_sql(self, compiler, connection):
        lhs, lhs_params = self.process_lhs(compiler, connection)
        rhs, rhs_params = self.process_rhs(compiler, connection)
        return f"{lhs} LIKE {rhs} ESCAPE '\\'", [*lhs_params, *rhs_params]


def like_pattern(needle: str) -> str:
    escaped = needle.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return "%" + "".join("_" if char in YO else char for char in escaped) + "%"


def _contains_any(needles: Needles) -> Q:
    # SQLite's LIKE folds the case of Latin letters itself; PostgreSQL's folds none.
    fold_latin = connection.vendor == "sqlite"
    patterns = set()
    for needle in needles:
        patterns.add(like_pattern(needle.lower() if fold_latin and needle.isascii() else needle))
    return Q(
        *(Like(F(field), pattern) for pattern in sorted(patterns) for field in TEXT_FIELDS),
        _connector=Q.OR,
    )
