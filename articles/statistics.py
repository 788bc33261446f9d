"""Planner statistics after bulk writes.

PostgreSQL plans queries from table statistics that autovacuum refreshes in its
own time. Right after a bulk load it still believes the tables are as small as
before, and picks plans for that: article pages took over a second instead of
tens of milliseconds until it caught up. A bulk writer refreshes them itself.
"""

from django.db import connection

from .linking import LINK_KINDS
from .models import Article, TaggedArticle

# Loads smaller than this leave the statistics to autovacuum.
BULK_ROWS = 1000
# The articles, their entity links and their tags.
TABLES = (Article, *(through for _entity, through, _attr in LINK_KINDS), TaggedArticle)


def refresh_after_bulk_write(rows: int) -> bool:
    """Refresh the statistics of the article tables when ``rows`` articles were
    written in bulk; whether it did. SQLite runs its own optimiser instead."""
    if rows < BULK_ROWS:
        return False
    quote = connection.ops.quote_name
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            tables = ", ".join(quote(model._meta.db_table) for model in TABLES)
            cursor.execute(f"ANALYZE {tables}")
        else:
            cursor.execute("PRAGMA optimize")
    return True
