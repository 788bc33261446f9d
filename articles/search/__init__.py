"""Article and entity search, by Russian lemma, on PostgreSQL and on SQLite.

Every word of the query must occur in an article, in any form: «заводы
Киргизии» finds «завод в Киргизии». Headline matches rank above lead matches,
which rank above body matches. Catalog entities the query names are listed
above the articles, and the articles linked to them count as containing the
words that name them, whatever name their text uses («Tulpar Motors» finds the
articles about Тулпар Моторс).

- ``service``: ``search_articles``, one search and one page of results;
- ``terms``: the query cleaned and split into words, and what each may match;
- ``postgres``: full-text search over the stored vector, newest windows first;
- ``sqlite``: a ``LIKE`` prefilter and ranking in Python;
- ``highlighting``: headlines and snippets with the matches in ``<mark>``;
- ``entities``: the catalog entities a query names;
- ``namings``: the words that name them, and how they find the entities' articles;
- ``plans``: the search's statements run unprepared, planned for their words;
- ``views``: the search page.

The names other modules use are re-exported here.
"""

from .entities import CatalogMatch, EntityMatch, find_entities, match_catalog
from .highlighting import highlight, snippet, term_matcher
from .namings import Naming
from .postgres import SearchVectorColumn, postgres_candidates, postgres_matches
from .service import PAGE_SIZE, SearchOutcome, SearchResult, search_articles
from .terms import MAX_QUERY_LENGTH, Term, clean_query, query_terms, word_keys

__all__ = [
    "MAX_QUERY_LENGTH",
    "PAGE_SIZE",
    "CatalogMatch",
    "EntityMatch",
    "Naming",
    "SearchOutcome",
    "SearchResult",
    "SearchVectorColumn",
    "Term",
    "clean_query",
    "find_entities",
    "highlight",
    "match_catalog",
    "postgres_candidates",
    "postgres_matches",
    "query_terms",
    "search_articles",
    "snippet",
    "term_matcher",
    "word_keys",
]
