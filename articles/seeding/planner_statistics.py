"""PostgreSQL's planner statistics, refreshed after a bulk write of articles.

PostgreSQL plans queries from table statistics that autovacuum refreshes in its
own time. Right after a bulk load it still believes the tables are as small as
before, and picks plans for that: article pages took over a second instead of
tens of milliseconds until it caught up. A bulk writer (the seed loader, the
benchmarks' synthetic corpus) refreshes them itself.

During a long load the same happens within the load: the loader's own lookups
(which slugs and source keys exist, the days of the articles it linked) are
planned for the table as it was, and as it grew tenfold inside the load's
transaction they became scans of the whole table: at 10,000 documents they
took more than half of the load's time. ``StatisticsDuringLoad`` refreshes the
statistics each time the load has written as many articles as the table held
at the last refresh, a handful of times for any load. PostgreSQL's ANALYZE
counts the rows the current transaction wrote, and a refresh makes it plan its
prepared statements again.
"""

from dataclasses import dataclass

from django.db import connection

from articles.models import Article, TaggedArticle
from companies.kinds import KINDS

# Loads smaller than this leave the statistics to autovacuum.
BULK_ROWS = 1000
# Rows a load writes before its first refresh, whatever the table held.
FIRST_REFRESH_ROWS = 500


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


@dataclass
class StatisticsDuringLoad:
    """Refreshes PostgreSQL's statistics of the article tables while a load writes.

    Each time the load has written as many articles as the table held at the
    last refresh (at least ``FIRST_REFRESH_ROWS``): a number of refreshes that
    grows with the logarithm of the load. Nothing on SQLite.
    """

    written: int = 0
    next_refresh: int | None = None

    def wrote(self, rows: int) -> bool:
        """``rows`` more articles were written; whether the statistics were refreshed."""
        if connection.vendor != "postgresql" or rows <= 0:
            return False
        if self.next_refresh is None:
            self.next_refresh = max(FIRST_REFRESH_ROWS, _analysed_articles())
        self.written += rows
        if self.written < self.next_refresh:
            return False
        quote = connection.ops.quote_name
        with connection.cursor() as cursor:
            tables = ", ".join(quote(model._meta.db_table) for model in article_tables())
            cursor.execute(f"ANALYZE {tables}")
        self.next_refresh = self.written + max(FIRST_REFRESH_ROWS, _analysed_articles())
        return True


def _analysed_articles() -> int:
    """The articles the planner believes there are (0 before any ANALYZE)."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT reltuples FROM pg_class WHERE oid = %s::regclass", [Article._meta.db_table]
        )
        (rows,) = cursor.fetchone()
    return max(0, int(rows))
