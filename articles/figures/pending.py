"""When the figures' days are counted again: at once, or once at the end of a batch.

A write touching an article's links or publication calls ``note_articles`` or
``note_days``. Outside ``figures_batch()`` the days are counted again at once,
inside the writer's transaction; inside it (the loader, ``relink``) they are
collected and counted once when the batch ends, still inside the transaction
it is opened in, so a load never commits links without their figures.
"""

import datetime as dt
import threading
from collections.abc import Iterable, Iterator
from contextlib import contextmanager

from django.db import connections, router, transaction

from companies.models import DailyMentions

from ..models import Article
from .counting import local_day, refresh_days

_local = threading.local()


def _pending() -> dict[str, set[dt.date]] | None:
    return getattr(_local, "pending", None)


@contextmanager
def figures_batch() -> Iterator[None]:
    """Count the touched days once, when the outermost batch ends without error."""
    if _pending() is not None:
        yield
        return
    _local.pending = {}
    try:
        yield
        pending = _local.pending
    finally:
        _local.pending = None
    for using, days in pending.items():
        if connections[using].in_atomic_block and transaction.get_rollback(using):
            continue  # a dry run: everything it wrote is being taken back
        refresh_days(days=days, using=using)


def note_days(*, days: Iterable[dt.date], using: str | None = None) -> None:
    """The figures of ``days`` may have changed."""
    using = using or router.db_for_write(DailyMentions)
    days = set(days)
    if not days:
        return
    pending = _pending()
    if pending is None:
        refresh_days(days=days, using=using)
    else:
        pending.setdefault(using, set()).update(days)


def note_articles(*, article_ids: Iterable[int], using: str | None = None) -> None:
    """The links of these articles changed: their days, if they are published."""
    ids = list(set(article_ids))
    if not ids:
        return
    using = using or router.db_for_write(DailyMentions)
    published = Article.objects.using(using).filter(pk__in=ids, status=Article.Status.PUBLISHED)
    moments = published.values_list("published_at", flat=True)
    note_days(days={local_day(moment) for moment in moments}, using=using)
