"""Whole-page caching for anonymous visitors, kept correct by a content version.

Every cached page is stamped with the *content version* current when it was
rendered and is served only while that version is still current. Any change to
what visitors can see replaces the version with a new random token, which makes
every cached page stale at once, in every process:

- ORM writes (save, delete, many-to-many changes) of the models the apps name
  with ``watch_models()`` from their ``AppConfig.ready()`` (articles, tags,
  entity links, catalog entities);
- bulk writes the ORM's signals do not see (``bulk_create``, ``QuerySet.update``),
  through an explicit ``bump_content_version()``.

The new token is written once the transaction commits, so no request can render
the old content and store it under the new version. A random token, not a
counter, so a version lost with an evicted or flushed key is never issued again.

Where the version lives: each gunicorn worker has a cache of its own unless the
cache is shared, and all of them must see a change on their very next request.
With the default local-memory cache it is the single row of
``portal.ContentVersion``, read with one primary-key query per anonymous request.
With a shared cache (``REDIS_URL``) it is a key in it, which with Redis each
process also keeps, told of every change by pub/sub (``portal/version_watch.py``),
next to the pages it served last (``portal/hot_pages.py``): a hit makes no round
trip, or one (``GET`` the page, or ``MGET`` it with the version when unsure).

Scheduled articles come out at their time without any write, so a page is kept
no longer than until the next such change after it was rendered: the apps say
when that is with ``register_next_change()`` (this module knows no app).

A cache that fails (Redis down) never fails a page: the error is logged, and the
process serves pages uncached for a few seconds before it tries again.

API used by the rest of the project:
- ``content_version()``: the current version token.
- ``bump_content_version()``: call after content changed in a way the ORM's
  signals do not see (bulk writes: the loader, relink, queryset updates).
- ``watch_models()``, ``register_next_change()``: for the apps' ``ready()``.
"""

import datetime as dt
import functools
import hashlib
import logging
import math
import secrets
from collections.abc import Iterable
from typing import NamedTuple, Protocol

from django.conf import settings
from django.core.cache import BaseCache, caches
from django.core.cache.backends.memcached import PyLibMCCache, PyMemcacheCache
from django.core.cache.backends.redis import RedisCache
from django.db import connections, models, router, transaction
from django.db.models.signals import m2m_changed, post_delete, post_save
from django.http import HttpRequest
from django.utils import timezone
from django.utils.encoding import escape_uri_path

from .cachekeys import query_key_part
from .hot_pages import hot_pages
from .lifetimes import Cooldown, Flag
from .version_watch import CHANNEL, VersionWatch

logger = logging.getLogger(__name__)

VERSION_KEY = "portal:content-version"
# The format is part of the key: a deploy that changes CachedPage starts afresh.
PAGE_KEY_PREFIX = "portal:page:2:"
VERSION_ROW = 1
# Caches every process of every machine reaches; any other (local memory, files)
# is private to a process or a machine, so the version goes to the database.
SHARED_BACKENDS: tuple[type[BaseCache], ...] = (RedisCache, PyMemcacheCache, PyLibMCCache)
# After a cache failure, pages go uncached this long before the cache is tried
# again: a Redis that is down costs one failed connection per process, not one
# per request, and one warning in the log.
BACKOFF_SECONDS = 5.0


class CachedPage(NamedTuple):
    version: str
    expires: float  # POSIX time; the page must be rendered again from then on
    etag: str
    last_modified: int  # POSIX seconds
    # Every header of the answer, as the middleware below the cache left them,
    # X-Cache: HIT included: set as they are on a hit, checked once when stored.
    headers: tuple[tuple[str, str], ...]
    content: bytes


def page_cache() -> BaseCache:
    return caches["default"]


def page_key(request: HttpRequest) -> str:
    """The key of a page, whatever the method: scheme, host, path and the query
    parameters the page reads (``portal.cachekeys``), never the rest of the query."""
    query = query_key_part(request.path_info, request.GET)
    url = f"{request.scheme}://{request.get_host()}{escape_uri_path(request.path)}?{query}"
    return PAGE_KEY_PREFIX + hashlib.md5(url.encode(), usedforsecurity=False).hexdigest()


# The version ------------------------------------------------------------------

# Raised when writing a new version failed (the cache was down): until a retry
# succeeds this process must not serve cached pages, which may be stale.
pending_bump = Flag()
# Started by a cache failure: pages go uncached until it ends.
backoff = Cooldown(seconds=BACKOFF_SECONDS)


def _version_in_cache(cache: BaseCache) -> bool:
    return isinstance(cache, SHARED_BACKENDS)


def content_version() -> str:
    """The current version token; raises what the store raises when it fails."""
    cache = page_cache()
    if _version_in_cache(cache):
        return cache.get(VERSION_KEY) or _new_cache_version(cache)
    return _database_version()


def content_version_or_none() -> str | None:
    """The current version, or None when it cannot be read: for data kept per
    version in a process (the search's catalog), which is then read afresh."""
    if backoff.active:
        return None
    try:
        return content_version()
    except Exception as error:
        _cache_failed("read", error)
        return None


def _new_cache_version(cache: BaseCache) -> str:
    # The key was evicted or never set. A concurrent request may be creating it
    # too: whichever token got in first is the version.
    token = secrets.token_hex(8)
    if cache.add(VERSION_KEY, token, timeout=None) and hasattr(cache, "publish"):
        cache.publish(CHANNEL, token)
    return cache.get(VERSION_KEY)


def _version_watch(cache: BaseCache) -> VersionWatch | None:
    watch = getattr(cache, "version_watch", None)
    return watch() if watch is not None else None


@functools.cache
def _select_version_sql(alias: str) -> str:
    from .models import ContentVersion

    meta, quote = ContentVersion._meta, connections[alias].ops.quote_name
    return (
        f"SELECT {quote(meta.get_field('token').column)} FROM {quote(meta.db_table)} "
        f"WHERE {quote(meta.pk.column)} = %s"
    )


@functools.cache
def _driver_sql(alias: str) -> str:
    """The version query in the database driver's own parameter style."""
    sql = _select_version_sql(alias)
    return sql.replace("%s", "?") if connections[alias].vendor == "sqlite" else sql


def _read_version_row(alias: str) -> tuple[str] | None:
    connection = connections[alias]
    # Straight to the driver: this runs on every anonymous request, and Django's
    # cursor wrappers cost twice the query itself. Django's own path where it
    # counts or logs queries (DEBUG, tests), and whenever the driver's fails (a
    # connection broken while idle is then checked and replaced the usual way).
    if connection.connection is not None and not connection.queries_logged:
        try:
            cursor = connection.connection.cursor()
            try:
                cursor.execute(_driver_sql(alias), (VERSION_ROW,))
                return cursor.fetchone()
            finally:
                cursor.close()
        except Exception:
            pass
    # Plain SQL even here: the ORM would spend several times longer building the
    # query than the database answering it.
    with connection.cursor() as cursor:
        cursor.execute(_select_version_sql(alias), [VERSION_ROW])
        return cursor.fetchone()


def _database_version() -> str:
    from .models import ContentVersion

    row = _read_version_row(router.db_for_read(ContentVersion))
    if row is not None:
        return row[0]
    # No row yet (a fresh or flushed database): whoever creates it sets the version.
    version, _ = ContentVersion.objects.get_or_create(
        pk=VERSION_ROW, defaults={"token": secrets.token_hex(8), "changed_at": timezone.now()}
    )
    return version.token


def _write_new_version() -> None:
    from .models import ContentVersion

    token = secrets.token_hex(8)
    cache = page_cache()
    if _version_in_cache(cache):
        watch = _version_watch(cache)
        if watch is None:
            cache.set(VERSION_KEY, token, timeout=None)
            return
        cache.set_and_publish(VERSION_KEY, token, channel=CHANNEL)
        watch.wrote(token)
        return
    now = timezone.now()
    if not ContentVersion.objects.filter(pk=VERSION_ROW).update(token=token, changed_at=now):
        ContentVersion.objects.update_or_create(
            pk=VERSION_ROW, defaults={"token": token, "changed_at": now}
        )


def _bump_now() -> None:
    try:
        _write_new_version()
    except Exception:
        pending_bump.set()
        logger.exception(
            "Could not store a new content version; cached pages are not served "
            "by this process until it succeeds"
        )
    else:
        pending_bump.clear()


def bump_content_version(*, using: str | None = None) -> None:
    """Make every cached page stale, once the current transaction (if any) commits.

    Call it after writes the ORM's signals miss (``bulk_create``,
    ``QuerySet.update``, raw SQL). Cheap to call often: within one transaction
    the version changes once, at commit; a rollback changes nothing.
    """
    connection = transaction.get_connection(using)
    if not connection.in_atomic_block:
        _bump_now()
        return
    queued = getattr(connection, "_portal_queued_bump", None)
    # Queued in this transaction, neither run nor dropped by a rolled back savepoint?
    if (
        queued is not None
        and not queued.done
        and any(entry[1] is queued for entry in connection.run_on_commit)
    ):
        return

    def bump():
        bump.done = True
        _bump_now()

    bump.done = False
    connection._portal_queued_bump = bump
    transaction.on_commit(bump, using=using)


# Pages ------------------------------------------------------------------------


def _cache_failed(action: str, error: Exception) -> None:
    backoff.start()
    logger.warning(
        "Page cache %s failed (%s: %s); serving pages uncached for %g s",
        action,
        type(error).__name__,
        error,
        BACKOFF_SECONDS,
    )


def fetch_page(key: str) -> tuple[str, CachedPage | None] | None:
    """The current version and the page under ``key`` if it is still good.

    None when the cache or the version cannot be read: serve the page uncached.
    """
    if backoff.active:
        return None
    cache = page_cache()
    try:
        if pending_bump.raised:
            _write_new_version()
            pending_bump.clear()
        if _version_in_cache(cache):
            version, page = _fetch_shared(cache, key)
        else:
            version = _database_version()
            page = cache.get(key)
    except Exception as error:
        _cache_failed("read", error)
        return None
    if page is not None and (page.version != version or page.expires <= timezone.now().timestamp()):
        page = None
    return version, page


def _fetch_shared(cache: BaseCache, key: str) -> tuple[str, CachedPage | None]:
    """The version and the page from a shared cache, in as few round trips as
    this process can be sure of: none, one ``GET`` or one ``MGET``."""
    watch = _version_watch(cache)
    version = watch.current() if watch is not None else None
    if version is not None:
        page = hot_pages.get(key, version)
        if page is None and (page := cache.get(key)) is not None:
            hot_pages.put(key, page)
        return version, page
    ticket = watch.ticket() if watch is not None else None
    found = cache.get_many([VERSION_KEY, key])
    version = found.get(VERSION_KEY) or _new_cache_version(cache)
    page = found.get(key)
    if watch is not None:  # pages are kept only where the version is: else no use
        watch.learned(version, ticket=ticket)
        if page is not None:
            hot_pages.put(key, page)
    return version, page


def store_page(key: str, page: CachedPage) -> None:
    timeout = math.ceil(page.expires - timezone.now().timestamp())
    if timeout <= 0:
        return
    cache = page_cache()
    try:
        cache.set(key, page, timeout)
    except Exception as error:
        _cache_failed("write", error)
        return
    if _version_watch(cache) is not None:
        hot_pages.put(key, page)


class NextChange(Protocol):
    """When content next changes by itself, with no write to notice, after ``after``;
    None when nothing is due."""

    def __call__(self, *, after: dt.datetime) -> dt.datetime | None: ...


_next_changes: list[NextChange] = []


def register_next_change(next_change: NextChange) -> None:
    """Have pages expire when ``next_change(after=rendered_at)`` says content
    changes by itself (a scheduled article coming out). Call it from ``ready()``."""
    _next_changes.append(next_change)


def page_expiry(*, rendered_at: dt.datetime) -> float:
    """When a page rendered at ``rendered_at`` goes stale without any write.

    After the cache's lifetime, or at the next change the apps foresee (the next
    scheduled article coming out), whichever is first.
    """
    expires = rendered_at.timestamp() + settings.PAGE_CACHE_SECONDS
    for next_change in _next_changes:
        changes_at = next_change(after=rendered_at)
        if changes_at is not None:
            expires = min(expires, changes_at.timestamp())
    return expires


# Signals ----------------------------------------------------------------------


def _saved_or_deleted(sender, using=None, **kwargs):
    bump_content_version(using=using)


def _m2m_changed(sender, action, using=None, **kwargs):
    if action.startswith("post_"):
        bump_content_version(using=using)


def watch_models(content_models: Iterable[type[models.Model]]) -> None:
    """Bump the version whenever the ORM writes one of ``content_models``.

    Their many-to-many relations (and the rows of those) are watched too.
    """
    watched: set[type[models.Model]] = set()
    for model in content_models:
        watched.add(model)
        for field in model._meta.many_to_many:
            through = field.remote_field.through
            watched.add(through)
            m2m_changed.connect(
                _m2m_changed, sender=through, dispatch_uid=f"page-cache-{through._meta.label}"
            )
    for model in watched:
        uid = f"page-cache-{model._meta.label}"
        post_save.connect(_saved_or_deleted, sender=model, dispatch_uid=uid)
        post_delete.connect(_saved_or_deleted, sender=model, dispatch_uid=uid)
