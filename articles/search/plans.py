"""Plans for the search's own words: its statements are never prepared.

The portal's PostgreSQL connections bind parameters on the server and prepare a
statement the second time it runs on a connection (``prepare_threshold`` in
``portal/settings``), so the pages' queries are planned once per persistent
connection. After five runs of a prepared statement PostgreSQL may switch it to
a generic plan, one plan for every value of its parameters. For a page's
queries that is the point; for the search it is a trap: the best plan for the
candidates' query depends on how many articles hold the words (a common word is
found fastest by reading the newest articles in date order and checking each, a
rare one through the GIN index), and a generic plan cannot know which it is
given. Measured at 100k articles: «завод»'s candidates took about 7 ms with a
plan for its words, 38 ms once the connection had switched to the generic one.

The rule: a query whose best plan depends on the values it is given (how common
a word is, how wide a window is) runs inside ``unprepared``, so PostgreSQL plans
it for those values every time. Planning each of them costs well under a
millisecond; the statement text may still be built once and reused.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator

from django.db.backends.base.base import BaseDatabaseWrapper


@contextlib.contextmanager
def unprepared(connection: BaseDatabaseWrapper) -> Iterator[None]:
    """Statements run on ``connection`` inside the block are neither prepared
    nor run as prepared statements, whatever the connection's settings. A no-op
    on other databases and drivers (SQLite, psycopg 2), which never prepare."""
    if connection.vendor != "postgresql":
        yield
        return
    connection.ensure_connection()
    driver = connection.connection
    if not hasattr(driver, "prepare_threshold"):
        yield
        return
    # psycopg 3: None turns preparing off for this connection, including the
    # statements it prepared before; the setting comes back afterwards.
    threshold = driver.prepare_threshold
    driver.prepare_threshold = None
    try:
        yield
    finally:
        driver.prepare_threshold = threshold
