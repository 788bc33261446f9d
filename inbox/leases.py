"""Who polls a source now, and what a poll leaves on the source.

A worker claims a source with one conditional UPDATE (free or expired lease, and
due unless forced): the database lets exactly one of two workers, on one machine
or on two, see its row count at 1, on SQLite (writes are serialised) as on
PostgreSQL (the second UPDATE waits for the first and re-reads the condition). The
lease expires by itself, so a worker that dies frees its sources after ``LEASE``.
"""

from __future__ import annotations

import os
import socket
import uuid
from datetime import datetime, timedelta

from django.db.models import F, Q
from django.utils import timezone

from .models import Source

# Longer than a fetch can take (its timeouts) plus parsing and storing one feed.
LEASE = timedelta(minutes=10)
# However often a source fails, it is tried again at least this often.
BACKOFF_CAP = timedelta(hours=6)


def worker_name() -> str:
    """Who holds a lease: machine, process and a token unique to this claim."""
    return f"{socket.gethostname()}:{os.getpid()}:{uuid.uuid4().hex[:8]}"


def claim(source_id: int, *, now: datetime, force: bool = False) -> str | None:
    """Take the lease on a source; the holder's name, or None when it is taken or not due."""
    holder = worker_name()
    free = Q(claimed_until__isnull=True) | Q(claimed_until__lte=now)
    sources = Source.objects.filter(free, pk=source_id)
    if not force:
        sources = sources.filter(active=True, next_poll_at__lte=now)
    claimed = sources.update(claimed_until=now + LEASE, claimed_by=holder)
    return holder if claimed else None


def release(source_id: int, *, holder: str, **health) -> bool:
    """Give the lease back, writing the poll's outcome; False when it had expired and
    another worker holds it now (then the outcome is dropped: theirs is newer)."""
    released = Source.objects.filter(pk=source_id, claimed_by=holder).update(
        claimed_until=None, claimed_by="", **health
    )
    return bool(released)


def backoff(source: Source, *, failures: int) -> timedelta:
    """How long to wait after ``failures`` failures in a row: the interval doubled
    each time, no more than ``BACKOFF_CAP`` (or the interval, when that is longer)."""
    interval = source.interval_delta
    if failures <= 0:
        return interval
    return min(interval * 2 ** min(failures, 16), max(BACKOFF_CAP, interval))


def success_health(
    source: Source, *, now: datetime, new_items: int, skipped: list[str], etag: str, modified: str
) -> dict:
    """The fields a successful poll writes."""
    health = {
        "last_attempt_at": now,
        "last_success_at": now,
        "last_error": "",
        "last_skipped": "\n".join(skipped),
        "consecutive_failures": 0,
        "next_poll_at": now + source.interval_delta,
        "etag": etag,
        "last_modified": modified,
    }
    if new_items:
        health["last_new_item_at"] = now
        health["items_received"] = F("items_received") + new_items
    return health


def failure_health(source: Source, *, now: datetime, message: str) -> dict:
    """The fields a failed poll writes: the error, and the next try after the backoff."""
    failures = source.consecutive_failures + 1
    return {
        "last_attempt_at": now,
        "last_error": message,
        "consecutive_failures": failures,
        "next_poll_at": now + backoff(source, failures=failures),
    }


def free_now(source: Source) -> bool:
    return source.claimed_until is None or source.claimed_until <= timezone.now()
