"""PostgreSQL's planner statistics, refreshed after a bulk write of articles.

PostgreSQL plans queries from table statistics that autovacuum refreshes in its
own time. Right after a bulk load it still believes the tables are as small as
before, and picks plans for that: article pages took over a second instead of
tens of milliseconds until it caught up. A bulk writer (the seed loader, the
benchmarks' synthetic corpus) refreshes them itself.
"""

from django.db import connection

from articles.models import Article, TaggedArticle
from companies.kinds import KINDS

# Loads smaller than this leave the statistics to autovacuum.
BULK_ROWS = 1000


def article_tables() -> tuple:
    """The articles, their entity links and their tags."""
    return (Article, *(kind.links for kind in KINDS), TaggedArticle)


def refresh_after_bulk_write(rows: int) -> bool:
    """Refresh the statistics of the article tables when ``rows`` articles were
    written in bulk; whether it did. SQLite runs its own optimiser instead."""
    if rows < BULK_ROWS:
        return False
    quote = connection.ops.quote_name
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            tables = ", ".join(quote(model._meta.db_table) for model in article_tables())
            cursor.execute(f"ANALYZE {tables}")
        else:
            cursor.execute("PRAGMA optimize")
    return True
