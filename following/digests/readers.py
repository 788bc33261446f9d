"""The due readers of one schedule and their subscriptions, a page of readers at a time.

Readers share a schedule when they share a time zone and hour (and weekday for
weekly digests): they share a period, so one query finds those of them who have
no record for it yet, in pages of readers by id. Memory stays the same whatever
the number of readers, each page is a short query of its own (no cursor held
open while records are written), and a build that stopped half-way starts again
where the records end.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from dataclasses import dataclass

from django.db.models import Exists, OuterRef, Q

from ..models import Delivery, Frequency, Reader, Subscription
from .new_articles import Target
from .periods import Period

READERS_PER_PAGE = 2000


@dataclass(frozen=True)
class Schedule:
    """Readers who get their digests of one frequency at the same moments."""

    frequency: str
    time_zone: str
    hour: int
    weekday: int | None  # weekly digests only


def schedules(*, frequency: str) -> list[Schedule]:
    """Every schedule some reader with an active subscription of ``frequency`` is on."""
    fields = ["reader__time_zone", "reader__digest_hour"]
    if frequency == Frequency.WEEKLY:
        fields.append("reader__digest_weekday")
    rows = (
        Subscription.objects.active()
        .filter(frequency=frequency)
        .values_list(*fields)
        .order_by(*fields)
        .distinct()
    )
    return [Schedule(frequency, row[0], row[1], row[2] if len(row) > 2 else None) for row in rows]


def _readers_of(schedule: Schedule):
    readers = Reader.objects.confirmed().filter(
        time_zone=schedule.time_zone, digest_hour=schedule.hour
    )
    if schedule.weekday is not None:
        readers = readers.filter(digest_weekday=schedule.weekday)
    return readers


def _subscriptions(schedule: Schedule, period: Period):
    # A subscription confirmed after a window closed has no business with it.
    return Subscription.objects.active().filter(
        frequency=schedule.frequency, confirmed_at__lt=period.end
    )


def due_pages(schedule: Schedule, period: Period) -> Iterator[dict[int, list[Target]]]:
    """Pages of {reader id: followed targets} of readers with no record for ``period``."""
    subscriptions = _subscriptions(schedule, period)
    already = Delivery.objects.filter(reader=OuterRef("pk"), kind=period.kind, period=period.key)
    due = (
        _readers_of(schedule)
        .filter(Exists(subscriptions.filter(reader=OuterRef("pk"))))
        .exclude(Exists(already))
        .order_by("pk")
        .values_list("pk", flat=True)
    )
    for page in _pages(due):
        followed: dict[int, list[Target]] = {pk: [] for pk in page}
        for reader_id, target, _confirmed in _rows(subscriptions, page):
            followed[reader_id].append(target)
        yield followed


def instant_pages(targets: list[Target]) -> Iterator[dict[int, list[tuple[Target, dt.datetime]]]]:
    """Pages of {reader id: [(target, confirmed at)]} of the readers with instant
    subscriptions to any of ``targets``."""
    by_kind: dict[str, set[int]] = {}
    for kind, target_id in targets:
        by_kind.setdefault(kind, set()).add(target_id)
    any_target = Q(pk__in=[])
    for kind, target_ids in by_kind.items():
        any_target |= Q(target_kind=kind, target_id__in=sorted(target_ids))
    subscriptions = Subscription.objects.active().filter(any_target, frequency=Frequency.INSTANT)
    readers = subscriptions.order_by("reader_id").values_list("reader_id", flat=True).distinct()
    for page in _pages(readers, key="reader_id"):
        followed: dict[int, list[tuple[Target, dt.datetime]]] = {pk: [] for pk in page}
        for reader_id, target, confirmed in _rows(subscriptions, page):
            followed[reader_id].append((target, confirmed))
        yield followed


def _pages(reader_ids, *, key: str = "pk") -> Iterator[list[int]]:
    """``reader_ids`` (an ordered values_list) a page at a time, each page read afresh."""
    after = 0
    while page := list(reader_ids.filter(**{f"{key}__gt": after})[:READERS_PER_PAGE]):
        after = page[-1]
        yield page


def _rows(subscriptions, page: list[int]) -> Iterator[tuple[int, Target, dt.datetime]]:
    """The subscriptions of the readers of ``page`` (a range of ids, the others left out)."""
    wanted = set(page)
    rows = subscriptions.filter(reader_id__gte=page[0], reader_id__lte=page[-1]).values_list(
        "reader_id", "target_kind", "target_id", "confirmed_at"
    )
    for reader_id, kind, target_id, confirmed in rows.iterator(chunk_size=5000):
        if reader_id in wanted:
            yield reader_id, (kind, target_id), confirmed
