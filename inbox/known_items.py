"""The items a poll's entries may already be, read at once for the whole poll.

An entry is the item stored under the same source and GUID, else the first
(lowest id) under the same canonical address from any source, else the first with
the same content key. Asking that three times per entry made three queries per
entry, the largest part of storing a feed; ``KnownItems`` asks once per poll (in
chunks, so a huge feed stays under the databases' limits on parameters) for every
item any entry could be, and keeps its answers true as the poll stores: what the
poll adds or changes is remembered, so a later entry of the same feed finds it as
the queries would have.

It holds a few fields per item, not the items: an entry found unchanged costs no
query at all, and an item to update is read again, locked, by ``storing``.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from django.db.models import Q

from .models import InboxItem, Source

# Entries per query: three parameters each, well under SQLite's 32,766.
CHUNK = 300


@dataclass(frozen=True)
class Lookup:
    """What an entry is looked up by."""

    guid: str
    canonical_url: str
    content_key: str


@dataclass(frozen=True)
class Known:
    """A stored item, as far as deciding what an entry is needs it."""

    pk: int
    source_id: int
    guid: str
    canonical_url: str
    content_key: str


class KnownItems:
    """The stored items matching a poll's lookups, answering as the database would."""

    def __init__(self, *, source: Source, lookups: Sequence[Lookup]):
        self.source_id = source.pk
        self.items: dict[int, Known] = {}
        self.by_guid: dict[str, int] = {}
        self.by_canonical: dict[str, set[int]] = {}
        self.by_key: dict[str, set[int]] = {}
        fields = ("pk", "source_id", "guid", "canonical_url", "content_key")
        for start in range(0, len(lookups), CHUNK):
            chunk = lookups[start : start + CHUNK]
            for row in InboxItem.objects.filter(_matching(source, chunk)).values_list(*fields):
                self.remember(Known(*row))

    def find(self, lookup: Lookup) -> Known | None:
        """The item ``lookup`` is: by GUID, else canonical address, else content key."""
        pk = self.by_guid.get(lookup.guid) if lookup.guid else None
        if pk is None and lookup.canonical_url:
            pk = min(self.by_canonical.get(lookup.canonical_url) or (), default=None)
        if pk is None:
            pk = min(self.by_key.get(lookup.content_key) or (), default=None)
        return None if pk is None else self.items[pk]

    def remember(self, known: Known) -> None:
        """``known`` as now stored: added, or replacing what it was."""
        if (before := self.items.get(known.pk)) is not None:
            self.by_canonical[before.canonical_url].discard(known.pk)
            self.by_key[before.content_key].discard(known.pk)
        self.items[known.pk] = known
        if known.source_id == self.source_id and known.guid:
            self.by_guid[known.guid] = known.pk
        self.by_canonical.setdefault(known.canonical_url, set()).add(known.pk)
        self.by_key.setdefault(known.content_key, set()).add(known.pk)

    def forget(self, pk: int) -> None:
        """An item no longer stored (deleted while the poll ran)."""
        if (before := self.items.pop(pk, None)) is not None:
            self.by_canonical[before.canonical_url].discard(pk)
            self.by_key[before.content_key].discard(pk)
            if self.by_guid.get(before.guid) == pk:
                del self.by_guid[before.guid]


def known(item: InboxItem) -> Known:
    return Known(item.pk, item.source_id, item.guid, item.canonical_url, item.content_key)


def _matching(source: Source, lookups: Sequence[Lookup]) -> Q:
    guids = {lookup.guid for lookup in lookups if lookup.guid}
    canonicals = {lookup.canonical_url for lookup in lookups if lookup.canonical_url}
    condition = Q(content_key__in={lookup.content_key for lookup in lookups})
    if guids:
        condition |= Q(source=source, guid__in=guids)
    if canonicals:
        condition |= Q(canonical_url__in=canonicals)
    return condition
