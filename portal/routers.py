"""Primary and replica: which database each query goes to.

With ``DATABASE_REPLICA_URL`` set (a PostgreSQL streaming replica of the primary
``DATABASE_URL``), the settings add the ``replica`` database and
``PrimaryReplicaRouter``; ``ReplicaReadsMiddleware`` decides per request.

What reads from the replica: the public pages that visitors read, that is GET and
HEAD requests outside the admin, without a session cookie or an Authorization
header, other than ``/healthz`` (which reports on the primary). Everything else
stays on the primary: writes, the admin, signed-in editors (their session, and
what they just saved), management commands, and any read after a write in the
same request (``db_for_write`` pins the rest of the request to the primary).
Raw SQL that pages read with reads through ``read_connection()``, which follows the
same decision.

Reading your own writes, and the page cache. The middleware runs inside the page
cache, so only requests that render a page pay for it. Before a request may read
from the replica, it asks the primary for its current WAL position
(``pg_current_wal_insert_lsn()``, which counts asynchronous commits too) and the
replica whether it has replayed that far. Only then does the request read from
the replica; otherwise it reads from the primary. Every transaction committed
before the request began is therefore visible to it, on either database:

- an editor who saves an article and opens the home page sees it, whatever the
  replica's lag;
- the page cache reads the content version before the view runs; whichever
  database the page is then rendered from holds everything committed up to that
  version, so a page stored under a new version never carries older content. (A
  lagging replica cannot make a new version be cached with old content: the
  request reads from the primary instead.)

The price is two tiny queries per rendered page, one on each database; pages
served from the cache cost nothing more. A replica that lags all the time (under
a steady stream of writes) sends most renders to the primary: watch
``pg_stat_replication.replay_lag``.

A replica that cannot be reached (stopped, restarting, refusing connections) is
left alone for ``BACKOFF_SECONDS``: reads go to the primary, one warning is
logged per backoff, and then the replica is tried again. A replica that fails in
the middle of a request fails that request only (the outage middleware's 503).
"""

from __future__ import annotations

import contextlib
import contextvars
import logging

from django.conf import settings
from django.core.exceptions import MiddlewareNotUsed
from django.db import DatabaseError, connections
from django.http import HttpRequest, HttpResponseBase

from .lifetimes import Cooldown

logger = logging.getLogger(__name__)

PRIMARY = "default"
REPLICA = "replica"
# After the replica failed, reads stay on the primary this long before it is tried again.
BACKOFF_SECONDS = 5.0
SAFE_METHODS = frozenset({"GET", "HEAD"})
# Answers about the primary itself.
PRIMARY_ONLY_PATHS = frozenset({"/healthz"})

# True while the current request may read from the replica.
_replica_reads = contextvars.ContextVar("portal_replica_reads", default=False)
# Started when the replica could not be reached: reads stay on the primary until it ends.
replica_backoff = Cooldown(seconds=BACKOFF_SECONDS)


def replica_configured() -> bool:
    return REPLICA in settings.DATABASES


def reading_from_replica() -> bool:
    """Whether reads of the current request go to the replica."""
    return _replica_reads.get()


def read_connection():
    """The connection for a page's raw SQL reads, which the router never sees: the
    replica while the current request may read from it, else the primary."""
    return connections[REPLICA if _replica_reads.get() else PRIMARY]


class PrimaryReplicaRouter:
    """Reads go to the replica only while the middleware allows it; writes never do."""

    def db_for_read(self, model, **hints):
        return REPLICA if _replica_reads.get() else PRIMARY

    def db_for_write(self, model, **hints):
        # The request reads its own write from here on.
        _replica_reads.set(False)
        return PRIMARY

    def allow_relation(self, obj1, obj2, **hints):
        # Both aliases hold the same data.
        return True

    def allow_migrate(self, db, app_label, model_name=None, **hints):
        # The replica follows the primary's WAL, migrations included.
        return db == PRIMARY


# Decisions ---------------------------------------------------------------------


def public_read(request: HttpRequest) -> bool:
    """Whether ``request`` is a visitor's page read that may lag."""
    if request.method not in SAFE_METHODS:
        return False
    path = request.path_info
    if path in PRIMARY_ONLY_PATHS or path.startswith("/" + settings.ADMIN_PATH):
        return False
    return settings.SESSION_COOKIE_NAME not in request.COOKIES and (
        "HTTP_AUTHORIZATION" not in request.META
    )


def _is_postgresql(alias: str) -> bool:
    return connections[alias].vendor == "postgresql"


def primary_position() -> str | None:
    """The primary's current WAL insert position (None when not PostgreSQL)."""
    if not _is_postgresql(PRIMARY):
        return None
    with connections[PRIMARY].cursor() as cursor:
        cursor.execute("SELECT pg_current_wal_insert_lsn()::text")
        return cursor.fetchone()[0]


def replica_has_replayed(position: str | None) -> bool:
    """Whether the replica has replayed the primary's WAL up to ``position``.

    A server that is not in recovery (a promoted replica) is up to date by definition.
    """
    if position is None or not _is_postgresql(REPLICA):
        # Not PostgreSQL (tests point the replica at the primary's own database).
        with connections[REPLICA].cursor() as cursor:
            cursor.execute("SELECT 1")
        return True
    with connections[REPLICA].cursor() as cursor:
        cursor.execute("SELECT coalesce(pg_last_wal_replay_lsn() >= %s::pg_lsn, true)", [position])
        return bool(cursor.fetchone()[0])


def replica_ready() -> bool:
    """Whether the current request can read from the replica and see every commit so far."""
    if replica_backoff.active:
        return False
    try:
        position = primary_position()
    except DatabaseError:
        # The primary is the one in trouble: the request goes on there and meets it.
        return False
    try:
        return replica_has_replayed(position)
    except DatabaseError as error:
        replica_backoff.start()
        logger.warning(
            "Replica unreachable (%s: %s); reading from the primary for %g s",
            type(error).__name__,
            str(error).strip(),
            BACKOFF_SECONDS,
        )
        if replica_configured():
            # Dropped, so the next try opens a new connection.
            with contextlib.suppress(DatabaseError):
                connections[REPLICA].close()
        return False


class ReplicaReadsMiddleware:
    """Lets a visitor's page read from the replica when it is up to date.

    Place it right after the page cache: a cached page never reaches it. Without a
    replica configured it takes itself out of the chain.
    """

    def __init__(self, get_response):
        if not replica_configured():
            raise MiddlewareNotUsed
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        if not (public_read(request) and replica_ready()):
            return self.get_response(request)
        token = _replica_reads.set(True)
        try:
            return self.get_response(request)
        finally:
            _replica_reads.reset(token)
